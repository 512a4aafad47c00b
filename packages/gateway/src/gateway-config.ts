import { z } from 'zod';
import { connectionSchema } from './connectors.js';

/**
 * The configuration of a standalone gateway (`yulian gateway --config gw.yaml`). Registered with a
 * platform (`platform.url` + token), the gateway takes its devices and its enterprise from there; without
 * one, it runs the devices listed here and the uplink's NATS credentials are the trust boundary. The MQTT
 * uplink needs the registration: the gateway token is its MQTT password.
 */
export const gatewayConfigSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)'),
    /**
     * Registration with the platform: the gateway fetches its devices from there (and re-fetches them
     * when they change), reports its status every `statusIntervalMs` and delivers under the
     * enterprise the platform registered it to.
     */
    platform: z
      .object({
        /** The platform's HTTP address, e.g. http://platform.example:8080. */
        url: z.string().regex(/^https?:\/\/\S+$/, 'an http:// or https:// URL'),
        /** The `ylg_…` token the platform gave when the gateway was registered. */
        token: z.string().regex(/^ylg_[A-Za-z0-9_-]{20,}$/, 'a gateway token (ylg_…) from the platform'),
        statusIntervalMs: z.number().int().min(1000).max(600_000).default(10_000),
      })
      .strict()
      .optional(),
    /** Without `platform`: the enterprise (tenant id) whose devices these are; null for platform-owned devices. */
    tenantId: z.string().nullable().default(null),
    /** How batches reach the platform: its NATS JetStream, or its MQTT broker (`mqtt`, needs `platform.token`). */
    uplink: z.union(
      [
        z
          .object({
            /** The platform's NATS JetStream, e.g. nats://platform.example:4222 (credentials in the URL). */
            bus: z.string().regex(/^(nats|tls):\/\/\S+$/, 'a nats:// or tls:// URL'),
            /** Must match the platform's stream prefix; default YULIAN. */
            streamPrefix: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).default('YULIAN'),
          })
          .strict(),
        z
          .object({
            /** The platform's MQTT broker, e.g. mqtt://platform.example:1883 (mqtts:// for TLS); the gateway logs in with its id and `platform.token`. */
            mqtt: z.string().regex(/^mqtts?:\/\/\S+$/, 'an mqtt:// or mqtts:// URL'),
            /** How long to wait for the platform's acknowledgement of a batch before sending it again; default 10 s. */
            ackTimeoutMs: z.number().int().min(1000).max(600_000).default(10_000),
          })
          .strict(),
      ],
      { error: 'either { bus: nats://…, streamPrefix } or { mqtt: mqtt://… }' },
    ),
    buffer: z
      .object({
        /** The store-and-forward file; default ./data/gateway-<id>/buffer.db. */
        path: z.string().optional(),
        /** Bound in bytes; the oldest samples are dropped (counted) beyond it. Default 256 MiB. */
        maxBytes: z.number().int().min(1024 * 1024).default(256 * 2 ** 20),
      })
      .strict()
      .default({ maxBytes: 256 * 2 ** 20 }),
    /** Without `platform`: the devices and broker connections to run. */
    devices: z.array(connectionSchema).max(10_000).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.platform && c.devices.length > 0) ctx.addIssue({ code: 'custom', path: ['devices'], message: 'a gateway registered with a platform gets its devices from there; leave devices out' });
    if ('mqtt' in c.uplink && !c.platform) ctx.addIssue({ code: 'custom', path: ['platform', 'token'], message: 'the MQTT uplink logs in with the gateway token: register the gateway and give platform.url and platform.token' });
    const seen = new Set<string>();
    c.devices.forEach((d, i) => {
      if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'id'], message: `duplicate device id ${d.id}` });
      seen.add(d.id);
    });
  });
/** A standalone gateway's configuration. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
