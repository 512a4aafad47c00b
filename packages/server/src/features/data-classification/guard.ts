/**
 * What the telemetry and device routes do with level-3 points: leave them out for callers without
 * `data:level3` (and answer DATA_LEVEL_DENIED when such a caller names one), open the sealed values for
 * callers with it, log both in the access log, and refuse direct CSV exports of level-2/3 data.
 */
import { type Caller, type Scope, YulianError, scopeOf } from '@yulian/core';
import type { LatestValue, SeriesResult, TelemetryQuery, TelemetryStore } from '@yulian/devices';
import type { DataClassificationService, OpenedSample } from '@yulian/security';

/** Sealed samples read per series at most (then bucketed down to maxPoints). */
const maxSealedRows = 1_000_000;

/** Names the level-3 points among `points` (all of the device's when none are named). */
const level3Of = (dc: DataClassificationService, device: string, points: readonly string[]): string[] => points.filter((p) => dc.isLevel3(device, p));

/**
 * Refuses a caller without data:level3 who names level-3 points (logged as denied).
 * @throws DATA_LEVEL_DENIED
 */
export async function refuseLevel3(dc: DataClassificationService, caller: Caller, device: string, named: readonly string[] | undefined, tenantId?: string | null): Promise<void> {
  if (!named?.length || dc.canReadLevel3(caller)) return;
  const denied = level3Of(dc, device, named);
  if (!denied.length) return;
  await dc.access.record({ tenantId: tenantId ?? caller.tenantId, dataset: `telemetry:${device}`, actor: caller.username, role: caller.role, action: 'denied', outcome: 'failure', rows: 0, level: 3, details: { points: denied } });
  throw new YulianError('DATA_LEVEL_DENIED', `Point${denied.length > 1 ? 's' : ''} ${denied.join(', ')} of ${device} ${denied.length > 1 ? 'are' : 'is'} classified level 3 (三级); your role ${caller.role} may not read level-3 data.`, { details: { points: denied } });
}

const asLatest = (s: OpenedSample): LatestValue => ({ point: s.point, ts: s.ts, receivedTs: s.receivedTs, value: s.value, quality: s.quality, reason: s.reason });

/** The latest values a caller sees: level-3 points opened for callers with data:level3 (logged), left out otherwise. */
export async function latestFor(dc: DataClassificationService | undefined, caller: Caller, device: string, items: LatestValue[]): Promise<LatestValue[]> {
  if (!dc?.hasLevel3() || !dc.canReadLevel3(caller)) return items;
  const points = (await dc.sealed.points(device)).filter((p) => dc.isLevel3(device, p));
  if (!points.length) return items;
  const opened = (await dc.sealed.latest(device, points)).map(asLatest);
  await dc.access.record({ tenantId: caller.tenantId, dataset: `telemetry:${device}`, actor: caller.username, role: caller.role, action: 'read', rows: opened.length, level: 3, details: { points } });
  return [...items, ...opened].sort((a, b) => a.point.localeCompare(b.point));
}

/** Sealed samples as one series: raw when they fit in maxPoints, else buckets (avg, min, max, count). */
function sealedSeries(point: string, rows: OpenedSample[], from: number, to: number, maxPoints: number): SeriesResult {
  if (rows.length <= maxPoints) return { point, tier: 'raw', intervalMs: null, points: rows.map((r) => ({ ts: r.ts, value: r.value, quality: r.quality })) };
  const width = Math.ceil((to - from) / maxPoints);
  const buckets = new Map<number, { sum: number; min: number; max: number; count: number }>();
  for (const r of rows) {
    if (typeof r.value !== 'number' || r.quality === 'bad') continue;
    const b = from + Math.floor((r.ts - from) / width) * width;
    const acc = buckets.get(b) ?? { sum: 0, min: Infinity, max: -Infinity, count: 0 };
    acc.sum += r.value;
    acc.min = Math.min(acc.min, r.value);
    acc.max = Math.max(acc.max, r.value);
    acc.count++;
    buckets.set(b, acc);
  }
  return { point, tier: 'raw', intervalMs: width, points: [...buckets].sort((a, b) => a[0] - b[0]).map(([ts, a]) => ({ ts, value: a.sum / a.count, min: a.min, max: a.max, count: a.count })) };
}

