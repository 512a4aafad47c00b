import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ByteOrder, byteOrders, pointSchema } from '@yulian/contracts';
import { isYulianError } from '@yulian/core';
import { type ModbusPoint, type ModbusTcpClient, createModbusTcpClient, planReads, readPoints, writePoint } from '@yulian/protocols';
import { type ModbusPeer, modbusPeerAvailable, startModbusPeer } from './peers/modbus-peer.js';

const required = process.env['YULIAN_REQUIRE_SERVICES'] === '1';
const available = modbusPeerAvailable();
if (required && !available) throw new Error('pymodbus (/usr/bin/python3 with python3-pymodbus) is required (YULIAN_REQUIRE_SERVICES=1) but missing');

const pt = (key: string, dataType: ModbusPoint['dataType'], modbus: Partial<ModbusPoint['modbus']> & { table: ModbusPoint['modbus']['table']; address: number }, extra: Record<string, unknown> = {}): ModbusPoint =>
  pointSchema.parse({ key, dataType, access: 'read-write', modbus, ...extra }) as ModbusPoint;

const code = (c: string) => (e: unknown) => isYulianError(e) && e.code === c;

for (const host of ['127.0.0.1', '::1'] as const) {
  describe.skipIf(!available)(`Modbus TCP client against pymodbus on ${host}`, () => {
    let peer: ModbusPeer;
    let client: ModbusTcpClient;
    beforeAll(async () => {
      peer = await startModbusPeer({ host });
      client = createModbusTcpClient({ host, port: peer.port, timeoutMs: 2000 });
    });
    afterAll(async () => {
      await client?.close();
      await peer?.stop();
    });

    it('reads seeded coils, discrete inputs, holding and input registers through one plan', async () => {
      const points = [
        pt('h5000', 'uint16', { table: 'holding', address: 5000 }),
        pt('h5001', 'uint16', { table: 'holding', address: 5001 }),
        pt('ir10', 'uint16', { table: 'input', address: 10 }),
        pt('c3', 'bool', { table: 'coil', address: 3 }),
        pt('c4', 'bool', { table: 'coil', address: 4 }),
        pt('d2', 'bool', { table: 'discrete', address: 2 }),
        pt('d3', 'bool', { table: 'discrete', address: 3 }),
        pt('scaled', 'uint16', { table: 'holding', address: 5005 }, { multiplier: 0.1, offset: -100 }),
      ];
      const readings = Object.fromEntries((await readPoints(client, 1, planReads(points))).map((r) => [r.point, r]));
      expect(Object.fromEntries(Object.entries(readings).map(([k, r]) => [k, r.value]))).toEqual({
        h5000: 5000, h5001: 5001, ir10: 70, c3: true, c4: false, d2: true, d3: false, scaled: expect.closeTo(400.5, 6),
      });
      expect(Object.values(readings).every((r) => r.quality === 'good')).toBe(true);
    });

    it('writes and reads back every datatype in every byte order', async () => {
      const values: Record<string, number> = { int16: -1234, uint16: 54321, int32: -123456789, uint32: 3_000_000_000, int64: -9_000_000_000_123, float32: 12.5, float64: -1234.56789 };
      let address = 100 + (host === '::1' ? 1000 : 0);
      for (const order of byteOrders) {
        for (const [type, value] of Object.entries(values)) {
          const p = pt(`${type}-${order}`, type as ModbusPoint['dataType'], { table: 'holding', address, byteOrder: order as ByteOrder });
          address += 4;
          await writePoint(client, 1, p, value);
          const [reading] = await readPoints(client, 1, planReads([p]));
          expect({ type, order, value: reading?.value, quality: reading?.quality }).toEqual({ type, order, value, quality: 'good' });
        }
      }
    });

    it('writes strings, coils and single bits of a holding register', async () => {
      const base = 300 + (host === '::1' ? 1000 : 0);
      const text = pt('model', 'string', { table: 'holding', address: base, length: 5, byteOrder: 'BADC' });
      const coil = pt('run', 'bool', { table: 'coil', address: 7000 });
      const bit = pt('alarm3', 'bool', { table: 'holding', address: base + 10, bit: 3 });
      await writePoint(client, 1, text, 'CNC-07A');
      await writePoint(client, 1, coil, true);
      await writePoint(client, 1, bit, true);
      const read = Object.fromEntries((await readPoints(client, 1, planReads([text, coil, bit]))).map((r) => [r.point, r.value]));
      expect(read).toEqual({ model: 'CNC-07A', run: true, alarm3: true });
      const word = await client.request(1, { fc: 3, address: base + 10, count: 1 });
      expect(word).toEqual({ kind: 'registers', values: [8] });
    });

    it('turns a Modbus exception into bad quality with the exception’s name, and keeps going', async () => {
      const points = [pt('far', 'uint16', { table: 'holding', address: 65000 }), pt('near', 'uint16', { table: 'holding', address: 5002 })];
      const readings = await readPoints(client, 1, planReads(points));
      expect(readings).toEqual([
        { point: 'near', value: 5002, quality: 'good' },
        { point: 'far', value: null, quality: 'bad', reason: 'ILLEGAL_DATA_ADDRESS' },
      ].sort((a, b) => (a.point === 'near' ? -1 : 1) - (b.point === 'near' ? -1 : 1)));
      await expect(client.request(1, { fc: 3, address: 65000, count: 1 })).rejects.toSatisfy((e) => isYulianError(e, 'MODBUS_EXCEPTION') && e.details?.['exception'] === 'ILLEGAL_DATA_ADDRESS');
      expect(client.stats().exceptions).toBeGreaterThanOrEqual(2);
    });

    it('reads a device of 3,000 registers in 24 requests', async () => {
      const points = Array.from({ length: 3000 }, (_, i) => pt(`r${i}`, 'uint16', { table: 'holding', address: 5000 + i }));
      const before = client.stats().requests;
      const readings = await readPoints(client, 1, planReads(points));
      expect(client.stats().requests - before).toBe(24);
      expect(readings.every((r, i) => r.quality === 'good' && r.value === 5000 + i)).toBe(true);
    });

    it('refuses values that do not fit and writes to read-only tables before sending anything', async () => {
      const before = client.stats().requests;
      await expect(writePoint(client, 1, pt('small', 'int16', { table: 'holding', address: 10 }), 40000)).rejects.toSatisfy(code('VALUE_OUT_OF_RANGE'));
      await expect(writePoint(client, 1, pt('lim', 'uint16', { table: 'holding', address: 10 }, { max: 100 }), 101)).rejects.toSatisfy(code('VALUE_OUT_OF_RANGE'));
      await expect(writePoint(client, 1, pt('ro', 'uint16', { table: 'input', address: 10 }), 1)).rejects.toSatisfy(code('FORBIDDEN'));
      expect(client.stats().requests).toBe(before);
    });
  });
}

