import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestPlatform, demoApi, startDemoPlatform, waitFor } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('the alarm flood state through the API', () => {
  let platform: TestPlatform;
  let call: ReturnType<typeof demoApi>;
  let server: Server;
  let url: string;
  const received: Json[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A flood is more than three alarms in 10 minutes here, so six machines make one.
    platform = await startDemoPlatform('alarms-flood', { YULIAN_NOTIFY_FLOOD_LIMIT: '3' });
    call = demoApi(platform);
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('answers whether the caller’s enterprise and the caller’s own notifications are in a flood, since when, and from which devices and rules', async () => {
    const calm = await call('GET', '/api/v1/alarms/flood', 'demo-operator');
    expect(calm.status).toBe(200);
    expect(calm.json).toMatchObject({ limit: 3, windowMinutes: 10, inFlood: false, since: null, user: { username: 'demo-operator', inFlood: false, held: 0, summaryAt: null } });

    const channel = (await call('POST', '/api/v1/notifications/channels', 'demo-engineer', { name: '泛滥测试', config: { kind: 'webhook', url } })).json;
    expect((await call('POST', '/api/v1/notifications/subscriptions', 'demo-operator', { channel: channel.id, severities: ['minor'] })).status).toBe(201);
    // Every running CNC machine has a spindle temperature above -50 °C: six alarms at once.
    const rule = (await call('POST', '/api/v1/alarm-rules', 'demo-engineer', { name: '泛滥测试规则', severity: 'minor', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: -50 } })).json;
    await waitFor('six alarms', async () => (((await call('GET', '/api/v1/alarms?active=true', 'demo-operator')).json.items as Json[]).filter((a) => a.rule === rule.id).length >= 6 ? true : undefined), 30_000);
    const flooded = await waitFor('the operator’s held notifications', async () => {
      const f = (await call('GET', '/api/v1/alarms/flood', 'demo-operator')).json;
      return f.user.held >= 3 ? f : undefined;
    });
    expect(flooded).toMatchObject({ inFlood: true, user: { username: 'demo-operator', inFlood: true, held: 3 } });
    expect(flooded.count).toBeGreaterThanOrEqual(6);
    expect(Date.parse(flooded.since)).toBeLessThanOrEqual(Date.now());
    expect(flooded.user.summaryAt).not.toBeNull();
    expect(flooded.top.rules[0]).toEqual({ rule: rule.id, ruleName: '泛滥测试规则', count: 6 });
    expect(flooded.top.devices.every((d: Json) => d.device.startsWith('cnc-'))).toBe(true);

    // The operator heard of three alarms, then one summary instead of the other three.
    await waitFor('four messages', async () => (received.length >= 4 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    expect(received.map((m) => m.type)).toEqual(['alarm.raised', 'alarm.raised', 'alarm.raised', 'alarm.flood']);
    expect(received[3]).toMatchObject({ user: 'demo-operator', count: 4, limit: 3, windowMinutes: 10 });

    // Another enterprise is not in this one's flood; a user without subscriptions holds nothing.
    expect((await call('GET', '/api/v1/alarms/flood', 'demo2-admin')).json).toMatchObject({ inFlood: false, count: 0, top: { devices: [], rules: [] }, user: { inFlood: false, count: 0 } });
    expect((await call('GET', '/api/v1/alarms/flood', 'demo-analyst')).json).toMatchObject({ inFlood: true, user: { username: 'demo-analyst', inFlood: false, held: 0 } });
    await call('DELETE', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer');
  });
});
