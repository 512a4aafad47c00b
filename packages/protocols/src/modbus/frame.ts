/**
 * Modbus TCP frames (MBAP header + PDU) for the functions Yulian uses: read coils (1), discrete inputs
 * (2), holding registers (3), input registers (4); write single coil (5), single register (6), multiple
 * coils (15), multiple registers (16). Pure functions: no sockets here.
 */

/** A Modbus request: the function and its fields. */
export type ModbusRequest =
  | { fc: 1 | 2 | 3 | 4; address: number; count: number }
  | { fc: 5; address: number; value: boolean }
  | { fc: 6; address: number; value: number }
  | { fc: 15; address: number; values: readonly boolean[] }
  | { fc: 16; address: number; values: readonly number[] };

/** A decoded answer: bits, registers, a write acknowledgement, or a Modbus exception. */
export type ModbusResponse =
  | { kind: 'bits'; values: boolean[] }
  | { kind: 'registers'; values: number[] }
  | { kind: 'written' }
  | { kind: 'exception'; code: number; name: string };

/** The largest reads the protocol allows in one request. */
export const maxReadRegisters = 125;
export const maxReadBits = 2000;
export const maxWriteRegisters = 123;
export const maxWriteBits = 1968;

/** Modbus exception codes by name (Modbus Application Protocol v1.1b3, section 7). */
export const exceptionNames: Record<number, string> = {
  1: 'ILLEGAL_FUNCTION',
  2: 'ILLEGAL_DATA_ADDRESS',
  3: 'ILLEGAL_DATA_VALUE',
  4: 'SERVER_DEVICE_FAILURE',
  5: 'ACKNOWLEDGE',
  6: 'SERVER_DEVICE_BUSY',
  8: 'MEMORY_PARITY_ERROR',
  10: 'GATEWAY_PATH_UNAVAILABLE',
  11: 'GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
};

/** A response that breaks the protocol: the connection can no longer be trusted. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** Encodes a request as a full Modbus TCP frame. */
export function encodeRequest(transactionId: number, unitId: number, request: ModbusRequest): Buffer {
  const pdu = encodePdu(request);
  const frame = Buffer.allocUnsafe(7 + pdu.length);
  frame.writeUInt16BE(transactionId & 0xffff, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(pdu.length + 1, 4);
  frame.writeUInt8(unitId, 6);
  pdu.copy(frame, 7);
  return frame;
}

function encodePdu(r: ModbusRequest): Buffer {
  switch (r.fc) {
    case 1:
    case 2:
    case 3:
    case 4: {
      const b = Buffer.allocUnsafe(5);
      b.writeUInt8(r.fc, 0);
      b.writeUInt16BE(r.address, 1);
      b.writeUInt16BE(r.count, 3);
      return b;
    }
    case 5:
    case 6: {
      const b = Buffer.allocUnsafe(5);
      b.writeUInt8(r.fc, 0);
      b.writeUInt16BE(r.address, 1);
      b.writeUInt16BE(r.fc === 5 ? (r.value ? 0xff00 : 0x0000) : r.value & 0xffff, 3);
      return b;
    }
    case 15: {
      const bytes = Math.ceil(r.values.length / 8);
      const b = Buffer.alloc(6 + bytes);
      b.writeUInt8(15, 0);
      b.writeUInt16BE(r.address, 1);
      b.writeUInt16BE(r.values.length, 3);
      b.writeUInt8(bytes, 5);
      r.values.forEach((v, i) => {
        if (v) b[6 + (i >> 3)] = (b[6 + (i >> 3)] as number) | (1 << (i & 7));
      });
      return b;
    }
    case 16: {
      const b = Buffer.allocUnsafe(6 + r.values.length * 2);
      b.writeUInt8(16, 0);
      b.writeUInt16BE(r.address, 1);
      b.writeUInt16BE(r.values.length, 3);
      b.writeUInt8(r.values.length * 2, 5);
      r.values.forEach((v, i) => b.writeUInt16BE(v & 0xffff, 6 + 2 * i));
      return b;
    }
  }
}

/** The header of a received frame. */
export interface FrameHeader {
  transactionId: number;
  unitId: number;
  /** The PDU: function code and data. */
  pdu: Buffer;
}

/**
 * Splits a byte stream into frames. Returns the frames found and the bytes left over (an incomplete
 * frame). A protocol id other than 0 or a length outside 2–254 means the stream is out of step:
 * `FrameError`.
 */
export function splitFrames(buffer: Buffer): { frames: FrameHeader[]; rest: Buffer } {
  const frames: FrameHeader[] = [];
  let offset = 0;
  while (buffer.length - offset >= 7) {
    const protocol = buffer.readUInt16BE(offset + 2);
    const length = buffer.readUInt16BE(offset + 4);
    if (protocol !== 0) throw new FrameError(`protocol id ${protocol}, expected 0`);
    if (length < 2 || length > 254) throw new FrameError(`MBAP length ${length} outside 2–254`);
    if (buffer.length - offset < 6 + length) break;
    frames.push({
      transactionId: buffer.readUInt16BE(offset),
      unitId: buffer.readUInt8(offset + 6),
      pdu: buffer.subarray(offset + 7, offset + 6 + length),
    });
    offset += 6 + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/**
 * Decodes the PDU answering `request`, checking function code and lengths against what was asked.
 * @throws FrameError when the answer does not fit the request
 */
export function decodeResponse(request: ModbusRequest, pdu: Buffer): ModbusResponse {
  const fc = pdu[0];
  if (fc === undefined) throw new FrameError('empty PDU');
  if (fc === (request.fc | 0x80)) {
    const code = pdu[1];
    if (code === undefined || pdu.length !== 2) throw new FrameError(`exception response of ${pdu.length} bytes, expected 2`);
    return { kind: 'exception', code, name: exceptionNames[code] ?? `EXCEPTION_${code}` };
  }
  if (fc !== request.fc) throw new FrameError(`function code ${fc} in answer to ${request.fc}`);
  switch (request.fc) {
    case 1:
    case 2: {
      const bytes = Math.ceil(request.count / 8);
      if (pdu[1] !== bytes || pdu.length !== 2 + bytes) throw new FrameError(`bit read of ${request.count} answered with ${pdu[1] ?? 0} bytes, expected ${bytes}`);
      const values = new Array<boolean>(request.count);
      for (let i = 0; i < request.count; i++) values[i] = (((pdu[2 + (i >> 3)] as number) >> (i & 7)) & 1) === 1;
      return { kind: 'bits', values };
    }
    case 3:
    case 4: {
      const bytes = request.count * 2;
      if (pdu[1] !== bytes || pdu.length !== 2 + bytes) throw new FrameError(`register read of ${request.count} answered with ${pdu[1] ?? 0} bytes, expected ${bytes}`);
      const values = new Array<number>(request.count);
      for (let i = 0; i < request.count; i++) values[i] = pdu.readUInt16BE(2 + 2 * i);
      return { kind: 'registers', values };
    }
    default: {
      // Writes echo the address (and value or quantity): 5 bytes in all.
      if (pdu.length !== 5 || pdu.readUInt16BE(1) !== request.address) throw new FrameError(`write answer does not echo address ${request.address}`);
      return { kind: 'written' };
    }
  }
}
