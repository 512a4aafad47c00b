/**
 * The platform's health service (issue 6, items 5 and 6): every minute (and on demand) it assesses each
 * device in service — anomaly scores of its recent stored values, its alarms, its running hours — into a
 * health index 0–100, predicts its remaining useful life when a model is bound to its profile, and stores
 * the result as a snapshot, so each device has a trend.
 */
import { type HealthAlarmSeverity, type RulBucket, computeHealthIndex, pointAnomalyScore, predictFromBuckets } from '@yulian/analytics';
import type { DeviceAssetDto } from '@yulian/contracts';
import { type Logger, type Scope, type Store, allTenants, tenantScope } from '@yulian/core';
import { type AlarmStore, type AssetService, type HealthSnapshot, type HealthStore, type RulBinding, type TelemetryStore, createHealthStore } from '@yulian/devices';

/** What the health service needs. */
export interface HealthServiceOptions {
  store: Store;
  assets: AssetService;
  telemetry: TelemetryStore;
  alarms: AlarmStore;
  logger: Logger;
  /** Assessment period, ms (default 60 s); 0 assesses only on demand. */
  intervalMs?: number;
  /** Snapshots are kept this long (default 30 days). */
  keepDays?: number;
  now?: () => number;
}

/** The health service of a platform. */
export interface HealthService {
  readonly store: HealthStore;
  /** Assesses every device in scope now and stores a snapshot of each. */
  assess(scope?: Scope): Promise<HealthSnapshot[]>;
  close(): Promise<void>;
}

/** Lifecycle states whose devices are assessed: the others are not running (planned, retired …). */
const assessedStates = new Set(['in_service', 'under_maintenance', 'commissioning']);
/**
 * Anomaly history: the last 24 hours in 5-minute buckets — coarse enough that the detector's level (α 0.02
 * per bucket, a time constant of about 4 hours) does not follow a degradation of a few hours — or, for a
 * young history, the last 5 minutes in 2 s buckets.
 */
const longSpanMs = 24 * 3_600_000;
const longBucketMs = 5 * 60_000;
const shortSpanMs = 5 * 60_000;
const maxPointsScored = 12;
const recentAlarmMs = 7 * 86_400_000;

/**
 * Starts the service (its timer is unref'd).
 * @example const health = startHealthService({ store, assets, telemetry, alarms, logger }); await health.assess()
 */
