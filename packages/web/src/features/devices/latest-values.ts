import type { LatestValueDto } from '@yulian/contracts';

/**
 * The newest value of each point: the polled snapshot, overtaken by any newer value the live socket
 * pushed (which carries no reason: a pushed sample replaces the snapshot's reason only when newer).
 */
export function mergeLatest(polled: readonly LatestValueDto[], pushed: ReadonlyMap<string, { ts: number; value: unknown; quality: string; receivedTs: number }> | undefined): LatestValueDto[] {
  const byPoint = new Map(polled.map((v) => [v.point, v]));
  for (const [point, s] of pushed ?? []) {
    const known = byPoint.get(point);
    if (known && known.ts >= s.ts) continue;
    const value = typeof s.value === 'boolean' ? (s.value ? 1 : 0) : (s.value as LatestValueDto['value']);
    byPoint.set(point, { point, ts: s.ts, receivedTs: s.receivedTs, value, quality: s.quality, reason: null });
  }
  // The snapshot's order first; points only pushed so far follow.
  return [...byPoint.values()];
}
