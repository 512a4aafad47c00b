import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLiveClient, liveUrl, reconnectDelay, type LiveSocket } from './live';

/** A socket the test drives: it records what the client sent and lets the test open, answer and drop it. */
class FakeSocket implements LiveSocket {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

describe('live client', () => {
  let sockets: FakeSocket[];
  const latest = (): FakeSocket => sockets[sockets.length - 1] as FakeSocket;
  const start = (token: () => string | null = () => 'tok') =>
    createLiveClient({ url: 'ws://h/api/v1/live', getToken: token, createSocket: () => (sockets.push(new FakeSocket()), latest()) });

  beforeEach(() => {
    sockets = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('authenticates with the token as the first message, then subscribes every watched device', () => {
    const live = start();
    live.subscribe(['cnc-01'], {});
    live.subscribe(['cnc-01', 'cnc-02'], {});
    latest().open();
    expect(latest().sent).toEqual([{ type: 'auth', token: 'tok' }]);
    latest().receive({ type: 'ready', user: 'u', role: 'engineer', values: true });
    expect(live.status()).toBe('open');
    expect(latest().sent[1]).toEqual({ type: 'subscribe', devices: ['cnc-01', 'cnc-02'] });
  });

  it('hands samples and presence only to the subscribers of that device, and unsubscribes devices nobody watches', () => {
    const live = start();
    const a = vi.fn();
    const b = vi.fn();
    const presence = vi.fn();
    const stopA = live.subscribe(['cnc-01'], { onSamples: a, onPresence: presence });
    live.subscribe(['cnc-02'], { onSamples: b });
    latest().open();
    latest().receive({ type: 'ready' });
    latest().receive({ type: 'samples', device: 'cnc-01', samples: [{ point: 'p', ts: 1, value: 2, quality: 'good' }] });
    latest().receive({ type: 'presence', device: 'cnc-01', state: 'offline', reason: 'no data for 4 s', at: 5 });
    expect(a).toHaveBeenCalledWith('cnc-01', [{ point: 'p', ts: 1, value: 2, quality: 'good' }]);
    expect(b).not.toHaveBeenCalled();
    expect(presence).toHaveBeenCalledWith(expect.objectContaining({ state: 'offline', reason: 'no data for 4 s' }));
    stopA();
    expect(latest().sent.at(-1)).toEqual({ type: 'unsubscribe', devices: ['cnc-01'] });
  });

  it('reconnects after a drop with growing pauses, resubscribes and reports the gap', () => {
    const live = start();
    const gap = vi.fn();
    live.subscribe(['cnc-01'], { onGap: gap });
    latest().open();
    latest().receive({ type: 'ready' });
    expect(gap).not.toHaveBeenCalled();

    latest().drop();
    expect(live.status()).toBe('connecting');
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    latest().drop(); // refused again: the next pause is twice as long
    vi.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);

    latest().open();
    latest().receive({ type: 'ready' });
    expect(latest().sent).toEqual([{ type: 'auth', token: 'tok' }, { type: 'subscribe', devices: ['cnc-01'] }]);
    expect(gap).toHaveBeenCalledTimes(1);
    // Once ready again, the pauses start over from the shortest.
    latest().drop();
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(4);
  });

  it('waits without a token and connects once there is one', () => {
    let token: string | null = null;
    start(() => token);
    expect(sockets).toHaveLength(0);
    token = 'later';
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(1);
  });

  it('stays closed after close, even when the socket drops afterwards', () => {
    const live = start();
    latest().open();
    live.close();
    expect(live.status()).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('caps the pause at the maximum and builds the URL from the page’s origin', () => {
    expect([0, 1, 2, 5, 10].map((n) => reconnectDelay(n, 1000, 30_000))).toEqual([1000, 2000, 4000, 30_000, 30_000]);
    expect(liveUrl({ protocol: 'https:', host: 'yl.example:8443' })).toBe('wss://yl.example:8443/api/v1/live');
    expect(liveUrl({ protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/api/v1/live');
  });
});
