import { type Point, type DataType as PointDataType, type Quality, type Sample, opcuaTypeOf } from '@yulian/contracts';
import { DataType, type StatusCode, StatusCodes, Variant, VariantArrayType } from 'node-opcua';

/** OPC UA built-in type of each point data type; the check makes sure node-opcua knows every name. */
export const opcuaTypeNames = opcuaTypeOf satisfies Record<PointDataType, keyof typeof DataType>;

const integerRanges: Partial<Record<PointDataType, readonly [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** How one point's engineering values travel as OPC UA variants. */
export interface ValueCodec {
  /** The variable's DataType. */
  readonly uaType: DataType;
  readonly kind: 'bool' | 'integer' | 'float' | 'string';
  /** Bounds of an integer type (Int64: the safe integers JavaScript can hold). */
  readonly lo: number;
  readonly hi: number;
}

/**
 * The codec of a point. A scaled point (multiplier ≠ 1 or offset ≠ 0) carries an engineering value that
 * is no longer of its register type (an int16 × 0.1 reads 35.2), so it is served as Double.
 */
export function codecOf(point: Point): ValueCodec {
  const scaled = point.multiplier !== 1 || point.offset !== 0;
  const type: PointDataType = scaled && point.dataType !== 'bool' && point.dataType !== 'string' ? 'float64' : point.dataType;
  const range = integerRanges[type];
  const kind = type === 'bool' ? 'bool' : type === 'string' ? 'string' : range ? 'integer' : 'float';
  return { uaType: DataType[opcuaTypeNames[type]], kind, lo: range?.[0] ?? -Infinity, hi: range?.[1] ?? Infinity };
}

/** The variant of a sample's value, or undefined when the value does not fit the point (counted, skipped). */
export function variantOf(codec: ValueCodec, value: Sample['value']): Variant | undefined {
  if (value === null) return new Variant({ dataType: DataType.Null });
  let v: number | boolean | string;
  switch (codec.kind) {
    case 'bool':
      if (typeof value === 'string') return undefined;
      v = typeof value === 'boolean' ? value : value !== 0;
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < codec.lo || value > codec.hi) return undefined;
      if (codec.uaType === DataType.Int64) return new Variant({ dataType: codec.uaType, arrayType: VariantArrayType.Scalar, value: int64Words(value) });
      v = value;
      break;
    case 'float':
      if (typeof value !== 'number') return undefined;
      v = value;
      break;
    case 'string':
      if (typeof value !== 'string') return undefined;
      v = value;
  }
  return new Variant({ dataType: codec.uaType, arrayType: VariantArrayType.Scalar, value: v });
}

/** An Int64 on the wire is [high, low] 32-bit words, the high one unsigned (two's complement). */
const int64Words = (value: number): [number, number] => {
  const high = Math.floor(value / 0x100000000);
  return [high >>> 0, value - high * 0x100000000];
};
const int64Of = (words: unknown): number | undefined => {
  if (!Array.isArray(words) || typeof words[0] !== 'number' || typeof words[1] !== 'number') return undefined;
  const high = words[0] >= 0x80000000 ? words[0] - 0x100000000 : words[0];
  return high * 0x100000000 + words[1];
};

/**
 * The engineering value a client wrote, or the status to refuse it with: BadTypeMismatch when the variant
 * is not of the variable's DataType (no implicit conversions, as OPC UA Part 4 allows servers to insist),
 * BadOutOfRange when it does not fit the point's type or its engineering range (min/max).
 */
export function writtenValue(codec: ValueCodec, point: Point, variant: Variant): number | boolean | string | StatusCode {
  if (variant.dataType !== codec.uaType || variant.arrayType !== VariantArrayType.Scalar) return StatusCodes.BadTypeMismatch;
  const raw: unknown = variant.value;
  if (codec.kind === 'bool') return typeof raw === 'boolean' ? raw : StatusCodes.BadTypeMismatch;
  if (codec.kind === 'string') return typeof raw === 'string' ? raw : StatusCodes.BadTypeMismatch;
  const value = codec.uaType === DataType.Int64 ? int64Of(raw) : typeof raw === 'number' ? raw : undefined;
  if (value === undefined) return StatusCodes.BadTypeMismatch;
  if (Number.isNaN(value) || value < codec.lo || value > codec.hi) return StatusCodes.BadOutOfRange;
  if ((point.min !== undefined && value < point.min) || (point.max !== undefined && value > point.max)) return StatusCodes.BadOutOfRange;
  return value;
}

const communicationReasons = /TIMEOUT|UNREACHABLE|OFFLINE|DISCONNECT|QUEUE_FULL|COMM/;

/**
 * The StatusCode of a sample's quality: good → Good; uncertain → UncertainLastUsableValue (what drivers
 * report uncertain is a value that was good and may have gone stale); bad → BadNoCommunication when the
 * reason says the device could not be reached (…TIMEOUT, …UNREACHABLE, …OFFLINE, or no reason at all),
 * BadOutOfRange for …OUT_OF_RANGE, else BadDeviceFailure (the device answered, but with an exception or
 * a malformed frame). OPC UA has no field for the reason text itself.
 */
export function statusOfQuality(quality: Quality, reason: string | undefined): StatusCode {
  if (quality === 'good') return StatusCodes.Good;
  if (quality === 'uncertain') return StatusCodes.UncertainLastUsableValue;
  if (reason === undefined || communicationReasons.test(reason)) return StatusCodes.BadNoCommunication;
  if (reason.includes('OUT_OF_RANGE')) return StatusCodes.BadOutOfRange;
  return StatusCodes.BadDeviceFailure;
}
