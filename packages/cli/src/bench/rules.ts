// `yulian bench rules`: 1,000 alarm rules over 100,000 point values a second — throughput of the rule
// engine (issue 6) against an inline threshold loop over the same values, and the latency from a value's
// arrival to its alarm event when the values arrive at 100,000/s in real time.
import { type RuleEngine, type RuleSpec, createRuleEngine } from '@yulian/analytics';
import type { BenchResult } from './types.js';

/** The bench's plant: devices × points, and the rules per point. */
export const rulesLoad = { devices: 200, points: 50, rulesPerPoint: 20, valuesPerSecond: 100_000, batchMs: 10, durationMs: 5_000, warmupBatches: 50 };

/**
 * 1,000 rules: for each of the 50 points, 20 rules of the kinds an engineer writes — thresholds with a
 * deadband (most), ranges, rates of change, expressions across two points, a duration on some.
 */
export function benchRules(points: number, perPoint: number): RuleSpec[] {
  const rules: RuleSpec[] = [];
  for (let p = 0; p < points; p++) {
    for (let k = 0; k < perPoint; k++) {
      const id = `p${p}-r${k}`;
      const point = `p${p}`;
      const limit = 90 + (k % 10);
      const kind = k % 10;
      const forSeconds = k % 4 === 0 ? 5 : 0;
      if (kind < 6) rules.push({ id, name: id, severity: 'major', condition: { kind: 'threshold', point, op: '>', value: limit, deadband: 1 }, forSeconds });
      else if (kind < 8) rules.push({ id, name: id, severity: 'minor', condition: { kind: 'range', point, min: 5 + k, max: limit, deadband: 0.5 } });
      else if (kind < 9) rules.push({ id, name: id, severity: 'warning', condition: { kind: 'rate', point, op: '>', value: 500, perSeconds: 60 } });
      else rules.push({ id, name: id, severity: 'critical', condition: { kind: 'expression', expression: `${point} > ${limit} and p${(p + 1) % points} > 50` } });
    }
  }
  return rules;
}

/** A deterministic stream: device d's point p at step i wanders around 50 with rare excursions above 90. */
function valueAt(d: number, p: number, i: number): number {
  const x = Math.sin((i + d * 7 + p * 13) / 50) * 30 + 50;
  return (i + d + p) % 997 === 0 ? 99 : x;
}

/** The baseline: for each value, the thresholds on its point compared inline (no state, no events). */
function inlineLoop(limits: Float64Array[], batches: Array<Array<[number, number, number]>>): number {
  let over = 0;
  for (const batch of batches) {
    for (const [, p, v] of batch) {
      const ls = limits[p]!;
      for (let k = 0; k < ls.length; k++) if (v > ls[k]!) over++;
    }
  }
  return over;
}

/** Values in batches as they would arrive: each batch `batchMs` of the stream, every device reporting in turn. */
function makeBatches(o: typeof rulesLoad, count: number): Array<Array<[number, number, number]>> {
  const perBatch = Math.round((o.valuesPerSecond * o.batchMs) / 1000);
  const batches: Array<Array<[number, number, number]>> = [];
  let n = 0;
  for (let b = 0; b < count; b++) {
    const batch: Array<[number, number, number]> = [];
    for (let k = 0; k < perBatch; k++, n++) {
      const d = n % o.devices;
      const p = Math.floor(n / o.devices) % o.points;
      batch.push([d, p, valueAt(d, p, Math.floor(n / (o.devices * o.points)))]);
    }
    batches.push(batch);
  }
  return batches;
}

/** Feeds a batch to the engine, one device's values at a time; answers the transitions. */
function feed(engine: RuleEngine, names: string[], devices: string[], batch: Array<[number, number, number]>, at: number): number {
  let transitions = 0;
  for (const [d, p, v] of batch) transitions += engine.onValue(devices[d]!, at, names[p]!, v).length;
  return transitions;
}

