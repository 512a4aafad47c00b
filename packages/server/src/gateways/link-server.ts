import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type CommandOutcome, type GatewayCommand, gatewayCommandResultSchema } from '@yulian/contracts';
import { type GatewayRegistry, type Logger, YulianError } from '@yulian/core';
import { gatewayLinkPath } from '@yulian/gateway';
import { WebSocket, WebSocketServer } from 'ws';

/** Options of {@link createGatewayLinkServer}. */
export interface GatewayLinkServerOptions {
  gateways: Pick<GatewayRegistry, 'authenticate'>;
  logger?: Logger;
  /** Ping period; a link that missed one pong is dropped at the next. Default 2000 ms. */
  pingIntervalMs?: number;
  /** How long past a command's own timeout to wait for the gateway's answer; default 2000 ms. */
  answerGraceMs?: number;
}

/** The platform's side of the gateway links: who is connected, and commands to them. */
export interface GatewayLinkServer {
  /**
   * Takes `GET /api/v1/gateway/link` upgrades of this HTTP server, ahead of any other upgrade handler
   * (e.g. @fastify/websocket's), which keeps every other path. Call once the app is ready.
   */
  attach(server: Server): void;
  isConnected(gatewayId: string): boolean;
  /** Ids of the gateways with an open link. */
  connected(): string[];
  /**
   * Sends a command and resolves with the gateway's outcome: `timeout` when it does not answer within the
   * command's timeout plus a grace, or when the link drops meanwhile (the outcome is then unknown).
   * @throws YulianError GATEWAY_OFFLINE when the gateway has no open link (nothing is queued)
   */
  send(gatewayId: string, command: Omit<GatewayCommand, 'type'>): Promise<CommandOutcome>;
  /** Calls `listener` whenever a gateway's link opens; returns the function that stops it. */
  onConnect(listener: (gatewayId: string) => void): () => void;
  /** Calls `listener` whenever a gateway's link closes (or is replaced by a newer one). */
  onDisconnect(listener: (gatewayId: string, reason: string) => void): () => void;
  /** Closes every link. */
  close(): Promise<void>;
}

interface Link {
  gatewayId: string;
  socket: WebSocket;
  alive: boolean;
  pending: Map<string, { resolve: (o: CommandOutcome) => void; timer: NodeJS.Timeout }>;
}

const refuse = (socket: Duplex, status: number, code: string, message: string): void => {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
};

/**
 * Creates the link server: gateways open `GET /api/v1/gateway/link` as a WebSocket with their `ylg_…`
 * token as a bearer token, the platform pings every 2 s, and commands go down as JSON messages. One link
 * per gateway: a newer one replaces the older.
 * @example const links = createGatewayLinkServer({ gateways }); links.attach(app.server); links.onConnect((id) => …)
 */
