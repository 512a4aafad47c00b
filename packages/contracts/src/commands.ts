import { z } from 'zod';
import type { Point } from './points.js';

/** How long a command may take, write and read-back together, unless the request says otherwise. */
export const defaultCommandTimeoutMs = 5000;
/** The least time between two commands to one point unless the point sets `minCommandIntervalMs`. */
export const defaultMinCommandIntervalMs = 1000;

/** A value a command writes: an engineering value (scaled as the point says). */
export const commandValueSchema = z.union([z.number().finite(), z.boolean(), z.string().max(1024)]);
/** A command value. */
export type CommandValue = z.infer<typeof commandValueSchema>;

/**
 * A named action of a device (`actions` in its configuration): a fixed value for one point, e.g.
 * `{ name: 'start', point: 'run', value: true }`. The point's interlocks apply; `critical` makes the
 * action need a confirmation even when the point does not.
 */
export const deviceActionSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)'),
    label: z.string().max(200).optional(),
    point: z.string().min(1).max(64),
    value: commandValueSchema,
    critical: z.boolean().optional(),
  })
  .strict();
/** A named action. */
export type DeviceAction = z.infer<typeof deviceActionSchema>;
/** The `actions` of a device configuration. */
export const deviceActionsSchema = z.array(deviceActionSchema).max(100);

const commonRequest = {
  /** The second confirmation a critical point or action needs. */
  confirm: z.boolean().optional(),
  /** Write and read-back must finish within this; default 5000 ms. */
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
};
/** `POST /api/v1/devices/{id}/commands` body: a point and a value, or a named action. */
export const commandRequestSchema = z.union([
  z.object({ point: z.string().min(1).max(64), value: commandValueSchema, ...commonRequest }).strict(),
  z.object({ action: z.string().min(1).max(64), ...commonRequest }).strict(),
]);
/** A command request. */
export type CommandRequest = z.infer<typeof commandRequestSchema>;

/** How a command ended. */
export const commandStatuses = ['succeeded', 'failed', 'timeout'] as const;
/** A command's final status. */
export type CommandStatus = (typeof commandStatuses)[number];

/** What the gateway reports about one command. */
export const commandOutcomeSchema = z
  .object({
    status: z.enum(commandStatuses),
    /** Why it failed or timed out (`MODBUS_TIMEOUT: …`, `READ_BACK_MISMATCH: …`), or why it is unverified. */
    reason: z.string().max(1000).optional(),
    /** The value read back after the write. */
    readBack: commandValueSchema.nullable().optional(),
    /** True when the read-back (or the device's next report) carried the value written. */
    verified: z.boolean(),
  })
  .strict();
/** A command outcome. */
export type CommandOutcome = z.infer<typeof commandOutcomeSchema>;

/** A recorded command, as `POST` answers it and `GET /api/v1/devices/{id}/commands` lists it. */
export const commandRecordSchema = z.object({
  id: z.string(),
  device: z.string(),
  gatewayId: z.string(),
  point: z.string(),
  action: z.string().nullable(),
  value: commandValueSchema,
  requestedBy: z.string(),
  ip: z.string().nullable(),
  status: z.enum([...commandStatuses, 'pending']),
  reason: z.string().nullable(),
  readBack: commandValueSchema.nullable(),
  verified: z.boolean(),
  createdAt: z.string().describe('ISO 8601 timestamp'),
  finishedAt: z.string().nullable().describe('ISO 8601 timestamp'),
  durationMs: z.number().nullable(),
});
/** A recorded command. */
export type CommandRecord = z.infer<typeof commandRecordSchema>;

/** Platform → gateway over the gateway link: write `value` to `point` of `device`, then verify it. */
export const gatewayCommandSchema = z
  .object({
    type: z.literal('command'),
    id: z.string().min(1).max(64),
    device: z.string().min(1).max(128),
    point: z.string().min(1).max(64),
    value: commandValueSchema,
    timeoutMs: z.number().int().min(100).max(60_000),
    /** How far a numeric read-back may be from the value and still match (see {@link readBackTolerance}). */
    tolerance: z.number().min(0).optional(),
  })
  .strict();
/** A command for a gateway. */
export type GatewayCommand = z.infer<typeof gatewayCommandSchema>;

/** Gateway → platform over the gateway link: the outcome of command `id`. */
export const gatewayCommandResultSchema = commandOutcomeSchema.extend({ type: z.literal('result'), id: z.string().min(1).max(64) }).strict();
/** A command result from a gateway. */
export type GatewayCommandResult = z.infer<typeof gatewayCommandResultSchema>;

/**
 * How far a read-back may differ from the value written and still count as the same: half a raw step for
 * integer types (the write rounds to a whole register value, then scales), float32's precision for
 * float32, 12 significant digits (what scaling keeps) for float64; 0 (exact) for bool and string.
 * @example readBackTolerance({ dataType: 'int16', multiplier: 0.1 }, 28.95) // 0.05…
 */
export function readBackTolerance(point: Pick<Point, 'dataType' | 'multiplier'>, value: number): number {
  const magnitude = Math.abs(value);
  switch (point.dataType) {
    case 'bool':
    case 'string':
      return 0;
    case 'float32':
      return magnitude * 2 ** -22 + Math.abs(point.multiplier) * 2 ** -22 + 1e-12;
    case 'float64':
      return magnitude * 1e-11 + 1e-12;
    default:
      return Math.abs(point.multiplier) / 2 + magnitude * 1e-11 + 1e-12;
  }
}

/**
 * True when a read-back value is the value written: numbers within `tolerance` (default: one part in a
 * million), booleans also as 0/1, everything else exactly.
 * @example readBackMatches(21.5, 21.499999, 0.001) // true
 */
export function readBackMatches(written: CommandValue, read: unknown, tolerance?: number): boolean {
  if (typeof written === 'number' && typeof read === 'number') return Math.abs(written - read) <= (tolerance ?? Math.max(Math.abs(written) * 1e-6, 1e-9));
  if (typeof written === 'boolean' && typeof read === 'number') return (read !== 0) === written;
  if (typeof written === 'number' && typeof read === 'boolean') return (written !== 0) === read;
  return written === read;
}
