import { createHmac } from 'node:crypto';
import type { LiveServerMessage } from '@yulian/devices';
import { type TestPlatform, demoPassword, startDemoPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { receiver } from './support/webhook-receiver.js';

// What the API answers, as far as these tests look into it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('notifications, escalation and shelving through the API', () => {
  let platform: TestPlatform;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    hook = await receiver();
    platform = await startDemoPlatform('notifications', { YULIAN_NOTIFY_RETRY_BASE_MS: '20', YULIAN_NOTIFY_MAX_ATTEMPTS: '2' });
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await hook?.close();
  });

  const token = async (user: string): Promise<string> => {
    let t = tokens.get(user);
    if (!t) {
      const r = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: demoPassword } });
      t = (r.json() as { token: string }).token;
      tokens.set(user, t);
    }
    return t;
  };
  const call = async (method: string, path: string, user: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const r = await platform.app.inject({ method: method as 'GET', url: path, headers: { authorization: `Bearer ${await token(user)}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: r.statusCode, json: r.body ? r.json() : undefined };
  };
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('keeps channels to engineers and admins, hides their secrets, checks them per kind and sends a signed test message', async () => {
    expect((await call('POST', '/api/v1/notifications/channels', 'demo-operator', { name: 'x', config: { kind: 'webhook', url: hook.url } })).status).toBe(403);
    const bad = await call('POST', '/api/v1/notifications/channels', 'demo-engineer', { name: 'x', config: { kind: 'wecom', url: 'ftp://robot' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'NOTIFICATION_CHANNEL_INVALID', details: { field: 'config.url' } });
    const created = await call('POST', '/api/v1/notifications/channels', 'demo-engineer', { name: '值班系统', config: { kind: 'webhook', url: `${hook.url}/test`, secret: 'k3y' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ kind: 'webhook', secretSet: true, config: { url: `${hook.url}/test` } });
    expect(JSON.stringify(created.json)).not.toContain('k3y');
    expect((await call('GET', '/api/v1/notifications/channels', 'demo2-admin')).json.items).toEqual([]);

    const sent = await call('POST', `/api/v1/notifications/channels/${created.json.id}/test`, 'demo-engineer', {});
    expect(sent).toMatchObject({ status: 200, json: { sent: true } });
    const got = hook.received.find((r) => r.url === '/test')!;
    expect(got.json.type).toBe('test');
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(got.headers['x-yulian-signature']))!;
    expect(createHmac('sha256', 'k3y').update(`${t}.${got.body}`).digest('hex')).toBe(v1);

    // Replacing without the secret keeps it; an endpoint that is down answers NOTIFICATION_SEND_FAILED.
    const down = await receiver();
    await down.close();
    const replaced = await call('PUT', `/api/v1/notifications/channels/${created.json.id}`, 'demo-engineer', { name: '值班系统', config: { kind: 'webhook', url: down.url } });
    expect(replaced.json.secretSet).toBe(true);
    const failed = await call('POST', `/api/v1/notifications/channels/${created.json.id}/test`, 'demo-engineer', {});
    expect(failed.status).toBe(502);
    expect(failed.json.error.code).toBe('NOTIFICATION_SEND_FAILED');
    expect((await call('DELETE', `/api/v1/notifications/channels/${created.json.id}`, 'demo-engineer')).status).toBe(200);
  });

  it('notifies subscribers of a new alarm, pushes it live, escalates it unacknowledged, and shelves it with a reason', async () => {
    const channel = (await call('POST', '/api/v1/notifications/channels', 'demo-engineer', { name: '告警推送', config: { kind: 'webhook', url: `${hook.url}/alarms` } })).json;
    // A dead end too: its deliveries are dead-lettered and re-driven once it is back.
    const gone = await receiver();
    await gone.close();
    const deadEnd = (await call('POST', '/api/v1/notifications/channels', 'demo-engineer', { name: '备用', config: { kind: 'webhook', url: `${gone.url}/late` } })).json;
    const mine = await call('POST', '/api/v1/notifications/subscriptions', 'demo-operator', { channel: channel.id, severities: ['warning'] });
    expect(mine.status).toBe(201);
    expect((await call('POST', '/api/v1/notifications/subscriptions', 'demo-operator', { channel: deadEnd.id, severities: ['warning'] })).status).toBe(201);
    expect((await call('POST', '/api/v1/notifications/subscriptions', 'demo-operator', { channel: channel.id, user: 'demo-engineer' })).status).toBe(403);
    expect((await call('POST', '/api/v1/notifications/subscriptions', 'demo-engineer', { channel: channel.id, user: 'demo2-admin' })).json.error.code).toBe('USER_NOT_FOUND');
    // The engineer hears only critical alarms, and escalations.
    expect((await call('POST', '/api/v1/notifications/subscriptions', 'demo-engineer', { channel: channel.id, severities: ['critical'] })).status).toBe(201);
    const own = (await call('GET', '/api/v1/notifications/subscriptions', 'demo-operator')).json.items;
    expect(own.map((s: Json) => [s.user, s.channel, s.severities])).toEqual([['demo-operator', channel.id, ['warning']], ['demo-operator', deadEnd.id, ['warning']]]);

    // The console's live socket hears every alarm event of its enterprise without subscribing to devices.
    const ws = new WebSocket(`${platform.httpUrl.replace('http:', 'ws:')}/api/v1/live`);
    const frames: LiveServerMessage[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as LiveServerMessage));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'auth', token: await token('demo-operator') }));
    try {
      const rule = (
        await call('POST', '/api/v1/alarm-rules', 'demo-engineer', {
          name: '主轴温度通知',
          severity: 'warning',
          condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: -50 },
          device: 'cnc-02',
          escalation: { afterMinutes: 0.02, users: ['demo-engineer'] },
        })
      ).json;
      expect(rule.escalation).toEqual({ afterMinutes: 0.02, users: ['demo-engineer'] });
      const raised = await waitFor('the webhook of the raise', async () => hook.received.find((r) => r.url === '/alarms' && r.json.type === 'alarm.raised' && r.json.event.alarm.rule === rule.id));
      const alarmId = raised.json.event.alarm.id as string;
      expect(raised.json.event.alarm).toMatchObject({ device: 'cnc-02', severity: 'warning', state: 'active_unack' });
      await waitFor('the live frame', async () => frames.find((f) => f.type === 'alarm' && f.event.alarm.id === alarmId && f.event.kind === 'raised'));
      // Unacknowledged past 1.2 s: escalated once, to the engineer (whose own subscription is critical only).
      const escalated = await waitFor('the escalation', async () => hook.received.find((r) => r.json.type === 'alarm.escalated' && r.json.event.alarm.id === alarmId));
      expect(escalated.json.event.alarm.escalatedAt).not.toBeNull();
      expect((await call('GET', `/api/v1/alarms/${alarmId}`, 'demo-operator')).json.escalatedAt).not.toBeNull();

      // Shelving: bounded, with a reason, audited; hidden from the default list until unshelved.
      expect((await call('POST', `/api/v1/alarms/${alarmId}/shelve`, 'demo-operator', { minutes: 30 })).status).toBe(400);
      const tooLong = await call('POST', `/api/v1/alarms/${alarmId}/shelve`, 'demo-operator', { minutes: 100_000, reason: '长期' });
      expect(tooLong.json.error).toMatchObject({ code: 'ALARM_SHELVE_INVALID', details: { maxMinutes: 10_080 } });
      const shelved = await call('POST', `/api/v1/alarms/${alarmId}/shelve`, 'demo-operator', { minutes: 30, reason: '传感器校准中' });
      expect(shelved.json).toMatchObject({ shelvedBy: 'demo-operator', shelveReason: '传感器校准中' });
      expect((await call('GET', '/api/v1/alarms?active=true', 'demo-operator')).json.items.some((a: Json) => a.id === alarmId)).toBe(false);
      expect((await call('GET', '/api/v1/alarms?shelved=true', 'demo-operator')).json.items.map((a: Json) => a.id)).toEqual([alarmId]);
      await waitFor('the live shelve frame', async () => frames.find((f) => f.type === 'alarm' && f.event.kind === 'shelved' && f.event.alarm.id === alarmId));
      const audit = await call('GET', '/api/v1/audit?action=alarm.shelve', 'demo-admin');
      expect(audit.status).toBe(200);
      expect(JSON.stringify(audit.json)).toContain('传感器校准中');
      expect((await call('POST', `/api/v1/alarms/${alarmId}/unshelve`, 'demo-operator')).json.shelvedUntil).toBeNull();
      expect((await call('GET', '/api/v1/alarms?active=true', 'demo-operator')).json.items.some((a: Json) => a.id === alarmId)).toBe(true);
      expect((await call('POST', `/api/v1/alarms/${alarmId}/ack`, 'demo-operator')).status).toBe(200);
      const kinds = (await call('GET', `/api/v1/alarms/${alarmId}/events`, 'demo-operator')).json.items.map((e: Json) => e.kind);
      expect(kinds).toEqual(['raised', 'escalated', 'shelved', 'unshelved', 'acknowledged']);
      expect((await call('DELETE', `/api/v1/alarm-rules/${rule.id}`, 'demo-engineer')).status).toBe(200);

      // The dead end's delivery is a dead letter after two attempts; operators may not see deliveries.
      expect((await call('GET', '/api/v1/notifications/deliveries?status=dead', 'demo-operator')).status).toBe(403);
      const dead = await waitFor('the dead letter', async () => (await call('GET', '/api/v1/notifications/deliveries?status=dead', 'demo-engineer')).json.items.find((d: Json) => d.channel === deadEnd.id));
      expect(dead).toMatchObject({ attempts: 2, kind: 'alarm', lastError: expect.any(String) });
      const back = await receiver(gone.port);
      try {
        const redriven = await call('POST', `/api/v1/notifications/deliveries/${dead.id}/redrive`, 'demo-engineer');
        expect(redriven.json).toMatchObject({ status: 'pending', attempts: 0 });
        await waitFor('the re-driven delivery', async () => (back.received.some((r) => r.url === '/late') ? true : undefined));
        expect((await call('POST', `/api/v1/notifications/deliveries/${dead.id}/redrive`, 'demo-engineer')).json.error.code).toBe('NOTIFICATION_DELIVERY_NOT_FOUND');
      } finally {
        await back.close();
      }
    } finally {
      ws.close();
    }
  });
});
