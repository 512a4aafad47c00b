import { type Store, YulianError, createGatewayRegistry, storeBackends, tenantScope } from '@yulian/core';
import { type AssetService, type MaintenanceService, createAssetService, createMaintenanceService } from '@yulian/devices';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const rejectsWith = async (p: Promise<unknown>, code: string): Promise<void> => {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof YulianError && e.code === code);
};

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`maintenance on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let assets: AssetService;
    let maintenance: MaintenanceService;
    let clock: number;
    const scope = tenantScope('tenant-a');
    /** The run-hour counters the schedules read. */
    const counters = new Map<string, number>();

    beforeEach(async () => {
      const opened = await backend.open();
      store = opened.store;
      cleanup = opened.cleanup;
      clock = Date.UTC(2026, 10, 29, 8, 0, 0);
      const ts = Date.now();
      for (const [id, code] of [['tenant-a', 'A-1'], ['tenant-b', 'B-1']] as const) await store.db.insertInto('tenants').values({ id, code, name: code, district: '', industry: '', created_at: ts, updated_at: ts }).execute();
      assets = createAssetService({ store, registry: createGatewayRegistry(store), now: () => clock });
      counters.clear();
      maintenance = createMaintenanceService({ store, assets, latest: async (_t, device, point) => counters.get(`${device}/${point}`), now: () => clock });
      for (const device of ['pump-1', 'pump-2']) await assets.devices.put(scope, device, { name: device, lifecycle: 'in_service' }, 'setup');
    });
    afterEach(async () => {
      await cleanup();
    });

    it('gives every source reference one work order, however many processes create it at once', async () => {
      // Several service instances over the same database: as several platform processes.
      const others = Array.from({ length: 4 }, () => createMaintenanceService({ store, assets, now: () => clock }));
      const results = await Promise.all([maintenance, ...others, maintenance, ...others].map((m, i) => m.create(scope, { device: 'pump-1', title: `巡检异常 ${i}`, source: 'inspection', sourceRef: 'record-7#3' }, `user-${i}`)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
      expect((await maintenance.list(scope, { sourceRef: 'record-7#3' })).length).toBe(1);
      expect((await assets.history.list(scope, 'pump-1', { kind: 'work_order' })).length).toBe(1);
      // Without a reference every request is a work order of its own.
      await maintenance.create(scope, { device: 'pump-1', title: '手工 1' }, 'u');
      await maintenance.create(scope, { device: 'pump-1', title: '手工 2' }, 'u');
      expect((await maintenance.list(scope, { device: 'pump-1', source: 'manual' })).length).toBe(2);
    });

    it('keeps the device under maintenance until its last started work order is closed', async () => {
      const a = (await maintenance.create(scope, { device: 'pump-2', title: '换密封' }, 'op')).order;
      const b = (await maintenance.create(scope, { device: 'pump-2', title: '换轴承' }, 'op')).order;
      await maintenance.setStatus(scope, a.id, { status: 'in_progress' }, 'op');
      expect((await assets.devices.find(scope, 'pump-2'))?.lifecycle).toBe('under_maintenance');
      // The second starts while the device is already under maintenance: it did not take it out of service.
      expect((await maintenance.setStatus(scope, b.id, { status: 'in_progress' }, 'op')).maintenance).toBe(false);
      await maintenance.setStatus(scope, a.id, { status: 'done', resolution: 'ok' }, 'op');
      expect((await assets.devices.find(scope, 'pump-2'))?.lifecycle).toBe('in_service');
      await rejectsWith(maintenance.setStatus(scope, a.id, { status: 'cancelled' }, 'op'), 'WORK_ORDER_TRANSITION_INVALID');
      await rejectsWith(maintenance.get(tenantScope('tenant-b'), a.id), 'WORK_ORDER_NOT_FOUND');
      // Two closers at once: one wins, the other is told it changed meanwhile.
      const [x, y] = await Promise.allSettled([maintenance.setStatus(scope, b.id, { status: 'done' }, 'op'), maintenance.setStatus(scope, b.id, { status: 'cancelled' }, 'op')]);
      expect([x.status, y.status].sort()).toEqual(['fulfilled', 'rejected']);
    });

    it('issues a calendar schedule’s work order once across processes, and counts the next interval from the service', async () => {
      const s = await maintenance.schedules.create(scope, { device: 'pump-1', title: '季度保养', kind: 'calendar', every: 90, lead: 7 }, 'eng');
      clock += 82 * 86_400_000; // 8 days before due: not yet
      expect(await maintenance.runSchedules()).toEqual([]);
      clock += 86_400_000; // 7 days before: within the lead
      const runs = await Promise.all(Array.from({ length: 5 }, () => createMaintenanceService({ store, assets, now: () => clock }).runSchedules()));
      const issued = runs.flat();
      expect(issued).toHaveLength(1);
      expect(issued[0]).toMatchObject({ source: 'schedule', sourceRef: `${s.id}#1`, title: '季度保养', dueAt: new Date(Date.parse(s.nextDueAt!)).toISOString() });
      clock += 30 * 86_400_000; // long overdue, but one is open
      expect(await maintenance.runSchedules()).toEqual([]);
      await maintenance.setStatus(scope, issued[0]!.id, { status: 'done' }, 'op');
      expect(Date.parse((await maintenance.schedules.get(scope, s.id)).nextDueAt!)).toBe(clock + 90 * 86_400_000);
      expect(await maintenance.runSchedules()).toEqual([]);
    });

    it('issues a run-hours schedule when the counter has grown by the interval since the last service', async () => {
      const s = await maintenance.schedules.create(scope, { device: 'pump-2', title: '换油', kind: 'run_hours', every: 500, runHoursPoint: 'run_hours' }, 'eng');
      expect(s.nextDueHours).toBeNull(); // the counter has not reported yet
      counters.set('pump-2/run_hours', 1200);
      expect(await maintenance.runSchedules()).toEqual([]); // first reading: the interval starts here
      expect((await maintenance.schedules.get(scope, s.id)).nextDueHours).toBe(1700);
      counters.set('pump-2/run_hours', 1699.9);
      expect(await maintenance.runSchedules()).toEqual([]);
      counters.set('pump-2/run_hours', 1700);
      const [order] = await maintenance.runSchedules();
      expect(order).toMatchObject({ device: 'pump-2', sourceRef: `${s.id}#1` });
      counters.set('pump-2/run_hours', 1710);
      await maintenance.setStatus(scope, order!.id, { status: 'done' }, 'op');
      expect((await maintenance.schedules.get(scope, s.id)).nextDueHours).toBe(2210);
      await rejectsWith(maintenance.schedules.create(scope, { device: 'pump-2', title: 'x', kind: 'run_hours', every: 10 }, 'eng'), 'VALIDATION_FAILED');
      await rejectsWith(maintenance.schedules.get(tenantScope('tenant-b'), s.id), 'MAINTENANCE_SCHEDULE_NOT_FOUND');
    });
  });
}
