import { type TestPlatform, demoApi, startDemoPlatform, waitFor } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('alarm rules and alarms on the demo plant', () => {
  let platform: TestPlatform;
  let call: ReturnType<typeof demoApi>;

  beforeAll(async () => {
    platform = await startDemoPlatform('alarms');
    call = demoApi(platform);
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });


  it('refuses a rule with a broken expression, naming the position, and one an operator may not write', async () => {
    const bad = await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: '坏规则', severity: 'major', condition: { kind: 'expression', expression: 'spindle_temp > > 80' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'ALARM_RULE_INVALID', details: { field: 'condition.expression', position: 15, problem: 'UNEXPECTED_TOKEN' } });
    const numeric = await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: 'x', severity: 'major', condition: { kind: 'expression', expression: 'spindle_temp + 1' } });
    expect(numeric.json.error.message).toContain('not a condition');
    expect((await call('POST', '/api/v1/alarm-rules', 'demo-operator', { name: 'x', severity: 'major', condition: { kind: 'noData', seconds: 5 } })).status).toBe(403);
  });

  it('watches every device of a profile with a profile’s rule, and refuses an unknown profile or one together with a device', async () => {
    const profiles = (await call('GET', '/api/v1/profiles', 'demo-engineer')).json.items as Json[];
    const cnc = profiles.find((p) => p.name.startsWith('数控机床'));
    const compressors = profiles.find((p) => p.name.startsWith('空压机'));
    // The demo's early warning is a rule of the compressors' profile.
    expect((await call('GET', '/api/v1/alarm-rules', 'demo-operator')).json.items.find((r: Json) => r.condition.kind === 'anomaly')).toMatchObject({ profile: compressors.id, device: null, severity: 'warning' });
    const unknown = await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: 'x', severity: 'minor', condition: { kind: 'noData', seconds: 5 }, profile: 'no-such-profile' });
    expect(unknown.json.error).toMatchObject({ code: 'ALARM_RULE_INVALID', details: { field: 'profile' } });
    const both = await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: 'x', severity: 'minor', condition: { kind: 'noData', seconds: 5 }, profile: cnc.id, device: 'cnc-01' });
    expect(both.json.error).toMatchObject({ code: 'ALARM_RULE_INVALID', details: { field: 'profile' } });
    // Every machine has a vibration value above -1: the rule holds on every device it watches, the CNC machines only.
    const rule = (await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: '型号规则测试', severity: 'warning', condition: { kind: 'threshold', point: 'vibration_rms', op: '>', value: -1 }, profile: cnc.id })).json;
    expect(rule).toMatchObject({ profile: cnc.id, device: null });
    const devices = await waitFor('the rule’s alarms on the six CNC machines', async () => {
      const mine = ((await call('GET', '/api/v1/alarms?active=true', 'demo-operator')).json.items as Json[]).filter((a) => a.rule === rule.id).map((a) => a.device as string);
      return mine.length >= 6 ? mine.sort() : undefined;
    }, 30_000);
    expect(devices).toEqual(['cnc-01', 'cnc-02', 'cnc-03', 'cnc-04', 'cnc-05', 'cnc-06']);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(((await call('GET', '/api/v1/alarms?active=true', 'demo-operator')).json.items as Json[]).filter((a) => a.rule === rule.id && !a.device.startsWith('cnc-'))).toEqual([]);
    await call('DELETE', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer');
  });

  it('tries a rule against the device’s stored history before it is saved', async () => {
    // Let the plant store some seconds of cnc-01's values.
    await waitFor('stored values of cnc-01', async () => {
      const r = await call('GET', `/api/v1/devices/cnc-01/telemetry?point=spindle_temp&from=${Date.now() - 60_000}`, 'demo-engineer');
      return r.status === 200 && (r.json.series?.[0]?.points?.length ?? 0) >= 3 ? true : undefined;
    });
    const always = await call('POST', '/api/v1/alarm-rules/try', 'demo-engineer', { device: 'cnc-01', from: Date.now() - 600_000, rule: { name: 'try', severity: 'minor', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: -50 } } });
    expect(always.status).toBe(200);
    expect(always.json).toMatchObject({ raises: 1, activeAtEnd: true, intervalMs: null });
    expect(always.json.samples).toBeGreaterThanOrEqual(3);
    expect(always.json.transitions[0]).toMatchObject({ type: 'raise', reason: expect.stringMatching(/^spindle_temp /) });
    const never = await call('POST', '/api/v1/alarm-rules/try', 'demo-engineer', { device: 'cnc-01', rule: { name: 'try', severity: 'minor', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: 500 } } });
    expect(never.json).toMatchObject({ raises: 0, activeAtEnd: false });
    const broken = await call('POST', '/api/v1/alarm-rules/try', 'demo-engineer', { device: 'cnc-01', rule: { name: 'try', severity: 'minor', condition: { kind: 'expression', expression: 'max(spindle_temp' } } });
    expect(broken.json.error).toMatchObject({ code: 'ALARM_RULE_INVALID', details: { problem: 'UNCLOSED_PARENTHESIS' } });
    // Nothing was saved by trying.
    expect((await call('GET', '/api/v1/alarm-rules', 'demo-engineer')).json.items.some((r: Json) => r.name === 'try')).toBe(false);
  });

  it('raises an alarm from the plant’s live values once per device and rule, lets an operator acknowledge and comment, and clears it when the rule goes', async () => {
    // Every running CNC machine has a spindle temperature above -50 °C: the rule holds at once.
    const created = await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: '主轴温度监测', severity: 'warning', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: -50, deadband: 1 }, device: 'cnc-01' });
    expect(created.status).toBe(201);
    const rule = created.json;
    const alarm = await waitFor('the alarm of cnc-01', async () => {
      const list = await call('GET', '/api/v1/alarms?active=true', 'demo-operator');
      return (list.json.items as Json[]).find((a) => a.rule === rule.id);
    });
    expect(alarm).toMatchObject({ device: 'cnc-01', ruleName: '主轴温度监测', severity: 'warning', state: 'active_unack', active: true });
    expect(alarm.reason).toMatch(/^spindle_temp -?\d/);
    // Still one active alarm for it after more values arrived; no other device got one (the rule is on cnc-01).
    await new Promise((r) => setTimeout(r, 2_500));
    const all = (await call('GET', '/api/v1/alarms', 'demo-operator')).json.items.filter((a: Json) => a.rule === rule.id);
    expect(all).toHaveLength(1);
    expect(all[0].occurrences).toBe(1);

    const acked = await call('POST', `/api/v1/alarms/${alarm.id}/ack`, 'demo-operator');
    expect(acked.json).toMatchObject({ state: 'active_ack', ackedBy: 'demo-operator' });
    expect((await call('POST', `/api/v1/alarms/${alarm.id}/comments`, 'demo-operator', { text: '已通知设备工程师' })).status).toBe(201);
    expect((await call('PUT', `/api/v1/alarms/${alarm.id}/assignee`, 'demo-operator', { assignee: 'demo-engineer' })).json.assignee).toBe('demo-engineer');
    expect((await call('GET', `/api/v1/alarms/${alarm.id}/comments`, 'demo-engineer')).json.items.map((c: Json) => c.text)).toEqual(['已通知设备工程师']);
    expect((await call('POST', `/api/v1/alarms/${alarm.id}/ack`, 'demo2-admin')).json.error.code).toBe('ALARM_NOT_FOUND');

    // A changed rule decides afresh: its open alarm is cleared, and above any temperature nothing is raised again.
    const changed = await call('PUT', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer', { name: '主轴温度监测', severity: 'warning', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: 500 }, device: 'cnc-01' });
    expect(changed.status).toBe(200);
    const cleared = (await call('GET', `/api/v1/alarms/${alarm.id}`, 'demo-operator')).json;
    expect(cleared).toMatchObject({ state: 'cleared_ack', active: false });
    expect(cleared.reason).toContain('the rule was changed');
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await call('GET', '/api/v1/alarms', 'demo-operator')).json.items.filter((a: Json) => a.rule === rule.id)).toHaveLength(1);
    expect((await call('DELETE', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer')).status).toBe(200);
    expect((await call('GET', '/api/v1/alarm-rules', 'demo-engineer')).json.items.some((r: Json) => r.id === rule.id)).toBe(false);
  });
});
