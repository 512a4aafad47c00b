import type { AlarmEvent, Quality } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import type { DevicePresence, PresenceEvent } from '../presence/index.js';
import type { LiveSample, LiveServerMessage } from './protocol.js';

/**
 * Whose devices a client sees: one enterprise (values and status), or every enterprise — with values
 * (platform operators) or status only (`values: false`, the `authority` role).
 */
export type LiveScope = { readonly kind: 'tenant'; readonly tenantId: string } | { readonly kind: 'all'; readonly values: boolean };

/** The part of a WebSocket the hub uses (`ws`'s WebSocket fits). */
export interface LiveSocket {
  /** Bytes handed to the socket and not yet written out. */
  readonly bufferedAmount: number;
  /** Queues a text frame; `callback` runs once it is written (or failed). Never awaited by the hub. */
  send(data: string, callback: (err?: Error) => void): void;
}

/** What the hub publishes of a stored sample (`Sample` of contracts fits). */
export interface LiveSampleInput {
  device: string;
  point: string;
  ts: number;
  value: number | boolean | string | null;
  quality: Quality;
}

/** Options of {@link createLiveHub}. */
export interface LiveHubOptions {
  /** Frames waiting per client before the oldest are dropped. Default 1,000. */
  maxQueue?: number;
  /** No new frame is handed to a socket buffering more than this. Default 1 MiB. */
  highWaterBytes?: number;
  /** Frames handed to a socket whose write has not completed. Default 64. */
  maxInFlight?: number;
  /** The current presence of a device (one per enterprise using the id), sent on subscribe. */
  presenceOf?: (device: string) => DevicePresence[];
  now?: () => number;
  logger?: Logger;
}

/** Counters of one client. */
export interface LiveClientStats {
  queued: number;
  sent: number;
  dropped: number;
  errors: number;
  subscriptions: number;
}

/** A connected live client. */
export interface LiveClient {
  readonly id: number;
  readonly scope: LiveScope;
  /** Subscribes to devices (all points, or only `points`); replaces an earlier point filter and sends each device's current presence. */
  subscribe(devices: readonly string[], points?: readonly string[]): void;
  unsubscribe(devices: readonly string[]): void;
  /** Queues a frame for this client alone. */
  send(message: LiveServerMessage): void;
  /** Queues an error frame and counts it; the connection stays open. */
  error(code: string, message: string): void;
  /** Removes the client from the hub (its socket closed). Idempotent. */
  close(): void;
  stats(): LiveClientStats;
}

/** Counters of the hub. */
export interface LiveHubStats {
  clients: number;
  sent: number;
  dropped: number;
  errors: number;
}

/** Fans stored samples and presence changes out to subscribed WebSocket clients, each at its own pace. */
export interface LiveHub {
  connect(socket: LiveSocket, scope: LiveScope): LiveClient;
  publishSamples(tenantId: string | null, samples: readonly LiveSampleInput[]): void;
  publishPresence(event: PresenceEvent): void;
  /** An alarm event to every client that sees its enterprise (no subscription needed). */
  publishAlarm(tenantId: string | null, event: AlarmEvent): void;
  stats(): LiveHubStats;
}

interface ClientState {
  id: number;
  scope: LiveScope;
  socket: LiveSocket;
  /** Device → point filter (null: every point). */
  subs: Map<string, ReadonlySet<string> | null>;
  queue: LiveServerMessage[];
  inFlight: number;
  /** Frames dropped since the client was last told. */
  unreported: number;
  sent: number;
  dropped: number;
  errors: number;
  closed: boolean;
}

const seesTenant = (scope: LiveScope, tenantId: string | null): boolean => scope.kind === 'all' || scope.tenantId === tenantId;
const seesValues = (scope: LiveScope, tenantId: string | null): boolean => (scope.kind === 'all' ? scope.values : scope.tenantId === tenantId);

/**
 * Creates the live hub. Publishing never waits for a client: each client has a bounded queue drained as
 * its socket's writes complete; when the queue is full the oldest `samples` frame is dropped (presence
 * frames are kept), and the client gets one `{type:'dropped', count}` frame before its next frames.
 * @example const hub = createLiveHub({ presenceOf: (d) => presence.get(d) }); const client = hub.connect(ws, { kind: 'tenant', tenantId }); client.subscribe(['cnc-01'])
 */
