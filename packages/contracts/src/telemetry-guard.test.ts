import { describe, expect, it } from 'vitest';
import { isTelemetryBatch, payloadGuards, telemetryBatchSchema } from './points.js';

/** A deterministic pseudo-random source, so a failure names a case that can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const sample = (i: number): Record<string, unknown> => ({ device: `dev-${i}`, point: `p${i}`, ts: 1_700_000_000_000 + i, receivedTs: 1_700_000_000_100 + i, value: i * 0.5, quality: 'good' });

/** Values a field may be given, valid or not for one field or another. */
const odd: unknown[] = [
  undefined, null, true, false, 0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, '', 'x', 'good', 'bad',
  'uncertain', 'GOOD', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), [], {}, [1], { a: 1 },
];

function mutate(batch: Record<string, unknown>, r: () => number): void {
  const samples = (Array.isArray(batch['samples']) ? batch['samples'] : []) as Array<Record<string, unknown>>;
  const pickOdd = (): unknown => odd[Math.floor(r() * odd.length)];
  const k = r();
  if (k < 0.15) {
    const key = ['tenantId', 'gateway', 'seq', 'samples', 'extra'][Math.floor(r() * 5)]!;
    if (r() < 0.2) delete batch[key];
    else batch[key] = pickOdd();
  } else if (k < 0.25 && samples.length) {
    samples[Math.floor(r() * samples.length)] = pickOdd() as Record<string, unknown>;
  } else if (samples.length) {
    const s = samples[Math.floor(r() * samples.length)]!;
    if (typeof s !== 'object' || s === null) return;
    const key = ['device', 'point', 'ts', 'receivedTs', 'value', 'quality', 'reason', 'extra'][Math.floor(r() * 8)]!;
    if (r() < 0.2) delete s[key];
    else s[key] = pickOdd();
  }
}

describe('telemetry batch guard (the hot path’s check without a copy)', () => {
  it('accepts and refuses exactly what telemetryBatchSchema does, over 20,000 mutated batches', () => {
    const r = rng(42);
    let accepted = 0;
    let refused = 0;
    for (let n = 0; n < 20_000; n++) {
      const batch: Record<string, unknown> = { tenantId: r() < 0.5 ? null : 't1', gateway: 'gw', seq: n, samples: Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => sample(i)) };
      if (r() < 0.3) (batch['samples'] as Array<Record<string, unknown>>)[0]!['reason'] = 'MODBUS_TIMEOUT';
      const mutations = Math.floor(r() * 3);
      for (let m = 0; m < mutations; m++) mutate(batch, r);
      const expected = telemetryBatchSchema.safeParse(batch).success;
      expect({ n, batch, ok: isTelemetryBatch(batch) }).toEqual({ n, batch, ok: expected });
      if (expected) accepted++;
      else refused++;
    }
    // Both outcomes are exercised in quantity, or the comparison proves little.
    expect(accepted).toBeGreaterThan(3_000);
    expect(refused).toBeGreaterThan(3_000);
  });

  it('is the guard the bus uses for the telemetry schema', () => {
    expect(payloadGuards.get(telemetryBatchSchema)).toBe(isTelemetryBatch);
  });
});
