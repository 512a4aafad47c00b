import { randomBytes } from 'node:crypto';
import type { Sample } from '@yulian/contracts';
import { type Logger, type Scope, type Store, YulianError } from '@yulian/core';
import { type DirtyKey, type RawRow, type TelemetryEngine, type Tier, bucketOf, qualityCode, qualityName, tiers } from './model.js';
import { pgTelemetryEngine } from './pg-engine.js';
import { type TelemetryQuery, type SeriesResult, runQuery } from './query.js';
import { type SeriesInfo, SeriesRegistry } from './series-registry.js';
import { sqliteTelemetryEngine } from './sqlite-engine.js';

/** The newest sample of one point. */
export interface LatestValue {
  point: string;
  ts: number;
  /** When the gateway received it; equal to `ts` for values read back from the store after a restart. */
  receivedTs: number;
  value: number | string | null;
  quality: string;
  reason: string | null;
}

/** How long each tier keeps data, days. */
export interface RetentionDays {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
}

/** What the store has done since it started. */
export interface TelemetryStoreStats {
  samplesWritten: number;
  /** Samples refused (timestamp outside the accepted window). */
  samplesRejected: number;
  /** Write transactions (each holds the batches that arrived while the previous one ran). */
  commits: number;
  rollupBuckets: number;
  /** Time spent rolling up, ms (ingest waits meanwhile). */
  rollupMs: number;
  pendingSamples: number;
}

/** Options of {@link createTelemetryStore}. */
export interface TelemetryStoreOptions {
  store: Store;
  retention?: RetentionDays;
  logger?: Logger;
  /** The clock (tests). */
  now?: () => number;
  /** How long after a bucket ends it is rolled up, so samples a little late are counted the first time. Default 5 s. */
  graceMs?: number;
  /** How often closed buckets are rolled up. Default 1 s. */
  flushIntervalMs?: number;
  /** Samples per write transaction at most. Default 50,000. */
  maxSamplesPerCommit?: number;
}

/**
 * The telemetry store: raw samples, 1-minute and 1-hour rollups, a latest-value cache, queries that pick
 * the tier, CSV export and retention, on SQLite or PostgreSQL.
 */
export interface TelemetryStore {
  /** Loads the series, rolls up what a crash left pending, starts the roll-up and retention timers. */
  start(): Promise<void>;
  /**
   * Stores samples of one enterprise. Batches arriving while a transaction runs are written together
   * in the next one (group commit); resolves once the samples are durable.
   */
  write(tenantId: string | null, samples: readonly Sample[]): Promise<{ stored: number; rejected: number }>;
  /**
   * Rolls up every closed bucket now (and with `open: true` the open ones too). With `paced: true` it
   * does what the 1 s tick does: a closed bucket still receiving samples waits until they pause for 2 s
   * (at most 30 s).
   */
  flushRollups(options?: { open?: boolean; paced?: boolean }): Promise<void>;
  /** The enterprise that owns a device's telemetry; undefined when it has none. */
  tenantOf(device: string): Promise<string | null | undefined>;
  /** The devices with telemetry in scope, with their number of points and newest sample time. */
  devices(scope: Scope): Promise<Array<{ device: string; points: number; lastTs: number | null }>>;
  /** The points of a device that have telemetry. @throws DEVICE_NOT_FOUND */
  points(scope: Scope, device: string): Promise<string[]>;
  /** The newest value of every point of a device. @throws DEVICE_NOT_FOUND */
  latest(scope: Scope, device: string): Promise<LatestValue[]>;
  /** Time series of points of a device, at most `maxPoints` per series. @throws DEVICE_NOT_FOUND, POINT_NOT_FOUND, TIME_RANGE_INVALID */
  query(scope: Scope, query: TelemetryQuery): Promise<SeriesResult[]>;
  /** Rows for CSV export, oldest first per point. */
  exportRows(scope: Scope, query: ExportQuery): AsyncGenerator<string>;
  /** Deletes what each tier keeps no longer; answers rows (or partitions) removed per tier. */
  enforceRetention(): Promise<Record<'raw' | Tier, number>>;
  stats(): TelemetryStoreStats;
  /** Finishes pending writes and roll-ups (closed buckets) and stops the timers. */
  close(): Promise<void>;
}

