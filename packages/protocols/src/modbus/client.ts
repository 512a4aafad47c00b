import { Socket, isIP } from 'node:net';
import { type Logger, YulianError } from '@yulian/core';
import { FrameError, type ModbusRequest, type ModbusResponse, decodeResponse, encodeRequest, splitFrames } from './frame.js';

/** Options of a Modbus TCP connection to one device (or gateway). */
export interface ModbusTcpClientOptions {
  /** IPv4 or IPv6 address or host name. */
  host: string;
  port?: number;
  /** How long one request may wait for its answer; default 1 000 ms. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** First wait after a failed connection, doubled per failure up to `maxBackoffMs`; default 500 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Requests allowed to wait behind the one in flight; more fail at once with MODBUS_QUEUE_FULL. */
  maxQueue?: number;
  /** Consecutive timeouts after which the connection is dropped and made anew; default 3. */
  timeoutsBeforeReconnect?: number;
  logger?: Logger;
  /** The local address to connect from (e.g. one of 127.0.0.0/8 on loopback, to appear as another host). */
  localAddress?: string;
}

/** Counters of one connection, for the device's status and metrics. */
export interface ModbusClientStats {
  requests: number;
  responses: number;
  exceptions: number;
  timeouts: number;
  badFrames: number;
  /** Answers with an unknown transaction id (e.g. arriving after their request timed out). */
  strayFrames: number;
  connects: number;
  connectFailures: number;
  queueFull: number;
}

/** The answer to a request that is not an exception. */
export type ModbusResult = Exclude<ModbusResponse, { kind: 'exception' }>;

/** A Modbus TCP client: one request in flight, a bounded queue, timeouts, and reconnects with back-off. */
export interface ModbusTcpClient {
  /**
   * Sends one request to `unitId` and waits for its answer.
   * @throws YulianError MODBUS_EXCEPTION (details.exception is the name, e.g. ILLEGAL_DATA_ADDRESS),
   *   MODBUS_TIMEOUT, MODBUS_BAD_FRAME, MODBUS_UNREACHABLE, MODBUS_QUEUE_FULL
   */
  request(unitId: number, request: ModbusRequest): Promise<ModbusResult>;
  readonly connected: boolean;
  /** The last connection or protocol error, for the device's status. */
  readonly lastError: string | undefined;
  stats(): ModbusClientStats;
  close(): Promise<void>;
}

interface Pending {
  unitId: number;
  request: ModbusRequest;
  resolve: (r: ModbusResult) => void;
  reject: (e: Error) => void;
}

/**
 * Creates a client; it connects on the first request and again after a loss, waiting out a growing
 * back-off between failed attempts (requests during the wait fail fast instead of piling up).
 * @example const c = createModbusTcpClient({ host: '::1', port: 502 }); await c.request(1, { fc: 3, address: 0, count: 10 })
 */
