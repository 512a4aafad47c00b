import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { TelemetryBatch } from '@yulian/contracts';
import { loadConfig } from '@yulian/core';
import type { LiveServerMessage } from '@yulian/devices';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';

type Frame = LiveServerMessage & { receivedAt: number };

/** A live connection that records every frame with the time it arrived. */
interface LiveConn {
  ws: WebSocket;
  frames: Frame[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** The first frame (from `from` on) that matches, waiting up to `ms`. */
  next<T extends Frame>(match: (f: Frame) => f is T, ms?: number, from?: number): Promise<T>;
  next(match: (f: Frame) => boolean, ms?: number, from?: number): Promise<Frame>;
}

const is =
  <K extends LiveServerMessage['type']>(type: K, extra: (f: Extract<LiveServerMessage, { type: K }>) => boolean = () => true) =>
  (f: Frame): f is Extract<LiveServerMessage, { type: K }> & Frame =>
    f.type === type && extra(f as unknown as Extract<LiveServerMessage, { type: K }>);

/** Waits until `ok()` holds, checking every 50 ms, or fails after `ms`. */
async function until(ok: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await sleep(50)) if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
}

describe('live values over WebSocket', () => {
  let platform: Platform;
  let dataDir: string;
  let wsUrl: string;
  let demoTenant: string;
  const token: Record<string, string> = {};
  const open: WebSocket[] = [];

  async function connect(options: { token?: string; query?: boolean } = {}): Promise<LiveConn> {
    const url = options.token && options.query ? `${wsUrl}?token=${encodeURIComponent(options.token)}` : wsUrl;
    const ws = new WebSocket(url);
    open.push(ws);
    const frames: Frame[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (data) => {
      frames.push({ ...(JSON.parse(String(data)) as LiveServerMessage), receivedAt: Date.now() });
      for (const w of waiters) w();
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const conn: LiveConn = {
      ws,
      frames,
      closed,
      send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
      next: (match: (f: Frame) => boolean, ms = 5000, from = 0) =>
        new Promise<Frame>((resolve, reject) => {
          const check = (): boolean => {
            const hit = frames.slice(from).find(match);
            if (!hit) return false;
            waiters.delete(onFrame);
            clearTimeout(timer);
            resolve(hit);
            return true;
          };
          const onFrame = (): void => void check();
          const timer = setTimeout(() => {
            waiters.delete(onFrame);
            reject(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(frames.slice(-5).map((f) => f.type))}`));
          }, ms);
          if (!check()) waiters.add(onFrame);
        }),
    } as LiveConn;
    if (options.token && !options.query) conn.send({ type: 'auth', token: options.token });
    return conn;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-live-'));
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    wsUrl = `${platform.httpUrl.replace('http:', 'ws:')}/api/v1/live`;
    const login = async (username: string, password: string): Promise<string> =>
      (await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })).json<{ token: string }>().token;
    for (const user of ['demo-admin', 'demo2-admin']) token[user] = await login(user, demoPassword);
    token['admin'] = await login('admin', 'admin-Passw0rd');
    const created = await platform.app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${token['admin']}` }, payload: { username: 'city-watch', password: 'city-Passw0rd-1', role: 'authority', tenantId: null } });
    expect(created.statusCode).toBe(201);
    token['authority'] = await login('city-watch', 'city-Passw0rd-1');
    demoTenant = (await platform.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token['demo-admin']}` } })).json<{ tenantId: string }>().tenantId;
  });
  afterAll(async () => {
    for (const ws of open) ws.terminate();
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a plain HTTP request with 426 UPGRADE_REQUIRED', async () => {
    const res = await platform.app.inject({ url: '/api/v1/live' });
    expect(res.statusCode).toBe(426);
    expect(res.json()).toMatchObject({ error: { code: 'UPGRADE_REQUIRED' } });
  });

  it('pushes a demo machine’s presence and values to its enterprise, each stored sample within 1 s', async () => {
    // The moment each batch is stored, per device and sample timestamp (the ingest calls onStored right after the write).
    const storedAt = new Map<string, number>();
    const onStored = platform.live.onStored.bind(platform.live);
    platform.live.onStored = (batch: TelemetryBatch) => {
      for (const s of batch.samples) if (s.device === 'cnc-01') storedAt.set(`${s.point}@${s.ts}`, Date.now());
      onStored(batch);
    };
    try {
      const live = await connect({ token: token['demo-admin'], query: true });
      expect(await live.next(is('ready'))).toMatchObject({ user: 'demo-admin', values: true });
      live.send({ type: 'subscribe', devices: ['cnc-01'] });
      expect(await live.next(is('subscribed'))).toMatchObject({ devices: ['cnc-01'] });
      expect(await live.next(is('presence'))).toMatchObject({ device: 'cnc-01' });
      // Five polls' worth of frames (the demo polls each machine every second).
      await until(() => live.frames.filter(is('samples')).length >= 5, 10_000);
      const samples = live.frames.filter(is('samples'));
      expect(samples.length).toBeGreaterThanOrEqual(5);
      expect(samples.every((f) => f.device === 'cnc-01')).toBe(true);
      expect(samples[0]?.samples).toEqual(expect.arrayContaining([expect.objectContaining({ point: 'model', value: 'YL-VMC850', quality: 'good' })]));
      const latencies = samples.flatMap((f) => f.samples.map((s) => f.receivedAt - (storedAt.get(`${s.point}@${s.ts}`) ?? Number.NaN))).filter((ms) => !Number.isNaN(ms));
      expect(latencies.length).toBeGreaterThan(0);
      console.info(`live push latency from store: max ${Math.max(...latencies)} ms over ${latencies.length} samples`);
      expect(Math.max(...latencies)).toBeLessThan(1000);
      live.ws.close();
    } finally {
      platform.live.onStored = onStored;
    }
  });

  it('publishes a machine going offline within 5 s of its Modbus server stopping, and online again', async () => {
    const live = await connect({ token: token['demo-admin'] });
    await live.next(is('ready'));
    live.send({ type: 'subscribe', devices: ['cnc-02'], points: ['spindle_speed'] });
    await live.next(is('presence', (f) => f.state === 'online'), 10_000);
    const cause = Date.now();
    await platform.factory!.injectFault('cnc-02', { kind: 'comm-loss' });
    try {
      const from = live.frames.length;
      const offline = await live.next(is('presence', (f) => f.state === 'offline'), 6000, from);
      console.info(`offline detected ${offline.at - cause} ms after the cause, received after ${offline.receivedAt - cause} ms (${offline.reason})`);
      expect(offline.receivedAt - cause).toBeLessThan(5000);
      expect(offline.reason).toBeTruthy();
    } finally {
      await platform.factory!.clearFault('cnc-02', 'comm-loss');
    }
    await live.next(is('presence', (f) => f.state === 'online'), 10_000, live.frames.findIndex(is('presence', (f) => f.state === 'offline')));
    // The point filter holds: only spindle_speed of cnc-02.
    expect(live.frames.filter(is('samples')).flatMap((f) => f.samples.map((s) => s.point))).toEqual(expect.arrayContaining(['spindle_speed']));
    expect(new Set(live.frames.filter(is('samples')).flatMap((f) => f.samples.map((s) => s.point)))).toEqual(new Set(['spindle_speed']));
    live.ws.close();
  });

  it('publishes a device going offline within 5 s when its data stops, with the reason', async () => {
    const live = await connect({ token: token['demo-admin'] });
    await live.next(is('ready'));
    const batch = (seq: number): TelemetryBatch => ({ tenantId: demoTenant, gateway: 'gw-remote', seq, samples: [{ device: 'press-77', point: 'force', ts: Date.now(), receivedTs: Date.now(), value: 12.5, quality: 'good' }] });
    platform.live.onStored(batch(1));
    live.send({ type: 'subscribe', devices: ['press-77'] });
    expect(await live.next(is('presence'))).toMatchObject({ device: 'press-77', state: 'online' });
    platform.live.onStored(batch(2));
    const lastData = Date.now();
    expect(await live.next(is('samples'))).toMatchObject({ device: 'press-77', samples: [{ point: 'force', value: 12.5, quality: 'good' }] });
    const offline = await live.next(is('presence', (f) => f.state === 'offline'), 6000);
    console.info(`freshness: offline received ${offline.receivedAt - lastData} ms after the last data (${offline.reason})`);
    // 3 × the default 1 s interval, plus at most one check period.
    expect(offline.receivedAt - lastData).toBeGreaterThanOrEqual(3000);
    expect(offline.receivedAt - lastData).toBeLessThan(5000);
    expect(offline.reason).toMatch(/^no data for \d+ s$/);
    platform.live.onStored(batch(3));
    await live.next(is('presence', (f) => f.state === 'online'), 1000, live.frames.indexOf(offline) + 1);
    live.ws.close();
  });

  it('gives an authority status across enterprises but no values', async () => {
    const live = await connect({ token: token['authority'] });
    expect(await live.next(is('ready'))).toMatchObject({ role: 'authority', values: false });
    live.send({ type: 'subscribe', devices: ['cnc-01', 'compressor-01'] });
    expect(await live.next(is('subscribed'))).toMatchObject({ devices: ['cnc-01', 'compressor-01'] });
    const presence = await live.next(is('presence', (f) => f.device === 'cnc-01'));
    expect(['online', 'offline', 'unknown']).toContain(presence.state);
    // The demo stores each machine's values every second: three seconds would have brought several.
    await sleep(3000);
    expect(live.frames.filter((f) => f.type === 'samples')).toEqual([]);
    live.ws.close();
  });

  it('shows another enterprise nothing of the demo plant', async () => {
    const live = await connect({ token: token['demo2-admin'] });
    await live.next(is('ready'));
    live.send({ type: 'subscribe', devices: ['cnc-01'] });
    expect(await live.next(is('error'))).toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    await sleep(2500);
    expect(live.frames.map((f) => f.type)).toEqual(['ready', 'error']);
    live.ws.close();
  });

  it('answers bad messages with an error frame and keeps the connection open', async () => {
    const live = await connect({ token: token['demo-admin'] });
    await live.next(is('ready'));
    live.send('{not json');
    live.send({ type: 'shout', devices: ['cnc-01'] });
    live.send({ type: 'subscribe', devices: [] });
    live.send({ type: 'subscribe', devices: ['cnc-03'] });
    expect(await live.next(is('subscribed'))).toMatchObject({ devices: ['cnc-03'] });
    const errors = live.frames.filter(is('error'));
    expect(errors.map((e) => e.code)).toEqual(['LIVE_MESSAGE_INVALID', 'LIVE_MESSAGE_INVALID', 'LIVE_MESSAGE_INVALID']);
    expect(errors[1]?.message).toMatch(/Unknown message type "shout"/);
    expect(platform.live.hub.stats().errors).toBeGreaterThanOrEqual(3);
    live.ws.close();
  });

  it('refuses a connection without a valid token and closes it', async () => {
    const anonymous = await connect();
    anonymous.send({ type: 'subscribe', devices: ['cnc-01'] });
    expect(await anonymous.next(is('error'))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await anonymous.closed).code).toBe(1008);
    const forged = await connect({ token: 'not-a-token', query: true });
    expect(await forged.next(is('error'))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await forged.closed).code).toBe(1008);
  });

  it('never lets a client that stops reading delay another, and tells it what it missed', async () => {
    const baseline = platform.live.hub.stats();
    const fast = await connect({ token: token['demo-admin'] });
    const slow = await connect({ token: token['demo-admin'] });
    for (const c of [fast, slow]) {
      await c.next(is('ready'));
      c.send({ type: 'subscribe', devices: ['cnc-04'] });
      await c.next(is('presence'));
    }
    (slow.ws as unknown as { _socket: Socket })._socket.pause();
    // Flood cnc-04's subscribers straight through the hub with ~10 KB frames until the slow client's
    // queue overflows; each frame carries the time it was published.
    const filler = 'x'.repeat(100);
    let rounds = 0;
    const lags: number[] = [];
    while (platform.live.hub.stats().dropped === baseline.dropped && rounds < 400) {
      for (let i = 0; i < 20; i++) {
        const now = Date.now();
        platform.live.hub.publishSamples(demoTenant, Array.from({ length: 100 }, (_, k) => ({ device: 'cnc-04', point: `flood_${k}`, ts: now, value: filler, quality: 'good' as const })));
      }
      rounds++;
      await sleep(10);
    }
    expect(platform.live.hub.stats().dropped).toBeGreaterThan(baseline.dropped);
    // Every flood frame reached the fast client, promptly, and the demo's own values still flow.
    const isFlood = is('samples', (f) => f.samples[0]?.point === 'flood_0');
    await until(() => fast.frames.filter(isFlood).length >= rounds * 20, 5000).catch(() => undefined);
    const flood = fast.frames.filter(isFlood);
    for (const f of flood) lags.push(f.receivedAt - (f.samples[0]?.ts ?? 0));
    console.info(`flood: ${rounds * 20} frames; fast client got ${flood.length}, slowest after ${Math.max(...lags)} ms; slow client dropped ${platform.live.hub.stats().dropped - baseline.dropped}`);
    expect(flood).toHaveLength(rounds * 20);
    expect(Math.max(...lags)).toBeLessThan(1000);
    const fresh = fast.frames.length;
    await fast.next(is('samples', (f) => f.samples.some((s) => s.point === 'spindle_speed')), 3000, fresh);

    (slow.ws as unknown as { _socket: Socket })._socket.resume();
    const dropped = await slow.next(is('dropped'), 10_000);
    expect(dropped.count).toBeGreaterThan(0);
    // Frames after the notice are the newer ones; the connection goes on.
    await slow.next(is('samples'), 5000, slow.frames.indexOf(dropped) + 1);

    fast.ws.close();
    slow.ws.close();
    await Promise.all([fast.closed, slow.closed]);
    await sleep(100);
    expect(platform.live.hub.stats().clients).toBeLessThanOrEqual(baseline.clients);
  });
});
