import { z } from 'zod';
import { modbusDeviceSchema } from './device-config.js';

/**
 * The configuration of a standalone gateway (`yulian gateway --config gw.yaml`). Until gateways register
 * with the platform by token, the uplink's NATS credentials are the trust boundary: a gateway that can
 * publish on the platform's NATS can deliver telemetry for the tenant it names.
 */
export const gatewayConfigSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)'),
    /** The enterprise (tenant id) whose devices these are; null for platform-owned devices. */
    tenantId: z.string().nullable().default(null),
    uplink: z
      .object({
        /** The platform's NATS JetStream, e.g. nats://platform.example:4222 (credentials in the URL). */
        bus: z.string().regex(/^(nats|tls):\/\/\S+$/, 'a nats:// or tls:// URL'),
        /** Must match the platform's stream prefix; default YULIAN. */
        streamPrefix: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).default('YULIAN'),
      })
      .strict(),
    buffer: z
      .object({
        /** The store-and-forward file; default ./data/gateway-<id>/buffer.db. */
        path: z.string().optional(),
        /** Bound in bytes; the oldest samples are dropped (counted) beyond it. Default 256 MiB. */
        maxBytes: z.number().int().min(1024 * 1024).default(256 * 2 ** 20),
      })
      .strict()
      .default({ maxBytes: 256 * 2 ** 20 }),
    devices: z.array(modbusDeviceSchema).max(10_000),
  })
  .strict();
/** A standalone gateway's configuration. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
