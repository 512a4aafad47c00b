import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@yulian/core';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';

type Json = Record<string, unknown>;

describe('assets, profiles and lifecycle through the platform', () => {
  let platform: Platform;
  let dataDir: string;
  const token: Record<string, string> = {};
  const call = async (as: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await platform.app.inject({ method, url, headers: { authorization: `Bearer ${token[as]}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) });
    const type = String(res.headers['content-type'] ?? '');
    return { status: res.statusCode, headers: res.headers, raw: res.rawPayload, body: (type.includes('json') ? res.json() : res.body) as Json & { items: Json[]; error: { code: string; details?: Json } } };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-assets-'));
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    for (const user of ['demo-admin', 'demo-engineer', 'demo-operator', 'demo2-admin', 'demo-authority']) {
      const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: demoPassword } });
      token[user] = res.json<{ token: string }>().token;
    }
  });
  afterAll(async () => {
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds the demo plant: a site with workshops and lines, an SVG floor plan and every machine placed and in service', async () => {
    const tree = await call('demo-admin', 'GET', '/api/v1/assets/tree');
    expect(tree.status).toBe(200);
    const site = tree.body.items.find((n) => n['code'] === 'demo-plant') as Json & { id: string; plan: Json; children: Array<Json & { children: Json[]; devices: string[] }> };
    expect(site).toMatchObject({ kind: 'site', name: '渝联示范工厂 / Yulian demo plant', plan: { kind: 'image', contentType: 'image/svg+xml' } });
    const machining = site.children.find((c) => c['code'] === 'machining')!;
    expect(machining.children.map((c) => c['code']).sort()).toEqual(['lathe-line', 'vmc-line']);
    expect((machining.children.find((c) => c['code'] === 'vmc-line') as { devices: string[] }).devices).toEqual(['cnc-01', 'cnc-02', 'cnc-03']);
    const plan = await call('demo-admin', 'GET', site.plan['url'] as string);
    expect(plan.status).toBe(200);
    expect(plan.headers['content-type']).toBe('image/svg+xml');
    expect(String(plan.body)).toContain('<svg');

    const devices = (await call('demo-admin', 'GET', '/api/v1/assets/devices')).body.items;
    expect(devices.map((d) => d['device'])).toEqual(expect.arrayContaining(['cnc-01', 'cnc-06', 'compressor-02', 'paint-line-1', 'yulian-demo/energy-gw/water-main']));
    expect(devices.every((d) => d['lifecycle'] === 'in_service' && d['siteId'] === site.id && typeof d['x'] === 'number')).toBe(true);
    const profiles = (await call('demo-admin', 'GET', '/api/v1/profiles')).body.items;
    expect(profiles).toEqual(expect.arrayContaining([expect.objectContaining({ protocol: 'modbus-tcp', name: expect.stringContaining('CNC') }), expect.objectContaining({ protocol: 'modbus-tcp', name: expect.stringContaining('compressor') })]));
    expect(profiles).toHaveLength(2);
    const cnc = profiles.find((p) => String(p['name']).includes('CNC'))!;
    const compressors = profiles.find((p) => String(p['name']).includes('compressor'))!;
    expect(devices.find((d) => d['device'] === 'cnc-04')).toMatchObject({ profileId: cnc['id'], model: 'YL-CK6150' });
    expect(devices.find((d) => d['device'] === 'compressor-02')).toMatchObject({ profileId: compressors['id'], model: 'YL-SA75' });
  });

  it('answers 404 with a code for unknown devices, nodes and profiles, and keeps another enterprise’s assets out of sight', async () => {
    expect((await call('demo-admin', 'GET', '/api/v1/devices/no-such/asset')).body.error.code).toBe('DEVICE_NOT_FOUND');
    expect((await call('demo-admin', 'GET', '/api/v1/assets/nodes/no-such')).body.error.code).toBe('ASSET_NODE_NOT_FOUND');
    expect(await call('demo-admin', 'PUT', '/api/v1/devices/cnc-01/asset', { siteId: 'no-such' })).toMatchObject({ status: 404, body: { error: { code: 'ASSET_NODE_NOT_FOUND' } } });
    expect(await call('demo-admin', 'POST', '/api/v1/profiles/no-such/import', 'id\nx', { 'content-type': 'text/csv' })).toMatchObject({ status: 404, body: { error: { code: 'PROFILE_NOT_FOUND' } } });
    expect(await call('demo-admin', 'POST', '/api/v1/devices/no-such/lifecycle', { to: 'retired', reason: 'x' })).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });

    expect((await call('demo2-admin', 'GET', '/api/v1/assets/tree')).body).toEqual({ items: [] });
    expect((await call('demo2-admin', 'GET', '/api/v1/assets/devices')).body).toEqual({ items: [] });
    expect((await call('demo2-admin', 'GET', '/api/v1/profiles')).body).toEqual({ items: [] });
    for (const url of ['/api/v1/devices/cnc-01/asset', '/api/v1/devices/cnc-01/history', '/api/v1/devices/cnc-01/documents', '/api/v1/devices/cnc-01/qr.svg']) {
      expect(await call('demo2-admin', 'GET', url)).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    }
    expect((await call('demo2-admin', 'POST', '/api/v1/devices/cnc-01/lifecycle', { to: 'retired', reason: 'mine now' })).status).toBe(404);
    const site = (await call('demo-admin', 'GET', '/api/v1/assets/nodes?kind=site')).body.items[0]!;
    expect((await call('demo2-admin', 'GET', `/api/v1/assets/nodes/${site['id'] as string}`)).status).toBe(404);
    expect((await call('demo-operator', 'PUT', '/api/v1/devices/cnc-01/asset', { serial: 'x' })).status).toBe(403);
  });

  it('gives an authority counts and states per enterprise and site, never device names or values', async () => {
    const summary = await call('demo-authority', 'GET', '/api/v1/assets/summary');
    expect(summary.status).toBe(200);
    const demo = (summary.body['enterprises'] as Array<Json & { sites: Json[]; lifecycle: Record<string, number> }>).find((e) => e['code'] === 'DEMO-0001')!;
    expect(demo['devices']).toBeGreaterThanOrEqual(19);
    expect(demo.lifecycle['in_service']).toBeGreaterThanOrEqual(19);
    expect(demo.sites).toContainEqual(expect.objectContaining({ name: '渝联示范工厂 / Yulian demo plant', devices: 19 }));
    expect((summary.body['enterprises'] as Json[]).map((e) => e['code'])).toEqual(expect.arrayContaining(['DEMO-0001', 'DEMO-0002']));
    expect(JSON.stringify(summary.body)).not.toMatch(/cnc-0|compressor-0|spindle/);
    for (const url of ['/api/v1/assets/devices', '/api/v1/assets/tree', '/api/v1/devices/cnc-01/asset', '/api/v1/profiles']) expect((await call('demo-authority', 'GET', url)).status).toBe(403);
    // An enterprise sees its own figures only.
    expect(((await call('demo2-admin', 'GET', '/api/v1/assets/summary')).body['enterprises'] as Json[]).map((e) => e['code'])).toEqual(['DEMO-0002']);
  });

  it('moves a planned device through its lifecycle, refuses a skipped step, and records and audits each transition', async () => {
    const created = await call('demo-engineer', 'PUT', '/api/v1/devices/press-01/asset', { name: '冲压机 1', serial: 'P-1', manufacturer: 'ACME' });
    expect(created).toMatchObject({ status: 201, body: { device: 'press-01', lifecycle: 'planned', siteId: null } });
    const uid = created.body['uid'] as string;
    expect(await call('demo-engineer', 'POST', '/api/v1/devices/press-01/lifecycle', { to: 'in_service', reason: 'skip ahead' })).toMatchObject({ status: 409, body: { error: { code: 'LIFECYCLE_TRANSITION_INVALID' } } });
    for (const to of ['installed', 'commissioning', 'in_service', 'under_maintenance']) {
      expect((await call('demo-engineer', 'POST', '/api/v1/devices/press-01/lifecycle', { to, reason: `step ${to}` })).status).toBe(200);
    }
    const history = (await call('demo-operator', 'GET', '/api/v1/devices/press-01/history')).body.items;
    expect(history.map((h) => [h['from'], h['to'], h['actor']])).toEqual([
      ['in_service', 'under_maintenance', 'demo-engineer'],
      ['commissioning', 'in_service', 'demo-engineer'],
      ['installed', 'commissioning', 'demo-engineer'],
      ['planned', 'installed', 'demo-engineer'],
      [null, 'planned', 'demo-engineer'],
    ]);
    // Renamed and moved, the identifier stays.
    const site = (await call('demo-admin', 'GET', '/api/v1/assets/nodes?kind=site')).body.items[0]!;
    const moved = await call('demo-engineer', 'PUT', '/api/v1/devices/press-01/asset', { name: '冲压机 一号', siteId: site['id'], x: 0.7, y: 0.5 });
    expect(moved.body).toMatchObject({ uid, identifier: `urn:uuid:${uid}`, x: 0.7, name: '冲压机 一号' });
    expect((await call('demo-engineer', 'GET', `/api/v1/assets/resolve/urn:uuid:${uid}`)).body).toMatchObject({ device: 'press-01' });
    expect((await call('demo-engineer', 'PUT', '/api/v1/devices/press-01/asset', { x: 2, y: 0 })).body.error.code).toBe('VALIDATION_FAILED');
    const audit = (await call('demo-admin', 'GET', '/api/v1/audit?action=asset.lifecycle')).body.items;
    expect(audit[0]).toMatchObject({ actor: 'demo-engineer', target: 'press-01', details: { from: 'in_service', to: 'under_maintenance', reason: 'step under_maintenance' } });
  });

  it('stores, lists, serves and deletes device documents, and draws a QR label of the stable identifier', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300_000, 1)]);
    const up = await call('demo-engineer', 'POST', `/api/v1/devices/cnc-01/documents?name=${encodeURIComponent('使用说明书.pdf')}&category=manual`, pdf as unknown as string, { 'content-type': 'application/pdf' });
    expect(up).toMatchObject({ status: 201, body: { name: '使用说明书.pdf', category: 'manual', contentType: 'application/pdf', size: pdf.length } });
    const list = (await call('demo-operator', 'GET', '/api/v1/devices/cnc-01/documents')).body.items;
    expect(list).toHaveLength(1);
    const down = await call('demo-operator', 'GET', up.body['url'] as string);
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(String(down.headers['content-disposition'])).toContain("filename*=UTF-8''%E4%BD%BF");
    expect(down.raw.equals(pdf)).toBe(true);
    expect((await call('demo2-admin', 'GET', up.body['url'] as string)).status).toBe(404);
    expect((await call('demo-operator', 'DELETE', up.body['url'] as string)).status).toBe(403);
    expect((await call('demo-engineer', 'DELETE', up.body['url'] as string)).status).toBe(204);
    expect((await call('demo-engineer', 'GET', up.body['url'] as string)).body.error.code).toBe('FILE_NOT_FOUND');
    expect((await call('demo-engineer', 'POST', '/api/v1/devices/cnc-01/documents?name=empty.txt', '', { 'content-type': 'text/plain' })).status).toBe(400);

    const asset = (await call('demo-operator', 'GET', '/api/v1/devices/cnc-01/asset')).body;
    const qr = await call('demo-operator', 'GET', '/api/v1/devices/cnc-01/qr.svg');
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toContain('image/svg+xml');
    expect(String(qr.body)).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<path fill="#000" d="M/);
    expect(String(qr.body)).toContain(asset['identifier'] as string);
  });

  it('refuses a non-image floor plan and accepts a grid', async () => {
    const site = (await call('demo-admin', 'POST', '/api/v1/assets/nodes', { kind: 'site', code: 'plant-2', name: '二厂' })).body;
    expect((await call('demo-admin', 'PUT', `/api/v1/assets/nodes/${site['id'] as string}/plan`, Buffer.from('GIF89a....') as unknown as string, { 'content-type': 'image/png' })).body.error.code).toBe('FILE_TYPE_INVALID');
    expect((await call('demo-admin', 'PUT', `/api/v1/assets/nodes/${site['id'] as string}/plan`, { grid: { rows: 10, cols: 16 } })).body).toMatchObject({ plan: { kind: 'grid', rows: 10, cols: 16 } });
    expect((await call('demo-admin', 'GET', `/api/v1/assets/nodes/${site['id'] as string}/plan`)).body.error.code).toBe('FILE_NOT_FOUND');
    expect((await call('demo-admin', 'DELETE', `/api/v1/assets/nodes/${site['id'] as string}`)).status).toBe(204);
  });

  it('imports 1,000 devices from a CSV all-or-nothing, reports bad rows per line, and imports the valid rows when asked', async () => {
    expect((await call('demo-admin', 'POST', '/api/v1/gateways', { id: 'gw-import', name: 'Import target' })).status).toBe(201);
    const profile = (await call('demo-admin', 'GET', '/api/v1/profiles')).body.items.find((p: Record<string, unknown>) => String(p['name']).includes('CNC'))!;
    const url = `/api/v1/profiles/${profile['id'] as string}/import`;
    const rows = Array.from({ length: 1000 }, (_, i) => `imp-${i},导入 ${i},gw-import,10.1.${i >> 8}.${i & 255},502,1,demo-plant,lathe-line,${(0.1 + (i % 40) / 100).toFixed(2)},0.5`);
    const header = 'id,name,gateway,host,port,unitId,site,area,x,y';
    const bad = [header, ...rows.slice(0, 3), 'imp-0,dup,gw-import,10.0.0.1,502,1,,,,', 'imp-x,bad,gw-nope,10.0.0.1,abc,1,,,,'].join('\n');
    const refused = await call('demo-admin', 'POST', url, bad, { 'content-type': 'text/csv' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('IMPORT_ROWS_INVALID');
    expect((refused.body.error.details as { errors: Json[] }).errors.map((e) => [e['row'], e['column'], e['code']])).toEqual([
      [5, 'id', 'DUPLICATE_IN_FILE'],
      [6, 'gateway', 'GATEWAY_NOT_FOUND'],
      [6, 'port', 'NOT_A_NUMBER'],
    ]);
    expect((await call('demo-admin', 'GET', '/api/v1/assets/devices?lifecycle=planned')).body.items.filter((d) => String(d['device']).startsWith('imp-'))).toEqual([]);

    const partial = await call('demo-admin', 'POST', url, { csv: bad, mode: 'valid-rows' });
    expect(partial).toMatchObject({ status: 200, body: { imported: 3, skipped: 2 } });

    const t0 = performance.now();
    const full = await call('demo-admin', 'POST', url, [header, ...rows.slice(3)].join('\r\n'), { 'content-type': 'text/csv' });
    const ms = performance.now() - t0;
    console.log(`[assets] 997-row CSV import over HTTP on ${platform.store.dialect}: ${ms.toFixed(0)} ms (service ${String(full.body['durationMs'])} ms)`);
    expect(full).toMatchObject({ status: 200, body: { imported: 997, skipped: 0, errors: [] } });
    expect(ms).toBeLessThan(10_000);
    const gateway = (await call('demo-admin', 'GET', '/api/v1/devices')).body.items.filter((d) => d['gatewayId'] === 'gw-import');
    expect(gateway).toHaveLength(1000);
    const audit = (await call('demo-admin', 'GET', '/api/v1/audit?action=asset.import')).body.items;
    expect(audit.map((a) => a['details'])).toEqual([expect.objectContaining({ imported: 997 }), expect.objectContaining({ imported: 3, mode: 'valid-rows' })]);
  });

  it('seeds the demo plant once: a restart on the same data directory adds nothing and keeps devices where users moved them', async () => {
    expect((await call('demo-admin', 'PUT', '/api/v1/devices/cnc-02/asset', { x: 0.33, y: 0.3 })).status).toBe(200);
    const before = (await call('demo-admin', 'GET', '/api/v1/assets/nodes')).body.items.length;
    await platform.close();
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'demo-admin', password: demoPassword } });
    token['demo-admin'] = res.json<{ token: string }>().token;
    expect((await call('demo-admin', 'GET', '/api/v1/assets/nodes')).body.items).toHaveLength(before);
    expect((await call('demo-admin', 'GET', '/api/v1/profiles')).body.items).toHaveLength(2);
    expect((await call('demo-admin', 'GET', '/api/v1/devices/cnc-02/asset')).body).toMatchObject({ x: 0.33, y: 0.3, lifecycle: 'in_service' });
  });
});
