import type { Point, Quality, Sample } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import { scale, unscale } from '@yulian/protocols';
import { DataType, type DataValue, type StatusCode, Variant, VariantArrayType } from 'node-opcua';

/** A sample's value as read from the server, before scaling. */
export type PlainValue = number | boolean | string | null;

/**
 * Quality from a status code's severity (its two top bits: 00 good, 01 uncertain, 1x bad); the reason is
 * the status code's name, e.g. `BadNodeIdUnknown`.
 */
export function qualityOf(status: StatusCode): { quality: Quality; reason?: string } {
  const severity = (status.value >>> 30) & 3;
  if (severity === 0) return { quality: 'good' };
  return { quality: severity === 1 ? 'uncertain' : 'bad', reason: status.name.slice(0, 64) };
}

const int64Of = (v: unknown, signed: boolean): number | null => {
  if (typeof v === 'number') return v;
  if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'number') return null;
  const unsigned = (BigInt(v[0]) << 32n) | BigInt(v[1]);
  return Number(signed ? BigInt.asIntN(64, unsigned) : unsigned);
};

/**
 * A scalar Variant as a plain value: numbers (Int64/UInt64 as numbers, exact up to 2^53), booleans,
 * strings, LocalizedText as its text, DateTime as epoch ms. Undefined for arrays, matrices and structures.
 */
export function plainValueOf(variant: Variant): PlainValue | undefined {
  if (variant.arrayType !== VariantArrayType.Scalar) return undefined;
  const v: unknown = variant.value;
  switch (variant.dataType) {
    case DataType.Null:
      return null;
    case DataType.Boolean:
      return Boolean(v);
    case DataType.SByte:
    case DataType.Byte:
    case DataType.Int16:
    case DataType.UInt16:
    case DataType.Int32:
    case DataType.UInt32:
    case DataType.Float:
    case DataType.Double:
      return typeof v === 'number' ? v : null;
    case DataType.Int64:
      return int64Of(v, true);
    case DataType.UInt64:
      return int64Of(v, false);
    case DataType.String:
      return typeof v === 'string' ? v : null;
    case DataType.LocalizedText:
      return (v as { text?: string | null } | null)?.text ?? null;
    case DataType.QualifiedName:
      return (v as { name?: string | null } | null)?.name ?? null;
    case DataType.DateTime:
      return v instanceof Date ? v.getTime() : null;
    case DataType.Guid:
    case DataType.NodeId:
    case DataType.ExpandedNodeId:
    case DataType.StatusCode:
      return v == null ? null : String(v);
    case DataType.ByteString:
      return Buffer.isBuffer(v) ? v.toString('base64') : null;
    default:
      return undefined;
  }
}

/** A plain value as the point's engineering value: numbers scaled, and coerced to the point's type. */
export function engineeringOf(p: Pick<Point, 'dataType' | 'multiplier' | 'offset'>, raw: PlainValue): PlainValue {
  if (raw === null) return null;
  if (p.dataType === 'bool') return typeof raw === 'number' ? raw !== 0 : raw;
  if (p.dataType === 'string') return typeof raw === 'string' ? raw : String(raw);
  if (typeof raw === 'string') return raw;
  return scale(typeof raw === 'boolean' ? Number(raw) : raw, p);
}

const epochOf = (d: Date | null | undefined): number | undefined => {
  const t = d instanceof Date ? d.getTime() : NaN;
  return Number.isFinite(t) && t > 0 ? t : undefined;
};

/**
 * The sample of one data change: `ts` is the source timestamp, else the server's, else `receivedTs`;
 * quality and reason from the status code; a value the driver cannot represent is `bad` with
 * `OPCUA_UNSUPPORTED_VALUE`.
 */
export function sampleOf(device: string, p: Point, dv: DataValue, receivedTs: number): Sample {
  const ts = epochOf(dv.sourceTimestamp) ?? epochOf(dv.serverTimestamp) ?? receivedTs;
  const { quality, reason } = qualityOf(dv.statusCode);
  const raw = plainValueOf(dv.value);
  if (raw === undefined) return { device, point: p.key, ts, receivedTs, value: null, quality: 'bad', reason: reason ?? 'OPCUA_UNSUPPORTED_VALUE' };
  return { device, point: p.key, ts, receivedTs, value: engineeringOf(p, raw), quality, ...(reason ? { reason } : {}) };
}

const integerRanges: Partial<Record<DataType, [number, number]>> = {
  [DataType.SByte]: [-128, 127],
  [DataType.Byte]: [0, 255],
  [DataType.Int16]: [-32768, 32767],
  [DataType.UInt16]: [0, 65535],
  [DataType.Int32]: [-(2 ** 31), 2 ** 31 - 1],
  [DataType.UInt32]: [0, 2 ** 32 - 1],
  [DataType.Int64]: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  [DataType.UInt64]: [0, Number.MAX_SAFE_INTEGER],
};

const outOfRange = (what: string): YulianError => new YulianError('VALUE_OUT_OF_RANGE', what);

/**
 * The Variant to write for an engineering value: numbers unscaled ((value − offset) / multiplier), then
 * converted to the node's DataType (integers rounded and range-checked, Int64 exact up to 2^53).
 * @throws YulianError VALUE_OUT_OF_RANGE when the value does not fit the DataType or the type cannot be written.
 */
export function variantFor(dataType: DataType, value: number | boolean | string, p: Pick<Point, 'key' | 'multiplier' | 'offset'>): Variant {
  const name = DataType[dataType] ?? String(dataType);
  if (dataType === DataType.Boolean) {
    if (typeof value === 'boolean') return new Variant({ dataType, value });
    if (value === 0 || value === 1) return new Variant({ dataType, value: value === 1 });
    throw outOfRange(`${p.key} is a Boolean; write true or false.`);
  }
  if (dataType === DataType.String) return new Variant({ dataType, value: String(value) });
  const numeric = typeof value === 'boolean' ? Number(value) : typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(numeric)) throw outOfRange(`${p.key} needs a number, not ${JSON.stringify(value)}.`);
  const raw = unscale(numeric, p);
  if (dataType === DataType.Double) return new Variant({ dataType, value: raw });
  if (dataType === DataType.Float) {
    if (Math.abs(raw) > 3.4028234663852886e38) throw outOfRange(`${raw} does not fit ${p.key} (Float).`);
    return new Variant({ dataType, value: raw });
  }
  if (dataType === DataType.DateTime) return new Variant({ dataType, value: new Date(raw) });
  const range = integerRanges[dataType];
  if (!range) throw outOfRange(`${p.key}'s node has DataType ${name}, which the driver cannot write.`);
  const int = Math.round(raw);
  if (int < range[0] || int > range[1]) throw outOfRange(`${int} does not fit ${p.key} (${name}, ${range[0]}…${range[1]}).`);
  if (dataType !== DataType.Int64 && dataType !== DataType.UInt64) return new Variant({ dataType, value: int });
  const bits = BigInt.asUintN(64, BigInt(int));
  return new Variant({ dataType, arrayType: VariantArrayType.Scalar, value: [Number(bits >> 32n), Number(bits & 0xffffffffn)] });
}
