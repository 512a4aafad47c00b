import { type Server, type Socket, createConnection, createServer } from 'node:net';
import type { Logger } from '@yulian/core';
import { type ModbusAnomaly, type ModbusTransaction, createModbusConversation } from '@yulian/protocols';

/** One end of a TCP conversation. */
export interface GuardEndpoint {
  ip: string;
  port: number;
}

/** Who talked to the guarded device: the client's address and the address it connected to. */
export interface GuardFlow {
  source: GuardEndpoint;
  target: GuardEndpoint;
  /** The guarded device, when the guard was given one. */
  deviceId?: string | undefined;
}

/** A connection the guard accepted or refused. */
export interface GuardConnection extends GuardFlow {
  ts: number;
  accepted: boolean;
  /** Why a connection was refused or cut. */
  reason?: 'blocked' | 'connection-limit' | 'upstream-unreachable';
}

/** What a guard tells its owner; every callback is optional and must not throw. */
export interface ModbusGuardSinks {
  onTransaction?(tx: ModbusTransaction, flow: GuardFlow): void;
  onAnomaly?(anomaly: ModbusAnomaly, flow: GuardFlow): void;
  onConnection?(connection: GuardConnection): void;
}

/** Where a guard listens, what it protects and how it decides. */
export interface ModbusGuardOptions extends ModbusGuardSinks {
  /** The address clients connect to (port 0: a free one). */
  listen: { host: string; port: number };
  /** The Modbus TCP server (PLC) behind the guard. */
  upstream: { host: string; port: number };
  deviceId?: string;
  /** True when a source address is blocked (active response): it is refused at connect and cut when connected. */
  blocked?: (ip: string) => boolean;
  /** At most this many client connections at once (default 64); more are refused and reported. */
  maxConnections?: number;
  /** Time source for the transactions' timestamps (default the wall clock; tests bind it to simulated time). */
  now?: () => number;
  logger?: Logger;
}

/** Counters of one guard. */
export interface ModbusGuardStats {
  connections: number;
  accepted: number;
  refused: number;
  bytesFromClients: number;
  bytesFromDevice: number;
  transactions: number;
  anomalies: number;
}

/** A running guard. */
export interface ModbusGuard {
  /** The bound listening address. */
  readonly address: { host: string; port: number };
  readonly upstream: { host: string; port: number };
  readonly deviceId: string | undefined;
  stats(): ModbusGuardStats;
  /** Cuts every open connection from `ip`; returns how many were cut. */
  disconnect(ip: string): number;
  close(): Promise<void>;
}

const plainIp = (ip: string | undefined): string => (ip ?? '').replace(/^::ffff:/, '');

/**
 * A Modbus TCP guard: a transparent proxy in front of one PLC that decodes every transaction passing
 * through it (in both directions, with the protocols package's conversation decoder) and reports them,
 * like an industrial firewall in monitoring mode. Traffic is forwarded unchanged; the only thing it
 * enforces is the block list, so that an active response can shut a source out for a time.
 */
export async function startModbusGuard(options: ModbusGuardOptions): Promise<ModbusGuard> {
  const now = options.now ?? Date.now;
  const max = options.maxConnections ?? 64;
  const log = options.logger?.child({ component: 'modbus-guard', device: options.deviceId });
  const open = new Set<{ ip: string; client: Socket; device: Socket }>();
  const counters: ModbusGuardStats = { connections: 0, accepted: 0, refused: 0, bytesFromClients: 0, bytesFromDevice: 0, transactions: 0, anomalies: 0 };
  const safely = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      log?.error({ err: e }, `a guard listener failed on ${what}`);
    }
  };

  const server: Server = createServer((client) => {
    const source = { ip: plainIp(client.remoteAddress), port: client.remotePort ?? 0 };
    const target = { ip: plainIp(client.localAddress), port: client.localPort ?? 0 };
    const flow: GuardFlow = { source, target, deviceId: options.deviceId };
    const refuse = (reason: GuardConnection['reason']): void => {
      counters.refused++;
      safely('connection', () => options.onConnection?.({ ...flow, ts: now(), accepted: false, reason }));
      client.destroy();
    };
    if (options.blocked?.(source.ip)) return refuse('blocked');
    if (open.size >= max) return refuse('connection-limit');

    client.pause();
    const device = createConnection({ host: options.upstream.host, port: options.upstream.port });
    const entry = { ip: source.ip, client, device };
    open.add(entry);
    const conversation = createModbusConversation({
      transaction: (tx) => {
        counters.transactions++;
        safely('transaction', () => options.onTransaction?.(tx, flow));
      },
      anomaly: (a) => {
        counters.anomalies++;
        safely('anomaly', () => options.onAnomaly?.(a, flow));
      },
    });
    let connected = false;
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      open.delete(entry);
      conversation.end(now());
      client.destroy();
      device.destroy();
    };
    device.once('connect', () => {
      connected = true;
      counters.accepted++;
      safely('connection', () => options.onConnection?.({ ...flow, ts: now(), accepted: true }));
      client.resume();
    });
    device.on('error', (e) => {
      if (!connected) {
        log?.warn({ err: e, upstream: options.upstream }, 'the guarded device is unreachable; the client is cut');
        counters.refused++;
        safely('connection', () => options.onConnection?.({ ...flow, ts: now(), accepted: false, reason: 'upstream-unreachable' }));
      }
      finish();
    });
    client.on('error', finish);
    client.on('close', finish);
    device.on('close', finish);
    client.on('data', (chunk: Buffer) => {
      if (options.blocked?.(source.ip)) {
        safely('connection', () => options.onConnection?.({ ...flow, ts: now(), accepted: false, reason: 'blocked' }));
        return finish();
      }
      counters.bytesFromClients += chunk.length;
      conversation.fromClient(chunk, now());
      if (!device.write(chunk)) client.pause();
    });
    device.on('drain', () => client.resume());
    device.on('data', (chunk: Buffer) => {
      counters.bytesFromDevice += chunk.length;
      conversation.fromServer(chunk, now());
      if (!client.write(chunk)) device.pause();
    });
    client.on('drain', () => device.resume());
    counters.connections++;
  });
  server.on('error', (e) => log?.error({ err: e }, 'the guard listener failed'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const address = { host: options.listen.host, port: typeof bound === 'object' && bound ? bound.port : options.listen.port };
  log?.info({ listen: address, upstream: options.upstream }, 'Modbus guard listening');

  return {
    address,
    upstream: options.upstream,
    deviceId: options.deviceId,
    stats: () => ({ ...counters }),
    disconnect(ip) {
      let n = 0;
      for (const c of [...open]) {
        if (c.ip !== ip) continue;
        c.client.destroy();
        c.device.destroy();
        n++;
      }
      return n;
    },
    async close() {
      for (const c of [...open]) {
        c.client.destroy();
        c.device.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