/**
 * A telemetry query with classification: level-3 points named by a caller without data:level3 are
 * refused; otherwise they are left out, or (with data:level3) answered from the sealed values.
 */
export async function queryFor(telemetry: TelemetryStore, dc: DataClassificationService | undefined, caller: Caller, q: TelemetryQuery): Promise<SeriesResult[]> {
  const scope: Scope = scopeOf(caller);
  if (!dc?.hasLevel3()) return telemetry.query(scope, q);
  await refuseLevel3(dc, caller, q.device, q.points);
  const named = q.points?.length ? q.points : undefined;
  const plainPoints = named?.filter((p) => !dc.isLevel3(q.device, p));
  const plain = !named || plainPoints!.length ? await telemetry.query(scope, { ...q, ...(plainPoints ? { points: plainPoints } : {}) }) : [];
  if (!dc.canReadLevel3(caller)) return plain;
  const sealedPoints = named ? level3Of(dc, q.device, named) : (await dc.sealed.points(q.device)).filter((p) => dc.isLevel3(q.device, p));
  if (!sealedPoints.length) return plain;
  // Only level-3 points named: the numeric store did not check the device is in the caller's scope.
  if (named && !plainPoints!.length) await dc.tenantOf(scope, q.device);
  const out = [...plain];
  let rows = 0;
  for (const point of sealedPoints) {
    const opened = await dc.sealed.range(q.device, point, q.from, q.to, maxSealedRows);
    rows += opened.length;
    out.push(sealedSeries(point, opened, q.from, q.to, q.maxPoints ?? 1000));
  }
  await dc.access.record({ tenantId: caller.tenantId, dataset: `telemetry:${q.device}`, actor: caller.username, role: caller.role, action: 'read', rows, level: 3, details: { points: sealedPoints } });
  return named ? named.map((p) => out.find((s) => s.point === p)).filter((s): s is SeriesResult => s !== undefined) : out.sort((a, b) => a.point.localeCompare(b.point));
}

/**
 * Checks a direct CSV export: level-3 points named by a caller without data:level3 are refused, and
 * level-2/3 data needs an approved export request. Answers the class, for the access log.
 * @throws DATA_LEVEL_DENIED, EXPORT_APPROVAL_REQUIRED
 */
export async function checkDirectExport(dc: DataClassificationService, caller: Caller, device: string, points: readonly string[] | undefined): Promise<{ dataset: string; tenantId: string | null; level: number }> {
  const scope = scopeOf(caller);
  const c = await dc.exportClass(scope, device, points);
  await refuseLevel3(dc, caller, device, points ?? c.level3, c.tenantId);
  if (c.level >= 2) {
    await dc.access.record({ tenantId: c.tenantId, dataset: c.dataset, actor: caller.username, role: caller.role, action: 'denied', outcome: 'failure', rows: 0, level: c.level, details: { reason: 'approval required', points: points ?? null } });
    throw new YulianError('EXPORT_APPROVAL_REQUIRED', `${c.dataset} is level ${c.level} (${c.category}); exporting it needs an approved request: POST /api/v1/data-classification/exports with a purpose, then an approver other than you approves it.`, { details: { dataset: c.dataset, level: c.level, category: c.category } });
  }
  return c;
}

/** Passes CSV chunks through, counting data lines (the header excluded), and calls `done` at the end. */
export async function* counted(chunks: AsyncIterable<string>, done: (rows: number) => Promise<void>): AsyncGenerator<string> {
  let lines = 0;
  for await (const chunk of chunks) {
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
    yield chunk;
  }
  await done(Math.max(0, lines - 1));
}