describe.skipIf(!available)('Modbus TCP client connection handling', () => {
  it('fails fast while a device is unreachable, then reconnects after the back-off once it is back', async () => {
    const peer = await startModbusPeer({ host: '127.0.0.1' });
    const port = peer.port;
    await peer.stop();
    const client = createModbusTcpClient({ host: '127.0.0.1', port, backoffMs: 300, timeoutMs: 1000 });
    try {
      await expect(client.request(1, { fc: 3, address: 5000, count: 1 })).rejects.toSatisfy(code('MODBUS_UNREACHABLE'));
      // Within the back-off no new connection is tried: the request fails at once.
      const t0 = Date.now();
      await expect(client.request(1, { fc: 3, address: 5000, count: 1 })).rejects.toSatisfy(code('MODBUS_UNREACHABLE'));
      expect(Date.now() - t0).toBeLessThan(50);
      expect(client.stats().connectFailures).toBe(1);
      const again = await startModbusPeer({ host: '127.0.0.1', port });
      try {
        await new Promise((r) => setTimeout(r, 350));
        await expect(client.request(1, { fc: 3, address: 5000, count: 1 })).resolves.toEqual({ kind: 'registers', values: [5000] });
        expect(client.connected).toBe(true);
      } finally {
        await again.stop();
      }
      // The device went away: the next request sees it, not a hang.
      await expect(client.request(1, { fc: 3, address: 5000, count: 1 })).rejects.toSatisfy((e) => isYulianError(e) && ['MODBUS_UNREACHABLE', 'MODBUS_TIMEOUT'].includes(e.code));
    } finally {
      await client.close();
    }
  });
});

