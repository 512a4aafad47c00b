import { type Logger, YulianError } from '@yulian/core';
import { type DevicePresence, type PresenceEvent, type PresenceSample, type PresenceState, parseGatewayReport } from './types.js';

/** Options of {@link createPresenceTracker}. */
export interface PresenceTrackerOptions {
  /** How often a device is expected to deliver, ms; `undefined` means unknown (then 1,000). */
  expectedIntervalMs?: (device: string) => number | undefined;
  /** A device is stale after this many expected intervals without a good sample. Default 3. */
  staleFactor?: number;
  /** A gateway with no status report (nor `gatewayOnline`) for this long is offline. Default 30,000 (3 × the 10 s report interval). */
  gatewayTimeoutMs?: number;
  /** Period of the freshness check, 1–1,000 ms. Default 500. */
  tickMs?: number;
  /** The clock (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
  /** Start the periodic check (default true); tests may call `check()` themselves. */
  autoCheck?: boolean;
  logger?: Logger;
}

/** Keeps every device's online/offline state from gateway reports, gateway links and data freshness. */
export interface PresenceTracker {
  /** A gateway's status report (`{devices:[{device, state, lastError, since}]}`); also a sign of life of the gateway. */
  observeGatewayStatus(gatewayId: string, tenantId: string | null, status: unknown): void;
  /** The gateway's link is up (a sign of life; devices come online with their data or next report). */
  gatewayOnline(gatewayId: string): void;
  /** The gateway's link is down: every device it serves goes offline. */
  gatewayOffline(gatewayId: string, reason: string): void;
  /** Stored samples: a good one brings its device online and restarts its freshness clock. */
  observeSamples(tenantId: string | null, samples: readonly PresenceSample[], gatewayId?: string): void;
  /** Presence of one device (several when enterprises share an id), or of all. */
  get(device: string): DevicePresence[];
  list(): DevicePresence[];
  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (event: PresenceEvent) => void): () => void;
  /** Runs the freshness and gateway-timeout check now (the timer does so every `tickMs`). */
  check(): void;
  /** Stops the timer. */
  close(): void;
}

interface Entry extends DevicePresence {
  /** Tracker-clock time of the newest good sample. */
  lastGoodAt: number | undefined;
  /** The last gateway report applied (state and gateway-side since), so a repeated report changes nothing. */
  reported: string | undefined;
}

interface GatewayEntry {
  online: boolean;
  lastSeen: number;
  devices: Set<string>;
}

const key = (tenantId: string | null, device: string): string => `${tenantId ?? ''}\u0000${device}`;

/**
 * Creates a presence tracker. Later evidence wins: a gateway report is applied when it differs from the
 * previous one for that device, a good sample brings a device online, and a device online without a
 * good sample for `staleFactor` × its expected interval goes offline with reason `no data for N s`.
 * The check runs every `tickMs` (≤ 1 s), so a freshness change is published within
 * staleFactor × interval + 1 s of the last good sample.
 * @example const presence = createPresenceTracker({ expectedIntervalMs: (d) => intervals.get(d) }); presence.onChange((e) => hub.publishPresence(e))
 */