/**
 * Throughput at full speed (engine against the inline loop, same batches), then a paced run at 100,000
 * values/s in real time for the latency from a batch's due time to the end of its evaluation (the alarm
 * events of its values are out by then).
 */
export async function benchRulesEngine(options: { rows?: number; load?: Partial<typeof rulesLoad> } = {}): Promise<BenchResult[]> {
  const o = { ...rulesLoad, ...options.load };
  const rules = benchRules(o.points, o.rulesPerPoint);
  const names = Array.from({ length: o.points }, (_, p) => `p${p}`);
  const devices = Array.from({ length: o.devices }, (_, d) => `dev-${d}`);
  const batchCount = Math.round(o.durationMs / o.batchMs);
  const batches = makeBatches(o, batchCount);
  const values = batches.reduce((a, b) => a + b.length, 0);
  const limits = names.map((_, p) => Float64Array.from(rules.filter((r) => r.condition.kind === 'threshold' && r.condition.point === `p${p}`).map((r) => (r.condition as { value: number }).value)));

  // Full speed, alternating baseline and engine twice.
  const engineRates: number[] = [];
  const inlineRates: number[] = [];
  let transitions = 0;
  for (let round = 0; round < 2; round++) {
    let t = performance.now();
    const over = inlineLoop(limits, batches);
    inlineRates.push(values / ((performance.now() - t) / 1000));
    if (over === 0) throw new Error('the inline loop found no value over a threshold: the stream has no excursions');
    const engine = createRuleEngine(rules);
    t = performance.now();
    transitions = 0;
    batches.forEach((b, i) => {
      transitions += feed(engine, names, devices, b, i * o.batchMs);
      if (i % 10 === 0) transitions += engine.tick(i * o.batchMs).length;
    });
    engineRates.push(values / ((performance.now() - t) / 1000));
  }
  if (transitions === 0) throw new Error('the engine raised no alarm: the bench checks nothing');

  // Paced: batches due every batchMs in real time; latency = end of a batch's evaluation − its due time.
  const engine = createRuleEngine(rules);
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < batchCount; i++) {
    const due = start + i * o.batchMs;
    while (performance.now() < due) await new Promise((r) => setImmediate(r));
    feed(engine, names, devices, batches[i]!, Date.now());
    if (i % 10 === 0) engine.tick(Date.now());
    if (i >= o.warmupBatches) latencies.push(performance.now() - due);
  }
  const pacedSeconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const engineRate = mean(engineRates);
  const inlineRate = mean(inlineRates);
  return [
    {
      name: 'rules',
      description:
        `${rules.length.toLocaleString('en')} rules (thresholds with deadband, ranges, rates of change, expressions across points; a quarter with a 5 s duration) on ${o.devices} devices × ${o.points} points; ` +
        `${values.toLocaleString('en')} values in ${o.batchMs} ms batches, one value per call as the ingest path delivers them; ${transitions} raise/clear transitions checked non-zero. ` +
        `Paced at ${o.valuesPerSecond.toLocaleString('en')} values/s for ${pacedSeconds.toFixed(1)} s: latency from a batch's due time to its events p50 ${p(0.5).toFixed(2)} ms, p99 ${p(0.99).toFixed(2)} ms (target < 100 ms: ${p(0.99) < 100 ? 'met' : 'NOT met'})`,
      measured: { label: `rule engine (state per device and rule, events), rounds ${engineRates.map((r) => Math.round(r).toLocaleString('en')).join(' / ')}`, rate: engineRate, unit: 'values/s', seconds: values / engineRate },
      baseline: { label: `inline threshold loop (the ${limits.reduce((a, l) => a + l.length, 0)} thresholds compared, no state), rounds ${inlineRates.map((r) => Math.round(r).toLocaleString('en')).join(' / ')}`, rate: inlineRate, unit: 'values/s', seconds: values / inlineRate },
      ratio: engineRate / inlineRate,
    },
  ];
}
