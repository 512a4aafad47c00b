import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { type Logger, YulianError } from '@yulian/core';
import type { ModbusDataModel, ModbusWrite } from './data-model.js';
import { FrameError, type FrameHeader, maxReadBits, maxReadRegisters, maxWriteBits, maxWriteRegisters, splitFrames } from './frame.js';

export { createDataModel, type ModbusDataModel, type DataModelSizes, type ModbusWrite, type ModbusWriteListener, type ModbusBitTable, type ModbusRegisterTable } from './data-model.js';

/** The units a server answers for: by unit id, or a function (return undefined for an unknown unit). */
export type ModbusUnits = Record<number, ModbusDataModel> | ((unitId: number) => ModbusDataModel | undefined);

/** Options of `createModbusTcpServer`. */
export interface ModbusTcpServerOptions {
  /** Address to listen on; default `'::'`, which also accepts IPv4 (falls back to `0.0.0.0` without IPv6). */
  host?: string;
  /** TCP port; default 0, a free port (read it from `server.port`). */
  port?: number;
  units: ModbusUnits;
  logger?: Logger;
  /** Each answer is sent this long after its request arrived (a slow device); default 0. */
  delayMs?: number;
}

/** Counters since the server started. */
export interface ModbusServerStats {
  /** Well-formed requests answered, exceptions included. */
  requests: number;
  /** Answers that were Modbus exceptions. */
  exceptions: number;
  /** Malformed frames; each closed its connection. */
  badFrames: number;
  /** Connections accepted. */
  connections: number;
}

