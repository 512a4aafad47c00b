import { type PointInput, pointSchema } from '@yulian/contracts';
import { type Store, YulianError, createGatewayRegistry, storeBackends, tenantScope } from '@yulian/core';
import { type AssetService, type InspectionService, createAssetService, createInspectionService, createMaintenanceService, distanceMeters, nextStart, scannedIdentifier } from '@yulian/devices';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const points: PointInput[] = [{ key: 'spindle_temp', dataType: 'float32', unit: '°C', modbus: { table: 'input', address: 10 } }];
const codeOf = async (p: Promise<unknown>): Promise<{ code: string; details: unknown; message: string }> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof YulianError) return { code: e.code, details: e.details, message: e.message };
    throw e;
  }
  throw new Error('expected a YulianError');
};
const min = 60_000;
/** 2026-11-29 08:00 in Shanghai. */
const t0 = Date.UTC(2026, 10, 29, 0, 0);
const site = { lat: 29.6473, lon: 106.5617 };

describe('inspection helpers', () => {
  it('finds the next round start of a daily schedule in Asia/Shanghai and of an interval schedule', () => {
    const daily = { kind: 'daily' as const, times: ['16:00', '08:00'] };
    expect(new Date(nextStart(daily, t0)).toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(new Date(nextStart(daily, t0 + 1)).toISOString()).toBe('2026-11-29T08:00:00.000Z');
    // 16:00 Shanghai passed: tomorrow 08:00 Shanghai.
    expect(new Date(nextStart(daily, Date.UTC(2026, 10, 29, 9))).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    const every = { kind: 'interval' as const, every: 6, unit: 'hours' as const, startAt: '2026-11-29T01:00:00Z' };
    expect(new Date(nextStart(every, t0)).toISOString()).toBe('2026-11-29T01:00:00.000Z');
    expect(new Date(nextStart(every, Date.UTC(2026, 10, 29, 2))).toISOString()).toBe('2026-11-29T07:00:00.000Z');
  });

  it('measures distances on the Earth and reads the identifier out of a QR code’s page URL', () => {
    // 0.001° of latitude is about 111 m.
    expect(distanceMeters(site, { lat: site.lat + 0.001, lon: site.lon })).toBeCloseTo(111.2, 0);
    expect(scannedIdentifier('http://localhost:8080/r/88.100.1/dev.cnc-01')).toBe('88.100.1/dev.cnc-01');
    expect(scannedIdentifier(' 88.100.1/dev.cnc-01 ')).toBe('88.100.1/dev.cnc-01');
    expect(scannedIdentifier('https://x/r/88.100.1/dev.a%20b?x=1#y')).toBe('88.100.1/dev.a b');
  });
});

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`spot inspection on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let assets: AssetService;
    let inspection: InspectionService;
    let now = t0;
    const a = 'tenant-a';
    const scope = tenantScope(a);
    const operator = { username: 'op-a', manage: false };

    beforeEach(async () => {
      const opened = await backend.open();
      store = opened.store;
      cleanup = opened.cleanup;
      now = t0;
      for (const [id, code] of [[a, 'A-1'], ['tenant-b', 'B-1']] as const) await store.db.insertInto('tenants').values({ id, code, name: code, district: '', industry: '', created_at: t0, updated_at: t0 }).execute();
      for (const [username, tenant] of [['op-a', a], ['op-a2', a], ['op-b', 'tenant-b']] as const) {
        await store.db.insertInto('users').values({ id: username, tenant_id: tenant, username, display_name: '', role: 'operator', password_hash: 'x', disabled: 0, failed_logins: 0, tokens_valid_after: 0, created_at: t0, updated_at: t0 }).execute();
      }
      const registry = createGatewayRegistry(store);
      await registry.create({ id: 'gw-a', name: 'A', tenantId: a });
      assets = createAssetService({ store, registry });
      const clock = () => now;
      inspection = createInspectionService({ store, assets, maintenance: createMaintenanceService({ store, assets, now: clock }), identifiersOf: async (_t, device) => [`88.100.1/dev.${device}`], now: clock });
    });
    afterEach(async () => {
      await cleanup();
    });

    /** A site with a position, a profile with a standard, two machines on it (m-1 with its own position). */
    async function plant() {
      const s = await assets.nodes.create(scope, { kind: 'site', code: 'plant-1', name: '一厂', lat: site.lat, lon: site.lon });
      const profile = await assets.profiles.create(scope, { name: 'CNC', protocol: 'modbus-tcp', points: points.map((p) => pointSchema.parse(p)), defaults: {}, description: '', manufacturer: 'YL', model: 'VMC850' });
      await assets.importCsv({ scope, profileId: profile.id, mode: 'all-or-nothing', actor: null, csv: ['id,name,gateway,host,port,unitId,site,lat,lon', `m-1,机器1,gw-a,10.0.0.1,502,1,plant-1,${site.lat + 0.0005},${site.lon}`, 'm-2,机器2,gw-a,10.0.0.2,502,1,plant-1,,'].join('\n') });
      const standard = await inspection.definitions.standards.create(
        scope,
        {
          profileId: profile.id,
          name: '日常点检',
          items: [
            { key: 'guard', name: '防护门', kind: 'ok_nok' },
            { key: 'leaks', name: '泄漏', kind: 'visual' },
            { key: 'oil', name: '油位', kind: 'measured', unit: '%', min: 30, max: 100 },
            { key: 'note', name: '备注项', kind: 'visual', required: false },
          ],
        },
        'eng',
      );
      const route = await inspection.definitions.routes.create(scope, { name: '一线', devices: ['m-1', 'm-2'] }, 'eng');
      return { profile, standard, route, site: s };
    }

    it('refuses a standard with a doubled key, a measured item without range or with min above max, a second one for the profile, or an unknown profile', async () => {
      const { profile } = await plant();
      const std = (items: unknown[], profileId = profile.id) => inspection.definitions.standards.create(scope, { profileId, name: 'x', items: items as never }, null);
      expect(await codeOf(std([{ key: 'a', name: 'A', kind: 'visual' }, { key: 'a', name: 'B', kind: 'ok_nok' }]))).toMatchObject({ code: 'INSPECTION_STANDARD_INVALID', details: { item: 'a' } });
      expect((await codeOf(std([{ key: 'p', name: 'P', kind: 'measured' }]))).message).toMatch(/needs a normal range/);
      expect((await codeOf(std([{ key: 'p', name: 'P', kind: 'measured', min: 5, max: 1 }]))).message).toMatch(/min 5 is above max 1/);
      expect((await codeOf(std([{ key: 'v', name: 'V', kind: 'visual', min: 1 }]))).message).toMatch(/only measured items/);
      expect((await codeOf(std([{ key: 'v', name: 'V', kind: 'visual' }]))).message).toMatch(/has an inspection standard already/);
      expect(await codeOf(std([{ key: 'v', name: 'V', kind: 'visual' }], 'no-such-profile'))).toMatchObject({ code: 'INSPECTION_STANDARD_INVALID', details: { field: 'profileId' } });
      expect(await codeOf(inspection.definitions.standards.get(tenantScope('tenant-b'), (await inspection.definitions.standards.list(scope))[0]!.id))).toMatchObject({ code: 'INSPECTION_STANDARD_NOT_FOUND' });
    });

    it('refuses a route with an unknown device, a device twice or a device without a standard, and a plan for users of another enterprise', async () => {
      const { route } = await plant();
      expect(await codeOf(inspection.definitions.routes.create(scope, { name: 'x', devices: ['m-1', 'nope'] }, null))).toMatchObject({ code: 'INSPECTION_ROUTE_INVALID', details: { device: 'nope' } });
      expect(await codeOf(inspection.definitions.routes.create(scope, { name: 'x', devices: ['m-1', 'm-1'] }, null))).toMatchObject({ code: 'INSPECTION_ROUTE_INVALID', details: { device: 'm-1' } });
      const bare = await assets.profiles.create(scope, { name: 'Pump', protocol: 'modbus-tcp', points: points.map((p) => pointSchema.parse(p)), defaults: {}, description: '', manufacturer: 'YL', model: 'P1' });
      await assets.importCsv({ scope, profileId: bare.id, mode: 'all-or-nothing', actor: null, csv: 'id,name,gateway,host,port,unitId\nm-3,泵,gw-a,10.0.0.3,502,1' });
      expect(await codeOf(inspection.definitions.routes.create(scope, { name: 'x', devices: ['m-1', 'm-3'] }, null))).toMatchObject({ code: 'INSPECTION_ROUTE_INVALID', details: { device: 'm-3' } });
      const plan = { name: 'p', routeId: route.id, schedule: { kind: 'daily' as const, times: ['08:00'] }, windowMinutes: 60 };
      expect(await codeOf(inspection.definitions.plans.create(scope, { ...plan, assignees: ['op-a', 'op-b'] }, null))).toMatchObject({ code: 'INSPECTION_PLAN_INVALID', details: { field: 'assignees', assignee: 'op-b' } });
      expect(await codeOf(inspection.definitions.plans.create(scope, { ...plan, routeId: 'nope', assignees: ['op-a'] }, null))).toMatchObject({ code: 'INSPECTION_ROUTE_NOT_FOUND' });
    });

    it('issues each round of a daily plan once, and tracks it as open, overdue, missed — or done', async () => {
      const { route } = await plant();
      // Rounds at 08:00 and 16:00 Shanghai; 60 min to do it, 30 min of grace.
      const plan = await inspection.definitions.plans.create(scope, { name: '两班', routeId: route.id, schedule: { kind: 'daily', times: ['08:00', '16:00'] }, assignees: ['op-a'], windowMinutes: 60, graceMinutes: 30 }, 'eng');
      expect(plan.nextAt).toBe('2026-11-29T00:00:00.000Z');
      const first = await inspection.runPlans(now);
      expect(first.map((t) => [t.startsAt, t.dueAt, t.closesAt, t.status])).toEqual([['2026-11-29T00:00:00.000Z', '2026-11-29T01:00:00.000Z', '2026-11-29T01:30:00.000Z', 'open']]);
      expect(await inspection.runPlans(now)).toEqual([]);
      expect((await inspection.definitions.plans.get(scope, plan.id)).nextAt).toBe('2026-11-29T08:00:00.000Z');
      expect(first[0]!.devices.map((d) => [d.device, d.name, d.record])).toEqual([['m-1', '机器1', null], ['m-2', '机器2', null]]);

      now = t0 + 70 * min;
      expect((await inspection.listTasks(scope, { status: 'overdue' })).map((t) => t.id)).toEqual([first[0]!.id]);
      expect(await inspection.listTasks(scope, { status: 'missed' })).toEqual([]);
      now = t0 + 95 * min;
      expect((await inspection.listTasks(scope, { status: 'missed' })).map((t) => t.id)).toEqual([first[0]!.id]);
      expect(await codeOf(inspection.checkIn(scope, first[0]!.id, { device: 'm-1', scanned: '88.100.1/dev.m-1', position: { lat: site.lat + 0.0005, lon: site.lon } }, operator))).toMatchObject({ code: 'INSPECTION_TASK_CLOSED', details: { reason: 'missed' } });

      // The platform was down over the 16:00 round and the next morning's: both are issued, the first as missed.
      now = Date.UTC(2026, 10, 30, 0, 20);
      const caught = await inspection.runPlans(now);
      expect(caught.map((t) => [t.startsAt, t.status])).toEqual([['2026-11-29T08:00:00.000Z', 'missed'], ['2026-11-30T00:00:00.000Z', 'open']]);
      const mine = await inspection.listTasks(scope, { assignee: 'op-a' });
      expect(mine.map((t) => t.status)).toEqual(['open', 'missed', 'missed']);
      expect(await inspection.listTasks(scope, { assignee: 'op-a2' })).toEqual([]);

      // Walking the round: both devices inspected → done.
      const open = caught[1]!;
      for (const device of ['m-1', 'm-2']) {
        const { record } = await inspection.checkIn(scope, open.id, { device, scanned: `http://h/r/88.100.1/dev.${device}`, position: { lat: site.lat + 0.0005, lon: site.lon } }, operator);
        await inspection.submit(scope, record.id, { results: [{ key: 'guard', ok: true }, { key: 'leaks', ok: true }, { key: 'oil', value: 80 }] }, operator);
      }
      const done = await inspection.getTask(scope, open.id);
      expect(done.status).toBe('done');
      expect(done.completedAt).not.toBeNull();
      expect((await inspection.listTasks(scope, { status: 'done' })).map((t) => t.id)).toEqual([open.id]);
    });

    it('checks in only with the device’s identifier, near it, and turns an out-of-range value into one work order and a history entry', async () => {
      const { route, standard } = await plant();
      await inspection.definitions.plans.create(scope, { name: '早班', routeId: route.id, schedule: { kind: 'daily', times: ['08:00'] }, assignees: ['op-a'], windowMinutes: 120 }, 'eng');
      const [task] = await inspection.runPlans(now);
      const near = { lat: site.lat + 0.0005 + 0.0003, lon: site.lon }; // ~33 m from m-1
      // Another machine's code, another user, too far, no position: each refused with its code.
      expect(await codeOf(inspection.checkIn(scope, task!.id, { device: 'm-1', scanned: 'http://h/r/88.100.1/dev.m-2', position: near }, operator))).toMatchObject({ code: 'INSPECTION_WRONG_DEVICE', details: { expected: '88.100.1/dev.m-1' } });
      expect(await codeOf(inspection.checkIn(scope, task!.id, { device: 'm-1', scanned: '88.100.1/dev.m-1', position: near }, { username: 'op-a2', manage: false }))).toMatchObject({ code: 'INSPECTION_NOT_ASSIGNED' });
      const far = await codeOf(inspection.checkIn(scope, task!.id, { device: 'm-1', scanned: '88.100.1/dev.m-1', position: { lat: site.lat + 0.01, lon: site.lon } }, operator));
      expect(far).toMatchObject({ code: 'INSPECTION_TOO_FAR', details: { radiusMeters: 100 } });
      expect((far.details as { distanceMeters: number }).distanceMeters).toBeGreaterThan(1000);
      expect(await codeOf(inspection.checkIn(scope, task!.id, { device: 'm-1', scanned: '88.100.1/dev.m-1', position: null, positionError: 'User denied Geolocation' }, operator))).toMatchObject({ code: 'INSPECTION_POSITION_UNAVAILABLE' });
      expect(await codeOf(inspection.checkIn(scope, task!.id, { device: 'm-9', scanned: '88.100.1/dev.m-9', position: near }, operator))).toMatchObject({ code: 'INSPECTION_TASK_CLOSED', details: { reason: 'not_on_round' } });

      // The asset identifier (urn:uuid) on the label works as well as the Handle.
      const m1 = (await assets.devices.find(scope, 'm-1'))!;
      const { record, standard: given } = await inspection.checkIn(scope, task!.id, { device: 'm-1', scanned: m1.identifier.toUpperCase(), position: { ...near, accuracy: 12 } }, operator);
      expect(given.id).toBe(standard.id);
      expect(record).toMatchObject({ status: 'checked_in', position: 'verified', inspector: 'op-a', accuracy: 12 });
      expect(record.distanceMeters).toBeGreaterThan(25);
      expect(record.distanceMeters).toBeLessThan(40);

      // Bad results: unknown key, missing required, wrong kind.
      expect(await codeOf(inspection.submit(scope, record.id, { results: [{ key: 'x', ok: true }] }, operator))).toMatchObject({ code: 'INSPECTION_RESULTS_INVALID', details: { item: 'x' } });
      expect(await codeOf(inspection.submit(scope, record.id, { results: [{ key: 'guard', ok: true }, { key: 'leaks', ok: true }] }, operator))).toMatchObject({ code: 'INSPECTION_RESULTS_INVALID', details: { item: 'oil' } });
      expect(await codeOf(inspection.submit(scope, record.id, { results: [{ key: 'guard', value: 1 }, { key: 'leaks', ok: true }, { key: 'oil', value: 1 }] }, operator))).toMatchObject({ code: 'INSPECTION_RESULTS_INVALID', details: { item: 'guard' } });
      expect(await codeOf(inspection.submit(scope, record.id, { results: [] }, { username: 'op-a2', manage: true }))).toMatchObject({ code: 'INSPECTION_NOT_ASSIGNED' });

      const submitted = await inspection.submit(scope, record.id, { results: [{ key: 'guard', ok: true }, { key: 'leaks', ok: true }, { key: 'oil', value: 12 }], note: '油标偏低' }, operator);
      expect(submitted).toMatchObject({ status: 'submitted', abnormal: true });
      expect(submitted.results.find((r) => r.key === 'oil')).toMatchObject({ value: 12, abnormal: true, min: 30, max: 100, unit: '%' });
      expect(submitted.results.find((r) => r.key === 'note')).toMatchObject({ ok: null, abnormal: false });
      const orders = await createMaintenanceService({ store, assets }).list(scope, { source: 'inspection' });
      expect(orders.map((o) => [o.id, o.device, o.sourceRef, o.priority])).toEqual([[submitted.workOrder, 'm-1', record.id, 'high']]);
      expect(orders[0]!.title).toContain('油位');
      expect(await codeOf(inspection.submit(scope, record.id, { results: [] }, operator))).toMatchObject({ code: 'INSPECTION_RESULTS_INVALID' });
      // Once inspected, the device takes no second check-in on this round.
      expect(await codeOf(inspection.checkIn(scope, task!.id, { device: 'm-1', scanned: '88.100.1/dev.m-1', position: near }, operator))).toMatchObject({ code: 'INSPECTION_TASK_CLOSED', details: { reason: 'inspected' } });

      const history = await assets.history.list(scope, 'm-1', { kind: 'inspection' });
      expect(history.map((h) => h.details)).toEqual([expect.objectContaining({ record: record.id, abnormal: true, items: ['oil'], workOrder: submitted.workOrder })]);
      expect((await inspection.deviceRecords(scope, 'm-1')).map((r) => r.id)).toEqual([record.id]);
      expect(await inspection.deviceRecords(tenantScope('tenant-b'), 'm-1')).toEqual([]);

      // m-2 has no position of its own: its site's counts. A manager may check in on another's round.
      const m2 = await inspection.checkIn(scope, task!.id, { device: 'm-2', scanned: '88.100.1/dev.m-2', position: { lat: site.lat + 0.0004, lon: site.lon } }, { username: 'eng', manage: true });
      expect(m2.record.position).toBe('verified');
      expect(m2.record.distanceMeters).toBeGreaterThan(40);
    });

    it('lets a plan allow check-ins without a position, recorded as unavailable', async () => {
      const { route } = await plant();
      await inspection.definitions.plans.create(scope, { name: '宽松', routeId: route.id, schedule: { kind: 'interval', every: 1, unit: 'days', startAt: new Date(t0 - 10 * min).toISOString() }, assignees: ['op-a'], windowMinutes: 60, allowWithoutPosition: true }, 'eng');
      const [task] = await inspection.runPlans(now);
      const { record } = await inspection.checkIn(scope, task!.id, { device: 'm-1', scanned: '88.100.1/dev.m-1', position: null, positionError: 'Position unavailable' }, operator);
      expect(record).toMatchObject({ position: 'unavailable', distanceMeters: null, lat: null, positionError: 'Position unavailable' });
    });
  });
}