export function createModbusTcpClient(options: ModbusTcpClientOptions): ModbusTcpClient {
  const port = options.port ?? 502;
  const timeoutMs = options.timeoutMs ?? 1000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const initialBackoff = options.backoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const maxQueue = options.maxQueue ?? 64;
  const timeoutsBeforeReconnect = options.timeoutsBeforeReconnect ?? 3;
  const where = `${isIP(options.host) === 6 ? `[${options.host}]` : options.host}:${port}`;
  const log = options.logger?.child({ component: 'modbus', target: where });
  const stats: ModbusClientStats = { requests: 0, responses: 0, exceptions: 0, timeouts: 0, badFrames: 0, strayFrames: 0, connects: 0, connectFailures: 0, queueFull: 0 };

  let socket: Socket | undefined;
  let connecting: Promise<Socket> | undefined;
  let buffer: Buffer = Buffer.alloc(0);
  let backoff = 0;
  let retryAt = 0;
  let lastError: string | undefined;
  let transactionId = 0;
  let consecutiveTimeouts = 0;
  let closed = false;
  const queue: Pending[] = [];
  let inFlight: (Pending & { tid: number; timer: NodeJS.Timeout }) | undefined;
  // True from the moment a job leaves the queue until it is settled, connecting included: one at a time.
  let busy = false;

  const fail = (code: 'MODBUS_TIMEOUT' | 'MODBUS_BAD_FRAME' | 'MODBUS_UNREACHABLE', message: string): YulianError =>
    new YulianError(code, `${where}: ${message}`, { details: { target: where } });

  const drop = (reason: string): void => {
    lastError = reason;
    if (socket) {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      socket = undefined;
    }
    buffer = Buffer.alloc(0);
    if (inFlight) {
      clearTimeout(inFlight.timer);
      inFlight.reject(fail('MODBUS_UNREACHABLE', reason));
      inFlight = undefined;
      busy = false;
    }
  };

  const connect = (): Promise<Socket> => {
    if (socket) return Promise.resolve(socket);
    if (connecting) return connecting;
    if (Date.now() < retryAt) return Promise.reject(fail('MODBUS_UNREACHABLE', `${lastError ?? 'not connected'}; next attempt in ${retryAt - Date.now()} ms`));
    connecting = new Promise<Socket>((resolve, reject) => {
      const s = new Socket();
      const timer = setTimeout(() => s.destroy(new Error(`connect timed out after ${connectTimeoutMs} ms`)), connectTimeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.setNoDelay(true);
        s.removeAllListeners('error');
        s.on('data', onData);
        s.on('error', (err) => drop(`connection error: ${err.message}`));
        s.on('close', () => drop('connection closed by the device'));
        socket = s;
        backoff = 0;
        consecutiveTimeouts = 0;
        stats.connects++;
        log?.debug('connected');
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        s.destroy();
        stats.connectFailures++;
        backoff = Math.min(maxBackoff, backoff ? backoff * 2 : initialBackoff);
        retryAt = Date.now() + backoff;
        lastError = `cannot connect: ${err.message}`;
        log?.info({ err: err.message, retryInMs: backoff }, 'modbus connect failed');
        reject(fail('MODBUS_UNREACHABLE', lastError));
      });
      s.connect({ host: options.host, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    }).finally(() => (connecting = undefined));
    return connecting;
  };

  function onData(chunk: Buffer): void {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    let frames;
    try {
      ({ frames, rest: buffer } = splitFrames(buffer));
    } catch (e) {
      stats.badFrames++;
      log?.warn({ reason: (e as Error).message }, 'malformed Modbus frame; reconnecting');
      const current = inFlight;
      inFlight = undefined;
      if (current) {
        clearTimeout(current.timer);
        busy = false;
        current.reject(fail('MODBUS_BAD_FRAME', (e as Error).message));
      }
      drop(`malformed frame: ${(e as Error).message}`);
      next();
      return;
    }
    for (const frame of frames) {
      const current = inFlight;
      if (!current || frame.transactionId !== current.tid) {
        stats.strayFrames++;
        continue;
      }
      clearTimeout(current.timer);
      inFlight = undefined;
      busy = false;
      consecutiveTimeouts = 0;
      try {
        if (frame.unitId !== current.unitId) throw new FrameError(`unit id ${frame.unitId} in answer to ${current.unitId}`);
        const response = decodeResponse(current.request, frame.pdu);
        stats.responses++;
        if (response.kind === 'exception') {
          stats.exceptions++;
          current.reject(new YulianError('MODBUS_EXCEPTION', `${where} unit ${current.unitId}: ${response.name}`, { details: { exception: response.name, code: response.code, target: where } }));
        } else current.resolve(response);
      } catch (e) {
        stats.badFrames++;
        lastError = `malformed answer: ${(e as Error).message}`;
        log?.warn({ reason: (e as Error).message, unitId: current.unitId }, 'malformed Modbus answer');
        current.reject(fail('MODBUS_BAD_FRAME', (e as Error).message));
      }
    }
    next();
  }

  function next(): void {
    if (busy || closed) return;
    const job = queue.shift();
    if (!job) return;
    busy = true;
    connect().then(
      (s) => {
        if (closed) {
          busy = false;
          return job.reject(new YulianError('MODBUS_UNREACHABLE', `${where}: client closed`));
        }
        transactionId = (transactionId + 1) & 0xffff;
        const tid = transactionId;
        const timer = setTimeout(() => {
          if (inFlight?.tid !== tid) return;
          inFlight = undefined;
          busy = false;
          stats.timeouts++;
          consecutiveTimeouts++;
          lastError = `no answer within ${timeoutMs} ms`;
          job.reject(fail('MODBUS_TIMEOUT', lastError));
          if (consecutiveTimeouts >= timeoutsBeforeReconnect) drop(`${consecutiveTimeouts} timeouts in a row`);
          next();
        }, timeoutMs);
        inFlight = { ...job, tid, timer };
        stats.requests++;
        s.write(encodeRequest(tid, job.unitId, job.request));
      },
      (err: Error) => {
        busy = false;
        job.reject(err);
        next();
      },
    );
  }

  return {
    request(unitId, request) {
      if (closed) return Promise.reject(new YulianError('MODBUS_UNREACHABLE', `${where}: client closed`));
      if (queue.length >= maxQueue) {
        stats.queueFull++;
        return Promise.reject(new YulianError('MODBUS_QUEUE_FULL', `${where}: ${queue.length} requests already waiting`));
      }
      return new Promise<ModbusResult>((resolve, reject) => {
        queue.push({ unitId, request, resolve, reject });
        next();
      });
    },
    get connected() {
      return socket !== undefined;
    },
    get lastError() {
      return lastError;
    },
    stats: () => ({ ...stats }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new YulianError('MODBUS_UNREACHABLE', `${where}: client closed`));
      drop('client closed');
    },
  };
}