/** A running Modbus TCP server. */
export interface ModbusTcpServer {
  /** The address it listens on. */
  readonly host: string;
  readonly port: number;
  /** How many clients are connected now. */
  connections(): number;
  stats(): ModbusServerStats;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

// Exception codes (Modbus Application Protocol v1.1b3, section 7).
const ILLEGAL_FUNCTION = 1;
const ILLEGAL_DATA_ADDRESS = 2;
const ILLEGAL_DATA_VALUE = 3;
const SERVER_DEVICE_FAILURE = 4;
const GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND = 0x0b;

/** The shortest PDU (function code included) each supported function needs; 0 = unsupported. */
const minPdu = new Uint8Array(256);
for (const fc of [1, 2, 3, 4, 5, 6]) minPdu[fc] = 5;
minPdu[15] = minPdu[16] = 6;

/** What answering a frame needs: one object per server, so that no closure is made per request. */
interface Context {
  unit: (unitId: number) => ModbusDataModel | undefined;
  log: Logger | undefined;
}

/**
 * Starts a Modbus TCP server answering FC 1, 2, 3, 4, 5, 6, 15 and 16 from in-memory data models, for
 * the virtual factory and benchmarks. A request for a unit that is not configured is answered with
 * exception 0x0B GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND: the server acts like a gateway to its units,
 * and this is what a gateway answers for a device that is absent, so clients treat it as "device
 * down", not as a bad request. Malformed input closes only its own connection.
 * @example const server = await createModbusTcpServer({ units: { 1: createDataModel({ holding: 100 }) } })
 * @throws YulianError CONFIG_INVALID for a bad port, delay or unit id; the listen error (e.g. EADDRINUSE)
 */
export async function createModbusTcpServer(options: ModbusTcpServerOptions): Promise<ModbusTcpServer> {
  const { port = 0, delayMs = 0 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new YulianError('CONFIG_INVALID', `Modbus server port ${port}: pass an integer 0–65535 (0 = any free port)`);
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new YulianError('CONFIG_INVALID', `Modbus server delayMs ${delayMs}: pass 0 or more milliseconds`);
  const log = options.logger?.child({ component: 'modbus-server' });
  const ctx: Context = { unit: unitLookup(options.units, log), log };
  const stats: ModbusServerStats = { requests: 0, exceptions: 0, badFrames: 0, connections: 0 };
  const sockets = new Set<Socket>();
  let closing: Promise<void> | undefined;

  const server = createServer({ noDelay: true }, (socket) => {
    if (closing) return void socket.destroy();
    sockets.add(socket);
    stats.connections++;
    const remote = socket.remoteAddress?.includes(':') ? `[${socket.remoteAddress}]:${socket.remotePort}` : `${socket.remoteAddress}:${socket.remotePort}`;
    let rest: Buffer | undefined;
    let dead = false;

    const reject = (error: unknown): void => {
      dead = true;
      if (error instanceof FrameError) {
        stats.badFrames++;
        log?.warn({ remote, reason: error.message }, 'malformed Modbus request; closing the connection');
      } else log?.error({ remote, err: error }, 'Modbus server failed on a request; closing the connection');
      // end() lets answers to the frames before the bad one go out first.
      socket.end(() => socket.destroy());
    };

    socket.on('data', (chunk: Buffer) => {
      if (dead) return;
      let frames: FrameHeader[];
      try {
        ({ frames, rest } = splitFrames(rest?.length ? Buffer.concat([rest, chunk]) : chunk));
      } catch (error) {
        return reject(error);
      }
      // One write per answer; corking lets answers to pipelined requests leave in one segment.
      socket.cork();
      try {
        for (const frame of frames) {
          const answer = respond(frame, ctx);
          stats.requests++;
          if ((answer[7] as number) & 0x80) stats.exceptions++;
          if (delayMs > 0) setTimeout(sendLater, delayMs, socket, answer);
          else if (!socket.write(answer)) socket.pause();
        }
      } catch (error) {
        reject(error);
      } finally {
        socket.uncork();
      }
    });
    // A client that pipelines without reading its answers is read no further until they drain.
    socket.on('drain', () => socket.resume());
    socket.on('error', (err) => log?.debug({ remote, err: err.message }, 'Modbus connection error'));
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (host: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(options.host ?? '::');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.host !== undefined || (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL')) throw error;
    await listen('0.0.0.0');
  }
  server.on('error', (err) => log?.error({ err }, 'Modbus server error'));
  const address = server.address() as AddressInfo;
  log?.info({ host: address.address, port: address.port }, 'Modbus server listening');

  return {
    host: address.address,
    port: address.port,
    connections: () => sockets.size,
    stats: () => ({ ...stats }),
    close() {
      closing ??= closeServer(server, sockets);
      return closing;
    },
  };
}

/** Resolves once the listener and every connection are closed (the server's 'close' can come first). */
async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  const closed = [new Promise<void>((resolve) => server.close(() => resolve()))];
  for (const socket of sockets) {
    closed.push(new Promise<void>((resolve) => socket.once('close', () => resolve())));
    socket.destroy();
  }
  await Promise.all(closed);
}

function sendLater(socket: Socket, answer: Buffer): void {
  if (socket.writable && !socket.write(answer)) socket.pause();
}

function unitLookup(units: ModbusUnits, log: Logger | undefined): (unitId: number) => ModbusDataModel | undefined {
  if (typeof units === 'function') {
    return (unitId) => {
      try {
        return units(unitId);
      } catch (err) {
        log?.error({ err, unitId }, 'Modbus unit lookup failed; answering as an absent unit');
        return undefined;
      }
    };
  }
  const byId = new Array<ModbusDataModel | undefined>(256);
  for (const [key, model] of Object.entries(units)) {
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0 || id > 255) {
      throw new YulianError('CONFIG_INVALID', `Modbus unit id "${key}": key units by an integer 0–255, e.g. { 1: createDataModel({ holding: 100 }) }`);
    }
    byId[id] = model;
  }
  return (unitId) => byId[unitId];
}

/**
 * The whole answer frame to one request. Checks follow the spec's state diagrams: function, then
 * quantity (3), then address (2). Bytes after what a function needs are ignored, as most devices do.
 * @throws FrameError when the PDU is shorter than its function needs
 */
function respond(frame: FrameHeader, ctx: Context): Buffer {
  const { pdu } = frame;
  const fc = pdu[0] as number;
  const need = minPdu[fc] as number;
  if (pdu.length < need) throw new FrameError(`function ${fc} needs a PDU of ${need} bytes, got ${pdu.length}`);
  const model = ctx.unit(frame.unitId);
  if (!model) return exception(frame, fc, GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND);
  if (need === 0) return exception(frame, fc, ILLEGAL_FUNCTION);
  const address = pdu.readUInt16BE(1);
  const n = pdu.readUInt16BE(3); // quantity, or the value for FC 5 and 6
  switch (fc) {
    case 1:
    case 2:
      return readBits(frame, fc, fc === 1 ? model.coils : model.discrete, address, n);
    case 3:
    case 4:
      return readRegisters(frame, fc, fc === 3 ? model.holding : model.input, address, n);
    case 5:
      if (n !== 0xff00 && n !== 0) return exception(frame, fc, ILLEGAL_DATA_VALUE);
      if (address >= model.coils.length) return exception(frame, fc, ILLEGAL_DATA_ADDRESS);
      return write(frame, ctx, model, { unitId: frame.unitId, fc, table: 'coil', address, values: [n === 0xff00] });
    case 6:
      if (address >= model.holding.length) return exception(frame, fc, ILLEGAL_DATA_ADDRESS);
      return write(frame, ctx, model, { unitId: frame.unitId, fc, table: 'holding', address, values: [n] });
    case 15: {
      const bytes = pdu[5] as number;
      if (n < 1 || n > maxWriteBits || bytes !== (n + 7) >> 3) return exception(frame, fc, ILLEGAL_DATA_VALUE);
      if (pdu.length < 6 + bytes) throw new FrameError(`FC15 of ${bytes} data bytes in a PDU of ${pdu.length}`);
      if (address + n > model.coils.length) return exception(frame, fc, ILLEGAL_DATA_ADDRESS);
      const values = new Array<boolean>(n);
      for (let i = 0; i < n; i++) values[i] = (((pdu[6 + (i >> 3)] as number) >> (i & 7)) & 1) === 1;
      return write(frame, ctx, model, { unitId: frame.unitId, fc, table: 'coil', address, values });
    }
    default: {
      const bytes = pdu[5] as number;
      if (n < 1 || n > maxWriteRegisters || bytes !== 2 * n) return exception(frame, fc, ILLEGAL_DATA_VALUE);
      if (pdu.length < 6 + bytes) throw new FrameError(`FC16 of ${bytes} data bytes in a PDU of ${pdu.length}`);
      if (address + n > model.holding.length) return exception(frame, fc, ILLEGAL_DATA_ADDRESS);
      const values = new Array<number>(n);
      for (let i = 0; i < n; i++) values[i] = pdu.readUInt16BE(6 + 2 * i);
      return write(frame, ctx, model, { unitId: frame.unitId, fc: 16, table: 'holding', address, values });
    }
  }
}

/** A frame for an answer whose PDU is `pduLength` bytes, with its MBAP header filled in. */
function header(frame: FrameHeader, pduLength: number): Buffer {
  const out = Buffer.allocUnsafe(7 + pduLength);
  out.writeUInt16BE(frame.transactionId, 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(pduLength + 1, 4);
  out[6] = frame.unitId;
  return out;
}

function exception(frame: FrameHeader, fc: number, code: number): Buffer {
  const out = header(frame, 2);
  out[7] = fc | 0x80;
  out[8] = code;
  return out;
}

function readBits(frame: FrameHeader, fc: number, bank: Uint8Array, address: number, n: number): Buffer {
  if (n < 1 || n > maxReadBits) return exception(frame, fc, ILLEGAL_DATA_VALUE);
  if (address + n > bank.length) return exception(frame, fc, ILLEGAL_DATA_ADDRESS);
  const bytes = (n + 7) >> 3;
  const out = header(frame, 2 + bytes);
  out[7] = fc;
  out[8] = bytes;
  let byte = 0;
  for (let i = 0; i < n; i++) {
    if (bank[address + i]) byte |= 1 << (i & 7);
    if ((i & 7) === 7) {
      out[9 + (i >> 3)] = byte;
      byte = 0;
    }
  }
  if (n & 7) out[9 + (n >> 3)] = byte;
  return out;
}

function readRegisters(frame: FrameHeader, fc: number, bank: Uint16Array, address: number, n: number): Buffer {
  if (n < 1 || n > maxReadRegisters) return exception(frame, fc, ILLEGAL_DATA_VALUE);
  if (address + n > bank.length) return exception(frame, fc, ILLEGAL_DATA_ADDRESS);
  const out = header(frame, 2 + 2 * n);
  out[7] = fc;
  out[8] = 2 * n;
  for (let i = 0, o = 9; i < n; i++, o += 2) {
    const v = bank[address + i] as number;
    out[o] = v >> 8;
    out[o + 1] = v & 0xff;
  }
  return out;
}

/** Applies a write; the answer echoes the request's address and value or quantity. */
function write(frame: FrameHeader, ctx: Context, model: ModbusDataModel, change: ModbusWrite): Buffer {
  try {
    model.applyWrite(change);
  } catch (err) {
    ctx.log?.error({ err, unitId: frame.unitId, table: change.table, address: change.address }, 'Modbus write listener failed');
    return exception(frame, change.fc, SERVER_DEVICE_FAILURE);
  }
  const out = header(frame, 5);
  frame.pdu.copy(out, 7, 0, 5);
  return out;
}
