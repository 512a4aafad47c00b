import type { ModbusObservation, Observation, SecurityEvent } from '@yulian/contracts';
import { describe, expect, it } from 'vitest';
import { createBaseline } from '../baseline/baseline.js';
import { builtinRules } from './builtin.js';
import { type Commander, createDetectionEngine } from './engine.js';
import { parseRules } from './parser.js';

const t0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const gateway = '10.0.0.2';
const attacker = '10.0.0.66';
const plcs = ['10.0.1.1', '10.0.1.2', '10.0.1.3'];
const names: Record<number, string> = { 1: 'READ_COILS', 3: 'READ_HOLDING_REGISTERS', 5: 'WRITE_SINGLE_COIL', 6: 'WRITE_SINGLE_REGISTER', 8: 'DIAGNOSTICS', 16: 'WRITE_MULTIPLE_REGISTERS', 17: 'REPORT_SLAVE_ID', 43: 'ENCAP_INTERFACE_TRANSPORT' };
const writes = new Set([5, 6, 15, 16, 22, 23]);

/** A Modbus transaction seen by the guard. */
const modbus = (o: Partial<ModbusObservation> & { ts: number; from?: string; to?: string; fc?: number }): ModbusObservation => {
  const fc = o.fc ?? o.functionCode ?? 3;
  const to = o.to ?? plcs[0]!;
  return {
    kind: 'modbus',
    tenantId: 'tenant-a',
    via: 'guard',
    source: { ip: o.from ?? gateway, port: 40_000 },
    target: { ip: to, port: 502 },
    deviceId: `plc-${to.split('.').at(-1)}`,
    tid: 1,
    unit: 1,
    func: names[fc] ?? `FC_${fc}`,
    address: 0,
    quantity: 10,
    matched: true,
    write: writes.has(fc),
    ...o,
    functionCode: fc,
  };
};

function harness(options: { commanders?: Commander[]; baseline?: ReturnType<typeof createBaseline>; maxGroupsPerRule?: number } = {}) {
  const events: SecurityEvent[] = [];
  let n = 0;
  const engine = createDetectionEngine({ rules: builtinRules(), commanders: options.commanders ?? [{ ip: gateway }], baseline: options.baseline, maxGroupsPerRule: options.maxGroupsPerRule, onEvent: (e) => events.push(e), newId: () => `ev-${++n}` });
  const feed = (list: Observation[]) => {
    for (const o of list) engine.observe(o);
  };
  const rulesRaised = () => [...new Set(events.map((e) => e.ruleId))].sort();
  return { engine, events, feed, rulesRaised };
}

/** Ten minutes of demo traffic: the gateway reads FC 3 from 3 PLCs every second, with a handful of operator writes. */
function demoTraffic(start: number, minutes = 10): Observation[] {
  const out: Observation[] = plcs.map((ip, i) => ({ kind: 'connection', ts: start + i, tenantId: 'tenant-a', source: { ip: gateway, port: 40_000 + i }, target: { ip, port: 502 }, protocol: 'modbus', accepted: true }));
  for (let s = 0; s < minutes * 60; s++) {
    for (const [i, ip] of plcs.entries()) out.push(modbus({ ts: start + s * 1000 + 10 + i, to: ip, fc: 3, address: 0, quantity: 20 }));
    if (s % 97 === 50) out.push(modbus({ ts: start + s * 1000 + 500, to: plcs[s % 3]!, fc: 6, address: 5, quantity: 1, requestValues: [1200], pointRange: { min: 0, max: 3000 } }));
  }
  out.push({ kind: 'platform', ts: start + 1_000, tenantId: 'tenant-a', action: 'auth.login', outcome: 'success', actor: 'operator', ip: '10.0.0.9' });
  out.push({ kind: 'platform', ts: start + 2_000, tenantId: 'tenant-a', action: 'auth.login', outcome: 'failure', actor: 'operator', ip: '10.0.0.9' });
  return out;
}

