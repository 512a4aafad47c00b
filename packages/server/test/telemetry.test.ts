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
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
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
    const t0 = Date.UTC(2026, 10, 1);
    const samples = [t0 + 1000, t0 + 2000, t0 + 3000].flatMap((ts, i) => [
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
        { point: 'model', ts: t0 + 3000, receivedTs: t0 + 3005, value: 'VMC-850', quality: 'good', reason: null },
        { point: 'spindle_rpm', ts: t0 + 3000, receivedTs: t0 + 3005, value: 1202, quality: 'good', reason: null },
        { point: 'temp', ts: t0 + 3000, receivedTs: t0 + 3005, value: null, quality: 'bad', reason: 'MODBUS_TIMEOUT' },
      ],
    });
    await new Promise((r) => setTimeout(r, 200));
    const rows = await platform.store.db.selectFrom('telemetry_raw').select((eb) => eb.fn.countAll<number>().as('n')).where('device', '=', 'press-99').execute();
    expect(Number(rows[0]?.n)).toBe(9);

    // The demo plant's machines report too; press-99 is listed beside them, for DEMO-0001 only.
    expect(((await get('/api/v1/devices', 'demo-admin')).body as { items: unknown[] }).items).toContainEqual(expect.objectContaining({ device: 'press-99', points: 3, lastTs: t0 + 3000, source: 'telemetry', gatewayId: null }));
    expect((await get('/api/v1/devices', 'demo2-admin')).body).toEqual({ items: [] });
    expect(await get('/api/v1/devices/press-99/latest', 'demo2-admin')).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    expect((await get('/api/v1/devices', 'demo-authority')).status).toBe(403);
  });

  it('answers time series, several devices at once and CSV, and refuses bad ranges with the limit', async () => {
    const me = (await get('/api/v1/auth/me', 'demo-admin')).body as { tenantId: string };
    const queue = platform.bus.workQueue(telemetryQueue, telemetryBatchSchema, telemetryQueueOptions);
    const t0 = Date.UTC(2026, 9, 1);
    // Two hours of one sample every 10 s.
    const samples = Array.from({ length: 720 }, (_, i) => ({ device: 'kiln-7', point: 'temp', ts: t0 + i * 10_000, receivedTs: t0 + i * 10_000, value: i % 60, quality: 'good' as const }));
    const batch = { tenantId: me.tenantId, gateway: 'gw-k', seq: 1, samples };
    await queue.enqueue(batch, { idempotencyKey: telemetryBatchKey(batch) });
    let res = await get(`/api/v1/devices/kiln-7/telemetry?point=temp&from=${t0}&to=${t0 + 7_200_000}&maxPoints=13`, 'demo-admin');
    for (let i = 0; i < 50 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      res = await get(`/api/v1/devices/kiln-7/telemetry?point=temp&from=${t0}&to=${t0 + 7_200_000}&maxPoints=13`, 'demo-admin');
    }
    // 2 h over 12 intervals: 10-minute buckets from the 1-minute tier, each 60 samples averaging 29.5.
    const series = (res.body as { series: Array<{ point: string; tier: string; intervalMs: number; points: Array<{ ts: number; value: number; count: number; min: number; max: number }> }> }).series;
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ point: 'temp', tier: '1m', intervalMs: 600_000 });
    expect(series[0]!.points).toHaveLength(12);
    expect(series[0]!.points.every((p) => p.count === 60 && p.value === 29.5 && p.min === 0 && p.max === 59)).toBe(true);

    const iso = new Date(t0).toISOString();
    const raw = await get(`/api/v1/devices/kiln-7/telemetry?from=${iso}&to=${t0 + 30_000}`, 'demo-admin');
    expect((raw.body as { series: Array<{ tier: string; points: unknown[] }> }).series[0]).toEqual({ point: 'temp', tier: 'raw', intervalMs: null, points: [0, 1, 2].map((i) => ({ ts: t0 + i * 10_000, value: i, quality: 'good' })) });

    const many = await platform.app.inject({ method: 'POST', url: '/api/v1/telemetry/query', headers: { authorization: `Bearer ${token['demo-admin']}` }, payload: { series: [{ device: 'kiln-7', point: 'temp' }], from: t0, to: t0 + 7_200_000, interval: '1h', agg: 'max' } });
    expect(many.json()).toMatchObject({ items: [{ device: 'kiln-7', point: 'temp', tier: '1h', intervalMs: 3_600_000, points: [{ ts: t0, value: 59 }, { ts: t0 + 3_600_000, value: 59 }] }] });

    const csv = await platform.app.inject({ url: `/api/v1/devices/kiln-7/telemetry.csv?from=${t0}&to=${t0 + 20_000}`, headers: { authorization: `Bearer ${token['demo-admin']}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\n')).toEqual(['device,point,time,ts,value,quality,reason', `kiln-7,temp,${iso},${t0},0,good,`, `kiln-7,temp,${new Date(t0 + 10_000).toISOString()},${t0 + 10_000},1,good,`, '']);

    expect(await get(`/api/v1/devices/kiln-7/telemetry?from=${t0 + 10}&to=${t0}`, 'demo-admin')).toMatchObject({ status: 400, body: { error: { code: 'TIME_RANGE_INVALID' } } });
    expect(await get(`/api/v1/devices/kiln-7/telemetry.csv?from=${t0}&to=${t0 + 40 * 86_400_000}`, 'demo-admin')).toMatchObject({ status: 400, body: { error: { code: 'TIME_RANGE_INVALID', message: expect.stringContaining('at most 31 days') } } });
    expect(await get(`/api/v1/devices/kiln-7/telemetry?point=nope&from=${t0}&to=${t0 + 1}`, 'demo-admin')).toMatchObject({ status: 404, body: { error: { code: 'POINT_NOT_FOUND' } } });
    expect(await get(`/api/v1/devices/kiln-7/telemetry.csv?point=nope&from=${t0}&to=${t0 + 1}`, 'demo-admin')).toMatchObject({ status: 404, body: { error: { code: 'POINT_NOT_FOUND' } } });
    expect(await get(`/api/v1/devices/kiln-7/telemetry?from=yesterday`, 'demo-admin')).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await get(`/api/v1/devices/kiln-7/telemetry?from=${t0}&to=${t0 + 1}`, 'demo2-admin')).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
  });
});
