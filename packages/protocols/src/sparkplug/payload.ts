import { createRequire } from 'node:module';
import type * as ProtoModule from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { type SparkplugDataType, sparkplugTypeCode, sparkplugTypeOfCode } from './datatypes.js';

// The protobuf classes generated from sparkplug_b.proto, shipped by sparkplug-payload (CommonJS whose
// typings declare ESM exports; require() gives the real shape). We use them directly rather than the
// package's encodePayload/decodePayload: those need the datatype on every metric (DATA messages
// SHOULD NOT carry it, so values decode as null), read UInt32 as a signed int, and return Longs.
const { org } = createRequire(import.meta.url)('sparkplug-payload/lib/sparkplugPayloadProto.js') as typeof ProtoModule;
const Payload = org.eclipse.tahu.protobuf.Payload;
type ProtoMetric = ProtoModule.org.eclipse.tahu.protobuf.Payload.IMetric;
type ProtoValue = Pick<ProtoMetric, 'intValue' | 'longValue' | 'floatValue' | 'doubleValue' | 'booleanValue' | 'stringValue'> & { bytesValue?: Uint8Array | null };
type ProtoPropertySet = ProtoModule.org.eclipse.tahu.protobuf.Payload.IPropertySet;

/** A metric value: numbers, booleans, strings, bytes; null when the metric is null; undefined for DataSets and Templates, which this library does not decode. */
export type SparkplugValue = number | boolean | string | Uint8Array | null | undefined;

/** A metric property (e.g. `engUnit`), simple values only. */
export interface SparkplugProperty {
  type: SparkplugDataType;
  value: number | boolean | string | null;
}

/** A metric as sent or received. `type` is required to encode a value; received DATA metrics often leave it to the birth. */
export interface SparkplugMetric {
  name?: string;
  alias?: number;
  /** Epoch ms. */
  timestamp?: number;
  type?: SparkplugDataType;
  value: SparkplugValue;
  isHistorical?: boolean;
  isTransient?: boolean;
  properties?: Record<string, SparkplugProperty>;
}

/** A Sparkplug B payload. */
export interface SparkplugPayload {
  /** Epoch ms. */
  timestamp?: number;
  /** 0–255; absent in NDEATH. */
  seq?: number;
  uuid?: string;
  body?: Uint8Array;
  metrics: SparkplugMetric[];
}

/** A payload that is not a Sparkplug B protobuf. */
export class SparkplugPayloadError extends Error {
  override readonly name = 'SparkplugPayloadError';
}

interface LongLike {
  toNumber(): number;
  toSigned(): LongLike;
}
type Uint64 = number | LongLike | null | undefined;
const TWO_64 = 2 ** 64;
const unsigned = (v: Uint64): number => (typeof v === 'number' ? v : v ? v.toNumber() : 0);
const signed = (v: Uint64): number => (typeof v === 'number' ? (v >= 2 ** 63 ? v - TWO_64 : v) : v ? v.toSigned().toNumber() : 0);

/**
 * The shortest decimal that is the same float32: a Float of 21.1 arrives as 21.100000381469727, which
 * is what the sender meant by 21.1.
 */
const tidyFloat = (v: number): number => {
  const r = Number(v.toPrecision(7));
  return Math.fround(r) === v ? r : v;
};

/**
 * Reinterprets a value decoded without its datatype as the type the birth declared: 32-bit fields
 * decode unsigned and get sign-extended for Int8/16/32; 64-bit fields decode signed and get made
 * unsigned for UInt64/DateTime; Float gets tidied.
 */
export function retypeSparkplugValue(value: SparkplugValue, type: SparkplugDataType): SparkplugValue {
  if (typeof value !== 'number') return value;
  switch (type) {
    case 'Int8':
      return (value << 24) >> 24;
    case 'Int16':
      return (value << 16) >> 16;
    case 'Int32':
      return value | 0;
    case 'Int64':
      return value >= 2 ** 63 ? value - TWO_64 : value;
    case 'UInt64':
    case 'DateTime':
      return value < 0 ? value + TWO_64 : value;
    case 'Float':
      return tidyFloat(value);
    default:
      return value;
  }
}

function decodeValue(m: ProtoValue, type: SparkplugDataType | undefined): SparkplugValue {
  if (m.intValue !== null && m.intValue !== undefined) return type ? retypeSparkplugValue(m.intValue >>> 0, type) : m.intValue >>> 0;
  // Without a type, a 64-bit value with the top bit set is far likelier a negative Int64 than a UInt64 beyond 2^63.
  if (m.longValue !== null && m.longValue !== undefined) return type === 'Int64' || type === undefined ? signed(m.longValue as Uint64) : unsigned(m.longValue as Uint64);
  if (m.floatValue !== null && m.floatValue !== undefined) return tidyFloat(m.floatValue);
  if (m.doubleValue !== null && m.doubleValue !== undefined) return m.doubleValue;
  if (m.booleanValue !== null && m.booleanValue !== undefined) return m.booleanValue;
  if (m.stringValue !== null && m.stringValue !== undefined) return m.stringValue;
  if (m.bytesValue !== null && m.bytesValue !== undefined) return m.bytesValue;
  return undefined;
}

function decodeProperties(set: ProtoPropertySet): Record<string, SparkplugProperty> {
  const out: Record<string, SparkplugProperty> = {};
  const keys = set.keys ?? [];
  const values = set.values ?? [];
  for (let i = 0; i < keys.length; i++) {
    const v = values[i];
    const type = v?.type ? sparkplugTypeOfCode(v.type) : undefined;
    if (!v || !type) continue;
    const value = v.isNull ? null : decodeValue(v, type);
    if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') out[keys[i] as string] = { type, value };
  }
  return out;
}

