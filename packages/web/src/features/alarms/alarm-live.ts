/**
 * The console's live feed of alarm events: the platform's live WebSocket (`/api/v1/live`) sends every
 * client an `{type:'alarm', event}` frame for each alarm event of its enterprise (raised, cleared,
 * acknowledged, escalated, shelved …) without a device subscription. The 告警 page refreshes on each and
 * announces new alarms.
 */
import { useEffect, useRef, useState } from 'react';
import { liveUrl, reconnectDelay } from '../../api/live';
import { useApi } from '../auth/session-context';
import type { AlarmEvent } from './alarm-types';

/** The part of a WebSocket the feed uses (the browser's fits). */
export interface AlarmFeedSocket {
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
}

/** The alarm event of a live frame, or undefined for any other frame. */
export function alarmEventOf(raw: unknown): AlarmEvent | undefined {
  let message: unknown;
  try {
    message = JSON.parse(String(raw));
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as { type?: unknown; event?: unknown };
  if (m.type !== 'alarm' || typeof m.event !== 'object' || m.event === null) return undefined;
  const e = m.event as Partial<AlarmEvent>;
  return typeof e.kind === 'string' && typeof e.alarm === 'object' && e.alarm !== null ? (e as AlarmEvent) : undefined;
}

/** Options of {@link openAlarmFeed}. */
export interface AlarmFeedOptions {
  url: string;
  getToken: () => string | null;
  onEvent: (event: AlarmEvent) => void;
  /** Told when the socket is up (true) or down (false); a reconnect may have missed events. */
  onStatus?: (open: boolean) => void;
  createSocket?: (url: string) => AlarmFeedSocket;
}

/**
 * Opens the feed and keeps it open (reconnecting 1 s, 2 s, 4 s … 30 s after a drop); answers the
 * function that closes it for good.
 * @example const stop = openAlarmFeed({ url: liveUrl(), getToken: () => api.token(), onEvent: (e) => refresh() })
 */
export function openAlarmFeed(options: AlarmFeedOptions): () => void {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as AlarmFeedSocket);
  let socket: AlarmFeedSocket | undefined;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const connect = () => {
    const token = options.getToken();
    if (!token) return schedule();
    const s = createSocket(options.url);
    socket = s;
    s.onopen = () => s.send(JSON.stringify({ type: 'auth', token }));
    s.onmessage = (event) => {
      const text = String(event.data);
      if (text.includes('"type":"ready"')) {
        attempt = 0;
        options.onStatus?.(true);
        return;
      }
      const alarm = alarmEventOf(text);
      if (alarm) options.onEvent(alarm);
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = undefined;
      options.onStatus?.(false);
      schedule();
    };
  };
  const schedule = () => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect();
    }, reconnectDelay(attempt++, 1000, 30_000));
  };
  connect();
  return () => {
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    const s = socket;
    socket = undefined;
    s?.close();
  };
}

/** Hears the enterprise's alarm events while the component is mounted; answers whether the feed is up. */
export function useAlarmFeed(onEvent: (event: AlarmEvent) => void): boolean {
  const api = useApi();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [open, setOpen] = useState(false);
  useEffect(() => openAlarmFeed({ url: liveUrl(), getToken: () => api.token(), onEvent: (e) => handler.current(e), onStatus: setOpen }), [api]);
  return open;
}
