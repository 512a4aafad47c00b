import { createRequire } from 'node:module';
import type * as SparkplugPayloadModule from 'sparkplug-payload';
import { describe, expect, it } from 'vitest';
import { coerceSparkplugValue, pointDataTypeOf, sparkplugTypeOf } from './datatypes.js';
import { type SparkplugMetric, SparkplugPayloadError, decodeSparkplugPayload, encodeSparkplugPayload, retypeSparkplugValue } from './payload.js';

const tahu = (createRequire(import.meta.url)('sparkplug-payload') as typeof SparkplugPayloadModule).get('spBv1.0')!;
const ts = 1_700_000_000_123;

const basics: SparkplugMetric[] = [
  { name: 'i8', alias: 0, type: 'Int8', value: -128 },
  { name: 'i16', alias: 1, type: 'Int16', value: -32768 },
  { name: 'i32', alias: 2, type: 'Int32', value: -2147483648 },
  { name: 'i64', alias: 3, type: 'Int64', value: -9007199254740991 },
  { name: 'u8', alias: 4, type: 'UInt8', value: 255 },
  { name: 'u16', alias: 5, type: 'UInt16', value: 65535 },
  { name: 'u32', alias: 6, type: 'UInt32', value: 4294967295 },
  { name: 'u64', alias: 7, type: 'UInt64', value: 9007199254740991 },
  { name: 'f', alias: 8, type: 'Float', value: 21.1 },
  { name: 'd', alias: 9, type: 'Double', value: 0.1 + 0.2 },
  { name: 'b', alias: 10, type: 'Boolean', value: true },
  { name: 's', alias: 11, type: 'String', value: '温度 °C' },
  { name: 'dt', alias: 12, type: 'DateTime', value: ts },
  { name: 'bytes', alias: 13, type: 'Bytes', value: Buffer.from([1, 2, 3]) },
  { name: 'nothing', alias: 14, type: 'Double', value: null },
];

describe('Sparkplug B payloads', () => {
  it('round-trips every basic type at its limits, with names, aliases, timestamps and seq', () => {
    const bytes = encodeSparkplugPayload({ timestamp: ts, seq: 255, metrics: basics.map((m) => ({ ...m, timestamp: ts })) });
    const p = decodeSparkplugPayload(bytes);
    expect(p.timestamp).toBe(ts);
    expect(p.seq).toBe(255);
    expect(p.metrics).toEqual(basics.map((m) => ({ ...m, timestamp: ts })));
  });

  it('carries metric properties such as the engineering unit', () => {
    const bytes = encodeSparkplugPayload({ metrics: [{ name: 'T', type: 'Float', value: 1.5, properties: { engUnit: { type: 'String', value: '°C' }, writable: { type: 'Boolean', value: true } } }] });
    expect(decodeSparkplugPayload(bytes).metrics[0]?.properties).toEqual({ engUnit: { type: 'String', value: '°C' }, writable: { type: 'Boolean', value: true } });
  });

  it('decodes DATA metrics sent without a datatype, and the birth type restores their sign', () => {
    const bytes = encodeSparkplugPayload({ seq: 3, metrics: basics.slice(0, 4) }, { omitDataTypes: true });
    const metrics = decodeSparkplugPayload(bytes).metrics;
    expect(metrics.map((m) => m.type)).toEqual([undefined, undefined, undefined, undefined]);
    expect(metrics.map((m) => m.value)).toEqual([4294967168, 4294934528, 2147483648, -9007199254740991]);
    expect(metrics.map((m, i) => retypeSparkplugValue(m.value, basics[i]!.type!))).toEqual([-128, -32768, -2147483648, -9007199254740991]);
  });

  it('reads what sparkplug-payload writes, including its UInt32 in the 64-bit field', () => {
    const bytes = tahu.encodePayload({
      timestamp: ts,
      seq: 7,
      metrics: [
        { name: 'a', type: 'Int32', value: -5 },
        { name: 'b', type: 'UInt32', value: 4000000000 },
        { name: 'c', type: 'Int64', value: -42 },
        { name: 'd', type: 'Double', value: 3.25 },
        { name: 'e', type: 'String', value: 'x' },
      ],
    });
    expect(decodeSparkplugPayload(bytes).metrics.map((m) => [m.name, m.type, m.value])).toEqual([
      ['a', 'Int32', -5],
      ['b', 'UInt32', 4000000000],
      ['c', 'Int64', -42],
      ['d', 'Double', 3.25],
      ['e', 'String', 'x'],
    ]);
  });

  it('writes what sparkplug-payload reads', () => {
    const bytes = encodeSparkplugPayload({ timestamp: ts, seq: 1, metrics: [{ name: 'a', alias: 5, type: 'Int16', value: -7 }, { name: 'b', type: 'Boolean', value: false }, { name: 'c', type: 'Float', value: 2.5 }] });
    const p = tahu.decodePayload(bytes);
    expect(Number(p.seq)).toBe(1);
    expect(p.metrics?.map((m) => [m.name, m.type, m.value, m.alias === undefined ? undefined : Number(m.alias)])).toEqual([
      ['a', 'Int16', -7, 5],
      ['b', 'Boolean', false, undefined],
      ['c', 'Float', 2.5, undefined],
    ]);
  });

  it('rejects bytes that are not a Sparkplug payload', () => {
    expect(() => decodeSparkplugPayload(Buffer.from([0x12, 0x05, 0x0a]))).toThrow(SparkplugPayloadError);
    expect(() => decodeSparkplugPayload(Buffer.from('{"temp": 21.5}'))).toThrow(SparkplugPayloadError);
  });

  it('refuses to encode a value without a type', () => {
    expect(() => encodeSparkplugPayload({ metrics: [{ name: 'x', value: 1 }] })).toThrow(/needs a type/);
  });
});

describe('Sparkplug datatypes', () => {
  it('maps Sparkplug types to point dataTypes and back', () => {
    expect(pointDataTypeOf('Int8')).toBe('int16');
    expect(pointDataTypeOf('UInt32')).toBe('uint32');
    expect(pointDataTypeOf('Float')).toBe('float32');
    expect(pointDataTypeOf('DateTime')).toBe('int64');
    expect(pointDataTypeOf('DataSet')).toBeUndefined();
    expect(sparkplugTypeOf('float64')).toBe('Double');
    expect(sparkplugTypeOf('bool')).toBe('Boolean');
  });

  it('checks values against the type before they are written', () => {
    expect(coerceSparkplugValue('UInt8', 255)).toBe(255);
    expect(() => coerceSparkplugValue('UInt8', 256)).toThrow(/does not fit/);
    expect(() => coerceSparkplugValue('Int32', 1.5)).toThrow(/does not fit/);
    expect(coerceSparkplugValue('Boolean', 1)).toBe(true);
    expect(() => coerceSparkplugValue('Double', 'hot')).toThrow(/does not fit/);
    expect(() => coerceSparkplugValue('String', 5)).toThrow(/does not fit/);
  });
});
