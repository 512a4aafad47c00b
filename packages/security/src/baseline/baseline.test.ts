import type { SecurityEvent } from '@yulian/contracts';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/builtin.js';
import { createDetectionEngine } from '../rules/engine.js';
import { createBaseline } from './baseline.js';
import { read, t0, write } from './test-observations.js';


describe('baseline', () => {
  it('learns who talks to which device with which functions and address ranges', () => {
    const b = createBaseline();
    expect(b.assess(read({ ts: t0 }))).toBe('off');
    b.setMode('tenant-a', 'learning', t0);
    expect(b.assess(read({ ts: t0 + 1, address: 0, quantity: 20 }))).toBe('learning');
    b.assess(read({ ts: t0 + 2, address: 100, quantity: 10 }));
    b.assess(write({ ts: t0 + 3, address: 5 }));
    b.assess(write({ ts: t0 + 4, address: 900, exception: 'ILLEGAL_DATA_ADDRESS' })); // refused: not normal
    b.assess({ kind: 'sparkplug', ts: t0 + 5, tenantId: 'tenant-a', source: { clientId: 'yulian-gw' }, topic: 'spBv1.0/p/DCMD/e/pump', messageType: 'DCMD' });
    expect(b.entries('tenant-a')).toEqual([
      { tenantId: 'tenant-a', protocol: 'modbus', source: '10.0.0.2', target: 'cnc-01', unit: 1, function: '3', addressMin: 0, addressMax: 109, firstSeen: t0 + 1, lastSeen: t0 + 2, count: 2 },
      { tenantId: 'tenant-a', protocol: 'modbus', source: '10.0.0.2', target: 'cnc-01', unit: 1, function: '6', addressMin: 5, addressMax: 5, firstSeen: t0 + 3, lastSeen: t0 + 3, count: 1 },
      { tenantId: 'tenant-a', protocol: 'sparkplug', source: 'yulian-gw', target: 'spBv1.0/p/DCMD/e/pump', unit: 0, function: 'DCMD', addressMin: null, addressMax: null, firstSeen: t0 + 5, lastSeen: t0 + 5, count: 1 },
    ]);
    expect(b.state('tenant-a')).toEqual({ tenantId: 'tenant-a', mode: 'learning', learningSince: t0, updatedAt: t0 });
    const dirty = b.takeDirty();
    expect(dirty).toHaveLength(3);
    expect(b.takeDirty()).toHaveLength(0);
    b.markDirty(dirty.slice(0, 2)); // a failed save gives them back
    expect(b.takeDirty().map((e) => e.function)).toEqual(['3', '6']);
  });

  it('in enforcing mode says what is new: a source, a function for the pair, an address beyond the tolerance', () => {
    const b = createBaseline({ rangeTolerance: 16 });
    b.setMode('tenant-a', 'learning', t0);
    b.assess(read({ ts: t0, address: 0, quantity: 20 }));
    b.setMode('tenant-a', 'enforcing', t0 + 1);
    expect(b.assess(read({ ts: t0 + 2, address: 10, quantity: 10 }))).toBe('known');
    expect(b.assess(read({ ts: t0 + 2, address: 30, quantity: 5 }))).toBe('known'); // 34 ≤ 19 + 16
    expect(b.assess(read({ ts: t0 + 2, address: 30, quantity: 10 }))).toBe('unknown-range');
    expect(b.assess(read({ ts: t0 + 2, functionCode: 4 }))).toBe('unknown-function');
    expect(b.assess(read({ ts: t0 + 2, source: { ip: '10.0.0.66', port: 1 } }))).toBe('unknown-source');
    expect(b.assess(read({ ts: t0 + 2, deviceId: 'cnc-02' }))).toBe('unknown-source');
    expect(b.assess(read({ ts: t0 + 2, tenantId: 'tenant-b' }))).toBe('off');
    expect(b.entries('tenant-a')).toHaveLength(1); // enforcing learns nothing
  });

  it('stops adding entries at the cap and counts what it dropped', () => {
    const b = createBaseline({ maxEntries: 2 });
    b.setMode('tenant-a', 'learning', t0);
    for (let fc = 1; fc <= 4; fc++) b.assess(read({ ts: t0, functionCode: fc }));
    expect(b.stats()).toEqual({ entries: 2, dropped: 2 });
  });

  it('feeds the rules: after learning, new talkers, functions and ranges raise events', () => {
    const baseline = createBaseline();
    const events: SecurityEvent[] = [];
    const engine = createDetectionEngine({ rules: builtinRules(), baseline, onEvent: (e) => events.push(e) });
    baseline.setMode('tenant-a', 'learning', t0);
    for (let s = 0; s < 60; s++) engine.observe(read({ ts: t0 + s * 1000 }));
    engine.observe(write({ ts: t0 + 61_000, address: 5 }));
    expect(events).toEqual([]);
    baseline.setMode('tenant-a', 'enforcing', t0 + 120_000);
    const at = t0 + 120_000;
    engine.observe(read({ ts: at }));
    engine.observe(write({ ts: at + 1, address: 5 })); // learned writer: allowed
    expect(events).toEqual([]);
    engine.observe(read({ ts: at + 2, source: { ip: '10.0.0.66', port: 1 } }));
    engine.observe(read({ ts: at + 3, functionCode: 1, func: 'READ_COILS' }));
    engine.observe(read({ ts: at + 4, address: 5_000 }));
    engine.observe(write({ ts: at + 5, address: 4_000 }));
    engine.observe(write({ ts: at + 6, functionCode: 16, func: 'WRITE_MULTIPLE_REGISTERS', address: 5 }));
    expect(events.map((e) => [e.ruleId, e.techniques, e.details['annotations']])).toEqual([
      [101001, [], { baseline: 'unknown-source', commander: 'denied', range: 'unknown' }],
      [101002, [], { baseline: 'unknown-function', commander: 'denied', range: 'unknown' }],
      [101003, [], { baseline: 'unknown-range', commander: 'allowed', range: 'unknown' }],
      // The learned writer at a new address: unusual (T0836), not unauthorised.
      [100302, ['T0836'], { baseline: 'unknown-range', commander: 'allowed', range: 'unknown' }],
      // The learned writer with a function it never used: unauthorised (T0855).
      [100201, ['T0855'], { baseline: 'unknown-function', commander: 'denied', range: 'unknown' }],
    ]);
  });
});
