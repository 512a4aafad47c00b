import { afterEach, describe, expect, it, vi } from 'vitest';
import { type PresenceEvent, createPresenceTracker } from './index.js';

const tenant = 'tenant-a';
const good = (device: string) => ({ device, quality: 'good' as const });
const bad = (device: string) => ({ device, quality: 'bad' as const });

/** A tracker on a fake clock, with every event it published. */
function setup(options: Parameters<typeof createPresenceTracker>[0] = {}) {
  const clock = { t: 1_000_000 };
  const tracker = createPresenceTracker({ now: () => clock.t, autoCheck: false, ...options });
  const events: PresenceEvent[] = [];
  tracker.onChange((e) => events.push(e));
  /** Advances the clock by `ms` in 100 ms steps, checking at each, as the timer would. */
  const advance = (ms: number): void => {
    for (let i = 0; i < ms; i += 100) {
      clock.t += Math.min(100, ms - i);
      tracker.check();
    }
  };
  return { clock, tracker, events, advance };
}

const report = (devices: Array<{ device: string; state: 'connecting' | 'online' | 'offline'; lastError?: string; since: number }>) => ({
  id: 'gw-1',
  startedAt: 0,
  configVersion: 1,
  devices: devices.map((d) => ({ protocol: 'modbus-tcp', lastError: undefined, counters: {}, ...d })),
});

