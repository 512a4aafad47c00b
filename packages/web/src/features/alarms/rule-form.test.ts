import { describe, expect, it } from 'vitest';
import type { AlarmCondition, AlarmRule } from './alarm-types';
import { conditionFormOf, conditionSummary, emptyCondition, emptyRuleForm, ruleBodyOf, ruleFormOf, type ConditionForm, type RuleForm } from './rule-form';

const formWith = (condition: Partial<ConditionForm>, rest: Partial<RuleForm> = {}): RuleForm => ({
  ...emptyRuleForm(),
  name: '主轴过热',
  ...rest,
  condition: { ...emptyCondition(), ...condition },
});

describe('the rule form', () => {
  it('turns a threshold form into the API body, with every device and no deadband when left empty', () => {
    expect(ruleBodyOf(formWith({ point: ' spindle_temp ', value: '80' }))).toEqual({
      ok: true,
      body: { name: '主轴过热', severity: 'major', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: 80 }, forSeconds: 0, device: null, profile: null, enabled: true },
    });
  });

  it('sends each kind with only its own fields', () => {
    const bodyOf = (c: Partial<ConditionForm>) => {
      const result = ruleBodyOf(formWith({ point: 'p', value: '1', deadband: '2', min: '3', max: '4', perSeconds: '5', seconds: '6', expression: 'p > 1', ...c }, { device: 'cnc-01', forSeconds: '30', severity: 'critical' }));
      return result.ok ? result.body : result.problems;
    };
    expect(bodyOf({ kind: 'threshold', op: '<=' })).toMatchObject({ device: 'cnc-01', forSeconds: 30, severity: 'critical', condition: { kind: 'threshold', point: 'p', op: '<=', value: 1, deadband: 2 } });
    expect(bodyOf({ kind: 'range', inside: true })).toMatchObject({ condition: { kind: 'range', point: 'p', min: 3, max: 4, inside: true, deadband: 2 } });
    expect(bodyOf({ kind: 'range' })).toMatchObject({ condition: { kind: 'range', point: 'p', min: 3, max: 4, deadband: 2 } });
    expect(bodyOf({ kind: 'rate' })).toMatchObject({ condition: { kind: 'rate', point: 'p', op: '>', value: 1, perSeconds: 5 } });
    expect(bodyOf({ kind: 'noData', point: '' })).toMatchObject({ condition: { kind: 'noData', seconds: 6 } });
    expect(bodyOf({ kind: 'expression' })).toMatchObject({ condition: { kind: 'expression', expression: 'p > 1' } });
    expect(bodyOf({ kind: 'anomaly', sensitivity: '0.3' })).toEqual(expect.objectContaining({ condition: { kind: 'anomaly', point: 'p', sensitivity: 0.3 } }));
    expect(bodyOf({ kind: 'anomaly', sensitivity: '' })).toEqual(expect.objectContaining({ condition: { kind: 'anomaly', point: 'p' } }));
    expect(bodyOf({ kind: 'anomaly', sensitivity: '2' })).toEqual({ 'condition.sensitivity': 'number' });
    expect(conditionFormOf({ kind: 'anomaly', point: 'vibration_rms', sensitivity: 0.3 })).toMatchObject({ kind: 'anomaly', point: 'vibration_rms', sensitivity: '0.3' });
    const range = bodyOf({ kind: 'range' }) as { condition: AlarmCondition };
    expect(range.condition).not.toHaveProperty('inside');
    const noData = bodyOf({ kind: 'noData', point: '' }) as { condition: AlarmCondition };
    expect(noData.condition).not.toHaveProperty('point');
  });

  it('names each refused field by the path the server uses', () => {
    expect(ruleBodyOf(formWith({ point: '', value: 'abc', deadband: '-1' }, { name: ' ', forSeconds: '1.5' }))).toEqual({
      ok: false,
      problems: { name: 'required', forSeconds: 'wholeSeconds', 'condition.point': 'required', 'condition.value': 'number', 'condition.deadband': 'nonNegative' },
    });
    expect(ruleBodyOf(formWith({ kind: 'range', point: 'p', min: '10', max: '5' }))).toEqual({ ok: false, problems: { 'condition.max': 'minAboveMax' } });
    expect(ruleBodyOf(formWith({ kind: 'noData', seconds: '0' }))).toEqual({ ok: false, problems: { 'condition.seconds': 'positive' } });
    expect(ruleBodyOf(formWith({ kind: 'expression', expression: '  ' }))).toEqual({ ok: false, problems: { 'condition.expression': 'required' } });
  });

  it('reads a stored rule back into the same form it was written from', () => {
    const conditions: AlarmCondition[] = [
      { kind: 'threshold', point: 'spindle_temp', op: '>', value: 80, deadband: 2 },
      { kind: 'range', point: 'pressure', min: 0.2, max: 0.8, inside: true },
      { kind: 'rate', point: 'spindle_temp', op: '>=', value: 5, perSeconds: 30 },
      { kind: 'noData', seconds: 120 },
      { kind: 'expression', expression: 'spindle_temp > 80 and spindle_load > 90' },
    ];
    for (const condition of conditions) {
      const rule: AlarmRule = { id: 'r1', tenantId: 't', name: 'x', severity: 'minor', condition, forSeconds: 10, device: 'cnc-01', profile: null, enabled: false, escalation: null, createdBy: null, createdAt: '', updatedAt: '' };
      expect(conditionFormOf(condition).kind).toBe(condition.kind);
      expect(ruleBodyOf(ruleFormOf(rule))).toEqual({ ok: true, body: { name: 'x', severity: 'minor', condition, forSeconds: 10, device: 'cnc-01', profile: null, enabled: false } });
    }
  });

  it('writes a rule of a device profile, and refuses one naming both a device and a profile', () => {
    const form = { ...emptyRuleForm(), name: '振动预警', profile: 'p-compressor', condition: conditionFormOf({ kind: 'anomaly', point: 'vibration_rms', sensitivity: 0.2 }) };
    expect(ruleBodyOf(form)).toMatchObject({ ok: true, body: { device: null, profile: 'p-compressor' } });
    expect(ruleBodyOf({ ...form, device: 'cnc-01' })).toEqual({ ok: false, problems: { profile: 'deviceOrProfile' } });
  });

  it('summarises a condition as a short formula', () => {
    expect(conditionSummary({ kind: 'threshold', point: 'spindle_temp', op: '>', value: 80, deadband: 2 })).toBe('spindle_temp > 80 (±2)');
    expect(conditionSummary({ kind: 'range', point: 'p', min: 1, max: 2 })).toBe('p ∉ [1, 2]');
    expect(conditionSummary({ kind: 'range', point: 'p', min: 1, max: 2, inside: true })).toBe('p ∈ [1, 2]');
    expect(conditionSummary({ kind: 'rate', point: 'p', op: '<', value: -3 })).toBe('Δp / 60 s < -3');
    expect(conditionSummary({ kind: 'noData', seconds: 30 })).toBe('* · 30 s');
    expect(conditionSummary({ kind: 'expression', expression: 'a > 1 or b' })).toBe('a > 1 or b');
  });

  it('reads an escalation: minutes and whom, none when the minutes are empty', () => {
    const base = { ...emptyRuleForm(), name: 'x', condition: { ...emptyCondition(), point: 'p', value: '1' } };
    const ok = ruleBodyOf({ ...base, escalateMinutes: '15', escalateRoles: 'engineer, enterprise-admin', escalateUsers: '' });
    expect(ok.ok && ok.body.escalation).toEqual({ afterMinutes: 15, roles: ['engineer', 'enterprise-admin'] });
    const none = ruleBodyOf(base);
    expect(none.ok && 'escalation' in none.body).toBe(false);
    expect(ruleBodyOf({ ...base, escalateMinutes: '15' })).toEqual({ ok: false, problems: { escalation: 'required' } });
    expect(ruleBodyOf({ ...base, escalateMinutes: '-1', escalateUsers: 'a' })).toEqual({ ok: false, problems: { 'escalation.afterMinutes': 'positive' } });
  });
});
