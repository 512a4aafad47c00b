import { type GatewayCommandResult, gatewayCommandSchema } from '@yulian/contracts';
import type { Logger } from '@yulian/core';
import WebSocket from 'ws';
import { type CommandTarget, executeCommand } from '../commands/execute-command.js';

/** The platform's end of the gateway link. */
export const gatewayLinkPath = '/api/v1/gateway/link';

/** Options of {@link startGatewayLink}. */
export interface GatewayLinkOptions {
  /** The platform's HTTP address, e.g. http://platform.example:8080 (ws:// or wss:// follows from it). */
  url: string;
  /** The gateway's `ylg_…` token; sent as `Authorization: Bearer …` when the link opens. */
  token: string;
  gateway: CommandTarget;
  /** No ping from the platform (every 2 s) for this long means the link is dead; default 6000 ms. */
  silenceTimeoutMs?: number;
  /** Longest wait between two connection attempts; default 10 000 ms (doubling from 250 ms, with jitter). */
  maxBackoffMs?: number;
  logger?: Logger;
}

/** Counters of the link since the gateway started. */
export interface GatewayLinkStats {
  connected: boolean;
  connects: number;
  disconnects: number;
  commands: number;
  /** Messages that were not a valid command (logged and dropped). */
  invalidMessages: number;
  lastError: string | undefined;
}

/** A running gateway link. */
export interface GatewayLink {
  stats(): GatewayLinkStats;
  /** Resolves once the link is open (for tests and start-up logs). */
  opened(): Promise<void>;
  /** Closes the link and stops reconnecting. */
  stop(): Promise<void>;
}

/** `http://host:port/base` → `ws://host:port/base/api/v1/gateway/link`. */
export const gatewayLinkUrl = (platformUrl: string): string => platformUrl.replace(/\/+$/, '').replace(/^http/i, 'ws') + gatewayLinkPath;

/**
 * Opens the persistent downlink from the platform: a WebSocket to `GET /api/v1/gateway/link` that the
 * platform sends commands over (`{type:'command', id, device, point, value, timeoutMs}`) and the gateway
 * answers (`{type:'result', id, status, reason?, readBack?, verified}`) once it has written and verified
 * the value. The platform pings every 2 s; silence for `silenceTimeoutMs` drops the link. A dropped or
 * refused link is opened again with back-off (250 ms doubling to 10 s). While the link is down the
 * platform refuses commands for this gateway at once (GATEWAY_OFFLINE) rather than queueing them.
 * @example const link = startGatewayLink({ url: 'http://platform:8080', token, gateway }); … await link.stop()
 */
export function startGatewayLink(options: GatewayLinkOptions): GatewayLink {
  const log = options.logger?.child({ component: 'gateway-link' });
  const url = gatewayLinkUrl(options.url);
  const silenceMs = options.silenceTimeoutMs ?? 6000;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const stats: GatewayLinkStats = { connected: false, connects: 0, disconnects: 0, commands: 0, invalidMessages: 0, lastError: undefined };
  let ws: WebSocket | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let silence: NodeJS.Timeout | undefined;
  let openWaiters: Array<() => void> = [];

  const heard = (socket: WebSocket): void => {
    clearTimeout(silence);
    silence = setTimeout(() => {
      log?.warn({ silenceMs }, 'no ping from the platform; dropping the link');
      socket.terminate();
    }, silenceMs);
  };

  const scheduleReconnect = (): void => {
    if (stopped) return;
    const base = Math.min(maxBackoffMs, 250 * 2 ** Math.min(failures, 8));
    failures++;
    retry = setTimeout(connect, Math.round(base * (0.75 + Math.random() * 0.5)));
  };

  async function handle(socket: WebSocket, data: WebSocket.RawData): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      parsed = undefined;
    }
    const command = gatewayCommandSchema.safeParse(parsed);
    if (!command.success) {
      stats.invalidMessages++;
      log?.warn({ issues: command.error.issues.slice(0, 3) }, 'message on the gateway link is not a command; dropped');
      return;
    }
    stats.commands++;
    const { id, device, point, value, timeoutMs, tolerance } = command.data;
    const outcome = await executeCommand(options.gateway, { device, point, value, timeoutMs, ...(tolerance === undefined ? {} : { tolerance }) });
    log?.info({ command: id, device, point, status: outcome.status, reason: outcome.reason, durationMs: outcome.durationMs }, 'command executed');
    const { durationMs: _ms, ...rest } = outcome;
    const result: GatewayCommandResult = { type: 'result', id, ...rest };
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(result));
    else log?.warn({ command: id }, 'link closed before the result could be sent');
  }

  function connect(): void {
    if (stopped) return;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${options.token}` }, handshakeTimeout: 10_000, maxPayload: 1 << 20 });
    ws = socket;
    let refused = false;
    socket.on('open', () => {
      failures = 0;
      stats.connected = true;
      stats.connects++;
      stats.lastError = undefined;
      log?.info({ url }, 'gateway link open');
      heard(socket);
      for (const w of openWaiters) w();
      openWaiters = [];
    });
    socket.on('ping', () => heard(socket));
    socket.on('message', (data) => void handle(socket, data).catch((err: unknown) => log?.error({ err }, 'command handling failed')));
    socket.on('unexpected-response', (_req, res) => {
      stats.lastError = `the platform answered ${res.statusCode}${res.statusCode === 401 ? ' (gateway token refused)' : ''}`;
      log?.error({ url, status: res.statusCode }, 'the platform refused the gateway link');
      refused = true;
      // A refused token stays refused until someone acts: retry at the slowest pace.
      failures = Math.max(failures, 8);
      socket.terminate();
    });
    socket.on('error', (err) => {
      // Closing a refused handshake raises an error of its own; the refusal is the news.
      if (refused) return;
      stats.lastError = err.message;
      if (failures <= 1) log?.warn({ url, err: err.message }, 'gateway link error');
    });
    socket.on('close', () => {
      clearTimeout(silence);
      if (stats.connected) {
        stats.connected = false;
        stats.disconnects++;
        if (!stopped) log?.warn({ url }, 'gateway link closed; reconnecting');
      }
      if (ws === socket) ws = undefined;
      scheduleReconnect();
    });
  }

  connect();
  return {
    stats: () => ({ ...stats }),
    opened: () => (stats.connected ? Promise.resolve() : new Promise<void>((resolve) => openWaiters.push(resolve))),
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(silence);
      const socket = ws;
      ws = undefined;
      if (!socket || socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000, 'gateway stopping');
      const timer = setTimeout(() => socket.terminate(), 2000);
      await closed;
      clearTimeout(timer);
    },
  };
}