describe.skipIf(!available)('Modbus TCP client against a slow pymodbus device', () => {
  it('times a slow answer out, drops it when it arrives late, and serves the next request', async () => {
    const peer = await startModbusPeer({ host: '127.0.0.1', delayMs: 300 });
    const client = createModbusTcpClient({ host: '127.0.0.1', port: peer.port, timeoutMs: 100 });
    try {
      await expect(client.request(1, { fc: 3, address: 5000, count: 1 })).rejects.toSatisfy(code('MODBUS_TIMEOUT'));
      await new Promise((r) => setTimeout(r, 400));
      expect(client.stats()).toMatchObject({ timeouts: 1, strayFrames: 1 });
      const patient = createModbusTcpClient({ host: '127.0.0.1', port: peer.port, timeoutMs: 1000 });
      await expect(patient.request(2, { fc: 3, address: 5000, count: 1 })).resolves.toEqual({ kind: 'registers', values: [(5000 + 0x8000) & 0xffff] });
      await patient.close();
    } finally {
      await client.close();
      await peer.stop();
    }
  });
});

/** A misbehaving device: answers each request with whatever `answer` builds from it. */
async function fakeDevice(answer: (request: Buffer) => Buffer | undefined): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.on('data', (d) => {
    const reply = answer(d);
    if (reply) socket.write(reply);
  }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('Modbus TCP client against malformed answers', () => {
  const frame = (tid: number, pdu: string, protocol = 0) => {
    const body = Buffer.from(`01${pdu}`, 'hex');
    const head = Buffer.alloc(6);
    head.writeUInt16BE(tid, 0);
    head.writeUInt16BE(protocol, 2);
    head.writeUInt16BE(body.length, 4);
    return Buffer.concat([head, body]);
  };

  it('counts a wrong function code and a wrong byte count as bad frames without hanging', async () => {
    let n = 0;
    const { server, port } = await fakeDevice((req) => {
      const tid = req.readUInt16BE(0);
      return ++n === 1 ? frame(tid, '04020001') : frame(tid, '0302');
    });
    const client = createModbusTcpClient({ host: '127.0.0.1', port, timeoutMs: 500 });
    try {
      await expect(client.request(1, { fc: 3, address: 0, count: 1 })).rejects.toSatisfy(code('MODBUS_BAD_FRAME'));
      await expect(client.request(1, { fc: 3, address: 0, count: 1 })).rejects.toSatisfy(code('MODBUS_BAD_FRAME'));
      expect(client.stats().badFrames).toBe(2);
    } finally {
      await client.close();
      server.close();
    }
  });

  it('drops an answer with the wrong transaction id and times the request out', async () => {
    const { server, port } = await fakeDevice((req) => frame(req.readUInt16BE(0) + 100, '03020001'));
    const client = createModbusTcpClient({ host: '127.0.0.1', port, timeoutMs: 300 });
    try {
      await expect(client.request(1, { fc: 3, address: 0, count: 1 })).rejects.toSatisfy(code('MODBUS_TIMEOUT'));
      expect(client.stats()).toMatchObject({ strayFrames: 1, timeouts: 1 });
    } finally {
      await client.close();
      server.close();
    }
  });

  it('reconnects after a frame with a wrong protocol id puts the stream out of step', async () => {
    let n = 0;
    const { server, port } = await fakeDevice((req) => (++n === 1 ? frame(req.readUInt16BE(0), '03020001', 7) : frame(req.readUInt16BE(0), '0302002A')));
    const client = createModbusTcpClient({ host: '127.0.0.1', port, timeoutMs: 500, backoffMs: 10 });
    try {
      await expect(client.request(1, { fc: 3, address: 0, count: 1 })).rejects.toSatisfy(code('MODBUS_BAD_FRAME'));
      await expect(client.request(1, { fc: 3, address: 0, count: 1 })).resolves.toEqual({ kind: 'registers', values: [42] });
      expect(client.stats().connects).toBe(2);
    } finally {
      await client.close();
      server.close();
    }
  });

  it('refuses requests beyond its queue instead of piling them up', async () => {
    const { server, port } = await fakeDevice(() => undefined); // never answers
    const client = createModbusTcpClient({ host: '127.0.0.1', port, timeoutMs: 200, maxQueue: 2 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.request(1, { fc: 3, address: 0, count: 1 })));
      const codes = results.map((r) => (r.status === 'rejected' && isYulianError(r.reason) ? r.reason.code : 'ok'));
      expect(codes.filter((c) => c === 'MODBUS_QUEUE_FULL')).toHaveLength(2);
      expect(codes.filter((c) => c === 'MODBUS_TIMEOUT')).toHaveLength(3);
    } finally {
      await client.close();
      server.close();
    }
  });
});
