import { z } from 'zod';

/** Value types a point can have. */
export const dataTypes = ['bool', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float32', 'float64', 'string'] as const;
/** A point's value type. */
export type DataType = (typeof dataTypes)[number];

/**
 * How a multi-byte value is laid out over 16-bit registers, naming the bytes of the big-endian value
 * A (most significant) … D: `ABCD` big-endian, `CDAB` word-swapped, `BADC` byte-swapped, `DCBA`
 * little-endian. For 64-bit values the word order reverses likewise.
 */
export const byteOrders = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
/** A register byte order. */
export type ByteOrder = (typeof byteOrders)[number];

/** The four Modbus tables. */
export const modbusTables = ['coil', 'discrete', 'holding', 'input'] as const;
/** A Modbus table. */
export type ModbusTable = (typeof modbusTables)[number];

/** Registers a data type occupies (strings say their own length). */
export const registersOf = (type: Exclude<DataType, 'string' | 'bool'>): number =>
  ({ int16: 1, uint16: 1, int32: 2, uint32: 2, float32: 2, int64: 4, float64: 4 })[type];

/** Where a point lives on a Modbus device. */
export const modbusAddressSchema = z
  .object({
    table: z.enum(modbusTables),
    /** 0-based protocol address (register 40001 is holding address 0). */
    address: z.number().int().min(0).max(65535),
    /** For `string`: how many registers (2 characters each). */
    length: z.number().int().min(1).max(125).optional(),
    /** For `bool` kept in a holding/input register: which bit, 0 = least significant. */
    bit: z.number().int().min(0).max(15).optional(),
    byteOrder: z.enum(byteOrders).default('ABCD'),
  })
  .strict();
/** A point's Modbus address. */
export type ModbusAddress = z.output<typeof modbusAddressSchema>;

/** The OPC UA built-in type that carries each point data type (exhaustive: a new type must say what it becomes). */
export const opcuaTypeOf = {
  bool: 'Boolean',
  int16: 'Int16',
  uint16: 'UInt16',
  int32: 'Int32',
  uint32: 'UInt32',
  int64: 'Int64',
  float32: 'Float',
  float64: 'Double',
  string: 'String',
} as const satisfies Record<DataType, string>;

/** Where a point lives on an OPC UA server. */
export const opcuaAddressSchema = z
  .object({
    /** e.g. `ns=2;s=Oven.Zone1.Temperature` or `ns=3;i=1001`. */
    nodeId: z.string().min(1).max(512),
    /** Server-side sampling interval; default the device's. 0 = as fast as the server can. */
    samplingIntervalMs: z.number().int().min(0).max(3_600_000).optional(),
    /** Report only changes beyond the deadband (DataChangeFilter). */
    deadband: z.object({ type: z.enum(['absolute', 'percent']), value: z.number().min(0) }).strict().optional(),
  })
  .strict();
/** A point's OPC UA address. */
export type OpcuaAddress = z.output<typeof opcuaAddressSchema>;

/** Where a point lives in an MQTT message: a JSON field path, or a Sparkplug B metric. */
export const mqttAddressSchema = z
  .object({
    /** JSON payloads: a dotted path with optional [index], e.g. `values.temp` or `readings[0].v`. */
    path: z.string().min(1).max(256).optional(),
    /** Sparkplug B: the metric name as born, e.g. `Inputs/Temperature`. */
    metric: z.string().min(1).max(256).optional(),
  })
  .strict();
/** A point's MQTT address. */
export type MqttAddress = z.output<typeof mqttAddressSchema>;

/**
 * Data categories of the MIIT industrial data classification and grading guide (工业数据分类分级指南（试行）,
 * 2020), at the granularity a device point needs: the production domain split into its four kinds, the
 * other domains whole.
 */
export const dataCategories = ['production.control', 'production.condition', 'production.process', 'production.log', 'rd', 'operations', 'management', 'external'] as const;
/** A data category. */
export type DataCategory = (typeof dataCategories)[number];
/**
 * Default level (1–3) of each category, the same as the data classification catalogue's
 * (`dataCatalogue` in data-classification.ts; a test keeps them equal): control information and process
 * parameters (setpoints) and R&D data → 2; operating conditions, logs, operations, management and
 * external data → 1. No default reaches 3: level 3 is a decision someone records with a reason (or a
 * device configuration states), since it seals the values and hides them from operators.
 */
export const defaultLevelOf: Record<DataCategory, 1 | 2 | 3> = {
  'production.control': 2,
  'production.condition': 1,
  'production.process': 2,
  'production.log': 1,
  rd: 2,
  operations: 1,
  management: 1,
  external: 1,
};
/** A point's data class, as configured: both parts optional. */
export const dataClassSchema = z
  .object({
    category: z.enum(dataCategories).optional(),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
  })
  .strict();

/** A point of a device: what it measures, how to read it, how to scale it. */
export const pointSchema = z
  .object({
    key: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)'),
    name: z.string().max(200).default(''),
    unit: z.string().max(32).default(''),
    dataType: z.enum(dataTypes),
    access: z.enum(['read', 'read-write']).default('read'),
    /** Engineering value = raw × multiplier + offset. */
    multiplier: z.number().finite().refine((v) => v !== 0, 'not 0').default(1),
    offset: z.number().finite().default(0),
    /** Engineering range, for display and write interlocks. */
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    /** Data class; see {@link dataClassOf} for the defaults. */
    dataClass: dataClassSchema.optional(),
    /** Remote control: a command to this point needs a second confirmation (`confirm: true`). */
    critical: z.boolean().optional(),
    /** Remote control: the least time between two commands to this point; default 1000 ms. */
    minCommandIntervalMs: z.number().int().min(0).max(86_400_000).optional(),
    modbus: modbusAddressSchema.optional(),
    opcua: opcuaAddressSchema.optional(),
    mqtt: mqttAddressSchema.optional(),
  })
  .strict();
