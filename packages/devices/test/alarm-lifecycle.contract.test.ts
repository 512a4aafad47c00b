import { type Store, YulianError, allTenants, storeBackends, tenantScope } from '@yulian/core';
import { type AlarmStore, createAlarmStore } from '@yulian/devices';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
const raise = (device: string, rule: string, at: number) => ({ tenantId: 'tenant-a', device, rule, ruleName: '主轴过热', severity: 'major', at, value: 86, reason: 'temperature 86 > 80' });

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`alarm lifecycle and outbox on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let alarms: AlarmStore;
    const events = async () => (await store.db.selectFrom('alarm_events').select(['kind', 'quiet', 'actor', 'alarm_id']).orderBy('at').orderBy('kind').execute()).map((e) => `${e.kind}${e.quiet ? `(${e.quiet})` : ''}${e.actor ? `:${e.actor}` : ''}`);
    const placeDevice = async (device: string, lifecycle: string) => {
      if (!(await store.db.selectFrom('tenants').select('id').where('id', '=', 'tenant-a').executeTakeFirst())) {
        await store.db.insertInto('tenants').values({ id: 'tenant-a', name: '甲厂', code: 'TEST-A', district: '', industry: '', created_at: t0, updated_at: t0 }).execute();
      }
      await store.db
        .insertInto('device_assets')
        .values({ uid: `uid-${device}`, tenant_id: 'tenant-a', device_id: device, name: device, site_id: null, area_id: null, x: null, y: null, lat: null, lon: null, lifecycle, lifecycle_since: t0, profile_id: null, serial: '', model: '', manufacturer: '', created_at: t0, updated_at: t0 })
        .execute();
    };

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      alarms = createAlarmStore(store);
    });
    afterEach(async () => opened?.cleanup());

    it('writes one outbox event per transition, in the transaction of the change', async () => {
      const { alarm } = await alarms.raise(raise('cnc-01', 'hot', t0));
      await alarms.raise(raise('cnc-01', 'hot', t0 + 1000)); // counted into the active one: no event
      await alarms.acknowledge(tenantScope('tenant-a'), alarm.id, 'demo-operator', t0 + 2000);
      await alarms.acknowledge(tenantScope('tenant-a'), alarm.id, 'someone-else', t0 + 2500); // idempotent: no event
      await alarms.assign(tenantScope('tenant-a'), alarm.id, 'demo-engineer');
      await alarms.clear({ device: 'cnc-01', rule: 'hot', at: t0 + 3000, reason: 'back to normal' });
      const kinds = (await alarms.events(allTenants, alarm.id)).map((e) => e.kind);
      expect(kinds.sort()).toEqual(['acknowledged', 'assigned', 'cleared', 'raised']);
      const [raised] = await alarms.events(tenantScope('tenant-a'), alarm.id);
      expect(raised).toMatchObject({ kind: 'raised', quiet: null, alarm: { id: alarm.id, device: 'cnc-01', state: 'active_unack' } });
      // Every event waits for the dispatcher.
      expect((await store.db.selectFrom('alarm_events').select('dispatched_at').execute()).every((r) => r.dispatched_at === null)).toBe(true);
    });

    it('records the alarms of a device under maintenance, flagged suppressed and quiet', async () => {
      await placeDevice('cnc-02', 'under_maintenance');
      await placeDevice('cnc-03', 'in_service');
      const quiet = await alarms.raise(raise('cnc-02', 'hot', t0));
      const loud = await alarms.raise(raise('cnc-03', 'hot', t0));
      expect(quiet.alarm).toMatchObject({ suppressed: true, active: true });
      expect(loud.alarm.suppressed).toBe(false);
      expect(await events()).toEqual(['raised(suppressed)', 'raised']);
    });

    it('shelves an active alarm for a bounded time, keeps a re-raise within it shelved, and unshelves by hand', async () => {
      const { alarm } = await alarms.raise(raise('cnc-04', 'hot', t0));
      const shelved = await alarms.shelve(tenantScope('tenant-a'), alarm.id, { user: 'demo-operator', until: t0 + 3_600_000, reason: '传感器检修中', at: t0 + 1000 });
      expect(shelved).toMatchObject({ shelvedBy: 'demo-operator', shelveReason: '传感器检修中', shelvedUntil: new Date(t0 + 3_600_000).toISOString() });
      // Hidden from the default list, listed with shelved: true.
      expect(await alarms.list(allTenants, { shelved: false, now: t0 + 2000 })).toEqual([]);
      expect((await alarms.list(allTenants, { shelved: true, now: t0 + 2000 })).map((a) => a.id)).toEqual([alarm.id]);
      // Cleared and raised again within the shelf time: the new occurrence is shelved too, and quiet.
      await alarms.clear({ device: 'cnc-04', rule: 'hot', at: t0 + 5000 });
      const again = await alarms.raise(raise('cnc-04', 'hot', t0 + 6000));
      expect(again.alarm.shelvedUntil).toBe(new Date(t0 + 3_600_000).toISOString());
      expect((await alarms.shelfExpired(t0 + 3_600_000)).map((a) => a.id).sort()).toEqual([alarm.id, again.alarm.id].sort());
      const unshelved = await alarms.unshelve(tenantScope('tenant-a'), again.alarm.id, { user: 'demo-operator', at: t0 + 7000 });
      expect(unshelved.shelvedUntil).toBeNull();
      expect(await events()).toEqual(['raised', 'shelved(shelved):demo-operator', 'cleared(shelved)', 'raised(shelved)', 'unshelved:demo-operator']);
      // Only an active alarm can be shelved.
      await expect(alarms.shelve(tenantScope('tenant-a'), alarm.id, { user: 'x', until: t0 + 9000, reason: 'r', at: t0 + 8000 })).rejects.toSatisfy((e: unknown) => e instanceof YulianError && e.code === 'ALARM_SHELVE_INVALID');
      await expect(alarms.shelve(tenantScope('tenant-b'), again.alarm.id, { user: 'x', until: t0 + 9000, reason: 'r', at: t0 + 8000 })).rejects.toSatisfy((e: unknown) => e instanceof YulianError && e.code === 'ALARM_NOT_FOUND');
    });

    it('escalates an unacknowledged alarm once, and an acknowledged one never', async () => {
      const a = await alarms.raise(raise('cnc-05', 'hot', t0));
      const b = await alarms.raise(raise('cnc-06', 'hot', t0));
      await alarms.acknowledge(allTenants, b.alarm.id, 'demo-operator', t0 + 1000);
      expect((await alarms.unescalated(['hot'])).map((x) => x.id)).toEqual([a.alarm.id]);
      const [first, second, acked] = await Promise.all([alarms.escalate(a.alarm.id, t0 + 60_000, { recipients: ['demo-engineer'] }), alarms.escalate(a.alarm.id, t0 + 60_001, { recipients: ['demo-engineer'] }), alarms.escalate(b.alarm.id, t0 + 60_000, {})]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(acked).toBeUndefined();
      expect((await alarms.get(allTenants, a.alarm.id)).escalatedAt).not.toBeNull();
      expect(await alarms.unescalated(['hot'])).toEqual([]);
      const escalated = (await alarms.events(allTenants, a.alarm.id)).filter((e) => e.kind === 'escalated');
      expect(escalated).toHaveLength(1);
    });
  });
}
