import { type ByteOrder, type DataType, registersOf } from '@yulian/contracts';

/** Why a value cannot be written as a point's type. */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}

const reversesWords = (order: ByteOrder): boolean => order === 'CDAB' || order === 'DCBA';
const swapsBytes = (order: ByteOrder): boolean => order === 'BADC' || order === 'DCBA';

/**
 * Registers as the value's big-endian bytes: reverse the word order for CDAB/DCBA, swap the bytes of
 * each word for BADC/DCBA. Strings never reverse words (their characters run forward).
 */
export function registersToBytes(registers: ArrayLike<number>, order: ByteOrder, words = true): Buffer {
  const n = registers.length;
  const out = Buffer.allocUnsafe(n * 2);
  const reverse = words && reversesWords(order);
  const swap = swapsBytes(order);
  for (let i = 0; i < n; i++) {
    const r = registers[reverse ? n - 1 - i : i] as number;
    out[2 * i] = swap ? r & 0xff : r >> 8;
    out[2 * i + 1] = swap ? r >> 8 : r & 0xff;
  }
  return out;
}

/** The inverse of `registersToBytes`: big-endian bytes to registers in the device's order. */
export function bytesToRegisters(bytes: Buffer, order: ByteOrder, words = true): number[] {
  const n = bytes.length / 2;
  const out = new Array<number>(n);
  const reverse = words && reversesWords(order);
  const swap = swapsBytes(order);
  for (let i = 0; i < n; i++) {
    const hi = bytes[2 * i] as number;
    const lo = bytes[2 * i + 1] as number;
    out[reverse ? n - 1 - i : i] = swap ? (lo << 8) | hi : (hi << 8) | lo;
  }
  return out;
}

/** The raw (unscaled) value of a numeric type from its registers. int64 beyond ±2^53 loses precision. */
export function decodeRegisters(type: Exclude<DataType, 'bool'>, registers: ArrayLike<number>, order: ByteOrder): number | string {
  if (type === 'string') {
    // Characters are ASCII/Latin-1, two per register, padded with NUL or spaces.
    return registersToBytes(registers, order, false).toString('latin1').replace(/[\0 ]+$/, '');
  }
  const b = registersToBytes(registers, order);
  switch (type) {
    case 'int16':
      return b.readInt16BE(0);
    case 'uint16':
      return b.readUInt16BE(0);
    case 'int32':
      return b.readInt32BE(0);
    case 'uint32':
      return b.readUInt32BE(0);
    case 'float32':
      return b.readFloatBE(0);
    case 'int64':
      return Number(b.readBigInt64BE(0));
    case 'float64':
      return b.readDoubleBE(0);
  }
}

const intRange: Record<'int16' | 'uint16' | 'int32' | 'uint32', [number, number]> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

/**
 * Registers for a raw value of a type. Integers are rounded to the nearest integer and must fit the
 * type; strings must fit `length` registers.
 * @throws ValueError when the value does not fit
 */
export function encodeRegisters(type: Exclude<DataType, 'bool'>, value: number | string, order: ByteOrder, length?: number): number[] {
  if (type === 'string') {
    const registers = length ?? Math.ceil(String(value).length / 2);
    const text = Buffer.from(String(value), 'latin1');
    if (text.length > registers * 2) throw new ValueError(`"${String(value)}" is longer than ${registers * 2} characters`);
    const bytes = Buffer.alloc(registers * 2);
    text.copy(bytes);
    return bytesToRegisters(bytes, order, false);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValueError(`${String(value)} is not a finite number`);
  const b = Buffer.alloc(registersOf(type) * 2);
  switch (type) {
    case 'float32':
      b.writeFloatBE(value, 0);
      break;
    case 'float64':
      b.writeDoubleBE(value, 0);
      break;
    case 'int64': {
      const v = BigInt(Math.round(value));
      if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new ValueError(`${value} does not fit int64`);
      b.writeBigInt64BE(v, 0);
      break;
    }
    default: {
      const v = Math.round(value);
      const [min, max] = intRange[type];
      if (v < min || v > max) throw new ValueError(`${value} does not fit ${type} (${min}…${max})`);
      if (type === 'int16') b.writeInt16BE(v, 0);
      else if (type === 'uint16') b.writeUInt16BE(v, 0);
      else if (type === 'int32') b.writeInt32BE(v, 0);
      else b.writeUInt32BE(v, 0);
    }
  }
  return bytesToRegisters(b, order);
}

/**
 * Engineering value from a raw one: raw × multiplier + offset, rounded to 12 significant digits so that
 * 289 × 0.1 reads 28.9, not 28.900000000000002 (a register holds at most 20 digits of which the sensor
 * means far fewer).
 */
export const scale = (raw: number, p: { multiplier: number; offset: number }): number =>
  p.multiplier === 1 && p.offset === 0 ? raw : Number((raw * p.multiplier + p.offset).toPrecision(12));
/** Raw value from an engineering one: (value − offset) / multiplier. */
export const unscale = (value: number, p: { multiplier: number; offset: number }): number => (value - p.offset) / p.multiplier;
