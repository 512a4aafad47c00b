import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telemetryBatchSchema } from '@yulian/contracts';
import { loadConfig, telemetryBatchKey, telemetryQueue, telemetryQueueOptions } from '@yulian/core';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';

describe('telemetry through the platform', () => {
  let platform: Platform;
  let dataDir: string;
  const token: Record<string, string> = {};
  const get = async (url: string, as: string) => {
    const res = await platform.app.inject({ url, headers: { authorization: `Bearer ${token[as]}` } });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-telemetry-'));
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    for (const user of ['demo-admin', 'demo2-admin', 'demo-authority']) {
      const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: demoPassword } });
      token[user] = res.json<{ token: string }>().token;
    }
  });
  afterAll(async () => {
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the demo plant’s machines with good values within seconds of start', async () => {
    let devices: string[] = [];
    for (let i = 0; i < 100 && !devices.includes('compressor-02'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      devices = ((await get('/api/v1/devices', 'demo-admin')).body as { items: Array<{ device: string }> }).items.map((d) => d.device);
    }
    expect(devices).toEqual(expect.arrayContaining(['cnc-01', 'cnc-06', 'compressor-01', 'compressor-02']));
    const latest = (await get('/api/v1/devices/cnc-01/latest', 'demo-admin')).body as { items: Array<{ point: string; value: unknown; quality: string }> };
    expect(latest.items.find((p) => p.point === 'model')).toMatchObject({ value: 'YL-VMC850', quality: 'good' });
    expect(latest.items.every((p) => p.quality === 'good')).toBe(true);
  });

  it('stores a batch from a gateway once, even when it is delivered twice, and serves the latest values to its tenant only', async () => {
    const me = (await get('/api/v1/auth/me', 'demo-admin')).body as { tenantId: string };
    const queue = platform.bus.workQueue(telemetryQueue, telemetryBatchSchema, telemetryQueueOptions);
    const samples = [1000, 2000, 3000].flatMap((ts, i) => [
      { device: 'press-99', point: 'spindle_rpm', ts, receivedTs: ts + 5, value: 1200 + i, quality: 'good' as const },
      { device: 'press-99', point: 'model', ts, receivedTs: ts + 5, value: 'VMC-850', quality: 'good' as const },
      { device: 'press-99', point: 'temp', ts, receivedTs: ts + 5, value: null, quality: 'bad' as const, reason: 'MODBUS_TIMEOUT' },
    ]);
    const batch = { tenantId: me.tenantId, gateway: 'gw-a', seq: 1, samples };
    await queue.enqueue(batch, { idempotencyKey: telemetryBatchKey(batch) });
    // The same batch again under another key (a gateway that lost its acknowledgement and its window).
    await queue.enqueue(batch, { idempotencyKey: 'gw-a:1-again' });

    let latest = await get('/api/v1/devices/press-99/latest', 'demo-admin');
    for (let i = 0; i < 50 && latest.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      latest = await get('/api/v1/devices/press-99/latest', 'demo-admin');
    }
    expect(latest.body).toEqual({
      device: 'press-99',
      items: [
        { point: 'model', ts: 3000, receivedTs: 3005, value: 'VMC-850', quality: 'good', reason: null },
        { point: 'spindle_rpm', ts: 3000, receivedTs: 3005, value: 1202, quality: 'good', reason: null },
        { point: 'temp', ts: 3000, receivedTs: 3005, value: null, quality: 'bad', reason: 'MODBUS_TIMEOUT' },
      ],
    });
    await new Promise((r) => setTimeout(r, 200));
    const rows = await platform.store.db.selectFrom('telemetry_raw').select((eb) => eb.fn.countAll<number>().as('n')).where('device', '=', 'press-99').execute();
    expect(Number(rows[0]?.n)).toBe(9);

    // The demo plant's machines report too; press-99 is listed beside them, for DEMO-0001 only.
    expect(((await get('/api/v1/devices', 'demo-admin')).body as { items: unknown[] }).items).toContainEqual(expect.objectContaining({ device: 'press-99', points: 3, lastTs: 3000, source: 'telemetry', gatewayId: null }));
    expect((await get('/api/v1/devices', 'demo2-admin')).body).toEqual({ items: [] });
    expect(await get('/api/v1/devices/press-99/latest', 'demo2-admin')).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    expect((await get('/api/v1/devices', 'demo-authority')).status).toBe(403);
  });
});