export function createPresenceTracker(options: PresenceTrackerOptions = {}): PresenceTracker {
  const tickMs = options.tickMs ?? 500;
  const staleFactor = options.staleFactor ?? 3;
  const gatewayTimeoutMs = options.gatewayTimeoutMs ?? 30_000;
  if (!(tickMs >= 1 && tickMs <= 1000)) throw new YulianError('CONFIG_INVALID', `Presence tickMs must be 1–1000 ms to publish changes within 5 s; got ${tickMs}.`);
  if (!(staleFactor >= 1)) throw new YulianError('CONFIG_INVALID', `Presence staleFactor must be at least 1 (a device is stale after that many intervals); got ${staleFactor}.`);
  if (!(gatewayTimeoutMs > 0)) throw new YulianError('CONFIG_INVALID', `Presence gatewayTimeoutMs must be positive; got ${gatewayTimeoutMs}.`);
  const now = options.now ?? Date.now;
  const log = options.logger?.child({ component: 'presence' });
  const entries = new Map<string, Entry>();
  const gateways = new Map<string, GatewayEntry>();
  const listeners = new Set<(event: PresenceEvent) => void>();

  const intervalOf = (device: string): number => {
    const ms = options.expectedIntervalMs?.(device);
    return ms !== undefined && ms > 0 ? ms : 1000;
  };

  function entryOf(tenantId: string | null, device: string): Entry {
    const k = key(tenantId, device);
    let e = entries.get(k);
    if (!e) {
      e = { tenantId, device, state: 'unknown', since: now(), reason: null, gatewayId: null, lastGoodAt: undefined, reported: undefined };
      entries.set(k, e);
    }
    return e;
  }

  function gatewayOf(id: string): GatewayEntry {
    let g = gateways.get(id);
    if (!g) gateways.set(id, (g = { online: true, lastSeen: now(), devices: new Set() }));
    return g;
  }

  function attach(e: Entry, gatewayId: string | undefined): void {
    if (gatewayId === undefined || e.gatewayId === gatewayId) return;
    if (e.gatewayId !== null) gateways.get(e.gatewayId)?.devices.delete(key(e.tenantId, e.device));
    e.gatewayId = gatewayId;
    gatewayOf(gatewayId).devices.add(key(e.tenantId, e.device));
  }

  function set(e: Entry, state: PresenceState, reason: string | null): void {
    if (e.state === state) return;
    const event: PresenceEvent = { tenantId: e.tenantId, device: e.device, state, previous: e.state, reason, at: now() };
    e.state = state;
    e.since = event.at;
    e.reason = reason;
    log?.info({ tenant: e.tenantId, device: e.device, state, previous: event.previous, reason }, 'device presence changed');
    for (const l of listeners) {
      try {
        l(event);
      } catch (err) {
        log?.error({ err }, 'presence listener threw');
      }
    }
  }

  function seen(gatewayId: string): GatewayEntry {
    const g = gatewayOf(gatewayId);
    g.lastSeen = now();
    g.online = true;
    return g;
  }

  function gatewayDown(gatewayId: string, reason: string): void {
    const g = gateways.get(gatewayId);
    if (!g) return;
    g.online = false;
    for (const k of g.devices) {
      const e = entries.get(k);
      if (!e) continue;
      // The next report after the link is back applies afresh, even if the device's state did not change at the gateway.
      e.reported = undefined;
      set(e, 'offline', `gateway ${gatewayId} offline: ${reason}`);
    }
  }

  function check(): void {
    const t = now();
    for (const [id, g] of gateways) {
      if (g.online && t - g.lastSeen > gatewayTimeoutMs) gatewayDown(id, `no status report for ${Math.round((t - g.lastSeen) / 1000)} s`);
    }
    for (const e of entries.values()) {
      // Only devices that deliver data go stale: an entry that never sent any (a Sparkplug edge node, a
      // device still connecting) follows its gateway's reports alone.
      if (e.state === 'offline' || e.lastGoodAt === undefined) continue;
      // Freshness counts from the newest good sample, or from a later report of the device coming online.
      if (t - Math.max(e.lastGoodAt, e.since) > staleFactor * intervalOf(e.device)) set(e, 'offline', `no data for ${Math.round((t - e.lastGoodAt) / 1000)} s`);
    }
  }

  const timer = options.autoCheck === false ? undefined : setInterval(check, tickMs);
  timer?.unref();

  return {
    observeGatewayStatus(gatewayId, tenantId, status) {
      seen(gatewayId);
      for (const d of parseGatewayReport(status)) {
        const e = entryOf(tenantId, d.device);
        attach(e, gatewayId);
        const memo = `${d.state}@${d.since ?? ''}`;
        if (e.reported === memo) continue;
        e.reported = memo;
        if (d.state === 'online') set(e, 'online', null);
        else if (d.state === 'offline') set(e, 'offline', d.lastError ?? `gateway ${gatewayId} reports the device offline`);
        // `connecting` is no evidence either way: the freshness check decides if it lasts.
      }
    },
    gatewayOnline(gatewayId) {
      seen(gatewayId);
    },
    gatewayOffline: gatewayDown,
    observeSamples(tenantId, samples, gatewayId) {
      if (gatewayId !== undefined) seen(gatewayId);
      const good = new Set<string>();
      for (const s of samples) {
        if (s.quality === 'good') good.add(s.device);
        else attach(entryOf(tenantId, s.device), gatewayId);
      }
      const t = now();
      for (const device of good) {
        const e = entryOf(tenantId, device);
        attach(e, gatewayId);
        e.lastGoodAt = t;
        set(e, 'online', null);
      }
    },
    get: (device) => [...entries.values()].filter((e) => e.device === device).map(view),
    list: () => [...entries.values()].map(view),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    check,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}

const view = (e: Entry): DevicePresence => ({ tenantId: e.tenantId, device: e.device, state: e.state, since: e.since, reason: e.reason, gatewayId: e.gatewayId });