export function createLiveHub(options: LiveHubOptions = {}): LiveHub {
  const maxQueue = options.maxQueue ?? 1000;
  const highWaterBytes = options.highWaterBytes ?? 2 ** 20;
  const maxInFlight = options.maxInFlight ?? 64;
  if (!(Number.isInteger(maxQueue) && maxQueue >= 1)) throw new YulianError('CONFIG_INVALID', `Live maxQueue must be a positive whole number of frames; got ${maxQueue}.`);
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) throw new YulianError('CONFIG_INVALID', `Live maxInFlight must be a positive whole number of frames; got ${maxInFlight}.`);
  const now = options.now ?? Date.now;
  const log = options.logger?.child({ component: 'live' });
  const clients = new Set<ClientState>();
  /** Device → its subscribers, so a publish touches only them. */
  const byDevice = new Map<string, Set<ClientState>>();
  const totals = { sent: 0, dropped: 0, errors: 0 };
  let nextId = 1;

  function pump(c: ClientState): void {
    while (!c.closed && c.inFlight < maxInFlight && c.socket.bufferedAmount < highWaterBytes) {
      let message: LiveServerMessage | undefined;
      if (c.unreported > 0) {
        message = { type: 'dropped', count: c.unreported };
        c.unreported = 0;
      } else {
        message = c.queue.shift();
      }
      if (!message) return;
      c.inFlight++;
      try {
        c.socket.send(JSON.stringify(message), (err) => {
          c.inFlight--;
          if (err) return remove(c);
          c.sent++;
          totals.sent++;
          pump(c);
        });
      } catch (err) {
        log?.debug({ client: c.id, err }, 'live send failed; client removed');
        remove(c);
      }
    }
  }

  function enqueue(c: ClientState, message: LiveServerMessage): void {
    if (c.closed) return;
    if (c.queue.length >= maxQueue) {
      const oldestSamples = c.queue.findIndex((m) => m.type === 'samples');
      c.queue.splice(oldestSamples === -1 ? 0 : oldestSamples, 1);
      if (c.unreported === 0) log?.info({ client: c.id }, 'live client too slow; dropping its oldest frames');
      c.unreported++;
      c.dropped++;
      totals.dropped++;
    }
    c.queue.push(message);
    pump(c);
  }

  function remove(c: ClientState): void {
    if (c.closed) return;
    c.closed = true;
    c.queue.length = 0;
    for (const device of c.subs.keys()) unindex(c, device);
    c.subs.clear();
    clients.delete(c);
  }

  function unindex(c: ClientState, device: string): void {
    const set = byDevice.get(device);
    set?.delete(c);
    if (set?.size === 0) byDevice.delete(device);
  }

  function presenceNow(c: ClientState, device: string): void {
    const visible = (options.presenceOf?.(device) ?? []).filter((p) => seesTenant(c.scope, p.tenantId));
    if (visible.length === 0) enqueue(c, { type: 'presence', device, state: 'unknown', reason: null, at: now() });
    for (const p of visible) enqueue(c, { type: 'presence', device, state: p.state, reason: p.reason, at: p.since });
  }

  return {
    connect(socket, scope) {
      const c: ClientState = { id: nextId++, scope, socket, subs: new Map(), queue: [], inFlight: 0, unreported: 0, sent: 0, dropped: 0, errors: 0, closed: false };
      clients.add(c);
      return {
        id: c.id,
        scope,
        subscribe(devices, points) {
          if (c.closed) return;
          for (const device of devices) {
            c.subs.set(device, points ? new Set(points) : null);
            let set = byDevice.get(device);
            if (!set) byDevice.set(device, (set = new Set()));
            set.add(c);
          }
          for (const device of devices) presenceNow(c, device);
        },
        unsubscribe(devices) {
          for (const device of devices) {
            c.subs.delete(device);
            unindex(c, device);
          }
        },
        send: (message) => enqueue(c, message),
        error(code, message) {
          c.errors++;
          totals.errors++;
          enqueue(c, { type: 'error', code, message });
        },
        close: () => remove(c),
        stats: () => ({ queued: c.queue.length, sent: c.sent, dropped: c.dropped, errors: c.errors, subscriptions: c.subs.size }),
      };
    },

    publishSamples(tenantId, samples) {
      const byDev = new Map<string, LiveSample[]>();
      for (const s of samples) {
        if (!byDevice.has(s.device)) continue;
        let list = byDev.get(s.device);
        if (!list) byDev.set(s.device, (list = []));
        list.push({ point: s.point, ts: s.ts, value: s.value, quality: s.quality });
      }
      for (const [device, list] of byDev) {
        for (const c of byDevice.get(device) ?? []) {
          if (!seesValues(c.scope, tenantId)) continue;
          const points = c.subs.get(device);
          const mine = points ? list.filter((s) => points.has(s.point)) : list;
          if (mine.length) enqueue(c, { type: 'samples', device, samples: mine });
        }
      }
    },

    publishPresence(event) {
      for (const c of byDevice.get(event.device) ?? []) {
        if (seesTenant(c.scope, event.tenantId)) enqueue(c, { type: 'presence', device: event.device, state: event.state, reason: event.reason, at: event.at });
      }
    },

    publishAlarm(tenantId, event) {
      for (const c of clients) if (seesTenant(c.scope, tenantId)) enqueue(c, { type: 'alarm', event });
    },

    stats: () => ({ clients: clients.size, ...totals }),
  };
}
