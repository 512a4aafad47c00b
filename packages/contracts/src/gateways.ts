import { z } from 'zod';

/** A gateway or device id: letters, digits and `_ . - : /` (Sparkplug ids contain `/`), 1–128. */
export const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_.:/-]{1,128}$/, 'letters, digits, _ . - : / (1–128)');

/** A gateway as the API shows it. */
export const gatewaySchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  name: z.string(),
  tokenPrefix: z.string().nullable(),
  configVersion: z.number(),
  createdAt: z.number(),
  lastSeen: z.number().nullable(),
  /** Reported within the last 30 s (three status intervals). */
  online: z.boolean(),
  /** The gateway's last status report: uplink, buffer and each device's state and counters. */
  status: z.unknown(),
});
/** A gateway. */
export type GatewayDto = z.infer<typeof gatewaySchema>;

/** Body of POST /api/v1/gateways. */
export const createGatewaySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)'),
    name: z.string().trim().max(200).default(''),
    /** The enterprise; platform admins give it (or null for a platform gateway), enterprise users get their own. */
    tenantId: z.string().nullable().optional(),
  })
  .strict();

/** A gateway with its token, answered once at registration or token rotation. */
export const registeredGatewaySchema = z.object({ gateway: gatewaySchema, token: z.string() });

/** A device configuration held by the platform. */
export const deviceRecordSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  gatewayId: z.string(),
  name: z.string(),
  protocol: z.string(),
  source: z.enum(['configured', 'discovered']),
  config: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
/** A device record. */
export type DeviceRecordDto = z.infer<typeof deviceRecordSchema>;

/** Body of POST /api/v1/devices and PUT /api/v1/devices/{id}: the gateway and the driver configuration. */
export const putDeviceSchema = z
  .object({
    gatewayId: z.string().min(1).max(64),
    /** The driver configuration: `protocol` `modbus-tcp`, `opcua` or `mqtt` and that driver's fields. */
    config: z.record(z.string(), z.unknown()),
  })
  .strict();

/** A device in the list: registered, discovered or only seen in telemetry. */
export const deviceSummarySchema = z.object({
  device: z.string(),
  name: z.string(),
  gatewayId: z.string().nullable(),
  protocol: z.string().nullable(),
  source: z.enum(['configured', 'discovered', 'telemetry']),
  /** From the gateway's last status; `unknown` when no gateway reports the device. */
  state: z.enum(['connecting', 'online', 'offline', 'unknown']),
  lastError: z.string().nullable(),
  points: z.number(),
  lastTs: z.number().nullable(),
});
/** A device summary. */
export type DeviceSummaryDto = z.infer<typeof deviceSummarySchema>;
