import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@yulian/core';
import { ResponseCode, decodeSite, resolveHandle } from '@yulian/protocols';
import { demoPassword, startPlatform, type TestPlatform, startDemoPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('identifier resolution in the all-in-one platform', () => {
  let platform: TestPlatform;
  const entry = () => ({ host: '127.0.0.1', port: platform.identifier.entry.port });

  beforeAll(async () => {
    platform = await startDemoPlatform('identifier');
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  it('resolves the demo factory’s devices and products through the public entry, following 88 → 88.100 → 88.100.1', async () => {
    const device = await resolveHandle(entry(), '88.100.1/dev.cnc-01');
    expect(device.rc).toBe(ResponseCode.SUCCESS);
    const values = 'values' in device ? device.values : [];
    expect(values.find((v) => v.type === 'URL')?.data.toString()).toBe(`${platform.httpUrl}/#/devices/cnc-01`);
    expect(values.find((v) => v.type === 'device.uid')?.data.toString()).toMatch(/^urn:uuid:/);
    const product = await resolveHandle(entry(), '88.100.1/RV40E.202106.0023', { types: ['product.'] }, { transport: 'tcp' });
    expect('values' in product && product.values.map((v) => v.type)).toEqual(['product.name', 'product.model', 'product.batch', 'product.productionDate', 'product.manufacturer']);
    expect((await resolveHandle(entry(), '88.100.1/nothing-here')).rc).toBe(ResponseCode.HANDLE_NOT_FOUND);
    // The hierarchy behind the entry: the secondary node delegates 88.100.1 to the enterprise node.
    const delegation = await resolveHandle({ host: '127.0.0.1', port: platform.identifier.secondary.port }, '0.NA/88.100.1');
    const site = 'values' in delegation ? decodeSite(delegation.values.find((v) => v.type === 'HS_SITE.PREFIX')!.data) : undefined;
    expect(site?.servers[0]?.interfaces[0]?.port).toBe(platform.identifier.nodes.find((n) => n.prefix === '88.100.1')?.port);
    expect(platform.ports.filter((p) => p.service.startsWith('Handle protocol')).map((p) => p.protocol).sort()).toEqual(['tcp', 'udp']);
  });

  const login = async (username: string): Promise<string> => {
    const r = await fetch(`${platform.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }) });
    return ((await r.json()) as { token: string }).token;
  };
  const api = (path: string, init: RequestInit = {}) => fetch(`${platform.httpUrl}/api/handles/${path}`, init);

  it('answers Handle.Net’s /api/handles over HTTP through the same entry, and lets an enterprise register under its own prefix only', async () => {
    const got = await api('88.100.1/dev.cnc-01?type=URL');
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ responseCode: 1, handle: '88.100.1/dev.cnc-01', values: [{ index: 1, type: 'URL', data: { format: 'string', value: `${platform.httpUrl}/#/devices/cnc-01` } }] });
    expect((await api('88.100.1/nothing')).status).toBe(404);

    const body = JSON.stringify({ values: [{ index: 1, type: 'URL', data: { format: 'string', value: 'https://example.com/new-part' } }] });
    const put = (path: string, token?: string) => api(path, { method: 'PUT', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
    expect((await put('88.100.1/NEW-PART-1')).status).toBe(401);
    const engineer = await login('demo-engineer');
    expect((await put('88.100.1/NEW-PART-1', engineer)).status).toBe(201);
    expect((await put('88.100.2/NOT-MINE', engineer)).status).toBe(403);
    expect((await put('88.100.1/NEW-PART-2', await login('demo-operator'))).status).toBe(403);
    // Registered through HTTP, resolved through the Handle protocol entry (the demo enterprise's own node holds it).
    const r = await resolveHandle(entry(), '88.100.1/NEW-PART-1');
    expect('values' in r && r.values.find((v) => v.type === 'URL')?.data.toString()).toBe('https://example.com/new-part');
    const list = await fetch(`${platform.httpUrl}/api/handles?prefix=88.100.1`, { headers: { authorization: `Bearer ${engineer}` } });
    expect(((await list.json()) as { handles: string[] }).handles).toContain('88.100.1/NEW-PART-1');
  });

  it('refuses a new identifier beyond its prefix’s quota, over /api/handles as bulk jobs do', async () => {
    const registrar = await login('demo-registrar');
    const engineer = await login('demo-engineer');
    const total = async (): Promise<number> => Number(((await (await fetch(`${platform.httpUrl}/api/handles?prefix=88.100.1`, { headers: { authorization: `Bearer ${engineer}` } })).json()) as { totalCount: string }).totalCount);
    const setQuota = (quota: number | null) =>
      fetch(`${platform.httpUrl}/api/v1/identifiers/prefixes/88.100.1/quota`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${registrar}` }, body: JSON.stringify({ quota, reason: 'test' }) });
    const body = JSON.stringify({ values: [{ index: 1, type: 'URL', data: { format: 'string', value: 'https://example.com/q' } }] });
    const put = (suffix: string) => api(`88.100.1/${suffix}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${engineer}` }, body });
    expect((await setQuota(await total())).status).toBe(200);
    const refused = await put('OVER-QUOTA');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain('ID_QUOTA_EXCEEDED');
    // Changing an existing identifier is not a new one.
    expect((await put('NEW-PART-1')).status).toBe(200);
    expect((await setQuota(null)).status).toBe(200);
    expect((await put('OVER-QUOTA')).status).toBe(201);
  });

  it('lets the platform’s own node answer on the Handle port without the demo', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yulian-identifier-plain-'));
    const plain = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_HANDLE_PREFIX: '88.123', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    try {
      expect(plain.identifier.entry).toBe(plain.identifier.secondary);
      const own = await resolveHandle({ host: '127.0.0.1', port: plain.identifier.entry.port }, '0.NA/88.123');
      expect(own.rc).toBe(ResponseCode.SUCCESS);
    } finally {
      await plain.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
