import { describe, expect, it } from 'vitest';
import type { DevicePresence } from '../presence/index.js';
import { type LiveServerMessage, type LiveSocket, createLiveHub } from './index.js';

/**
 * A socket whose writes complete only when the test says so (`flush`), like a peer that reads when it
 * likes; `bufferedAmount` counts the bytes not yet written.
 */
function fakeSocket() {
  const pending: Array<{ data: string; cb: (err?: Error) => void }> = [];
  const received: LiveServerMessage[] = [];
  const socket: LiveSocket & { fail?: boolean } = {
    get bufferedAmount() {
      return pending.reduce((n, p) => n + p.data.length, 0);
    },
    send(data, cb) {
      if (socket.fail) throw new Error('socket closed');
      pending.push({ data, cb });
    },
  };
  /** Completes every pending write (and those the hub hands over meanwhile). */
  const flush = (): void => {
    for (let p = pending.shift(); p; p = pending.shift()) {
      received.push(JSON.parse(p.data) as LiveServerMessage);
      p.cb();
    }
  };
  return { socket, received, pending, flush };
}

const sample = (device: string, point: string, value: number) => ({ device, point, ts: 1000 + value, value, quality: 'good' as const });

describe('live hub', () => {
  it('sends subscribers the samples of their devices, filtered by point, and nothing of other devices', () => {
    const hub = createLiveHub();
    const all = fakeSocket();
    const some = fakeSocket();
    hub.connect(all.socket, { kind: 'tenant', tenantId: 't1' }).subscribe(['cnc-01']);
    hub.connect(some.socket, { kind: 'tenant', tenantId: 't1' }).subscribe(['cnc-01'], ['rpm']);
    hub.publishSamples('t1', [sample('cnc-01', 'rpm', 1), sample('cnc-01', 'temp', 2), sample('cnc-02', 'rpm', 3)]);
    all.flush();
    some.flush();
    expect(all.received.filter((m) => m.type === 'samples')).toEqual([
      { type: 'samples', device: 'cnc-01', samples: [{ point: 'rpm', ts: 1001, value: 1, quality: 'good' }, { point: 'temp', ts: 1002, value: 2, quality: 'good' }] },
    ]);
    expect(some.received.filter((m) => m.type === 'samples')).toEqual([{ type: 'samples', device: 'cnc-01', samples: [{ point: 'rpm', ts: 1001, value: 1, quality: 'good' }] }]);
  });

  it('sends the current presence of each device on subscribe, unknown when there is none', () => {
    const presence: DevicePresence[] = [{ tenantId: 't1', device: 'cnc-01', state: 'online', since: 5, reason: null, gatewayId: 'gw' }];
    const hub = createLiveHub({ presenceOf: (d) => presence.filter((p) => p.device === d), now: () => 99 });
    const s = fakeSocket();
    hub.connect(s.socket, { kind: 'tenant', tenantId: 't1' }).subscribe(['cnc-01', 'cnc-02']);
    s.flush();
    expect(s.received).toEqual([
      { type: 'presence', device: 'cnc-01', state: 'online', reason: null, at: 5 },
      { type: 'presence', device: 'cnc-02', state: 'unknown', reason: null, at: 99 },
    ]);
  });

  it('keeps enterprises apart and gives a status-only scope presence but no values', () => {
    const hub = createLiveHub();
    const own = fakeSocket();
    const other = fakeSocket();
    const authority = fakeSocket();
    const operator = fakeSocket();
    for (const [s, scope] of [
      [own, { kind: 'tenant', tenantId: 't1' }],
      [other, { kind: 'tenant', tenantId: 't2' }],
      [authority, { kind: 'all', values: false }],
      [operator, { kind: 'all', values: true }],
    ] as const) hub.connect(s.socket, scope).subscribe(['pump']);
    for (const s of [own, other, authority, operator]) {
      s.flush();
      s.received.length = 0;
    }
    hub.publishSamples('t1', [sample('pump', 'flow', 7)]);
    hub.publishPresence({ tenantId: 't1', device: 'pump', state: 'offline', previous: 'online', reason: 'no data for 3 s', at: 10 });
    for (const s of [own, other, authority, operator]) s.flush();
    const types = (s: ReturnType<typeof fakeSocket>) => s.received.map((m) => m.type);
    expect(types(own)).toEqual(['samples', 'presence']);
    expect(types(other)).toEqual([]);
    expect(types(authority)).toEqual(['presence']);
    expect(types(operator)).toEqual(['samples', 'presence']);
  });

  it('drops the oldest samples of a slow client, keeps its presence frames, and tells it once per episode', () => {
    const hub = createLiveHub({ maxQueue: 10, maxInFlight: 2 });
    const slow = fakeSocket();
    const client = hub.connect(slow.socket, { kind: 'tenant', tenantId: 't1' });
    client.subscribe(['m']);
    hub.publishPresence({ tenantId: 't1', device: 'm', state: 'online', previous: 'unknown', reason: null, at: 1 });
    for (let i = 0; i < 30; i++) hub.publishSamples('t1', [sample('m', 'v', i)]);
    // Two frames are with the socket, ten wait; the rest were dropped, oldest first.
    expect(client.stats()).toMatchObject({ queued: 10, dropped: 20 });
    slow.flush();
    const kinds = slow.received.map((m) => (m.type === 'samples' ? `v${m.samples[0]?.value}` : m.type === 'dropped' ? `dropped ${m.count}` : m.type));
    expect(kinds).toEqual(['presence', 'presence', 'dropped 20', ...Array.from({ length: 10 }, (_, i) => `v${20 + i}`)]);
    // A second episode is told again, with its own count.
    slow.received.length = 0;
    for (let i = 0; i < 13; i++) hub.publishSamples('t1', [sample('m', 'v', i)]);
    slow.flush();
    expect(slow.received.filter((m) => m.type === 'dropped')).toEqual([{ type: 'dropped', count: 1 }]);
    expect(hub.stats()).toMatchObject({ dropped: 21 });
  });

  it('never lets a slow client hold back a fast one', () => {
    const hub = createLiveHub({ maxQueue: 100 });
    const slow = fakeSocket();
    const fast = fakeSocket();
    hub.connect(slow.socket, { kind: 'tenant', tenantId: 't1' }).subscribe(['m']);
    hub.connect(fast.socket, { kind: 'tenant', tenantId: 't1' }).subscribe(['m']);
    for (let i = 0; i < 1000; i++) {
      hub.publishSamples('t1', [sample('m', 'v', i)]);
      fast.flush();
    }
    expect(fast.received.filter((m) => m.type === 'samples')).toHaveLength(1000);
    expect(slow.received).toEqual([]);
    expect(slow.pending.length).toBeLessThanOrEqual(64);
  });

  it('stops handing frames to a socket that buffers beyond the high-water mark', () => {
    const hub = createLiveHub({ highWaterBytes: 500, maxInFlight: 1000 });
    const s = fakeSocket();
    hub.connect(s.socket, { kind: 'tenant', tenantId: 't1' }).subscribe(['m']);
    for (let i = 0; i < 50; i++) hub.publishSamples('t1', [sample('m', 'v', i)]);
    expect(s.socket.bufferedAmount).toBeLessThan(500 + 100);
    s.flush();
    expect(s.received.filter((m) => m.type === 'samples')).toHaveLength(50);
  });

  it('counts error frames and removes unsubscribed, closed and failing clients', () => {
    const hub = createLiveHub();
    const s = fakeSocket();
    const client = hub.connect(s.socket, { kind: 'tenant', tenantId: 't1' });
    client.error('LIVE_MESSAGE_INVALID', 'Send JSON.');
    client.subscribe(['a', 'b']);
    client.unsubscribe(['a']);
    s.flush();
    s.received.length = 0;
    hub.publishSamples('t1', [sample('a', 'v', 1), sample('b', 'v', 2)]);
    s.flush();
    expect(s.received.map((m) => m.type === 'samples' && m.device)).toEqual(['b']);
    expect(client.stats()).toMatchObject({ errors: 1, subscriptions: 1 });

    s.socket.fail = true;
    hub.publishSamples('t1', [sample('b', 'v', 3)]);
    expect(hub.stats()).toMatchObject({ clients: 0, errors: 1 });
    const again = fakeSocket();
    const c2 = hub.connect(again.socket, { kind: 'tenant', tenantId: 't1' });
    c2.close();
    expect(hub.stats().clients).toBe(0);
  });
});
