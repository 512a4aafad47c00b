import { deviceActionsSchema, pointSchema } from '@yulian/contracts';
import { z } from 'zod';

/** A Modbus TCP device as the gateway polls it. */
export const modbusDeviceSchema = z
  .object({
    id: z.string().min(1).max(128),
    name: z.string().max(200).default(''),
    protocol: z.literal('modbus-tcp'),
    /** IPv4 or IPv6 address, or a host name. */
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(502),
    unitId: z.number().int().min(0).max(255).default(1),
    /** Poll period; 100 ms at the fastest. */
    pollIntervalMs: z.number().int().min(100).max(86_400_000).default(1000),
    timeoutMs: z.number().int().min(50).max(60_000).default(1000),
    /** Unused registers allowed inside one read request. */
    maxGap: z.number().int().min(0).max(125).default(8),
    /** Registers per read request (≤ 125); lower it for devices that need it. */
    maxRegisters: z.number().int().min(1).max(125).default(125),
    points: z.array(pointSchema).max(100_000),
    /** Named actions for remote control, e.g. `{ name: 'start', point: 'run', value: true }` (the platform runs them; the gateway ignores them). */
    actions: deviceActionsSchema.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.points.forEach((p, i) => {
      if (!p.modbus) ctx.addIssue({ code: 'custom', path: ['points', i, 'modbus'], message: 'a Modbus device’s point needs a modbus address' });
      if (seen.has(p.key)) ctx.addIssue({ code: 'custom', path: ['points', i, 'key'], message: `duplicate point key ${p.key}` });
      seen.add(p.key);
    });
  });
/** A Modbus device's configuration. */
export type ModbusDeviceConfig = z.output<typeof modbusDeviceSchema>;
/** A Modbus device's configuration as written. */
export type ModbusDeviceConfigInput = z.input<typeof modbusDeviceSchema>;
