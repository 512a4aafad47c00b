import { type Socket, createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModbusPeer, modbusPeerAvailable, startModbusPeer } from './modbus-peer.js';

// The peer is checked with hand-built frames, not with the client under test, so a bug in
// the client cannot hide behind the same bug in its own test peer.

const runs = modbusPeerAvailable() || process.env['YULIAN_REQUIRE_SERVICES'] === '1';

/** An MBAP header (transaction id, protocol 0, length of unit id + PDU, unit id) followed by the PDU. */
function frame(transactionId: number, unitId: number, pdu: number[]): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt16BE(transactionId, 0);
  header.writeUInt16BE(0, 2);
  header.writeUInt16BE(pdu.length + 1, 4);
  header.writeUInt8(unitId, 6);
  return Buffer.concat([header, Buffer.from(pdu)]);
}

/** A PDU made of a function code and 16-bit big-endian words (address, count or value). */
function pdu(functionCode: number, ...words: number[]): number[] {
  return [functionCode, ...words.flatMap((word) => [word >> 8, word & 0xff])];
}

/** One TCP connection that sends a frame and collects exactly one MBAP-framed answer. */
class RawModbusConnection {
  private buffered = Buffer.alloc(0);
  private waiter: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiter?.();
    });
  }

  static async open(peer: ModbusPeer): Promise<RawModbusConnection> {
    const socket = createConnection({ host: peer.host, port: peer.port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawModbusConnection(socket);
  }

  /** Resolves with the whole answer frame, or with null when none arrives within timeoutMs. */
  async exchange(request: Buffer, timeoutMs = 2_000): Promise<Buffer | null> {
    this.socket.write(request);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = this.takeFrame();
      if (answer) return answer;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private takeFrame(): Buffer | null {
    if (this.buffered.length < 6) return null;
    const size = 6 + this.buffered.readUInt16BE(4);
    if (this.buffered.length < size) return null;
    const answer = this.buffered.subarray(0, size);
    this.buffered = this.buffered.subarray(size);
    return answer;
  }
}

describe.skipIf(!runs).each(['127.0.0.1', '::1'] as const)('the pymodbus peer on %s', (host) => {
  let peer: ModbusPeer;
  let connection: RawModbusConnection;

  beforeAll(async () => {
    peer = await startModbusPeer({ host });
    connection = await RawModbusConnection.open(peer);
  });

  afterAll(async () => {
    connection?.close();
    await peer?.stop();
  });

  it('listens on the requested loopback address and a port it picked itself', () => {
    expect(peer.host).toBe(host);
    expect(peer.port).toBeGreaterThan(0);
  });

  it('answers a read of holding registers 5000 to 5003 with the values 5000 to 5003', async () => {
    const answer = await connection.exchange(frame(0x1234, 1, pdu(3, 5000, 4)));
    expect(answer).toEqual(
      Buffer.from([0x12, 0x34, 0, 0, 0, 11, 1, 3, 8, 0x13, 0x88, 0x13, 0x89, 0x13, 0x8a, 0x13, 0x8b]),
    );
  });

  it('stores a register written with function 6 and returns it when address 10 is read back', async () => {
    const write = frame(2, 1, pdu(6, 10, 0xbeef));
    // A successful function 6 answer echoes the request.
    expect(await connection.exchange(write)).toEqual(write);
    expect(await connection.exchange(frame(3, 1, pdu(3, 10, 1)))).toEqual(
      Buffer.from([0, 3, 0, 0, 0, 5, 1, 3, 2, 0xbe, 0xef]),
    );
  });

  it('packs coils 0 to 9 into bytes with the lowest address in the lowest bit', async () => {
    // Coils 0, 3, 6 and 9 are on (i % 3 == 0): 0b0100_1001, then 0b0000_0010.
    expect(await connection.exchange(frame(4, 1, pdu(1, 0, 10)))).toEqual(
      Buffer.from([0, 4, 0, 0, 0, 5, 1, 1, 2, 0x49, 0x02]),
    );
  });

  it('answers a read at address 65000 with exception 2, illegal data address', async () => {
    expect(await connection.exchange(frame(5, 1, pdu(3, 65000, 1)))).toEqual(
      Buffer.from([0, 5, 0, 0, 0, 3, 1, 0x83, 2]),
    );
  });
});

describe.skipIf(!runs)('the pymodbus peer beyond the basics', () => {
  let peer: ModbusPeer;
  let connection: RawModbusConnection;

  beforeAll(async () => {
    peer = await startModbusPeer();
    connection = await RawModbusConnection.open(peer);
  });

  afterAll(async () => {
    connection?.close();
    await peer?.stop();
  });

  it('answers a read that runs past register 9999 with exception 2, but not one that ends there', async () => {
    expect(await connection.exchange(frame(6, 1, pdu(3, 9998, 3)))).toEqual(Buffer.from([0, 6, 0, 0, 0, 3, 1, 0x83, 2]));
    expect(await connection.exchange(frame(7, 1, pdu(3, 9997, 3)))).toEqual(
      Buffer.from([0, 7, 0, 0, 0, 9, 1, 3, 6, 0x27, 0x0d, 0x27, 0x0e, 0x27, 0x0f]),
    );
  });

  it('answers a write at address 10000 with exception 2 of function 6', async () => {
    expect(await connection.exchange(frame(8, 1, pdu(6, 10_000, 1)))).toEqual(Buffer.from([0, 8, 0, 0, 0, 3, 1, 0x86, 2]));
  });

  it('serves unit 2 from its own data set', async () => {
    // Unit 2 holds (i + 0x8000) & 0xFFFF from 5000 on: 5000 + 0x8000 = 0x9388.
    expect(await connection.exchange(frame(9, 2, pdu(3, 5000, 1)))).toEqual(
      Buffer.from([0, 9, 0, 0, 0, 5, 2, 3, 2, 0x93, 0x88]),
    );
  });

  it('gives no answer at all to a request for an unknown unit id', async () => {
    expect(await connection.exchange(frame(10, 3, pdu(3, 5000, 1)), 300)).toBeNull();
    // The connection stays usable afterwards.
    expect(await connection.exchange(frame(11, 1, pdu(4, 3, 1)))).toEqual(Buffer.from([0, 11, 0, 0, 0, 5, 1, 4, 2, 0, 21]));
  });

  it('holds every response back by delayMs when started with a delay', async () => {
    const slow = await startModbusPeer({ delayMs: 300 });
    const slowConnection = await RawModbusConnection.open(slow);
    try {
      const started = performance.now();
      const answer = await slowConnection.exchange(frame(12, 1, pdu(3, 5000, 1)));
      expect(performance.now() - started).toBeGreaterThanOrEqual(280);
      expect(answer).toEqual(Buffer.from([0, 12, 0, 0, 0, 5, 1, 3, 2, 0x13, 0x88]));
    } finally {
      slowConnection.close();
      await slow.stop();
    }
  });

  it('exits when stopped and tolerates a second stop', async () => {
    const extra = await startModbusPeer();
    await extra.stop();
    await extra.stop();
    await expect(RawModbusConnection.open(extra)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('restarts on the port of a stopped peer that had served a connection', async () => {
    const first = await startModbusPeer();
    const firstConnection = await RawModbusConnection.open(first);
    expect(await firstConnection.exchange(frame(13, 1, pdu(3, 5000, 1)))).not.toBeNull();
    await first.stop();
    firstConnection.close();
    const again = await startModbusPeer({ port: first.port });
    try {
      expect(again.port).toBe(first.port);
      const againConnection = await RawModbusConnection.open(again);
      expect(await againConnection.exchange(frame(14, 1, pdu(3, 5000, 1)))).toEqual(
        Buffer.from([0, 14, 0, 0, 0, 5, 1, 3, 2, 0x13, 0x88]),
      );
      againConnection.close();
    } finally {
      await again.stop();
    }
  });
});

describe('startModbusPeer', () => {
  it('rejects a negative delay with a sentence that says what to pass', async () => {
    await expect(startModbusPeer({ delayMs: -1 })).rejects.toThrow(/whole number of milliseconds, 0 or more/);
  });

  it('rejects a port outside 0 to 65535 before spawning anything', async () => {
    await expect(startModbusPeer({ port: 70_000 })).rejects.toThrow(/port must be a whole number from 0/);
  });
});
