import type { Logger } from '@yulian/core';
import type { ConnectorSinks, DeviceState, DeviceStatus } from '../driver.js';

/** One device's live status, its counters mutated in place. */
export interface DeviceEntry {
  readonly id: string;
  readonly protocol: 'mqtt-json' | 'sparkplug';
  state: DeviceState;
  since: number;
  lastError: string | undefined;
  readonly counters: Record<string, number>;
}

/** The most devices one connection takes on; beyond it, messages of new devices are dropped (and logged). */
export const maxDevicesPerConnection = 50_000;

/** The devices of one connection: their state, counters and status events. */
export class DeviceBook {
  private readonly entries = new Map<string, DeviceEntry>();

  constructor(
    private readonly sinks: Pick<ConnectorSinks, 'onStatus'>,
    private readonly now: () => number,
  ) {}

  get(id: string): DeviceEntry | undefined {
    return this.entries.get(id);
  }

  /** True when a new device would exceed {@link maxDevicesPerConnection} (a topic flood must not eat the memory). */
  full(id: string): boolean {
    return this.entries.size >= maxDevicesPerConnection && !this.entries.has(id);
  }

  /** The entry of a device, created `connecting` with its counters at 0 the first time. */
  ensure(id: string, protocol: DeviceEntry['protocol'], counters: readonly string[]): DeviceEntry {
    let e = this.entries.get(id);
    if (!e) {
      e = { id, protocol, state: 'connecting', since: this.now(), lastError: undefined, counters: Object.fromEntries(counters.map((c) => [c, 0])) };
      this.entries.set(id, e);
    }
    return e;
  }

  /** Changes a device's state and reports it; `lastError` is kept for the console. */
  setState(e: DeviceEntry, state: DeviceState, lastError?: string): void {
    if (lastError !== undefined) e.lastError = lastError;
    if (e.state === state) return;
    e.state = state;
    e.since = this.now();
    this.sinks.onStatus?.(this.status(e));
  }

  status(e: DeviceEntry): DeviceStatus {
    return { device: e.id, protocol: e.protocol, state: e.state, lastError: e.lastError, since: e.since, counters: { ...e.counters } };
  }

  list(): DeviceStatus[] {
    return [...this.entries.values()].map((e) => this.status(e));
  }

  all(): IterableIterator<DeviceEntry> {
    return this.entries.values();
  }
}

/**
 * A warn log that writes one line per key per interval, so a device flooding bad payloads costs one
 * line every 10 s; the next line says how many were suppressed.
 */
export function createThrottledWarn(log: Logger | undefined, now: () => number, intervalMs = 10_000): (key: string, fields: Record<string, unknown>, msg: string) => void {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (key, fields, msg) => {
    if (!log) return;
    const t = now();
    const s = last.get(key);
    if (s && t - s.at < intervalMs) {
      s.suppressed++;
      return;
    }
    if (last.size > 10_000) last.clear();
    last.set(key, { at: t, suppressed: 0 });
    log.warn({ ...fields, ...(s?.suppressed ? { suppressed: s.suppressed } : {}) }, msg);
  };
}
