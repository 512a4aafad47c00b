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
    modbus: modbusAddressSchema.optional(),
  })
  .strict();
/** A point definition. */
export type Point = z.output<typeof pointSchema>;
/** A point definition as written. */
export type PointInput = z.input<typeof pointSchema>;

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