/** A point definition. */
export type Point = z.output<typeof pointSchema>;
/** A point definition as written. */
export type PointInput = z.input<typeof pointSchema>;

/**
 * The configured-or-default data class of a point: its category (default: writable points are process
 * parameters, alarm/fault/trip/interlock points control information, the rest operating conditions — as
 * `defaultPointCategory` in data-classification.ts) and level (default: the category's). A recorded
 * override (the data classification service) comes on top of this.
 * @example dataClassOf({ key: 'speed_sp', access: 'read-write' }) // { category: 'production.process', level: 2 }
 */
export function dataClassOf(point: { key?: string; access?: 'read' | 'read-write'; dataClass?: { category?: DataCategory | undefined; level?: 1 | 2 | 3 | undefined } | undefined }): { category: DataCategory; level: 1 | 2 | 3 } {
  const category = point.dataClass?.category ?? (point.access === 'read-write' ? 'production.process' : /alarm|fault|alm|trip|interlock/i.test(point.key ?? '') ? 'production.control' : 'production.condition');
  return { category, level: point.dataClass?.level ?? defaultLevelOf[category] };
}

/** Quality of a sample, as OPC UA and Sparkplug have it. */
export const qualities = ['good', 'bad', 'uncertain'] as const;
/** A sample's quality. */
export type Quality = (typeof qualities)[number];

/** One reading of one point. */
export interface Sample {
  device: string;
  point: string;
  /** Source timestamp, epoch ms. */
  ts: number;
  /** When the platform received it, epoch ms. */
  receivedTs: number;
  value: number | boolean | string | null;
  quality: Quality;
  /** Why the quality is not good, e.g. `ILLEGAL_DATA_ADDRESS` or `MODBUS_TIMEOUT`. */
  reason?: string;
}

/** zod schema of a sample, for messages that carry them. */
export const sampleSchema = z
  .object({
    device: z.string().min(1).max(128),
    point: z.string().min(1).max(64),
    ts: z.number().int(),
    receivedTs: z.number().int(),
    value: z.union([z.number(), z.boolean(), z.string(), z.null()]),
    quality: z.enum(qualities),
    reason: z.string().max(64).optional(),
  })
  .strict();

/** A batch of samples from one gateway's buffer: `seq` makes redelivery idempotent. */
export const telemetryBatchSchema = z
  .object({
    tenantId: z.string().nullable(),
    gateway: z.string().min(1).max(128),
    seq: z.number().int().min(0),
    samples: z.array(sampleSchema).max(100_000),
  })
  .strict();
/** A telemetry batch on the bus. */
export type TelemetryBatch = z.infer<typeof telemetryBatchSchema>;

const isLen = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max;
const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);

/** True when `s` is a valid sample, exactly as `sampleSchema` decides, without copying it. */
function isSample(s: unknown): boolean {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return false;
  const o = s as Record<string, unknown>;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (k !== 'device' && k !== 'point' && k !== 'ts' && k !== 'receivedTs' && k !== 'value' && k !== 'quality' && k !== 'reason') return false;
  }
  const v = o['value'];
  const q = o['quality'];
  return (
    isLen(o['device'], 1, 128) && isLen(o['point'], 1, 64) && isInt(o['ts']) && isInt(o['receivedTs']) &&
    (v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) &&
    (q === 'good' || q === 'bad' || q === 'uncertain') &&
    (o['reason'] === undefined || isLen(o['reason'], 0, 64))
  );
}

/**
 * True when `b` is a valid telemetry batch, exactly as `telemetryBatchSchema` decides, without copying
 * it. Telemetry is the one payload on the hot path: zod's copy of every sample cost a tenth of the
 * ingest CPU and doubled its garbage (docs/benchmarks.md). A test checks the two agree.
 */
export function isTelemetryBatch(b: unknown): b is TelemetryBatch {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
  const o = b as Record<string, unknown>;
  for (const k in o) if (Object.hasOwn(o, k) && k !== 'tenantId' && k !== 'gateway' && k !== 'seq' && k !== 'samples') return false;
  const samples = o['samples'];
  if (!(o['tenantId'] === null || typeof o['tenantId'] === 'string') || !isLen(o['gateway'], 1, 128) || !isInt(o['seq']) || (o['seq'] as number) < 0) return false;
  if (!Array.isArray(samples) || samples.length > 100_000) return false;
  for (let i = 0; i < samples.length; i++) if (!isSample(samples[i])) return false;
  return true;
}

/**
 * Hand-written checks that decide exactly as a schema does but return the value as is (no copy), for
 * payloads on a hot path. The bus uses one when the schema has it; zod still explains a refusal.
 */
export const payloadGuards: ReadonlyMap<z.ZodType, (value: unknown) => boolean> = new Map<z.ZodType, (value: unknown) => boolean>([[telemetryBatchSchema, isTelemetryBatch]]);
