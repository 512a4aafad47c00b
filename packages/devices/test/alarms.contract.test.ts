import { createRuleEngine, type RuleSpec } from '@yulian/analytics';
import { type Store, YulianError, allTenants, createStore, storeBackends, tenantScope } from '@yulian/core';
import { type AlarmStore, createAlarmStore } from '@yulian/devices';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
const raise = (device: string, rule: string, at: number, value = 86) => ({ tenantId: 'tenant-a', device, rule, ruleName: '主轴过热', severity: 'major', at, value, reason: `temperature ${value} > 80` });

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`alarms on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let alarms: AlarmStore;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      alarms = createAlarmStore(store);
    });
    afterEach(async () => opened?.cleanup());

    it('goes active_unack → active_ack → cleared_ack, or cleared first; a repeated raise counts into the active alarm', async () => {
      const first = await alarms.raise(raise('cnc-01', 'hot', t0));
      expect(first).toMatchObject({ created: true, alarm: { state: 'active_unack', active: true, occurrences: 1, value: 86, severity: 'major' } });
      const again = await alarms.raise(raise('cnc-01', 'hot', t0 + 1000, 88));
      expect(again).toMatchObject({ created: false, alarm: { id: first.alarm.id, occurrences: 2, value: 88, lastAt: new Date(t0 + 1000).toISOString() } });
      expect((await alarms.acknowledge(tenantScope('tenant-a'), first.alarm.id, 'demo-operator', t0 + 2000)).state).toBe('active_ack');
      const cleared = await alarms.clear({ device: 'cnc-01', rule: 'hot', at: t0 + 3000, reason: 'temperature 76 ≤ 78' });
      expect(cleared).toMatchObject({ state: 'cleared_ack', active: false, ackedBy: 'demo-operator', clearedAt: new Date(t0 + 3000).toISOString() });
      expect(await alarms.clear({ device: 'cnc-01', rule: 'hot', at: t0 + 4000 })).toBeUndefined();
      // A raise arriving late (its time before the clear) opens nothing.
      expect(await alarms.raise(raise('cnc-01', 'hot', t0 + 2500))).toMatchObject({ created: false, stale: true, alarm: { id: first.alarm.id, active: false } });

      // Raised again after clearing: a new occurrence; cleared before anyone acknowledges it, then acknowledged.
      const second = await alarms.raise(raise('cnc-01', 'hot', t0 + 5000));
      expect(second.created).toBe(true);
      expect(second.alarm.id).not.toBe(first.alarm.id);
      expect((await alarms.clear({ device: 'cnc-01', rule: 'hot', at: t0 + 6000 }))!.state).toBe('cleared_unack');
      const acked = await alarms.acknowledge(allTenants, second.alarm.id, 'demo-engineer', t0 + 7000);
      expect(acked).toMatchObject({ state: 'cleared_ack', ackedBy: 'demo-engineer' });
      // Acknowledging again keeps the first acknowledgement.
      expect((await alarms.acknowledge(allTenants, second.alarm.id, 'someone-else', t0 + 8000)).ackedBy).toBe('demo-engineer');
      expect((await alarms.list(tenantScope('tenant-a'), { device: 'cnc-01' })).map((a) => a.id)).toEqual([second.alarm.id, first.alarm.id]);
    });

    it('takes comments and an assignee, and answers another enterprise ALARM_NOT_FOUND', async () => {
      const { alarm } = await alarms.raise(raise('cnc-02', 'hot', t0));
      await alarms.comment(tenantScope('tenant-a'), alarm.id, 'demo-operator', '已通知维修班', t0 + 1);
      await alarms.comment(tenantScope('tenant-a'), alarm.id, 'demo-engineer', '轴承温度偏高，安排点检', t0 + 2);
      expect((await alarms.comments(tenantScope('tenant-a'), alarm.id)).map((c) => c.text)).toEqual(['已通知维修班', '轴承温度偏高，安排点检']);
      expect((await alarms.assign(tenantScope('tenant-a'), alarm.id, 'demo-engineer')).assignee).toBe('demo-engineer');
      const other = tenantScope('tenant-b');
      for (const call of [() => alarms.get(other, alarm.id), () => alarms.acknowledge(other, alarm.id, 'x', t0), () => alarms.comment(other, alarm.id, 'x', 'y', t0)]) {
        await expect(call()).rejects.toSatisfy((e: unknown) => e instanceof YulianError && e.code === 'ALARM_NOT_FOUND');
      }
    });

    it('keeps exactly one active alarm per device and rule while several ingest workers raise and clear it in parallel', async () => {
      // Four workers, each with its own connection to the same database and its own rule engine, fed the
      // same values (as several ingest workers fed by a shared subscription would see a device's stream).
      const workers = await Promise.all(Array.from({ length: 4 }, () => createStore({ url: opened.url, dataDir: opened.dataDir })));
      try {
        const rule: RuleSpec = { id: 'hot', name: '主轴过热', severity: 'major', condition: { kind: 'threshold', point: 'temperature', op: '>', value: 80, deadband: 2 } };
        const devices = Array.from({ length: 20 }, (_, i) => `dev-${i}`);
        // Per device: 5 excursions above 80 of 5 samples each, with normal values between.
        const series = (i: number): number => (i % 10 < 5 ? 70 : 85);
        const stats = await Promise.all(
          workers.map(async (w) => {
            const engine = createRuleEngine([rule]);
            const stored = createAlarmStore(w);
            let raises = 0;
            for (let i = 0; i < 50; i++) {
              await Promise.all(
                devices.map(async (device) => {
                  for (const t of engine.onValue(device, t0 + i * 1000, 'temperature', series(i))) {
                    if (t.type === 'raise') {
                      raises++;
                      await stored.raise({ tenantId: 'tenant-a', device, rule: t.rule, ruleName: rule.name, severity: t.severity, at: t.at, value: t.value as number, reason: t.reason });
                    } else await stored.clear({ device, rule: t.rule, at: t.at, reason: t.reason });
                  }
                }),
              );
            }
            return raises;
          }),
        );
        const rows = await store.db.selectFrom('alarms').select(['device_id', 'active', 'occurrences', 'raised_at']).execute();
        // Every excursion is one occurrence per device, however many workers raised it.
        expect(stats).toEqual([100, 100, 100, 100]);
        expect(rows.length).toBe(20 * 5);
        expect(rows.every((r) => Number(r.occurrences) >= 1 && Number(r.occurrences) <= 4)).toBe(true);
        expect(rows.reduce((a, r) => a + Number(r.occurrences), 0)).toBeLessThanOrEqual(400);
        // The stream ends above 80: each device has exactly one alarm still active.
        const active = rows.filter((r) => Number(r.active) === 1);
        expect(active.length).toBe(20);
        expect(new Set(active.map((r) => r.device_id)).size).toBe(20);
      } finally {
        await Promise.all(workers.map((w) => w.close()));
      }
    });
  });
}