describe('detection engine: normal traffic', () => {
  it('raises nothing over ten simulated minutes of gateway polling and allowed writes', () => {
    const h = harness();
    const traffic = demoTraffic(t0);
    h.feed(traffic);
    expect(h.events).toEqual([]);
    const stats = h.engine.stats();
    expect(stats.observations).toBe(traffic.length);
    expect(stats.fired[100100]).toBe(1800 + 6); // every request reached the silent parent: the rules did run
  });

  it('raises nothing either when the baseline learned that traffic and now enforces it', () => {
    const baseline = createBaseline();
    baseline.setMode('tenant-a', 'learning', t0);
    const h = harness({ commanders: [], baseline });
    h.feed(demoTraffic(t0));
    baseline.setMode('tenant-a', 'enforcing', t0 + 600_000);
    h.feed(demoTraffic(t0 + 600_000));
    expect(h.events).toEqual([]);
  });
});

describe('detection engine: ATT&CK for ICS techniques', () => {
  it('T0855: a write from a source that may not command raises a level-12 event, repeats escalate and ask for a block', () => {
    const h = harness();
    h.feed([modbus({ ts: t0, from: attacker, fc: 6, address: 5, quantity: 1, requestValues: [1] })]);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toMatchObject({
      id: 'ev-1',
      ruleId: 100201,
      level: 12,
      techniques: ['T0855'],
      tactic: 'Impair Process Control',
      tenantId: 'tenant-a',
      source: { ip: attacker, port: 40_000 },
      target: { ip: plcs[0], port: 502, deviceId: 'plc-1' },
      count: 1,
      status: 'new',
      response: null,
      details: { annotations: { commander: 'denied' }, observation: { functionCode: 6, requestValues: [1] } },
    });
    h.feed([1, 2, 3, 4].map((i) => modbus({ ts: t0 + i * 1000, from: attacker, fc: 6, address: 5, quantity: 1, requestValues: [i] })));
    const escalation = h.events.find((e) => e.ruleId === 100205)!;
    expect(escalation).toMatchObject({ level: 13, count: 5, response: { action: 'block-source', seconds: 600 }, groupKey: `100205:${attacker}` });
    expect(h.events.filter((e) => e.ruleId === 100201)).toHaveLength(1); // ignore: 60 s
    expect(h.engine.stats().suppressed).toBe(4);
  });

  it('T0855: OPC UA writes and Sparkplug commands from unknown clients', () => {
    const h = harness({ commanders: [{ ip: gateway }, { clientId: 'yulian-gw' }] });
    h.feed([
      { kind: 'opcua', ts: t0, tenantId: 'tenant-a', source: { ip: attacker }, endpoint: 'opc.tcp://paint:4840', service: 'write', nodeId: 'ns=2;s=Oven.Setpoint', value: 180 },
      { kind: 'opcua', ts: t0 + 1, tenantId: 'tenant-a', source: { ip: gateway }, endpoint: 'opc.tcp://paint:4840', service: 'write', nodeId: 'ns=2;s=Oven.Setpoint', value: 180 },
      { kind: 'sparkplug', ts: t0 + 2, tenantId: 'tenant-a', source: { clientId: 'laptop-7' }, topic: 'spBv1.0/plant/DCMD/edge-1/pump-2', messageType: 'DCMD' },
      { kind: 'sparkplug', ts: t0 + 3, tenantId: 'tenant-a', source: { clientId: 'yulian-gw' }, topic: 'spBv1.0/plant/DCMD/edge-1/pump-2', messageType: 'DCMD' },
    ]);
    expect(h.events.map((e) => [e.ruleId, e.techniques[0]])).toEqual([
      [100203, 'T0855'],
      [100204, 'T0855'],
    ]);
  });

  it('T0836: an allowed commander writing outside the engineering range', () => {
    const h = harness();
    h.feed([
      modbus({ ts: t0, fc: 6, address: 5, quantity: 1, requestValues: [2900], pointRange: { min: 0, max: 3000, point: 'spindle_speed' } }),
      modbus({ ts: t0 + 1000, fc: 6, address: 5, quantity: 1, requestValues: [9000], pointRange: { min: 0, max: 3000, point: 'spindle_speed' } }),
      { kind: 'opcua', ts: t0 + 2000, tenantId: 'tenant-a', source: { ip: gateway }, endpoint: 'opc.tcp://paint:4840', deviceId: 'oven', service: 'write', value: -40, pointRange: { min: 20, max: 250 } },
    ]);
    expect(h.events.map((e) => [e.ruleId, e.level, e.techniques[0], e.ts])).toEqual([
      [100301, 10, 'T0836', t0 + 1000],
      [100301, 10, 'T0836', t0 + 2000],
    ]);
    expect(h.events[0]!.details['annotations']).toEqual({ baseline: 'none', commander: 'allowed', range: 'outside' });
  });

  it('T0806: many writes to many addresses, and one coil toggled many times', () => {
    const h = harness();
    h.feed(Array.from({ length: 20 }, (_, i) => modbus({ ts: t0 + i * 100, fc: 6, address: 100 + i, quantity: 1, requestValues: [i] })));
    expect(h.rulesRaised()).toEqual([100401]);
    expect(h.events[0]).toMatchObject({ techniques: ['T0806'], count: 20, details: { window: { seconds: 10, distinctCount: 20 } } });
    const toggles = harness();
    toggles.feed(Array.from({ length: 10 }, (_, i) => modbus({ ts: t0 + i * 500, fc: 5, address: 7, quantity: 1, requestValues: [i % 2] })));
    expect(toggles.rulesRaised()).toEqual([100402]);
  });

  it('T0806: the same writes spread beyond the window raise nothing', () => {
    const h = harness();
    h.feed(Array.from({ length: 30 }, (_, i) => modbus({ ts: t0 + i * 2_000, fc: 5, address: 7, quantity: 1, requestValues: [i % 2] })));
    expect(h.events).toEqual([]);
  });

  it('T0846: one source connecting to many devices, and many refused connections', () => {
    const h = harness();
    h.feed(Array.from({ length: 5 }, (_, i) => ({ kind: 'connection' as const, ts: t0 + i * 200, tenantId: 'tenant-a', source: { ip: attacker, port: 50_000 + i }, target: { ip: `10.0.1.${10 + i}`, port: 502 }, protocol: 'modbus' as const, accepted: true })));
    expect(h.events.map((e) => [e.ruleId, e.techniques[0], e.count])).toEqual([[100501, 'T0846', 5]]);
    const refused = harness();
    refused.feed(Array.from({ length: 10 }, (_, i) => ({ kind: 'connection' as const, ts: t0 + i * 200, tenantId: 'tenant-a', source: { ip: attacker, port: 50_000 + i }, target: { ip: plcs[0]!, port: 4840 }, protocol: 'opcua' as const, accepted: false })));
    expect(refused.rulesRaised()).toEqual([100503]);
  });

  it('T0888: device identification, report server id and a unit id sweep', () => {
    const h = harness();
    h.feed([
      modbus({ ts: t0, from: attacker, fc: 43, address: undefined, quantity: undefined, meiType: 'READ_DEVICE_IDENTIFICATION' }),
      modbus({ ts: t0 + 1, from: attacker, fc: 17, address: undefined, quantity: undefined }),
      ...[1, 2, 3, 4, 5].map((unit) => modbus({ ts: t0 + 10 + unit, from: attacker, to: plcs[1]!, fc: 3, unit })),
    ]);
    expect(h.rulesRaised()).toEqual([100601, 100602, 100603]);
    expect(h.events.every((e) => e.techniques.includes('T0888'))).toBe(true);
  });

  it('T0888: a sweep the guard reports as invalid unit ids and function codes', () => {
    const h = harness();
    const anomaly = (i: number, code: 'INVALID_UNIT_ID' | 'INVALID_FUNCTION_CODE', unit: number, functionCode: number): Observation => ({
      kind: 'modbus-anomaly',
      ts: t0 + i * 100,
      tenantId: 'tenant-a',
      via: 'guard',
      source: { ip: attacker, port: 50_000 },
      target: { ip: plcs[0]!, port: 502 },
      code,
      direction: 'request',
      unit,
      functionCode,
      detail: code,
    });
    h.feed([2, 3, 4, 5, 6].map((unit, i) => anomaly(i, 'INVALID_UNIT_ID', unit, 3)));
    h.feed([41, 42, 44].map((fc, i) => anomaly(10 + i, 'INVALID_FUNCTION_CODE', 1, fc)));
    expect(h.events.filter((e) => e.techniques.includes('T0888')).map((e) => [e.ruleId, e.count])).toEqual([
      [100605, 5],
      [100606, 3],
    ]);
  });

  it('T0814: force listen-only mode, a request flood and a burst of malformed frames', () => {
    const h = harness();
    h.feed([modbus({ ts: t0, from: attacker, fc: 8, address: undefined, quantity: undefined, requestSubfunction: 'Force Listen Only Mode' })]);
    h.feed(Array.from({ length: 200 }, (_, i) => modbus({ ts: t0 + 1_000 + i * 5, from: attacker, to: plcs[2]!, fc: 3 })));
    h.feed(
      Array.from({ length: 10 }, (_, i) => ({
        kind: 'modbus-anomaly' as const,
        ts: t0 + 5_000 + i * 100,
        tenantId: 'tenant-a',
        via: 'guard' as const,
        source: { ip: attacker, port: 50_000 },
        target: { ip: plcs[0]!, port: 502 },
        code: 'INVALID_LENGTH' as const,
        direction: 'request' as const,
        detail: 'length field 3 is shorter than a unit id and function code',
      })),
    );
    expect(h.events.filter((e) => e.techniques.includes('T0814')).map((e) => e.ruleId)).toEqual([100701, 100702, 100704]);
    expect(h.events.find((e) => e.ruleId === 100701)).toMatchObject({ level: 12, response: { action: 'block-source', seconds: 600 } });
    expect(h.events.filter((e) => e.ruleId === 100802)).toHaveLength(1); // the anomaly's own rule, once per minute
  });

  it('T0859: failed logins from one address, and for one account from many', () => {
    const h = harness();
    const fail = (i: number, ip: string, actor: string): Observation => ({ kind: 'platform', ts: t0 + i * 1000, tenantId: null, action: 'auth.login', outcome: 'failure', actor, ip });
    h.feed([0, 1, 2, 3, 4].map((i) => fail(i, attacker, `user-${i}`)));
    expect(h.events.map((e) => [e.ruleId, e.techniques, e.source.ip, e.response?.seconds])).toEqual([[100901, ['T0859', 'T1110'], attacker, 900]]);
    h.feed([0, 1, 2, 3, 4].map((i) => fail(10 + i, `10.9.0.${i}`, 'admin')));
    expect(h.rulesRaised()).toEqual([100901, 100902]);
    expect(h.events.at(-1)).toMatchObject({ tenantId: null, groupKey: '100902:admin' });
  });

  it('raises each Suricata anomaly code as its own rule', () => {
    const h = harness();
    const codes = ['INVALID_PROTOCOL_ID', 'INVALID_LENGTH', 'INVALID_UNIT_ID', 'INVALID_FUNCTION_CODE', 'UNSOLICITED_RESPONSE', 'INVALID_VALUE'] as const;
    h.feed(codes.map((code, i) => ({ kind: 'modbus-anomaly', ts: t0 + i, tenantId: 'tenant-a', via: 'capture', source: { ip: attacker, port: 1 }, target: { ip: plcs[0]!, port: 502 }, code, direction: 'response', detail: code })));
    expect(h.events.map((e) => e.ruleId)).toEqual([100801, 100802, 100803, 100804, 100805, 100806]);
    expect(h.events.map((e) => e.level)).toEqual([5, 5, 4, 5, 6, 4]);
  });
});