export function createGatewayLinkServer(options: GatewayLinkServerOptions): GatewayLinkServer {
  const log = options.logger?.child({ component: 'gateway-links' });
  const pingMs = options.pingIntervalMs ?? 2000;
  const graceMs = options.answerGraceMs ?? 2000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const links = new Map<string, Link>();
  const connectListeners = new Set<(id: string) => void>();
  const disconnectListeners = new Set<(id: string, reason: string) => void>();
  const notify = <A extends unknown[]>(set: Set<(...a: A) => void>, ...args: A): void => {
    for (const l of set) {
      try {
        l(...args);
      } catch (err) {
        log?.error({ err }, 'gateway link listener threw');
      }
    }
  };

  const heartbeat = setInterval(() => {
    for (const link of links.values()) {
      if (!link.alive) {
        log?.warn({ gateway: link.gatewayId }, 'gateway link missed a pong; dropping it');
        link.socket.terminate();
        continue;
      }
      link.alive = false;
      link.socket.ping();
    }
  }, pingMs);
  heartbeat.unref();

  function onResult(link: Link, data: WebSocket.RawData): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      parsed = undefined;
    }
    const r = gatewayCommandResultSchema.safeParse(parsed);
    if (!r.success) return log?.warn({ gateway: link.gatewayId }, 'message on the gateway link is not a command result; dropped');
    const waiting = link.pending.get(r.data.id);
    if (!waiting) return log?.info({ gateway: link.gatewayId, command: r.data.id }, 'result of a command no longer waited for');
    const { type: _t, id: _id, ...outcome } = r.data;
    waiting.resolve(outcome);
  }

  function open(gatewayId: string, socket: WebSocket): void {
    const previous = links.get(gatewayId);
    const link: Link = { gatewayId, socket, alive: true, pending: new Map() };
    links.set(gatewayId, link);
    if (previous) previous.socket.close(4000, 'replaced by a newer link');
    socket.on('pong', () => (link.alive = true));
    socket.on('message', (data) => onResult(link, data));
    socket.on('error', (err) => log?.warn({ gateway: gatewayId, err: err.message }, 'gateway link error'));
    socket.on('close', (code, why) => {
      for (const [, p] of link.pending) p.resolve({ status: 'timeout', reason: 'GATEWAY_LINK_LOST: the link closed before the gateway answered; the write may or may not have happened', verified: false });
      link.pending.clear();
      const reason = `closed (${code}${why.length ? ` ${why.toString()}` : ''})`;
      if (links.get(gatewayId) === link) {
        links.delete(gatewayId);
        log?.info({ gateway: gatewayId, reason }, 'gateway link closed');
        notify(disconnectListeners, gatewayId, reason);
      }
    });
    log?.info({ gateway: gatewayId }, 'gateway link open');
    if (previous) notify(disconnectListeners, gatewayId, 'replaced by a newer link');
    notify(connectListeners, gatewayId);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) return refuse(socket, 401, 'UNAUTHENTICATED', 'Send Authorization: Bearer <gateway token>.');
    let gatewayId: string;
    try {
      gatewayId = (await options.gateways.authenticate(match[1])).id;
    } catch {
      log?.warn({ ip: req.socket.remoteAddress }, 'gateway link refused: token unknown');
      return refuse(socket, 401, 'GATEWAY_TOKEN_INVALID', 'The gateway token is unknown or has been replaced.');
    }
    wss.handleUpgrade(req, socket, head, (ws) => open(gatewayId, ws));
  }

  return {
    attach(server) {
      // Whoever else handles upgrades (a live-data WebSocket) keeps every other path.
      const others = server.listeners('upgrade') as Array<(req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
      server.removeAllListeners('upgrade');
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if ((req.url ?? '').split('?')[0] === gatewayLinkPath) {
          socket.on('error', () => socket.destroy());
          void upgrade(req, socket, head).catch((err: unknown) => {
            log?.error({ err }, 'gateway link upgrade failed');
            socket.destroy();
          });
          return;
        }
        for (const l of others) l.call(server, req, socket, head);
        // Nobody else takes upgrades (then or since): answer rather than leave the client hanging.
        if (others.length === 0 && server.listenerCount('upgrade') === 1) refuse(socket, 400, 'ROUTE_NOT_FOUND', `No WebSocket at ${req.url ?? ''}.`);
      });
    },
    isConnected: (id) => links.get(id)?.socket.readyState === WebSocket.OPEN,
    connected: () => [...links.keys()],
    send(gatewayId, command) {
      const link = links.get(gatewayId);
      if (!link || link.socket.readyState !== WebSocket.OPEN) return Promise.reject(new YulianError('GATEWAY_OFFLINE', `Gateway ${gatewayId} has no open link to the platform; the command was not sent.`, { details: { gateway: gatewayId } }));
      return new Promise<CommandOutcome>((resolve) => {
        const timer = setTimeout(() => {
          link.pending.delete(command.id);
          resolve({ status: 'timeout', reason: `GATEWAY_NO_ANSWER: gateway ${gatewayId} did not answer within ${command.timeoutMs + graceMs} ms`, verified: false });
        }, command.timeoutMs + graceMs);
        link.pending.set(command.id, {
          timer,
          resolve: (o) => {
            clearTimeout(timer);
            link.pending.delete(command.id);
            resolve(o);
          },
        });
        link.socket.send(JSON.stringify({ type: 'command', ...command } satisfies GatewayCommand), (err) => {
          if (err) link.pending.get(command.id)?.resolve({ status: 'failed', reason: `GATEWAY_OFFLINE: sending to gateway ${gatewayId} failed: ${err.message}`, verified: false });
        });
      });
    },
    onConnect(listener) {
      connectListeners.add(listener);
      return () => connectListeners.delete(listener);
    },
    onDisconnect(listener) {
      disconnectListeners.add(listener);
      return () => disconnectListeners.delete(listener);
    },
    async close() {
      clearInterval(heartbeat);
      for (const link of links.values()) link.socket.terminate();
      links.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
