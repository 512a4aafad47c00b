import { randomBytes } from 'node:crypto';
import type { Sample } from '@yulian/contracts';
import { type Logger, type Scope, type Store, YulianError } from '@yulian/core';
import { BucketAccumulator } from './rollup-accumulator.js';
import { type SampleColumns, allocateColumns, mergeSorted, setReason, setText } from './columns.js';
import { type DirtyKey, type TelemetryEngine, type Tier, bucketOf, qualityCode, qualityName, tiers } from './model.js';
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
  /**
   * A writer process not seen (heartbeat every 5 s) for this long is gone: another recomputes the
   * rollups it left pending. Default 60 s.
   */
  writerTimeoutMs?: number;
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

const minuteMs = tiers['1m'];
const hourMs = tiers['1h'];
const heartbeatMs = 5_000;
const sweepMs = 15_000;

/** A minute with samples not yet in the minute tier: summed in memory, or (some series) to recompute from raw. */
interface PendingMinute {
  acc: BucketAccumulator;
  recompute: Set<number> | null;
}

/** Samples older than this or newer than now + 1 day are refused (a clock gone wrong, a unit error). */
export const oldestAcceptedTs = Date.UTC(2000, 0, 1);
const dayMs = 86_400_000;

/** Samples of one write, converted to columns at once so that the sample objects die young. */
type Pending = { rows: SampleColumns; result: { stored: number; rejected: number }; resolve: (r: { stored: number; rejected: number }) => void; reject: (e: unknown) => void };

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
  /** Minutes with samples not yet in the minute tier: summed in memory, or to recompute from raw. */
  const minutes = new Map<number, PendingMinute>();
  /** Hours whose minutes changed, with the series to recompute. */
  const dirtyHours = new Map<number, Set<number>>();
  const writerTimeoutMs = options.writerTimeoutMs ?? 60_000;
  let lastHeartbeat = -Infinity;
  let lastSweep = -Infinity;
  const pending: Pending[] = [];
  let lane: Promise<void> = Promise.resolve();
  /** Writes converting their samples (creating series) before they join `pending`. */
  let converting = 0;
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

  function markHourDirty(hour: number, seriesId: number, at: number): void {
    let set = dirtyHours.get(hour);
    if (!set) dirtyHours.set(hour, (set = new Set()));
    set.add(seriesId);
    touch('1h', hour, at);
  }

  function minuteEntry(minute: number): PendingMinute {
    let entry = minutes.get(minute);
    if (!entry) minutes.set(minute, (entry = { acc: new BucketAccumulator(minute), recompute: null }));
    return entry;
  }

  /** When each dirty bucket first and last received samples (wall clock), to pace roll-ups of late data. */
  const touched: Record<Tier, Map<number, { first: number; last: number }>> = { '1m': new Map(), '1h': new Map() };
  function touch(tier: Tier, bucket: number, at: number): void {
    const t = touched[tier].get(bucket);
    if (t) t.last = at;
    else touched[tier].set(bucket, { first: at, last: at });
  }

  /**
   * Converts samples to columns under their series ids (creating series not seen yet, or moving those
   * whose device changed enterprise). Samples with a timestamp outside the accepted window are refused.
   */
  async function toColumns(tenantId: string | null, samples: readonly Sample[]): Promise<{ rows: SampleColumns; rejected: number }> {
    const rows = allocateColumns(samples.length);
    const newest = now() + dayMs;
    let rejected = 0;
    let missing: Array<[number, Sample]> | undefined;
    let n = 0;
    for (const s of samples) {
      if (!Number.isSafeInteger(s.ts) || s.ts < oldestAcceptedTs || s.ts > newest) {
        rejected++;
        continue;
      }
      const i = n++;
      const series = registry.get(s.device, s.point);
      if (series === undefined || series.tenantId !== tenantId) (missing ??= []).push([i, s]);
      else rows.seriesId[i] = series.id;
      const v = s.value;
      rows.ts[i] = s.ts;
      rows.value[i] = typeof v === 'number' ? (Number.isFinite(v) ? v : NaN) : typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
      if (typeof v === 'string') setText(rows, i, v);
      rows.quality[i] = qualityCode[s.quality];
      if (s.reason) setReason(rows, i, s.reason);
      rows.receivedTs[i] = s.receivedTs;
    }
    rows.n = n;
    if (missing) {
      await registry.ensure(tenantId, missing.map(([, s]) => [s.device, s.point] as const));
      for (const [i, s] of missing) rows.seriesId[i] = registry.get(s.device, s.point)!.id;
    }
    return { rows, rejected };
  }

  async function commit(group: Pending[]): Promise<void> {
    const at = now();
    const rows = mergeSorted(group.map((p) => p.rows), registry.maxId());
    const { n, seriesId, ts, value, quality } = rows;
    const touchedMinutes = new Set<number>();
    let lastMinute = NaN;
    for (let k = 0; k < n; k++) {
      const m = bucketOf(ts[k]!, minuteMs);
      if (m !== lastMinute) touchedMinutes.add((lastMinute = m));
    }
    // In (tier, bucket) order: two transactions in flight lock journal rows in the same order.
    const sortedMinutes = [...touchedMinutes].sort((a, b) => a - b);
    const keys: DirtyKey[] = sortedMinutes.map((bucket) => ({ tier: '1m', bucket }));
    for (const h of new Set(sortedMinutes.map((m) => bucketOf(m, tiers['1h'])))) keys.push({ tier: '1h', bucket: h });
    const inserted = n ? await engine.insert(rows, keys, writer, at) : 0;
    for (const m of sortedMinutes) touch('1m', m, at);
    // Every row new: each (series, minute) run is summed into its minute. Some already stored (a batch
    // delivered again, another process): those minutes are recomputed from raw instead, which is exact
    // whatever was counted before.
    const exact = inserted === n;
    let entry: PendingMinute | undefined;
    for (let k = 0; k < n; ) {
      const id = seriesId[k]!;
      const minute = bucketOf(ts[k]!, minuteMs);
      const end = minute + minuteMs;
      let count = 0, sum = 0, min = Infinity, max = -Infinity, firstTs = 0, first = 0, lastTs = 0, last = 0;
      let j = k;
      for (; j < n && seriesId[j] === id && ts[j]! < end; j++) {
        const v = value[j]!;
        // Rollups hold good and uncertain numeric samples (NaN: none).
        if (v !== v || quality[j]! > 1) continue;
        if (count === 0) {
          firstTs = ts[j]!;
          first = v;
        }
        count++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
        lastTs = ts[j]!;
        last = v;
      }
      if (entry?.acc.bucket !== minute) entry = minuteEntry(minute);
      if (!exact) (entry.recompute ??= new Set()).add(id);
      else if (count) entry.acc.add(id, count, sum, min, max, firstTs, first, lastTs, last);
      k = j;
    }
    stats.commits++;
    // Sorted by series and time: the last row of each series is its newest in this commit.
    for (let k = 0; k < n; k++) {
      const id = seriesId[k]!;
      if (k + 1 < n && seriesId[k + 1] === id) continue;
      const value = rows.text?.[k] ?? (rows.value[k] === rows.value[k] ? rows.value[k]! : null);
      const quality = qualityName[rows.quality[k]!] ?? 'bad';
      const reason = rows.reason?.[k] ?? null;
      const prev = latestBySeries.get(id);
      if (prev) {
        if (prev.ts > ts[k]!) continue;
        // Updated in place: a new object per series per commit, referenced from this long-lived map,
        // made a fifth of the ingest CPU garbage collection (old-generation promotions).
        prev.ts = ts[k]!;
        prev.receivedTs = rows.receivedTs[k]!;
        prev.value = value;
        prev.quality = quality;
        prev.reason = reason;
      } else {
        latestBySeries.set(id, { point: registry.byId(id)?.point ?? '', ts: ts[k]!, receivedTs: rows.receivedTs[k]!, value, quality, reason });
      }
    }
    stats.samplesWritten += n;
    for (const p of group) p.resolve(p.result);
  }

  function drain(): void {
    while (exclusiveActive === 0 && inFlight < maxInFlight && pending.length) {
      const group: Pending[] = [];
      let n = 0;
      while (pending.length && (n === 0 || n + pending[0]!.rows.n <= maxPerCommit)) {
        const p = pending.shift()!;
        n += p.rows.n;
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

  /**
   * A closed bucket still receiving samples (a gateway catching up) is rolled up once they pause for
   * 2 s or after 30 s at most, unless `force`: otherwise every tick would roll up the same minute for
   * every series again (the ingest benchmark on PostgreSQL spent two thirds of its time so).
   */
  function settled(tier: Tier, bucket: number, at: number, force: boolean): boolean {
    const t = touched[tier].get(bucket);
    return force || !t || at - t.last >= quietMs || at - t.first >= maxRollupDelayMs;
  }

  /**
   * Puts the due minutes into the minute tier: summed ones merged in one transaction, the others
   * recomputed from raw (runs of adjacent minutes in one statement); their hours become dirty and their
   * journal entries are cleared.
   */
  async function rollUpMinutes(dueBefore: number, force: boolean): Promise<number> {
    const at = now();
    const due = [...minutes.entries()].filter(([bucket]) => bucket + minuteMs <= dueBefore && settled('1m', bucket, at, force)).sort((a, b) => a[0] - b[0]);
    if (!due.length) return 0;
    for (const [bucket] of due) {
      minutes.delete(bucket);
      touched['1m'].delete(bucket);
    }
    const snapshot = now();
    const t0 = performance.now();
    let recompute = due.filter(([, e]) => e.recompute !== null);
    try {
      const sums = due.filter(([, e]) => e.recompute === null && e.acc.size > 0).map(([, e]) => e.acc);
      if (sums.length && !(await engine.merge(BucketAccumulator.concat(sums), writer, snapshot))) {
        // Declared gone by another process (not seen for writerTimeoutMs), which recomputed what this
        // one had journaled: adding the sums now would count samples twice, so recompute instead.
        log?.warn({ writer }, 'this telemetry writer was declared gone by another process; recomputing its pending minutes');
        await rejoin();
        recompute = due;
      }
      const ids = (e: PendingMinute): number[] => [...new Set([...e.acc.seriesIds(), ...(e.recompute ?? [])])];
      for (let i = 0; i < recompute.length; ) {
        const from = recompute[i]![0];
        const run = new Set<number>();
        let to = from;
        while (i < recompute.length && recompute[i]![0] === to && to - from < 60 * minuteMs) {
          for (const id of ids(recompute[i]![1])) run.add(id);
          to += minuteMs;
          i++;
        }
        await engine.recompute('1m', [...run], from, to);
      }
      for (const [bucket, e] of due) for (const id of ids(e)) markHourDirty(bucketOf(bucket, hourMs), id, at);
      await engine.clearDirty(due.map(([bucket]) => ({ tier: '1m', bucket })), writer, snapshot);
    } catch (err) {
      // Nothing is lost: the minutes go back, to be recomputed from raw at the next tick.
      for (const [bucket, e] of due) {
        const entry = minuteEntry(bucket);
        entry.recompute ??= new Set();
        for (const id of e.acc.seriesIds()) entry.recompute.add(id);
        for (const id of e.recompute ?? []) entry.recompute.add(id);
      }
      throw err;
    }
    stats.rollupBuckets += due.length;
    stats.rollupMs += performance.now() - t0;
    return due.length;
  }

  /** Recomputes the due hours from their minutes (once no minute of theirs is pending) and clears their journal entries. */
  async function rollUpHours(dueBefore: number, force: boolean): Promise<number> {
    const at = now();
    const waiting = new Set([...minutes.keys()].map((m) => bucketOf(m, hourMs)));
    const due = [...dirtyHours.entries()].filter(([h]) => h + hourMs <= dueBefore && !waiting.has(h) && settled('1h', h, at, force)).sort((a, b) => a[0] - b[0]);
    if (!due.length) return 0;
    const snapshot = now();
    const t0 = performance.now();
    for (let i = 0; i < due.length; ) {
      const from = due[i]![0];
      const ids = new Set<number>();
      let to = from;
      while (i < due.length && due[i]![0] === to && to - from < 60 * hourMs) {
        const [hour, set] = due[i]!;
        dirtyHours.delete(hour);
        touched['1h'].delete(hour);
        for (const id of set) ids.add(id);
        to = hour + hourMs;
        i++;
      }
      await engine.recompute('1h', [...ids], from, to);
    }
    await engine.clearDirty(due.map(([hour]) => ({ tier: '1h', bucket: hour })), writer, snapshot);
    stats.rollupBuckets += due.length;
    stats.rollupMs += performance.now() - t0;
    return due.length;
  }

  async function flush(open: boolean, force = open): Promise<void> {
    await liveness();
    const settledBefore = open ? Number.MAX_SAFE_INTEGER : now() - graceMs;
    await rollUpMinutes(settledBefore, force);
    await rollUpHours(settledBefore, force);
  }

  /** Registers this writer again after it was declared gone, journaling the minutes it still holds. */
  async function rejoin(): Promise<void> {
    const at = now();
    await engine.heartbeat(writer, at, true);
    for (const e of minutes.values()) {
      e.recompute ??= new Set();
      for (const id of e.acc.seriesIds()) e.recompute.add(id);
    }
    const keys: DirtyKey[] = [...minutes.keys()].map((bucket) => ({ tier: '1m' as const, bucket }));
    for (const h of new Set([...[...minutes.keys()].map((m) => bucketOf(m, hourMs)), ...dirtyHours.keys()])) keys.push({ tier: '1h', bucket: h });
    if (keys.length) await engine.insert(allocateColumns(0), keys, writer, at);
  }

  /** Every 5 s: this writer's heartbeat; every 15 s: recompute what writers gone left pending. */
  async function liveness(): Promise<void> {
    const at = now();
    if (at - lastHeartbeat >= heartbeatMs) {
      lastHeartbeat = at;
      if (!(await engine.heartbeat(writer, at, false))) {
        log?.warn({ writer }, 'this telemetry writer was declared gone by another process; recomputing its pending minutes');
        await rejoin();
      }
    }
    if (at - lastSweep >= sweepMs) {
      lastSweep = at;
      await recoverGone();
    }
  }

  /**
   * Recomputes, for every series, the buckets journaled by writers that are gone (crashed, or not seen
   * for writerTimeoutMs): their sums in memory died with them, their raw samples did not.
   */
  async function recoverGone(): Promise<void> {
    const entries = await engine.sweep(now() - writerTimeoutMs);
    if (!entries.length) return;
    // Series the gone writer created that this process has not seen.
    await registry.load();
    const ids = registry.allIds();
    for (const tier of ['1m', '1h'] as const) {
      const buckets = [...new Set(entries.filter((e) => e.tier === tier).map((e) => e.bucket))].sort((a, b) => a - b);
      for (const [from, to] of ranges(buckets, tiers[tier])) if (ids.length) await engine.recompute(tier, ids, from, to);
    }
    const writers = new Set(entries.map((e) => e.writer));
    for (const w of writers) await engine.clearDirty(entries.filter((e) => e.writer === w), w, Number.MAX_SAFE_INTEGER);
    log?.info({ buckets: entries.length, series: ids.length, writers: [...writers] }, 'rolled up the buckets writers gone left pending');
  }

  function hasDueDirty(series: readonly SeriesInfo[], from: number, to: number): boolean {
    const settledBefore = now() - graceMs;
    for (const [bucket, e] of minutes) {
      if (bucket + minuteMs > settledBefore || bucket + minuteMs <= from || bucket >= to) continue;
      if (series.some((s) => e.acc.has(s.id) || e.recompute?.has(s.id))) return true;
    }
    for (const [bucket, ids] of dirtyHours) {
      if (bucket + hourMs > settledBefore || bucket + hourMs <= from || bucket >= to) continue;
      if (series.some((s) => ids.has(s.id))) return true;
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
      await engine.heartbeat(writer, now(), true);
      lastHeartbeat = now();
      lastSweep = now();
      await serial(recoverGone);
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
    async write(tenantId, samples) {
      if (closed) throw new YulianError('SERVICE_UNAVAILABLE', 'The telemetry store is closed.');
      converting++;
      let converted: Awaited<ReturnType<typeof toColumns>>;
      try {
        converted = await toColumns(tenantId, samples);
      } finally {
        converting--;
      }
      const { rows, rejected } = converted;
      if (rejected) {
        stats.samplesRejected += rejected;
        if (Date.now() - lastRejectLog > 10_000) {
          lastRejectLog = Date.now();
          log?.warn({ rejected, window: { from: new Date(oldestAcceptedTs).toISOString(), to: 'now + 1 day' } }, 'samples with a timestamp outside the accepted window refused');
        }
      }
      const result = { stored: rows.n, rejected };
      if (!rows.n) return result;
      return new Promise((resolve, reject) => {
        pending.push({ rows, result, resolve, reject });
        stats.pendingSamples += rows.n;
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
      while (pending.length || inFlight || converting) {
        if (pending.length || inFlight) await serial(async () => undefined);
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // Open minutes too: their sums live only in this process (the next writer adds to them).
      await serial(() => flush(true)).catch((err: unknown) => log?.warn({ err }, 'roll-up at close failed; another writer recomputes it once this one is gone'));
      await engine.unregister(writer).catch((err: unknown) => log?.warn({ err }, 'telemetry writer not unregistered; it counts as gone after writerTimeoutMs'));
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
