import type { DataType } from '@yulian/contracts';
import { YulianError } from '@yulian/core';

/** Sparkplug B datatypes by their protobuf enum value (index = code; 0 is Unknown). */
export const sparkplugDataTypes = [
  'Unknown',
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float',
  'Double',
  'Boolean',
  'String',
  'DateTime',
  'Text',
  'UUID',
  'DataSet',
  'Bytes',
  'File',
  'Template',
  'PropertySet',
  'PropertySetList',
] as const;
/** A Sparkplug B datatype name. */
export type SparkplugDataType = (typeof sparkplugDataTypes)[number];

const codes = new Map<string, number>(sparkplugDataTypes.map((t, i) => [t, i]));
/** The protobuf code of a datatype. */
export const sparkplugTypeCode = (type: SparkplugDataType): number => codes.get(type) ?? 0;
/** The datatype of a protobuf code; undefined for 0 and codes this library does not know (the arrays of Sparkplug 3.0). */
export const sparkplugTypeOfCode = (code: number): SparkplugDataType | undefined => (code > 0 ? sparkplugDataTypes[code] : undefined);

/**
 * The point dataType a metric of this Sparkplug type becomes; undefined for types a point cannot hold
 * (DataSet, Bytes, File, Template, property sets). Int8/UInt8 widen to 16 bits, UInt64 and DateTime
 * (epoch ms) become int64 — JavaScript numbers, exact up to 2^53.
 */
export function pointDataTypeOf(type: SparkplugDataType): DataType | undefined {
  return pointTypes[type];
}
const pointTypes: Partial<Record<SparkplugDataType, DataType>> = {
  Int8: 'int16',
  Int16: 'int16',
  Int32: 'int32',
  Int64: 'int64',
  UInt8: 'uint16',
  UInt16: 'uint16',
  UInt32: 'uint32',
  UInt64: 'int64',
  Float: 'float32',
  Double: 'float64',
  Boolean: 'bool',
  String: 'string',
  DateTime: 'int64',
  Text: 'string',
  UUID: 'string',
};

const sparkplugTypes: Record<DataType, SparkplugDataType> = {
  bool: 'Boolean',
  int16: 'Int16',
  uint16: 'UInt16',
  int32: 'Int32',
  uint32: 'UInt32',
  int64: 'Int64',
  float32: 'Float',
  float64: 'Double',
  string: 'String',
};
/** The Sparkplug type that carries a point dataType. */
export const sparkplugTypeOf = (type: DataType): SparkplugDataType => sparkplugTypes[type];

const intRanges: Partial<Record<SparkplugDataType, readonly [number, number]>> = {
  Int8: [-128, 127],
  Int16: [-32768, 32767],
  Int32: [-(2 ** 31), 2 ** 31 - 1],
  Int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UInt8: [0, 255],
  UInt16: [0, 65535],
  UInt32: [0, 2 ** 32 - 1],
  UInt64: [0, Number.MAX_SAFE_INTEGER],
  DateTime: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * Checks and converts a value for a metric of a basic Sparkplug type: integers in range, finite
 * floats, booleans (also 0/1), strings.
 * @throws YulianError VALUE_OUT_OF_RANGE when the value does not fit the type.
 * @example coerceSparkplugValue('UInt8', 300) // throws
 */
export function coerceSparkplugValue(type: SparkplugDataType, value: number | boolean | string): number | boolean | string {
  const bad = (): never => {
    throw new YulianError('VALUE_OUT_OF_RANGE', `${JSON.stringify(value)} does not fit Sparkplug type ${type}.`);
  };
  const range = intRanges[type];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) bad();
    return value;
  }
  switch (type) {
    case 'Float':
    case 'Double':
      return typeof value === 'number' && Number.isFinite(value) ? value : bad();
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      return value === 0 || value === 1 ? value === 1 : bad();
    case 'String':
    case 'Text':
    case 'UUID':
      return typeof value === 'string' ? value : bad();
    default:
      throw new YulianError('VALUE_OUT_OF_RANGE', `Sparkplug type ${type} cannot be written as a simple value.`);
  }
}