describe('detection engine: mechanics', () => {
  it('is deterministic given the observations (same events for the same input)', () => {
    const run = () => {
      const h = harness();
      h.feed([...demoTraffic(t0, 2), ...Array.from({ length: 30 }, (_, i) => modbus({ ts: t0 + 130_000 + i * 50, from: attacker, fc: 6, address: i, quantity: 1, requestValues: [i] }))]);
      return h.events;
    };
    const a = run();
    expect(a.length).toBeGreaterThan(2);
    expect(run()).toEqual(a);
  });

  it('bounds the correlation groups per rule and counts evictions', () => {
    const h = harness({ maxGroupsPerRule: 100 });
    h.feed(Array.from({ length: 1_000 }, (_, i) => ({ kind: 'platform' as const, ts: t0 + i, tenantId: null, action: 'auth.login', outcome: 'failure' as const, actor: `u${i}`, ip: `10.8.${i >> 8}.${i & 255}` })));
    expect(h.events).toEqual([]);
    // Two rules (per ip, per account) each kept 100 of 1,000 groups.
    expect(h.engine.stats().evictions).toBe(2 * 900);
  });

  it('keeps the windows of two enterprises apart behind the same address', () => {
    const h = harness();
    const fail = (i: number, tenantId: string): Observation => ({ kind: 'platform', ts: t0 + i * 1000, tenantId, action: 'auth.login', outcome: 'failure', actor: `u-${tenantId}`, ip: attacker });
    h.feed([fail(0, 'tenant-a'), fail(1, 'tenant-b'), fail(2, 'tenant-a'), fail(3, 'tenant-b'), fail(4, 'tenant-a')]);
    expect(h.events).toEqual([]);
    h.feed([fail(5, 'tenant-a'), fail(6, 'tenant-a')]);
    expect(h.events.map((e) => [e.ruleId, e.tenantId])).toEqual([
      [100901, 'tenant-a'],
      [100902, 'tenant-a'],
    ]);
  });

  it('counts and skips input that is not an observation', () => {
    const h = harness();
    expect(h.engine.submit({ kind: 'modbus', ts: t0 })).toBe(false);
    expect(h.engine.submit('garbage')).toBe(false);
    expect(h.engine.submit(modbus({ ts: t0, from: attacker, fc: 6 }))).toBe(true);
    expect(h.engine.stats()).toMatchObject({ invalid: 2, observations: 1, events: 1 });
  });

  it('runs custom rules with operators, different and ignore', () => {
    const rules = [
      ...builtinRules(),
      ...parseRules(
        [
          '- id: 200001',
          '  level: 7',
          '  title: 夜间从外网段写寄存器',
          '  title_en: Register write from outside the plant network',
          '  attack: [T0855]',
          '  if_sid: 100101',
          '  match: { source.ip: { not: { cidr: 10.0.0.0/16 } }, functionCode: [6, 16], address: { gte: 100, lt: 200 } }',
          '  same: [source.ip]',
          '  ignore: 30',
        ].join('\n'),
        { file: 'custom.yaml', known: builtinRules() },
      ),
    ];
    const events: SecurityEvent[] = [];
    const engine = createDetectionEngine({ rules, commanders: [{ ip: '0.0.0.0/0' }], onEvent: (e) => events.push(e) });
    engine.observe(modbus({ ts: t0, from: '10.0.5.5', fc: 6, address: 150, quantity: 1 }));
    engine.observe(modbus({ ts: t0 + 1, from: '192.168.7.7', fc: 6, address: 99, quantity: 1 }));
    engine.observe(modbus({ ts: t0 + 2, from: '192.168.7.7', fc: 16, address: 150, quantity: 2 }));
    engine.observe(modbus({ ts: t0 + 3, from: '192.168.7.7', fc: 6, address: 151, quantity: 1 }));
    engine.observe(modbus({ ts: t0 + 31_000, from: '192.168.7.7', fc: 6, address: 152, quantity: 1 }));
    expect(events.map((e) => [e.ruleId, e.ts])).toEqual([
      [200001, t0 + 2],
      [200001, t0 + 31_000],
    ]);
  });
});
