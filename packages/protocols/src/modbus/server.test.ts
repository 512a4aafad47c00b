import { type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Logger, isYulianError } from '@yulian/core';
import { type ModbusTcpClient, createModbusTcpClient } from './client.js';
import { type ModbusRequest, encodeRequest } from './frame.js';
import { type ModbusDataModel, type ModbusTcpServer, type ModbusWrite, createDataModel, createModbusTcpServer } from './server.js';

/** A socket that sends raw bytes and reads whole answer frames, for input the client cannot produce. */
interface RawPeer {
  socket: Socket;
  send(bytes: Buffer): void;
  /** The next frame (MBAP header included), within 1 s. */
  frame(): Promise<Buffer>;
  closed: Promise<void>;
  /** Bytes received and not yet read as frames. */
  unread(): number;
}

/** Polls `condition` every 5 ms for up to 1 s (server-side events can trail the client's). */
const waitFor = async (condition: () => boolean): Promise<void> => {
  for (const deadline = Date.now() + 1000; !condition(); await new Promise((resolve) => setTimeout(resolve, 5))) {
    if (Date.now() > deadline) throw new Error('condition not met within 1 s');
  }
};

async function rawPeer(port: number, host = '127.0.0.1'): Promise<RawPeer> {
  const socket = connect({ host, port, noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    wake?.();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return {
    socket,
    send: (bytes) => void socket.write(bytes),
    closed,
    unread: () => buffered.length,
    async frame() {
      const deadline = Date.now() + 1000;
      const whole = (): number => (buffered.length >= 6 ? 6 + buffered.readUInt16BE(4) : Infinity);
      while (buffered.length < whole()) {
        if (Date.now() > deadline || socket.destroyed) throw new Error(`no whole frame; have ${buffered.toString('hex')}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      const out = buffered.subarray(0, whole());
      buffered = buffered.subarray(out.length);
      return out;
    },
  };
}

/** A Modbus TCP frame around `pdu`; `protocol` and `length` can be forced wrong. */
const frame = (tid: number, unit: number, pdu: number[], over: { protocol?: number; length?: number } = {}): Buffer => {
  const out = Buffer.alloc(7 + pdu.length);
  out.writeUInt16BE(tid, 0);
  out.writeUInt16BE(over.protocol ?? 0, 2);
  out.writeUInt16BE(over.length ?? pdu.length + 1, 4);
  out[6] = unit;
  Buffer.from(pdu).copy(out, 7);
  return out;
};

const exceptionOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (isYulianError(e, 'MODBUS_EXCEPTION')) return String(e.details?.['exception']);
    throw e;
  }
  throw new Error('expected a Modbus exception');
};

/** Keeps the warnings a component logs (a stand-in for pino: the server only logs). */
const warningLogger = (): { logger: Logger; warnings: Record<string, unknown>[] } => {
  const warnings: Record<string, unknown>[] = [];
  const noop = (): void => undefined;
  const logger: Record<string, unknown> = { warn: (o: Record<string, unknown>) => void warnings.push(o), info: noop, debug: noop, error: noop };
  logger['child'] = () => logger;
  return { logger: logger as unknown as Logger, warnings };
};

describe('createDataModel', () => {
  it('stores registers modulo 2^16 and bits as 0 or 1, and refuses addresses outside a bank', () => {
    const m = createDataModel({ coils: 8, discrete: 4, holding: 4, input: 2 });
    m.setRegisters('holding', 1, [-1, 70_000]);
    m.setBits('discrete', 2, [true, 1]);
    expect(m.getRegisters('holding', 0, 4)).toEqual([0, 0xffff, 70_000 - 65_536, 0]);
    expect(m.getBits('discrete', 0, 4)).toEqual([false, false, true, true]);
    expect(m.size('coil')).toBe(8);
    expect(() => m.setRegisters('input', 1, [1, 2])).toThrow(RangeError);
    expect(() => m.getBits('coil', -1, 1)).toThrow(RangeError);
  });

  it('refuses a bank larger than 65,536 addresses with CONFIG_INVALID', () => {
    expect(() => createDataModel({ holding: 65_537 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('Modbus TCP server', () => {
  const plc = createDataModel({ coils: 2000, discrete: 2000, holding: 200, input: 200 });
  const other = createDataModel({ holding: 10 });
  const writes: ModbusWrite[] = [];
  const { logger, warnings } = warningLogger();
  let server: ModbusTcpServer;
  let client: ModbusTcpClient;
  const request = (r: ModbusRequest, unit = 1): ReturnType<ModbusTcpClient['request']> => client.request(unit, r);

  beforeAll(async () => {
    plc.onWrite((w) => void writes.push(w));
    server = await createModbusTcpServer({ units: { 1: plc, 2: other }, logger });
    client = createModbusTcpClient({ host: '127.0.0.1', port: server.port, timeoutMs: 1000 });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('reads what the simulation set in every table and writes coils and holding registers', async () => {
    plc.setBits('discrete', 10, [true, false, true]);
    plc.setRegisters('input', 5, [100, 200]);
    plc.setBits('coil', 0, [true]);
    expect(await request({ fc: 2, address: 10, count: 3 })).toEqual({ kind: 'bits', values: [true, false, true] });
    expect(await request({ fc: 4, address: 5, count: 2 })).toEqual({ kind: 'registers', values: [100, 200] });
    expect(await request({ fc: 1, address: 0, count: 2 })).toEqual({ kind: 'bits', values: [true, false] });
    await request({ fc: 5, address: 1, value: true });
    await request({ fc: 6, address: 7, value: 0xbeef });
    expect(await request({ fc: 1, address: 0, count: 2 })).toEqual({ kind: 'bits', values: [true, true] });
    expect(await request({ fc: 3, address: 7, count: 1 })).toEqual({ kind: 'registers', values: [0xbeef] });
    expect(plc.getRegisters('holding', 7, 1)).toEqual([0xbeef]);
    expect(await request({ fc: 3, address: 0, count: 1 }, 2)).toEqual({ kind: 'registers', values: [0] });
  });

  it('round-trips multiple coils (FC15) and multiple registers (FC16)', async () => {
    const bits = Array.from({ length: 21 }, (_, i) => i % 3 === 0);
    const registers = Array.from({ length: 123 }, (_, i) => (i * 517) & 0xffff);
    await request({ fc: 15, address: 100, values: bits });
    await request({ fc: 16, address: 50, values: registers });
    expect(await request({ fc: 1, address: 100, count: 21 })).toEqual({ kind: 'bits', values: bits });
    expect(await request({ fc: 3, address: 50, count: 123 })).toEqual({ kind: 'registers', values: registers });
  });

  it('reads 2,000 coils and 125 registers in one request each', async () => {
    const bits = Array.from({ length: 2000 }, (_, i) => i % 7 === 1);
    const registers = Array.from({ length: 125 }, (_, i) => 60_000 + i);
    plc.setBits('coil', 0, bits);
    plc.setRegisters('input', 75, registers);
    expect(await request({ fc: 1, address: 0, count: 2000 })).toEqual({ kind: 'bits', values: bits });
    expect(await request({ fc: 4, address: 75, count: 125 })).toEqual({ kind: 'registers', values: registers });
  });

  it('lets onWrite see FC5, FC6, FC15 and FC16 writes with their unit, and stop seeing them', async () => {
    writes.length = 0;
    const seen: ModbusWrite[] = [];
    const stop = plc.onWrite((w) => void seen.push(w));
    await request({ fc: 5, address: 3, value: false });
    await request({ fc: 6, address: 4, value: 42 });
    await request({ fc: 15, address: 8, values: [true, false, true] });
    await request({ fc: 16, address: 9, values: [1, 2] });
    expect(writes).toEqual([
      { unitId: 1, fc: 5, table: 'coil', address: 3, values: [false] },
      { unitId: 1, fc: 6, table: 'holding', address: 4, values: [42] },
      { unitId: 1, fc: 15, table: 'coil', address: 8, values: [true, false, true] },
      { unitId: 1, fc: 16, table: 'holding', address: 9, values: [1, 2] },
    ]);
    expect(seen).toEqual(writes);
    stop();
    await request({ fc: 6, address: 4, value: 43 });
    expect(seen).toHaveLength(4);
    expect(writes).toHaveLength(5);
  });

  it('answers SERVER_DEVICE_FAILURE when an onWrite listener throws', async () => {
    const stop = other.onWrite(() => {
      throw new Error('setpoint refused');
    });
    expect(await exceptionOf(request({ fc: 6, address: 0, value: 1 }, 2))).toBe('SERVER_DEVICE_FAILURE');
    stop();
  });

  it('answers ILLEGAL_DATA_ADDRESS outside a bank, for reads and writes', async () => {
    expect(await exceptionOf(request({ fc: 3, address: 199, count: 2 }))).toBe('ILLEGAL_DATA_ADDRESS');
    expect(await exceptionOf(request({ fc: 2, address: 1999, count: 2 }))).toBe('ILLEGAL_DATA_ADDRESS');
    expect(await exceptionOf(request({ fc: 5, address: 2000, value: true }))).toBe('ILLEGAL_DATA_ADDRESS');
    expect(await exceptionOf(request({ fc: 6, address: 10, value: 1 }, 2))).toBe('ILLEGAL_DATA_ADDRESS');
    expect(await exceptionOf(request({ fc: 16, address: 199, values: [1, 2] }))).toBe('ILLEGAL_DATA_ADDRESS');
    expect(await exceptionOf(request({ fc: 4, address: 0, count: 1 }, 2))).toBe('ILLEGAL_DATA_ADDRESS');
  });

  it('answers ILLEGAL_DATA_VALUE for quantities outside each function’s limits', async () => {
    expect(await exceptionOf(request({ fc: 1, address: 0, count: 2001 }))).toBe('ILLEGAL_DATA_VALUE');
    expect(await exceptionOf(request({ fc: 2, address: 0, count: 0 }))).toBe('ILLEGAL_DATA_VALUE');
    expect(await exceptionOf(request({ fc: 3, address: 0, count: 126 }))).toBe('ILLEGAL_DATA_VALUE');
    expect(await exceptionOf(request({ fc: 4, address: 0, count: 0 }))).toBe('ILLEGAL_DATA_VALUE');
    expect(await exceptionOf(request({ fc: 15, address: 0, values: new Array<boolean>(1969).fill(true) }))).toBe('ILLEGAL_DATA_VALUE');
    expect(await exceptionOf(request({ fc: 16, address: 0, values: [] }))).toBe('ILLEGAL_DATA_VALUE');
  });

  it('answers ILLEGAL_FUNCTION, a bad FC5 value and byte counts that do not match, sent as raw bytes', async () => {
    const peer = await rawPeer(server.port);
    peer.send(frame(1, 1, [7]));
    expect((await peer.frame()).toString('hex')).toBe('000100000003018701');
    peer.send(frame(2, 1, [0x2b, 0x0e, 0x01, 0x00]));
    expect((await peer.frame()).toString('hex')).toBe('00020000000301ab01');
    peer.send(frame(3, 1, [5, 0, 1, 0x12, 0x34]));
    expect((await peer.frame()).toString('hex')).toBe('000300000003018503');
    peer.send(frame(4, 1, [15, 0, 0, 0, 9, 1, 0xff])); // 9 coils need 2 bytes
    expect((await peer.frame()).toString('hex')).toBe('000400000003018f03');
    peer.send(frame(5, 1, [16, 0, 0, 0, 2, 2, 0, 1])); // 2 registers need 4 bytes
    expect((await peer.frame()).toString('hex')).toBe('000500000003019003');
    peer.socket.destroy();
  });

  it('answers GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND for a unit it does not serve', async () => {
    expect(await exceptionOf(request({ fc: 3, address: 0, count: 1 }, 9))).toBe('GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND');
    expect(await exceptionOf(request({ fc: 5, address: 0, value: true }, 0))).toBe('GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND');
  });

  it('answers a frame split into single bytes and three frames in one chunk, in order', async () => {
    plc.setRegisters('holding', 0, [11, 22, 33]);
    const peer = await rawPeer(server.port);
    for (const byte of encodeRequest(0x1234, 1, { fc: 3, address: 0, count: 1 })) {
      peer.send(Buffer.of(byte));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect((await peer.frame()).toString('hex')).toBe('12340000000501030200' + '0b');
    peer.send(Buffer.concat([0, 1, 2].map((i) => encodeRequest(100 + i, 1, { fc: 3, address: i, count: 1 }))));
    const answers = [await peer.frame(), await peer.frame(), await peer.frame()];
    expect(answers.map((a) => [a.readUInt16BE(0), a.readUInt16BE(9)])).toEqual([[100, 11], [101, 22], [102, 33]]);
    peer.socket.destroy();
  });

  it('closes only the connection that sent a malformed frame, counting and logging it once', async () => {
    const before = server.stats().badFrames;
    warnings.length = 0;
    const cases = [
      frame(1, 1, [3, 0, 0, 0, 1], { protocol: 1 }),
      frame(1, 1, [3], { length: 1 }),
      Buffer.concat([frame(1, 1, [3, 0, 0, 0, 1], { length: 255 }), Buffer.alloc(255)]),
      frame(1, 1, [3, 0, 0]), // FC3 needs 5 PDU bytes
      frame(1, 1, [16, 0, 0, 0, 2, 4, 0, 1]), // 4 data bytes announced, 2 sent
    ];
    for (const bytes of cases) {
      const peer = await rawPeer(server.port);
      peer.send(Buffer.concat([bytes, bytes])); // the second copy must neither be answered nor logged
      await peer.closed;
      expect(peer.unread()).toBe(0);
      expect(await request({ fc: 3, address: 0, count: 1 })).toEqual({ kind: 'registers', values: [11] });
    }
    expect(server.stats().badFrames - before).toBe(cases.length);
    expect(warnings).toHaveLength(cases.length);
    expect(warnings[0]).toMatchObject({ reason: expect.stringContaining('protocol id 1') });
    expect(client.stats().connects).toBe(1);
  });

  it('counts requests, exceptions, bad frames and connections', async () => {
    const before = server.stats();
    await request({ fc: 3, address: 0, count: 1 });
    await exceptionOf(request({ fc: 3, address: 0, count: 1 }, 9));
    const peer = await rawPeer(server.port);
    peer.send(frame(1, 1, [3, 0, 0]));
    await peer.closed;
    const after = server.stats();
    const delta = (k: keyof typeof after): number => after[k] - before[k];
    expect({ requests: delta('requests'), exceptions: delta('exceptions'), badFrames: delta('badFrames'), connections: delta('connections') })
      .toEqual({ requests: 2, exceptions: 1, badFrames: 1, connections: 1 });
    await waitFor(() => server.connections() === 1);
  });
});

describe('Modbus TCP server life cycle', () => {
  it('reaches a default (::) server over IPv6 ::1 and IPv4 127.0.0.1', async () => {
    const model = createDataModel({ input: 1 });
    model.setRegisters('input', 0, [4321]);
    const server = await createModbusTcpServer({ units: (unitId) => (unitId === 1 ? model : undefined) });
    expect(server.host).toBe('::');
    for (const host of ['::1', '127.0.0.1']) {
      const client = createModbusTcpClient({ host, port: server.port, timeoutMs: 1000 });
      expect(await client.request(1, { fc: 4, address: 0, count: 1 })).toEqual({ kind: 'registers', values: [4321] });
      await client.close();
    }
    await server.close();
  });

  it('ends open connections on close()', async () => {
    const server = await createModbusTcpServer({ host: '127.0.0.1', units: { 1: createDataModel({ holding: 1 }) } });
    const peers = [await rawPeer(server.port), await rawPeer(server.port)];
    await waitFor(() => server.connections() === 2);
    await server.close();
    await Promise.all(peers.map((p) => p.closed));
    expect(server.connections()).toBe(0);
  });

  it('delays answers by delayMs and keeps pipelined answers in order', async () => {
    const model: ModbusDataModel = createDataModel({ holding: 3 });
    model.setRegisters('holding', 0, [7, 8, 9]);
    const server = await createModbusTcpServer({ host: '::1', units: { 1: model }, delayMs: 30 });
    const peer = await rawPeer(server.port, '::1');
    const started = Date.now();
    peer.send(Buffer.concat([0, 1, 2].map((i) => encodeRequest(i, 1, { fc: 3, address: i, count: 1 }))));
    const answers = [await peer.frame(), await peer.frame(), await peer.frame()];
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(answers.map((a) => a.readUInt16BE(9))).toEqual([7, 8, 9]);
    peer.socket.destroy();
    await server.close();
  });

  it('refuses a unit id outside 0–255 and a bad port when built', async () => {
    const model = createDataModel({ holding: 1 });
    await expect(createModbusTcpServer({ units: { 256: model } })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(createModbusTcpServer({ port: 70_000, units: {} })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
