/**
 * Spot inspection over HTTP on the demo platform, on SQLite and PostgreSQL: the demo's standard, route and
 * plan; a round of the demo operator; check-in refused for the wrong code, too far, no position; results
 * checked against the standard; an out-of-range value opens a work order; records per device and history.
 */
import { loadConfig, storeBackends } from '@yulian/core';
import { type Platform, demoApi, startPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Where the demo's cnc-01 stands (demo/inspection.ts). */
const cnc01 = { lat: 29.6475, lon: 106.5614 };

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`spot inspection API on ${backend.name}`, () => {
    let platform: Platform;
    let cleanup: () => Promise<void>;
    let call: ReturnType<typeof demoApi>;

    beforeAll(async () => {
      const opened = await backend.open();
      cleanup = opened.cleanup;
      await opened.store.close();
      platform = await startPlatform(
        loadConfig({ env: { YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_DATA_DIR: opened.dataDir, YULIAN_STORE: opened.url, YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd', YULIAN_DEMO: '1' } }),
        { quiet: true },
      );
      call = demoApi(platform);
    }, 180_000);
    afterAll(async () => {
      await platform?.close();
      await cleanup?.();
    });

    it('walks the demo round: refuses the wrong code, a far or unknown position and bad results, and opens a work order for an out-of-range value', async () => {
      const mine = await call('GET', '/api/v1/inspection/tasks?mine=true', 'demo-operator');
      expect(mine.status).toBe(200);
      const task = (mine.json.items as Json[]).find((t) => t.status === 'open' || t.status === 'overdue');
      expect(task.devices.map((d: Json) => d.device)).toEqual(['cnc-01', 'cnc-02', 'cnc-03']);
      expect(task.assignees).toContain('demo-operator');
      const { identifier } = (await call('GET', '/api/v1/devices/cnc-01/identifier', 'demo-operator')).json;
      const other = (await call('GET', '/api/v1/devices/cnc-02/identifier', 'demo-operator')).json.identifier;
      const checkIn = (body: unknown, user = 'demo-operator') => call('POST', `/api/v1/inspection/tasks/${task.id}/check-in`, user, body);

      expect((await checkIn({ device: 'cnc-01', scanned: `http://x/r/${other}`, position: cnc01 })).json.error).toMatchObject({ code: 'INSPECTION_WRONG_DEVICE' });
      const far = await checkIn({ device: 'cnc-01', scanned: `http://x/r/${identifier}`, position: { lat: cnc01.lat + 0.01, lon: cnc01.lon } });
      expect(far.status).toBe(409);
      expect(far.json.error).toMatchObject({ code: 'INSPECTION_TOO_FAR', details: { radiusMeters: 100 } });
      expect(far.json.error.message).toMatch(/You are 11\d\d m from .*; check in within 100 m/);
      expect((await checkIn({ device: 'cnc-01', scanned: identifier, position: null, positionError: 'denied' })).json.error.code).toBe('INSPECTION_POSITION_UNAVAILABLE');
      expect((await checkIn({ device: 'cnc-01', scanned: identifier, position: { lat: 95, lon: 0 } })).json.error.code).toBe('VALIDATION_FAILED');
      expect((await checkIn({ device: 'cnc-01', scanned: identifier, position: cnc01 }, 'demo-analyst')).status).toBe(403);
      // The refusals are in the audit log.
      const audit = (await call('GET', '/api/v1/audit?action=inspection.check_in', 'demo-admin')).json;
      expect((audit.items as Json[]).filter((e) => e.outcome === 'failure').map((e) => e.details.error).sort()).toEqual(['INSPECTION_POSITION_UNAVAILABLE', 'INSPECTION_TOO_FAR', 'INSPECTION_WRONG_DEVICE']);

      const ok = await checkIn({ device: 'cnc-01', scanned: `http://x/r/${identifier}`, position: { ...cnc01, accuracy: 8 } });
      expect(ok.status).toBe(201);
      expect(ok.json.record).toMatchObject({ position: 'verified', device: 'cnc-01', status: 'checked_in' });
      const items = ok.json.standard.items as Json[];
      expect(items.map((i) => i.kind)).toEqual(expect.arrayContaining(['visual', 'measured', 'ok_nok']));
      const submit = (results: unknown) => call('POST', `/api/v1/inspection/records/${ok.json.record.id}/submit`, 'demo-operator', { results });
      const bad = await submit([{ key: 'guard', ok: true }]);
      expect(bad.status).toBe(400);
      expect(bad.json.error).toMatchObject({ code: 'INSPECTION_RESULTS_INVALID', details: { item: 'leaks' } });
      const done = await submit([{ key: 'guard', ok: true }, { key: 'leaks', ok: true }, { key: 'oil_level', value: 65 }, { key: 'air_pressure', value: 0.32, note: '压力低' }]);
      expect(done.status).toBe(200);
      expect(done.json).toMatchObject({ abnormal: true, status: 'submitted' });
      const order = (await call('GET', `/api/v1/work-orders/${done.json.workOrder}`, 'demo-operator')).json;
      expect(order).toMatchObject({ device: 'cnc-01', source: 'inspection', sourceRef: done.json.record ?? ok.json.record.id, priority: 'high', status: 'open' });
      expect(order.description).toContain('0.32 MPa');

      expect((await call('GET', '/api/v1/devices/cnc-01/inspections', 'demo-analyst')).json.items.map((r: Json) => r.id)).toEqual([ok.json.record.id]);
      const history = (await call('GET', '/api/v1/devices/cnc-01/history?limit=20', 'demo-operator')).json.items as Json[];
      expect(history.find((h) => h.kind === 'inspection')?.details).toMatchObject({ record: ok.json.record.id, workOrder: order.id, abnormal: true });
      const after = (await call('GET', `/api/v1/inspection/tasks/${task.id}`, 'demo-operator')).json;
      expect(after.devices[0]).toMatchObject({ device: 'cnc-01', record: ok.json.record.id, abnormal: true, workOrder: order.id });
      expect(after.status).not.toBe('done');
    });

    it('sets up standards, routes and plans for engineers only, with clear codes for bad input, and lists overdue rounds', async () => {
      const standards = (await call('GET', '/api/v1/inspection/standards', 'demo-operator')).json.items as Json[];
      expect(standards).toHaveLength(1);
      expect((await call('POST', '/api/v1/inspection/standards', 'demo-operator', { profileId: standards[0].profileId, name: 'x', items: [{ key: 'a', name: 'A', kind: 'visual' }] })).status).toBe(403);
      const twice = await call('POST', '/api/v1/inspection/standards', 'demo-engineer', { profileId: standards[0].profileId, name: 'x', items: [{ key: 'a', name: 'A', kind: 'visual' }] });
      expect(twice.json.error).toMatchObject({ code: 'INSPECTION_STANDARD_INVALID', details: { field: 'profileId' } });
      expect((await call('POST', '/api/v1/inspection/standards', 'demo-engineer', { profileId: standards[0].profileId, name: 'x', items: [] })).json.error.code).toBe('VALIDATION_FAILED');
      expect((await call('POST', '/api/v1/inspection/routes', 'demo-engineer', { name: 'r', devices: ['cnc-01', 'compressor-01'] })).json.error).toMatchObject({ code: 'INSPECTION_ROUTE_INVALID', details: { device: 'compressor-01' } });
      const route = await call('POST', '/api/v1/inspection/routes', 'demo-engineer', { name: '车床线 Lathe line', devices: ['cnc-04', 'cnc-05'] });
      expect(route.status).toBe(201);
      expect((await call('POST', '/api/v1/inspection/plans', 'demo-engineer', { name: 'p', routeId: route.json.id, schedule: { kind: 'daily', times: ['25:00'] }, assignees: ['demo-operator'], windowMinutes: 60 })).json.error.code).toBe('VALIDATION_FAILED');
      expect((await call('POST', '/api/v1/inspection/plans', 'demo-engineer', { name: 'p', routeId: route.json.id, schedule: { kind: 'daily', times: ['08:00'] }, assignees: ['demo2-admin'], windowMinutes: 60 })).json.error).toMatchObject({ code: 'INSPECTION_PLAN_INVALID', details: { assignee: 'demo2-admin' } });
      // A round that started 90 minutes ago with a 60-minute window and 60 minutes of grace: overdue now.
      const startAt = new Date(Date.now() - 90 * 60_000).toISOString();
      const plan = await call('POST', '/api/v1/inspection/plans', 'demo-engineer', { name: '车床线', routeId: route.json.id, schedule: { kind: 'interval', every: 1, unit: 'days', startAt }, assignees: ['demo-engineer'], windowMinutes: 60, graceMinutes: 60 });
      expect(plan.status).toBe(201);
      const overdue = (await call('GET', `/api/v1/inspection/tasks?status=overdue&plan=${plan.json.id}`, 'demo-operator')).json.items as Json[];
      expect(overdue.map((t) => [t.startsAt, t.status])).toEqual([[startAt, 'overdue']]);
      expect((await call('GET', '/api/v1/inspection/tasks?mine=true&status=overdue', 'demo-operator')).json.items.filter((t: Json) => t.planId === plan.json.id)).toEqual([]);
      expect((await call('GET', `/api/v1/inspection/tasks?status=missed&plan=${plan.json.id}`, 'demo-operator')).json.items).toEqual([]);
      expect((await call('GET', '/api/v1/inspection/tasks/nope', 'demo-operator')).json.error.code).toBe('INSPECTION_TASK_NOT_FOUND');
    });
  });
}
