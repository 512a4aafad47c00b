import { createRandom, gaussian } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import { type HistorySample, type RuleSpec, RuleSpecError, compileRule, createRuleEngine, tryRule } from './rule-engine.js';

const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
const s = (seconds: number): number => t0 + seconds * 1000;
const kinds = (ts: Array<{ type: string }>): string[] => ts.map((t) => t.type);

describe('alarm rules', () => {
  it('raises a threshold once and clears it only past the deadband, so a value hovering at the limit does not flap', () => {
    const engine = createRuleEngine([{ id: 'hot', name: '主轴过热', severity: 'major', condition: { kind: 'threshold', point: 'temperature', op: '>', value: 80, deadband: 2 } }]);
    const seen: string[] = [];
    for (const [i, v] of [79, 81, 80.5, 79.5, 81, 78.5, 77.9, 81].entries()) seen.push(...kinds(engine.onValues('cnc-01', s(i), { temperature: v })));
    // 81 raises; 80.5, 79.5, 81, 78.5 stay within the deadband; 77.9 clears; 81 raises again.
    expect(seen).toEqual(['raise', 'clear', 'raise']);
    const [raise] = engine.onValues('cnc-02', s(0), { temperature: 90 });
    expect(raise).toMatchObject({ type: 'raise', rule: 'hot', device: 'cnc-02', severity: 'major', value: 90, reason: 'temperature 90 > 80' });
    expect(engine.isActive('cnc-02', 'hot')).toBe(true);
    expect(engine.isActive('cnc-01', 'hot')).toBe(true);
  });

  it('waits for a duration: a condition must hold N seconds (a dip starts it over), and the clock raises it without a new value', () => {
    const engine = createRuleEngine([{ id: 'hot30', name: 'hot for 30 s', severity: 'minor', condition: { kind: 'threshold', point: 't', op: '>=', value: 80 }, forSeconds: 30 }]);
    expect(engine.onValues('d', s(0), { t: 85 })).toEqual([]);
    expect(engine.onValues('d', s(20), { t: 79 })).toEqual([]);
    expect(engine.onValues('d', s(25), { t: 85 })).toEqual([]);
    expect(engine.tick(s(50))).toEqual([]);
    const [raise] = engine.tick(s(55));
    expect(raise).toMatchObject({ type: 'raise', at: s(55), reason: 't >= 80 for 30 s' });
    expect(engine.tick(s(60))).toEqual([]);
    expect(kinds(engine.onValues('d', s(61), { t: 70 }))).toEqual(['clear']);
  });

  it('watches ranges, rates of change and silence', () => {
    const engine = createRuleEngine([
      { id: 'p', name: 'pressure out of range', severity: 'critical', condition: { kind: 'range', point: 'pressure', min: 0.6, max: 0.8, deadband: 0.02 } },
      { id: 'r', name: 'temperature rising fast', severity: 'warning', condition: { kind: 'rate', point: 't', op: '>', value: 5, perSeconds: 60 } },
      { id: 'n', name: 'silent', severity: 'major', condition: { kind: 'noData', seconds: 30 } },
    ]);
    expect(kinds(engine.onValues('c', s(0), { pressure: 0.7, t: 40 }))).toEqual([]);
    expect(engine.onValues('c', s(10), { pressure: 0.85 })).toMatchObject([{ type: 'raise', rule: 'p' }]);
    expect(engine.onValues('c', s(20), { pressure: 0.79 })).toEqual([]);
    expect(engine.onValues('c', s(21), { pressure: 0.77 })).toMatchObject([{ type: 'clear', rule: 'p' }]);
    // +4 in 30 s is 8 per minute.
    expect(engine.onValues('c', s(30), { t: 44 })).toMatchObject([{ type: 'raise', rule: 'r', reason: 't changes 8 per 60 s > 5' }]);
    expect(engine.onValues('c', s(90), { t: 44.5 })).toMatchObject([{ type: 'clear', rule: 'r' }]);
    expect(engine.tick(s(119))).toEqual([]);
    expect(engine.tick(s(120))).toMatchObject([{ type: 'raise', rule: 'n', severity: 'major' }]);
    expect(engine.onValues('c', s(125), { t: 44.5 })).toMatchObject([{ type: 'clear', rule: 'n' }]);
  });

  it('evaluates expressions across points, and an unknown value neither raises nor clears', () => {
    const engine = createRuleEngine([{ id: 'x', name: 'load and heat', severity: 'major', condition: { kind: 'expression', expression: 'spindle_load > 90 and temperature > 70' } }]);
    expect(engine.onValues('m', s(0), { spindle_load: 95 })).toEqual([]);
    expect(kinds(engine.onValues('m', s(1), { temperature: 75 }))).toEqual(['raise']);
    expect(engine.onValues('m', s(2), { temperature: Number.NaN })).toEqual([]);
    expect(engine.isActive('m', 'x')).toBe(true);
    expect(kinds(engine.onValues('m', s(3), { spindle_load: 50 }))).toEqual(['clear']);
  });

  it('refuses a bad rule naming the field, and an expression with its position', () => {
    const bad = (spec: Partial<RuleSpec> & Pick<RuleSpec, 'condition'>): RuleSpecError => {
      try {
        compileRule({ id: 'b', name: 'b', severity: 'major', ...spec });
      } catch (e) {
        if (e instanceof RuleSpecError) return e;
        throw e;
      }
      throw new Error('expected a refusal');
    };
    expect(bad({ condition: { kind: 'expression', expression: 'temperature > > 1' } })).toMatchObject({ field: 'condition.expression', position: 14 });
    expect(bad({ condition: { kind: 'expression', expression: 'temperature + 1' } })).toMatchObject({ field: 'condition.expression', message: expect.stringContaining('not a condition') });
    expect(bad({ condition: { kind: 'range', point: 'p', min: 2, max: 1 } }).field).toBe('condition.min');
    expect(bad({ condition: { kind: 'threshold', point: 'p', op: '>', value: Number.NaN } }).field).toBe('condition.value');
    expect(bad({ condition: { kind: 'noData', seconds: 0 } }).field).toBe('condition.seconds');
    expect(bad({ severity: 'urgent' as never, condition: { kind: 'noData', seconds: 5 } }).field).toBe('severity');
    expect(bad({ forSeconds: -1, condition: { kind: 'noData', seconds: 5 } }).field).toBe('forSeconds');
  });

  it('carries an open alarm into a rebuilt engine: the next value clears it instead of raising it again', () => {
    const rule: RuleSpec = { id: 'hot', name: 'hot', severity: 'major', condition: { kind: 'threshold', point: 't', op: '>', value: 80 } };
    const rebuilt = createRuleEngine([rule]);
    rebuilt.restoreActive('d', 'hot', s(0));
    expect(rebuilt.onValues('d', s(1), { t: 85 })).toEqual([]);
    expect(kinds(rebuilt.onValues('d', s(2), { t: 70 }))).toEqual(['clear']);
    rebuilt.restoreActive('d', 'no-such-rule', s(3));
    expect(rebuilt.isActive('d', 'no-such-rule')).toBe(false);
    // A raise the store refused (older than its last clear) is forgotten: the next value that holds raises again.
    expect(kinds(rebuilt.onValues('d', s(4), { t: 85 }))).toEqual(['raise']);
    rebuilt.forgetActive('d', 'hot');
    expect(rebuilt.isActive('d', 'hot')).toBe(false);
    expect(kinds(rebuilt.onValues('d', s(5), { t: 86 }))).toEqual(['raise']);
  });

  it('carries what unchanged rules learned into a rebuilt engine: a learned detector warns at once, a changed rule learns afresh', () => {
    const early: RuleSpec = { id: 'early', name: '振动异常', severity: 'warning', condition: { kind: 'anomaly', point: 'vibration', sensitivity: 0.2 } };
    const rate: RuleSpec = { id: 'rising', name: 'rising', severity: 'minor', condition: { kind: 'rate', point: 't', op: '>', value: 10 } };
    const old = createRuleEngine([early, rate]);
    const rnd = createRandom(11);
    for (let i = 0; i < 300; i++) expect(old.onValues('pump', s(i), { vibration: 2.5 + gaussian(rnd, 0.05), t: 20 })).toEqual([]);
    // An unrelated rule is added: the engine is rebuilt with the old one's state.
    const rebuilt = createRuleEngine([early, rate, { id: 'other', name: 'other', severity: 'minor', condition: { kind: 'threshold', point: 'p', op: '>', value: 1 } }]);
    rebuilt.importState(old.exportState());
    // No new warm-up: the first anomalous value warns; the rate rule remembers the last value (20 → 40 in 1 s).
    const [warn, rising] = rebuilt.onValues('pump', s(300), { vibration: 4.2, t: 40 });
    expect(warn).toMatchObject({ type: 'raise', rule: 'early' });
    expect(rising).toMatchObject({ type: 'raise', rule: 'rising' });

    // A changed rule (another sensitivity) and a rule left out of the export learn afresh.
    const again = createRuleEngine([{ ...early, condition: { ...early.condition, sensitivity: 0.3 } } as RuleSpec, rate]);
    again.importState(rebuilt.exportState(['early']));
    expect(again.onValues('pump', s(301), { vibration: 9, t: 1000 })).toEqual([]);
    // A fresh engine, for comparison, is warming up: the same value raises nothing.
    expect(createRuleEngine([early]).onValues('pump', s(0), { vibration: 9 })).toEqual([]);
  });

  it('warns early when a point leaves what its device normally does (anomaly), and clears after a quiet spell', () => {
    const engine = createRuleEngine([{ id: 'a', name: '振动异常 early warning', severity: 'warning', condition: { kind: 'anomaly', point: 'vibration', sensitivity: 0.2, clearAfterSeconds: 120 } }]);
    const rnd = createRandom(7);
    const seen: Array<{ type: string; at: number }> = [];
    // Ten minutes of normal vibration once a second (the detector learns it; no alarm while it does)…
    for (let i = 0; i < 600; i++) seen.push(...engine.onValues('pump', s(i), { vibration: 2.5 + gaussian(rnd, 0.05) }));
    expect(seen).toEqual([]);
    // …then a jump the plant never showed: an early warning, with the score in its reason.
    const [warn] = engine.onValues('pump', s(600), { vibration: 4.2 });
    expect(warn).toMatchObject({ type: 'raise', severity: 'warning', reason: expect.stringMatching(/^vibration 4\.2 anomalous for this device \(score /) });
    for (let i = 601; i < 700; i++) seen.push(...engine.onValues('pump', s(i), { vibration: 2.5 + gaussian(rnd, 0.05) }));
    expect(seen).toEqual([]);
    // Two quiet minutes after the last anomalous value: cleared.
    const cleared: Array<{ type: string }> = [];
    for (let i = 700; i < 760; i++) cleared.push(...engine.onValues('pump', s(i), { vibration: 2.5 + gaussian(rnd, 0.05) }));
    expect(kinds(cleared)).toEqual(['clear']);
    expect(() => compileRule({ id: 'b', name: 'b', severity: 'warning', condition: { kind: 'anomaly', point: 'p', sensitivity: 2 } })).toThrow(RuleSpecError);
  });

  it('replays history: how often a rule would have fired', () => {
    // A week of hourly temperatures with seven excursions above 80 lasting two hours each.
    const history: HistorySample[] = [];
    for (let h = 0; h < 24 * 7; h++) history.push({ at: t0 + h * 3_600_000, values: { temperature: h % 24 === 14 || h % 24 === 15 ? 85 : 60 } });
    const rule: RuleSpec = { id: 'hot', name: 'hot', severity: 'major', condition: { kind: 'threshold', point: 'temperature', op: '>', value: 80 } };
    expect(tryRule(rule, history, { tickMs: 3_600_000 }).raises).toBe(7);
    // Holding for 90 minutes: still seven; for three hours: never.
    expect(tryRule({ ...rule, forSeconds: 5_400 }, history, { tickMs: 600_000 }).raises).toBe(7);
    expect(tryRule({ ...rule, forSeconds: 10_800 }, history, { tickMs: 600_000 }).raises).toBe(0);
  });
});