/**
 * Decodes a Sparkplug B payload: numbers as JavaScript numbers (64-bit integers exact up to 2^53),
 * signed types sign-extended, Float tidied to the decimal the sender wrote.
 * @throws SparkplugPayloadError when the bytes are not a Sparkplug B protobuf.
 */
export function decodeSparkplugPayload(bytes: Uint8Array): SparkplugPayload {
  let p: ProtoModule.org.eclipse.tahu.protobuf.Payload;
  try {
    p = Payload.decode(bytes);
  } catch (e) {
    throw new SparkplugPayloadError(`not a Sparkplug B payload: ${(e as Error).message}`);
  }
  const out: SparkplugPayload = { metrics: new Array<SparkplugMetric>(p.metrics.length) };
  if (Object.hasOwn(p, 'timestamp')) out.timestamp = unsigned(p.timestamp as Uint64);
  if (Object.hasOwn(p, 'seq')) out.seq = unsigned(p.seq as Uint64);
  if (Object.hasOwn(p, 'uuid')) out.uuid = p.uuid;
  if (Object.hasOwn(p, 'body')) out.body = p.body;
  for (let i = 0; i < p.metrics.length; i++) {
    const m = p.metrics[i] as ProtoModule.org.eclipse.tahu.protobuf.Payload.Metric;
    const type = Object.hasOwn(m, 'datatype') ? sparkplugTypeOfCode(m.datatype) : undefined;
    const metric: SparkplugMetric = { value: m.isNull ? null : decodeValue(m, type) };
    if (Object.hasOwn(m, 'name')) metric.name = m.name;
    if (Object.hasOwn(m, 'alias')) metric.alias = unsigned(m.alias as Uint64);
    if (Object.hasOwn(m, 'timestamp')) metric.timestamp = unsigned(m.timestamp as Uint64);
    if (type) metric.type = type;
    if (m.isHistorical) metric.isHistorical = true;
    if (m.isTransient) metric.isTransient = true;
    if (m.properties) metric.properties = decodeProperties(m.properties);
    out.metrics[i] = metric;
  }
  return out;
}

function encodeValue(out: ProtoValue, type: SparkplugDataType, value: Exclude<SparkplugValue, null | undefined>): void {
  switch (type) {
    case 'Int8':
    case 'Int16':
    case 'Int32':
    case 'UInt8':
    case 'UInt16':
    case 'UInt32':
      out.intValue = Number(value) >>> 0;
      return;
    case 'Int64':
    case 'UInt64':
    case 'DateTime':
      out.longValue = Number(value);
      return;
    case 'Float':
      out.floatValue = Number(value);
      return;
    case 'Double':
      out.doubleValue = Number(value);
      return;
    case 'Boolean':
      out.booleanValue = Boolean(value);
      return;
    case 'String':
    case 'Text':
    case 'UUID':
      out.stringValue = String(value);
      return;
    case 'Bytes':
    case 'File':
      if (value instanceof Uint8Array) out.bytesValue = value;
      else throw new TypeError(`a ${type} metric needs a Uint8Array value`);
      return;
    default:
      throw new TypeError(`encoding Sparkplug ${type} values is not supported`);
  }
}

function encodeMetric(m: SparkplugMetric, withType: boolean): ProtoMetric {
  const out: ProtoMetric = {};
  if (m.name !== undefined) out.name = m.name;
  if (m.alias !== undefined) out.alias = m.alias;
  if (m.timestamp !== undefined) out.timestamp = m.timestamp;
  if (m.type && withType) out.datatype = sparkplugTypeCode(m.type);
  if (m.isHistorical) out.isHistorical = true;
  if (m.isTransient) out.isTransient = true;
  if (m.value === null || m.value === undefined) out.isNull = true;
  else if (m.type) encodeValue(out, m.type, m.value);
  else throw new TypeError(`metric ${m.name ?? m.alias ?? '?'} needs a type to encode its value`);
  if (m.properties) {
    const keys = Object.keys(m.properties);
    out.properties = {
      keys,
      values: keys.map((k) => {
        const p = m.properties![k]!;
        const v: ProtoModule.org.eclipse.tahu.protobuf.Payload.IPropertyValue = { type: sparkplugTypeCode(p.type) };
        if (p.value === null) v.isNull = true;
        else encodeValue(v, p.type, p.value);
        return v;
      }),
    };
  }
  return out;
}

/**
 * Encodes a Sparkplug B payload. `omitDataTypes` leaves the datatype out of each metric, as the spec
 * recommends for DATA and CMD messages (the receiver knows it from the birth); values are still
 * written into the field their `type` calls for.
 * @example encodeSparkplugPayload({ timestamp: Date.now(), seq: 1, metrics: [{ alias: 3, type: 'Double', value: 21.5 }] })
 */
export function encodeSparkplugPayload(payload: SparkplugPayload, options: { omitDataTypes?: boolean } = {}): Uint8Array {
  const withType = !options.omitDataTypes;
  const msg: ProtoModule.org.eclipse.tahu.protobuf.IPayload = { metrics: payload.metrics.map((m) => encodeMetric(m, withType)) };
  if (payload.timestamp !== undefined) msg.timestamp = payload.timestamp;
  if (payload.seq !== undefined) msg.seq = payload.seq;
  if (payload.uuid !== undefined) msg.uuid = payload.uuid;
  if (payload.body !== undefined) msg.body = payload.body;
  return Payload.encode(msg).finish();
}