export function startHealthService(options: HealthServiceOptions): HealthService {
  const log = options.logger.child({ component: 'health' });
  const now = options.now ?? Date.now;
  const health = createHealthStore(options.store, now);
  const { telemetry, assets } = options;

  /**
   * A point's recent buckets as three series — mean, peak and trough per bucket (5-minute buckets over 24 h,
   * or 2 s buckets over 5 min while the history is young): a machine that alternates between idle and
   * cutting has a noisy mean, but a steady peak that shows a growing vibration at once.
   */
  const anomalySeries = async (scope: Scope, device: string, point: string, at: number): Promise<Array<Array<readonly [number, number]>>> => {
    const read = async (span: number, intervalMs: number): Promise<Array<Array<readonly [number, number]>>> => {
      const [series] = await telemetry.query(scope, { device, points: [point], from: at - span, to: at, intervalMs, agg: 'avg', maxPoints: Math.ceil(span / intervalMs) + 2 });
      const buckets = (series?.points ?? []).filter((p) => typeof p.value === 'number' && Number.isFinite(p.value));
      return [buckets.map((p) => [p.ts, p.value as number] as const), buckets.map((p) => [p.ts, p.max ?? (p.value as number)] as const), buckets.map((p) => [p.ts, p.min ?? (p.value as number)] as const)];
    };
    const long = await read(longSpanMs, longBucketMs);
    return (long[0]?.length ?? 0) >= 35 ? long : read(shortSpanMs, 2_000);
  };

  /** The numeric, read-only points of a device worth scoring: its profile's, or else whatever numbers it reports. */
  const scoredPoints = async (scope: Scope, asset: DeviceAssetDto, stored: readonly string[]): Promise<string[]> => {
    if (stored.length === 0) return [];
    if (asset.profileId) {
      const profile = await assets.profiles.get(scope, asset.profileId).catch(() => undefined);
      if (profile) return profile.points.filter((p) => p.dataType !== 'string' && p.dataType !== 'bool' && p.access !== 'read-write' && stored.includes(p.key)).map((p) => p.key).slice(0, maxPointsScored);
    }
    const latest = await telemetry.latest(scope, asset.device);
    return latest.filter((l) => typeof l.value === 'number').map((l) => l.point).slice(0, maxPointsScored);
  };

  const rulOf = async (scope: Scope, device: string, binding: RulBinding | undefined, at: number): Promise<Pick<HealthSnapshot, 'rul' | 'rulUnitSeconds' | 'rulCap' | 'modelId'>> => {
    const none = { rul: null, rulUnitSeconds: null, rulCap: null, modelId: null };
    if (!binding) return none;
    const model = await health.loadModel(allTenants, binding.modelId);
    const cycleMs = binding.cycleSeconds * 1000;
    const from = at - (model.spec.window + 1) * cycleMs;
    const points = [...new Set(binding.inputs.map((m) => m.point))];
    const stored = await telemetry.points(scope, device);
    if (!points.every((p) => stored.includes(p))) return { ...none, rulUnitSeconds: binding.cycleSeconds, rulCap: model.spec.cap, modelId: binding.modelId };
    const series = await telemetry.query(scope, { device, points, from, to: at, intervalMs: cycleMs, agg: 'avg', maxPoints: model.spec.window + 4 });
    const buckets = new Map<string, RulBucket[]>(
      series.map((s) => [
        s.point,
        s.points.flatMap((p) => (typeof p.value === 'number' ? [{ ts: p.ts, avg: p.value, max: p.max ?? p.value, min: p.min ?? p.value }] : [])),
      ]),
    );
    const predicted = predictFromBuckets(model, binding.inputs, buckets);
    return { rul: predicted ? Math.round(predicted.rul * 10) / 10 : null, rulUnitSeconds: binding.cycleSeconds, rulCap: model.spec.cap, modelId: binding.modelId };
  };

  const assessDevice = async (asset: DeviceAssetDto, bindings: ReadonlyMap<string, RulBinding>, at: number): Promise<HealthSnapshot> => {
    const scope = asset.tenantId === null ? allTenants : tenantScope(asset.tenantId);
    const stored = await telemetry.points(scope, asset.device).catch(() => [] as string[]);
    const anomaly: Array<{ point: string; score: number }> = [];
    for (const point of await scoredPoints(scope, asset, stored)) {
      const scores = (await anomalySeries(scope, asset.device, point, at)).map((series) => pointAnomalyScore(series, { warmUp: 20, recent: 3 }));
      anomaly.push({ point, score: Math.max(0, ...scores) });
    }
    const alarms = await options.alarms.list(scope, { device: asset.device, limit: 500 });
    const activeAlarms = alarms.filter((a) => a.active).map((a) => a.severity as HealthAlarmSeverity);
    const recentAlarms = alarms.filter((a) => Date.parse(a.raisedAt) >= at - recentAlarmMs).length;
    const counter = stored.includes('run_hours') ? (await telemetry.latest(scope, asset.device)).find((l) => l.point === 'run_hours') : undefined;
    const runHours = typeof counter?.value === 'number' ? counter.value : asset.lifecycle === 'in_service' ? Math.max(0, (at - Date.parse(asset.lifecycleSince)) / 3_600_000) : null;
    const index = computeHealthIndex({ anomaly, activeAlarms, recentAlarms, runHours });
    const rul = await rulOf(scope, asset.device, asset.profileId ? bindings.get(asset.profileId) : undefined, at).catch((err: unknown) => {
      log.warn({ err, device: asset.device }, 'remaining useful life not predicted');
      return { rul: null, rulUnitSeconds: null, rulCap: null, modelId: null };
    });
    return { device: asset.device, tenantId: asset.tenantId, ts: at, health: index.health, components: index.components, ...rul };
  };

  let running: Promise<HealthSnapshot[]> | undefined;
  const assess = async (scope: Scope = allTenants): Promise<HealthSnapshot[]> => {
    const at = now();
    const bindings = new Map((await health.listBindings(scope)).map((b) => [b.profileId, b]));
    const out: HealthSnapshot[] = [];
    for (const asset of await assets.devices.list(scope)) {
      if (!assessedStates.has(asset.lifecycle)) continue;
      try {
        const snapshot = await assessDevice(asset, bindings, at);
        await health.addSnapshot(snapshot);
        out.push(snapshot);
      } catch (err) {
        log.warn({ err, device: asset.device }, 'device health not assessed');
      }
    }
    return out;
  };
  // One assessment at a time: a request during the periodic one waits for it and then runs its own.
  const serial = (scope?: Scope): Promise<HealthSnapshot[]> => {
    const next = (running ?? Promise.resolve([])).catch(() => []).then(() => assess(scope));
    running = next;
    return next;
  };

  const intervalMs = options.intervalMs ?? 60_000;
  // With several platform processes on one store, whichever comes first each period assesses; the others
  // see its fresh snapshots and skip, so the trend has one point per period.
  const periodic = async (): Promise<HealthSnapshot[]> => {
    const newest = Math.max(0, ...(await health.latest(allTenants)).map((s) => s.ts));
    return now() - newest < 0.8 * intervalMs ? [] : serial();
  };
  const timer = intervalMs > 0 ? setInterval(() => {
    void periodic()
      .then((s) => log.debug({ devices: s.length }, 'devices assessed'))
      .then(() => health.prune(now() - (options.keepDays ?? 30) * 86_400_000))
      .catch((err: unknown) => log.error({ err }, 'health assessment failed'));
  }, intervalMs) : undefined;
  timer?.unref();
  return {
    store: health,
    assess: serial,
    async close() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
