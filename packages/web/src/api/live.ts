/**
 * A small client of the platform's live WebSocket (`GET /api/v1/live`, docs/api.md "Live values"): one
 * socket shared by every subscriber of a page, authenticated with the session's bearer token as its first
 * message, re-subscribed after each reconnect, and reconnected with a growing pause (1 s, 2 s, 4 s … up to
 * 30 s) whenever it drops.
 */

/** One value of a `samples` frame. */
export interface LiveSample {
  point: string;
  /** Source time, epoch ms. */
  ts: number;
  value: number | boolean | string | null;
  quality: string;
}

/** A device's presence as the server judges it. */
export interface LivePresence {
  device: string;
  state: 'online' | 'offline' | 'unknown';
  reason: string | null;
  /** When the state changed, epoch ms. */
  at: number;
}

/** Where the connection stands: `open` once the server answered `ready`. */
export type LiveStatus = 'connecting' | 'open' | 'closed';

/** What a subscriber hears about its devices. */
export interface LiveHandlers {
  onSamples?: (device: string, samples: readonly LiveSample[]) => void;
  onPresence?: (presence: LivePresence) => void;
  /** The server dropped frames for a slow reader, or the socket reconnected: fetch the latest values again. */
  onGap?: () => void;
}

/** The part of the browser's WebSocket the client uses, so tests can hand in a fake. */
export interface LiveSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** Options of {@link createLiveClient}. */
export interface LiveClientOptions {
  /** The WebSocket URL, e.g. from {@link liveUrl}. */
  url: string;
  /** The bearer token, read at each (re)connection; without one the client waits and tries again. */
  getToken: () => string | null;
  /** Opens a socket; the browser's WebSocket by default. */
  createSocket?: (url: string) => LiveSocket;
  /** First pause before reconnecting, doubled after each failed attempt (default 1000 ms). */
  initialDelayMs?: number;
  /** Longest pause between attempts (default 30 000 ms). */
  maxDelayMs?: number;
  /** Told of each change of {@link LiveStatus}. */
  onStatus?: (status: LiveStatus) => void;
}

/** The live connection of a page. */
export interface LiveClient {
  /** Watches `devices`; answers the function that stops watching them. */
  subscribe(devices: readonly string[], handlers: LiveHandlers): () => void;
  status(): LiveStatus;
  /** Closes the socket for good. */
  close(): void;
}

const socketOpen = 1;

/**
 * The pause before reconnect attempt `attempt` (0 for the first): `initial × 2^attempt`, at most `max`.
 * @example reconnectDelay(3, 1000, 30_000) // 8000
 */
export const reconnectDelay = (attempt: number, initialMs: number, maxMs: number): number => Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));

/** The live endpoint on the console's own origin: `ws://host/api/v1/live` (`wss:` under https). */
export const liveUrl = (location: { protocol: string; host: string } = window.location): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live`;

interface Subscription {
  devices: readonly string[];
  handlers: LiveHandlers;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Opens the live connection and keeps it open until {@link LiveClient.close}.
 *
 * @example
 * const live = createLiveClient({ url: liveUrl(), getToken: () => api.token() });
 * const stop = live.subscribe(['cnc-01'], { onSamples: (device, samples) => show(samples) });
 */
export function createLiveClient(options: LiveClientOptions): LiveClient {
  const initialDelay = options.initialDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as LiveSocket);
  const subscriptions = new Set<Subscription>();
  let socket: LiveSocket | undefined;
  let status: LiveStatus = 'closed';
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let ready = false;
  let everReady = false;

  const setStatus = (next: LiveStatus) => {
    if (next === status) return;
    status = next;
    options.onStatus?.(next);
  };
  const watched = (): string[] => [...new Set([...subscriptions].flatMap((s) => s.devices))];
  const send = (message: unknown) => {
    if (socket && socket.readyState === socketOpen) socket.send(JSON.stringify(message));
  };
  const sendSubscription = () => {
    const devices = watched();
    if (ready && devices.length > 0) send({ type: 'subscribe', devices: devices.slice(0, 1000) });
  };

  const scheduleReconnect = () => {
    if (closed || timer !== undefined) return;
    setStatus('connecting');
    timer = setTimeout(() => {
      timer = undefined;
      connect();
    }, reconnectDelay(attempt, initialDelay, maxDelay));
    attempt += 1;
  };

  const onMessage = (raw: unknown) => {
    let message: unknown;
    try {
      message = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (!isRecord(message)) return;
    switch (message['type']) {
      case 'ready':
        ready = true;
        attempt = 0;
        setStatus('open');
        sendSubscription();
        // After a reconnect, values may have arrived while the socket was down.
        if (everReady) for (const s of subscriptions) s.handlers.onGap?.();
        everReady = true;
        return;
      case 'samples': {
        const device = String(message['device']);
        const samples = Array.isArray(message['samples']) ? (message['samples'] as LiveSample[]) : [];
        for (const s of subscriptions) if (s.devices.includes(device)) s.handlers.onSamples?.(device, samples);
        return;
      }
      case 'presence': {
        const presence = message as unknown as LivePresence;
        for (const s of subscriptions) if (s.devices.includes(presence.device)) s.handlers.onPresence?.(presence);
        return;
      }
      case 'dropped':
        for (const s of subscriptions) s.handlers.onGap?.();
        return;
      default:
        // `subscribed` needs nothing; `error` frames for unknown devices leave the connection open.
        return;
    }
  };

  function connect() {
    if (closed) return;
    const token = options.getToken();
    if (!token) {
      scheduleReconnect();
      return;
    }
    setStatus('connecting');
    ready = false;
    let current: LiveSocket;
    try {
      current = createSocket(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => current.send(JSON.stringify({ type: 'auth', token }));
    current.onmessage = (event) => {
      if (socket === current) onMessage(event.data);
    };
    current.onerror = () => undefined; // a close follows
    current.onclose = () => {
      if (socket !== current) return;
      socket = undefined;
      ready = false;
      if (closed) setStatus('closed');
      else scheduleReconnect();
    };
  }

  connect();

  return {
    subscribe(devices, handlers) {
      const subscription: Subscription = { devices: [...devices], handlers };
      subscriptions.add(subscription);
      sendSubscription();
      return () => {
        subscriptions.delete(subscription);
        const still = new Set(watched());
        const gone = subscription.devices.filter((d) => !still.has(d));
        if (ready && gone.length > 0) send({ type: 'unsubscribe', devices: gone });
      };
    },
    status: () => status,
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      const current = socket;
      socket = undefined;
      current?.close(1000, 'page closed');
      setStatus('closed');
    },
  };
}