describe('presence tracker', () => {
  afterEach(() => vi.useRealTimers());

  it('brings a device online on its first good sample and publishes the change once', () => {
    const { tracker, events, clock } = setup();
    tracker.observeSamples(tenant, [good('cnc-01'), good('cnc-01')]);
    tracker.observeSamples(tenant, [good('cnc-01')]);
    expect(events).toEqual([{ tenantId: tenant, device: 'cnc-01', state: 'online', previous: 'unknown', reason: null, at: clock.t }]);
    expect(tracker.get('cnc-01')).toEqual([expect.objectContaining({ state: 'online', tenantId: tenant })]);
  });

  it('takes a device offline 3 intervals after its newest good sample, and back online on the next one', () => {
    const { tracker, events, advance, clock } = setup({ expectedIntervalMs: (d) => (d === 'slow' ? 5000 : undefined) });
    tracker.observeSamples(tenant, [good('fast'), good('slow')]);
    const lastGood = clock.t;
    advance(3000);
    expect(events.filter((e) => e.state === 'offline')).toEqual([]);
    advance(100);
    // The default interval is 1 s: offline after 3 s without data, with the reason in whole seconds.
    expect(events.filter((e) => e.state === 'offline')).toEqual([{ tenantId: tenant, device: 'fast', state: 'offline', previous: 'online', reason: 'no data for 3 s', at: lastGood + 3100 }]);
    advance(12_000);
    expect(events.filter((e) => e.state === 'offline').map((e) => e.device)).toEqual(['fast', 'slow']);
    tracker.observeSamples(tenant, [good('fast')]);
    expect(events.at(-1)).toMatchObject({ device: 'fast', state: 'online', previous: 'offline', reason: null });
  });

  it('does not count bad samples as data: a device reading only bad values goes offline', () => {
    const { tracker, events, advance } = setup();
    tracker.observeSamples(tenant, [good('cnc-02')]);
    for (let i = 0; i < 5; i++) {
      advance(1000);
      tracker.observeSamples(tenant, [bad('cnc-02')]);
    }
    expect(events.map((e) => e.state)).toEqual(['online', 'offline']);
  });

  it('follows the state a gateway reports, only when it changes, so later data is not overridden by a repeated report', () => {
    const { tracker, events } = setup();
    tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'plc-1', state: 'offline', lastError: 'ECONNREFUSED', since: 10 }]));
    expect(events).toEqual([expect.objectContaining({ device: 'plc-1', state: 'offline', previous: 'unknown', reason: 'ECONNREFUSED' })]);
    tracker.observeSamples(tenant, [good('plc-1')], 'gw-1');
    tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'plc-1', state: 'offline', lastError: 'ECONNREFUSED', since: 10 }]));
    expect(events.map((e) => e.state)).toEqual(['offline', 'online']);
    tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'plc-1', state: 'offline', lastError: 'timeout', since: 20 }]));
    expect(events.map((e) => e.state)).toEqual(['offline', 'online', 'offline']);
    expect(tracker.get('plc-1')[0]).toMatchObject({ gatewayId: 'gw-1', reason: 'timeout' });
  });

  it('leaves a device that never sent data to its gateway’s reports (a Sparkplug edge node has no values of its own)', () => {
    const { tracker, events, advance } = setup();
    for (let i = 0; i < 6; i++) {
      tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'edge-node', state: 'online', since: 1 }]));
      advance(10_000);
    }
    expect(events.map((e) => e.state)).toEqual(['online']);
  });

  it('treats connecting as no evidence and ignores report entries that do not fit', () => {
    const { tracker, events } = setup();
    tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'plc-1', state: 'connecting', since: 1 }]));
    tracker.observeGatewayStatus('gw-1', tenant, { devices: [{ device: 42 }, null, 'x'] });
    tracker.observeGatewayStatus('gw-1', tenant, 'not a report');
    expect(events).toEqual([]);
    expect(tracker.get('plc-1')[0]?.state).toBe('unknown');
  });

  it('takes every device of a gateway offline when its link goes down, and applies its next report afresh', () => {
    const { tracker, events } = setup();
    tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'a', state: 'online', since: 5 }, { device: 'b', state: 'online', since: 5 }]));
    tracker.gatewayOffline('gw-1', 'link closed');
    expect(events.filter((e) => e.state === 'offline')).toEqual([
      expect.objectContaining({ device: 'a', reason: 'gateway gw-1 offline: link closed' }),
      expect.objectContaining({ device: 'b', reason: 'gateway gw-1 offline: link closed' }),
    ]);
    tracker.gatewayOnline('gw-1');
    tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'a', state: 'online', since: 5 }, { device: 'b', state: 'online', since: 5 }]));
    expect(events.slice(-2).map((e) => [e.device, e.state])).toEqual([['a', 'online'], ['b', 'online']]);
  });

  it('takes a gateway offline after its report timeout without a report', () => {
    const { tracker, events, advance } = setup({ gatewayTimeoutMs: 30_000, expectedIntervalMs: () => 60_000 });
    tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'a', state: 'online', since: 5 }]));
    advance(29_000);
    tracker.observeGatewayStatus('gw-1', tenant, report([{ device: 'a', state: 'online', since: 5 }]));
    advance(30_000);
    expect(events.map((e) => e.state)).toEqual(['online']);
    advance(200);
    expect(events.at(-1)).toMatchObject({ device: 'a', state: 'offline', reason: 'gateway gw-1 offline: no status report for 30 s' });
  });

  it('keeps enterprises apart when they use the same device id', () => {
    const { tracker, events } = setup();
    tracker.observeSamples('t1', [good('pump')]);
    tracker.observeSamples('t2', [good('pump')]);
    expect(events.map((e) => e.tenantId)).toEqual(['t1', 't2']);
    expect(tracker.get('pump').map((p) => p.tenantId).sort()).toEqual(['t1', 't2']);
  });

  it('publishes a freshness change from its own timer within 5 s of the last good sample', () => {
    vi.useFakeTimers({ now: 0 });
    const tracker = createPresenceTracker({ tickMs: 1000 });
    const events: PresenceEvent[] = [];
    tracker.onChange((e) => events.push(e));
    tracker.observeSamples(tenant, [good('cnc-01')]);
    vi.advanceTimersByTime(3000);
    expect(events.map((e) => e.state)).toEqual(['online']);
    vi.advanceTimersByTime(1000);
    expect(events.at(-1)).toMatchObject({ state: 'offline', at: 4000 });
    tracker.close();
  });

  it('keeps publishing to other listeners when one throws', () => {
    const { tracker, events } = setup();
    tracker.onChange(() => {
      throw new Error('boom');
    });
    tracker.observeSamples(tenant, [good('x')]);
    expect(events).toHaveLength(1);
  });

  it('refuses a check period that could not meet the 5 s promise', () => {
    expect(() => createPresenceTracker({ tickMs: 5000 })).toThrow(/tickMs must be 1–1000 ms/);
  });
});