/** What to export. */
export interface ExportQuery {
  device: string;
  points?: string[];
  from: number;
  to: number;
  tier: 'raw' | Tier;
}

/** A closed bucket still receiving samples is rolled up once they pause this long … */
const quietMs = 2_000;
/** … or once it has waited this long. */
const maxRollupDelayMs = 30_000;

/** Samples older than this or newer than now + 1 day are refused (a clock gone wrong, a unit error). */
export const oldestAcceptedTs = Date.UTC(2000, 0, 1);
const dayMs = 86_400_000;

/** A row with the gateway's receive time, kept for the latest-value cache. */
type StoredRow = RawRow & { receivedTs: number };

type Pending = { tenantId: string | null; samples: readonly Sample[]; resolve: (r: { stored: number; rejected: number }) => void; reject: (e: unknown) => void };

/**
 * Creates the telemetry store on a migrated `Store`.
 * @example const telemetry = createTelemetryStore({ store }); await telemetry.start(); await telemetry.write(null, samples)
 */
export function createTelemetryStore(options: TelemetryStoreOptions): TelemetryStore {
  const { store } = options;
  const engine: TelemetryEngine = store.dialect === 'sqlite' ? sqliteTelemetryEngine(store) : pgTelemetryEngine(store);
  const registry = new SeriesRegistry(store);
  const log = options.logger?.child({ component: 'telemetry-store' });
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? 5_000;
  const flushIntervalMs = options.flushIntervalMs ?? 1_000;
  const maxPerCommit = options.maxSamplesPerCommit ?? 50_000;
  const retention = options.retention ?? { rawDays: 30, minuteDays: 400, hourDays: 3660 };
  // Each process writes its own dirty-bucket journal entries, so one process's roll-up never clears
  // another's.
  const writer = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const stats: TelemetryStoreStats = { samplesWritten: 0, samplesRejected: 0, commits: 0, rollupBuckets: 0, rollupMs: 0, pendingSamples: 0 };
  const latestBySeries = new Map<number, LatestValue>();
  const dirty: Record<Tier, Map<number, Set<number>>> = { '1m': new Map(), '1h': new Map() };
  const pending: Pending[] = [];
  let lane: Promise<void> = Promise.resolve();
  let closed = false;
  // Write transactions in flight at once. Two on PostgreSQL (so it works on one while this process
  // prepares the next) measured slower on 2 cores: 31,709 against 45,723 points/s (docs/benchmarks.md).
  const maxInFlight = 1;
  let inFlight = 0;
  let exclusiveActive = 0;
  const idleWaiters: Array<() => void> = [];
  const timers: NodeJS.Timeout[] = [];
  let lastRejectLog = 0;

  /**
   * Runs work after everything queued before it, one at a time, with no write transaction in flight:
   * roll-ups must see every row whose bucket they clear, so they wait for running commits and hold
   * new ones back.
   */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const run = lane.then(async () => {
      exclusiveActive++;
      try {
        while (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
        return await work();
      } finally {
        exclusiveActive--;
        drain();
      }
    });
    lane = run.then(() => undefined, () => undefined);
    return run;
  }

  function markDirty(tier: Tier, bucket: number, seriesId: number): void {
    let set = dirty[tier].get(bucket);
    if (!set) dirty[tier].set(bucket, (set = new Set()));
    set.add(seriesId);
    touch(tier, bucket);
  }

  /** When each dirty bucket first and last received samples (wall clock), to pace roll-ups of late data. */
  const touched: Record<Tier, Map<number, { first: number; last: number }>> = { '1m': new Map(), '1h': new Map() };
  function touch(tier: Tier, bucket: number): void {
    const at = now();
    const t = touched[tier].get(bucket);
    if (t) t.last = at;
    else touched[tier].set(bucket, { first: at, last: at });
  }

  async function commit(group: Pending[]): Promise<void> {
    const at = now();
    const newest = at + dayMs;
    const rows: StoredRow[] = [];
    const results = group.map(() => ({ stored: 0, rejected: 0 }));
    const toRow = (s: Sample, series: SeriesInfo): StoredRow => {
      const v = s.value;
      const value = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : typeof v === 'boolean' ? (v ? 1 : 0) : null;
      return { seriesId: series.id, ts: s.ts, value, text: typeof v === 'string' ? v : null, quality: qualityCode[s.quality], reason: s.reason ?? null, receivedTs: s.receivedTs };
    };
    for (let i = 0; i < group.length; i++) {
      const p = group[i]!;
      const result = results[i]!;
      // Samples of series not seen yet (or moved to another enterprise) wait for their series.
      let waiting: Sample[] | undefined;
      for (const s of p.samples) {
        if (!Number.isSafeInteger(s.ts) || s.ts < oldestAcceptedTs || s.ts > newest) {
          result.rejected++;
          continue;
        }
        const series = registry.get(s.device, s.point);
        if (series === undefined || series.tenantId !== p.tenantId) (waiting ??= []).push(s);
        else rows.push(toRow(s, series));
        result.stored++;
      }
      if (waiting) {
        await registry.ensure(p.tenantId, waiting.map((s) => [s.device, s.point] as const));
        for (const s of waiting) rows.push(toRow(s, registry.get(s.device, s.point)!));
      }
    }
    // Rows in key order touch each B-tree page once per transaction: an order of magnitude faster
    // than arrival order, which interleaves every series (see docs/benchmarks.md).
    rows.sort((a, b) => a.seriesId - b.seriesId || a.ts - b.ts);
    const minutes = new Set<number>();
    let lastMinute = NaN;
    let lastSet: Set<number> | undefined;
    for (const r of rows) {
      const m = bucketOf(r.ts, tiers['1m']);
      if (m !== lastMinute) {
        lastMinute = m;
        minutes.add(m);
        lastSet = dirty['1m'].get(m);
        if (!lastSet) dirty['1m'].set(m, (lastSet = new Set()));
        touch('1m', m);
      }
      lastSet!.add(r.seriesId);
    }
    // In (tier, bucket) order: two transactions in flight lock journal rows in the same order.
    const sortedMinutes = [...minutes].sort((a, b) => a - b);
    const keys: DirtyKey[] = sortedMinutes.map((bucket) => ({ tier: '1m', bucket }));
    for (const h of new Set(sortedMinutes.map((m) => bucketOf(m, tiers['1h'])))) keys.push({ tier: '1h', bucket: h });
    if (rows.length) await engine.insert(rows, keys, writer, at);
    stats.commits++;
    // Sorted by series and time: the last row of each series is its newest in this commit.
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      if (rows[k + 1]?.seriesId === r.seriesId) continue;
      const prev = latestBySeries.get(r.seriesId);
      if (prev) {
        if (prev.ts > r.ts) continue;
        // Updated in place: a new object per series per commit, referenced from this long-lived map,
        // made a fifth of the ingest CPU garbage collection (old-generation promotions).
        prev.ts = r.ts;
        prev.receivedTs = r.receivedTs;
        prev.value = r.text ?? r.value;
        prev.quality = qualityName[r.quality] ?? 'bad';
        prev.reason = r.reason;
      } else {
        latestBySeries.set(r.seriesId, { point: registry.byId(r.seriesId)?.point ?? '', ts: r.ts, receivedTs: r.receivedTs, value: r.text ?? r.value, quality: qualityName[r.quality] ?? 'bad', reason: r.reason });
      }
    }
    const rejected = results.reduce((n, r) => n + r.rejected, 0);
    stats.samplesWritten += rows.length;
    stats.samplesRejected += rejected;
    if (rejected && Date.now() - lastRejectLog > 10_000) {
      lastRejectLog = Date.now();
      log?.warn({ rejected, window: { from: new Date(oldestAcceptedTs).toISOString(), to: 'now + 1 day' } }, 'samples with a timestamp outside the accepted window refused');
    }
    group.forEach((p, i) => p.resolve(results[i]!));
  }

  function drain(): void {
    while (exclusiveActive === 0 && inFlight < maxInFlight && pending.length) {
      const group: Pending[] = [];
      let n = 0;
      while (pending.length && (n === 0 || n + pending[0]!.samples.length <= maxPerCommit)) {
        const p = pending.shift()!;
        n += p.samples.length;
        group.push(p);
      }
      stats.pendingSamples -= n;
      inFlight++;
      void commit(group)
        .catch((e: unknown) => {
          for (const p of group) p.reject(e);
        })
        .finally(() => {
          inFlight--;
          if (inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
          drain();
        });
    }
  }

  /** Recomputes the due buckets of a tier from the level below and clears their journal entries. */
  /**
   * Recomputes the due buckets of a tier: closed before `dueBefore` and, unless `force`, quiet for 2 s or
   * dirty for 30 s — samples still streaming into a closed bucket (a gateway catching up) would
   * otherwise make every tick recompute it for every series (the ingest benchmark on PostgreSQL spent
   * two thirds of its time so).
   */
  async function rollUp(tier: Tier, dueBefore: number, force: boolean): Promise<number> {
    const size = tiers[tier];
    const at = now();
    const settled = (bucket: number): boolean => {
      const t = touched[tier].get(bucket);
      return force || !t || at - t.last >= quietMs || at - t.first >= maxRollupDelayMs;
    };
    const due = [...dirty[tier].entries()].filter(([bucket]) => bucket + size <= dueBefore && settled(bucket)).sort((a, b) => a[0] - b[0]);
    for (const [bucket] of due) touched[tier].delete(bucket);
    if (!due.length) return 0;
    const snapshot = now();
    const t0 = performance.now();
    // Adjacent buckets go together (a gateway catching up after an outage sends hours at once): one
    // statement per run of up to 60 buckets instead of one per bucket. Recomputing a series in a bucket
    // it had nothing new in is harmless.
    for (let i = 0; i < due.length; ) {
      const from = due[i]![0];
      const ids = new Set<number>();
      let to = from;
      while (i < due.length && due[i]![0] === to && to - from < 60 * size) {
        const [bucket, set] = due[i]!;
        dirty[tier].delete(bucket);
        for (const id of set) ids.add(id);
        if (tier === '1m') for (const id of set) markDirty('1h', bucketOf(bucket, tiers['1h']), id);
        to = bucket + size;
        i++;
      }
      await engine.recompute(tier, [...ids], from, to);
    }
    // Only this writer's entries stored before the snapshot: a sample stored since marked its bucket again.
    await engine.clearDirty(due.filter(([bucket]) => !dirty[tier].has(bucket)).map(([bucket]) => ({ tier, bucket })), writer, snapshot);
    stats.rollupBuckets += due.length;
    stats.rollupMs += performance.now() - t0;
    return due.length;
  }

  async function flush(open: boolean, force = open): Promise<void> {
    const settled = open ? Number.MAX_SAFE_INTEGER : now() - graceMs;
    await rollUp('1m', settled, force);
    await rollUp('1h', settled, force);
  }

  /** After a crash: every bucket any writer left in the journal is recomputed for every series. */
  async function recover(): Promise<void> {
    const entries = await engine.listDirty();
    if (!entries.length) return;
    const startedAt = now();
    const ids = registry.allIds();
    for (const tier of ['1m', '1h'] as const) {
      const buckets = [...new Set(entries.filter((e) => e.tier === tier).map((e) => e.bucket))].sort((a, b) => a - b);
      for (const [from, to] of ranges(buckets, tiers[tier])) if (ids.length) await engine.recompute(tier, ids, from, to);
    }
    await engine.clearDirty(entries.map((e) => ({ tier: e.tier, bucket: e.bucket })), null, startedAt);
    log?.info({ buckets: entries.length, series: ids.length }, 'rolled up the buckets an earlier run left pending');
  }

  function hasDueDirty(series: readonly SeriesInfo[], from: number, to: number): boolean {
    const settled = now() - graceMs;
    for (const tier of ['1m', '1h'] as const) {
      for (const [bucket, ids] of dirty[tier]) {
        if (bucket + tiers[tier] > settled || bucket + tiers[tier] <= from || bucket >= to) continue;
        if (series.some((s) => ids.has(s.id))) return true;
      }
    }
    return false;
  }

  /** Reads the newest sample of series this process has not seen a sample of since it started. */
  async function loadLatest(series: readonly SeriesInfo[]): Promise<void> {
    const missing = series.filter((s) => !latestBySeries.has(s.id));
    for (let i = 0; i < missing.length; i += 1000) {
      const chunk = missing.slice(i, i + 1000);
      for (const r of await engine.latest(chunk.map((s) => s.id))) {
        if (latestBySeries.has(r.seriesId)) continue;
        const s = chunk.find((m) => m.id === r.seriesId)!;
        latestBySeries.set(r.seriesId, { point: s.point, ts: r.ts, receivedTs: r.ts, value: r.text ?? r.value, quality: qualityName[r.quality] ?? 'bad', reason: r.reason });
      }
    }
  }

  async function deviceSeries(scope: Scope, device: string): Promise<SeriesInfo[]> {
    const series = await registry.ofDevice(device);
    const visible = scope.kind === 'all' ? series : series.filter((s) => s.tenantId === scope.tenantId);
    if (!visible.length) throw new YulianError('DEVICE_NOT_FOUND', `No device ${device} with telemetry.`);
    return visible;
  }

  return {
    async start() {
      await registry.load();
      await serial(recover);
      const tick = setInterval(() => {
        if (!closed) void serial(() => flush(false)).catch((err: unknown) => log?.error({ err }, 'roll-up failed; retried at the next tick'));
      }, flushIntervalMs);
      const expire = setInterval(() => void this.enforceRetention().catch((err: unknown) => log?.error({ err }, 'retention failed')), 3_600_000);
      tick.unref();
      expire.unref();
      timers.push(tick, expire);
      // Retention once at start, in the background: an instance that was down for a while catches up.
      setTimeout(() => void this.enforceRetention().catch((err: unknown) => log?.error({ err }, 'retention failed')), 10_000).unref();
    },
    write(tenantId, samples) {
      if (closed) return Promise.reject(new YulianError('SERVICE_UNAVAILABLE', 'The telemetry store is closed.'));
      return new Promise((resolve, reject) => {
        pending.push({ tenantId, samples, resolve, reject });
        stats.pendingSamples += samples.length;
        drain();
      });
    },
    flushRollups: (o) => serial(() => flush(o?.open ?? false, !(o?.paced ?? false))),
    async tenantOf(device) {
      const series = await registry.ofDevice(device);
      return series[0]?.tenantId;
    },
    async devices(scope) {
      const list = await registry.devices(scope.kind === 'all' ? undefined : scope.tenantId);
      const series = (await Promise.all(list.map((d) => registry.ofDevice(d.device)))).flat();
      await loadLatest(series);
      return list.map((d) => {
        let lastTs: number | null = null;
        for (const s of registry.ofDeviceKnown(d.device)) {
          const l = latestBySeries.get(s.id);
          if (l && (lastTs === null || l.ts > lastTs)) lastTs = l.ts;
        }
        return { ...d, lastTs };
      });
    },
    async points(scope, device) {
      return (await deviceSeries(scope, device)).map((s) => s.point).sort();
    },
    async latest(scope, device) {
      const series = await deviceSeries(scope, device);
      await loadLatest(series);
      return series.flatMap((s) => {
        const l = latestBySeries.get(s.id);
        return l ? [{ ...l, point: s.point }] : [];
      }).sort((a, b) => a.point.localeCompare(b.point));
    },
    async query(scope, q) {
      const series = await deviceSeries(scope, q.device);
      // Samples stored into buckets that are already closed (a gateway catching up) are rolled up
      // before the answer, not at the next tick, so an answer never misses what was stored.
      if (hasDueDirty(series, q.from, q.to)) await serial(() => flush(false, true));
      return runQuery({ engine, series, query: q, now: now(), settleMs: graceMs + 2 * flushIntervalMs });
    },
    async *exportRows(scope, q) {
      const series = await deviceSeries(scope, q.device);
      const chosen = pick(series, q.points, q.device);
      const esc = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
      yield q.tier === 'raw' ? 'device,point,time,ts,value,quality,reason\n' : 'device,point,time,ts,count,avg,min,max,first,last\n';
      for (const s of chosen) {
        const head = `${esc(s.device)},${esc(s.point)},`;
        if (q.tier === 'raw') {
          let cursor = q.from;
          for (;;) {
            const rows = await engine.readRaw(s.id, cursor, q.to, 10_000);
            if (!rows.length) break;
            let chunk = '';
            for (const r of rows) chunk += `${head}${new Date(r.ts).toISOString()},${r.ts},${r.text !== null ? esc(r.text) : (r.value ?? '')},${qualityName[r.quality]},${r.reason ? esc(r.reason) : ''}\n`;
            yield chunk;
            cursor = rows[rows.length - 1]!.ts + 1;
            if (rows.length < 10_000) break;
          }
        } else {
          const window = tiers[q.tier] * 10_000;
          for (let from = bucketOf(q.from, tiers[q.tier]); from < q.to; from += window) {
            const rows = await engine.readRollup(q.tier, s.id, from, Math.min(from + window, q.to));
            let chunk = '';
            for (const r of rows) chunk += `${head}${new Date(r.bucket).toISOString()},${r.bucket},${r.count},${r.sum / r.count},${r.min},${r.max},${r.first},${r.last}\n`;
            if (chunk) yield chunk;
          }
        }
      }
    },
    enforceRetention: () =>
      serial(async () => {
        const t = now();
        const ids = registry.allIds();
        const out = {
          raw: await engine.expire('raw', t - retention.rawDays * dayMs, ids),
          '1m': await engine.expire('1m', t - retention.minuteDays * dayMs, ids),
          '1h': await engine.expire('1h', t - retention.hourDays * dayMs, ids),
        };
        if (out.raw || out['1m'] || out['1h']) log?.info({ removed: out, retention }, 'telemetry retention applied');
        return out;
      }),
    stats: () => ({ ...stats }),
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      // Runs once the commits queued before it are done (write() refuses new ones now).
      while (pending.length || inFlight) await serial(async () => undefined);
      await serial(() => flush(false, true)).catch((err: unknown) => log?.warn({ err }, 'roll-up at close failed; the next start recomputes it'));
    },
  };
}

/** The chosen points of a device (all when none are named). @throws POINT_NOT_FOUND */
export function pick(series: readonly SeriesInfo[], points: readonly string[] | undefined, device: string): SeriesInfo[] {
  if (!points || points.length === 0) return [...series].sort((a, b) => a.point.localeCompare(b.point));
  return points.map((p) => {
    const s = series.find((x) => x.point === p);
    if (!s) throw new YulianError('POINT_NOT_FOUND', `Device ${device} has no telemetry for point ${p}.`);
    return s;
  });
}

/** Groups sorted bucket starts into [from, to) ranges of adjacent buckets. */
function ranges(buckets: readonly number[], size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const b of buckets) {
    const last = out[out.length - 1];
    if (last && b <= last[1] + 60 * size) last[1] = b + size;
    else out.push([b, b + size]);
  }
  return out;
}
