import { deviceActionsSchema, pointSchema } from '@yulian/contracts';
import { z } from 'zod';
import { parseOpcTcpUrl } from './endpoint-url.js';

/** How the gateway logs in to the server: `{ type: 'anonymous' }` or `{ type: 'username', username, password }`. */
export const opcuaAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('anonymous') }).strict(),
  z.object({ type: z.literal('username'), username: z.string().min(1).max(256), password: z.string().max(256) }).strict(),
]);
/** An OPC UA login. */
export type OpcuaAuth = z.output<typeof opcuaAuthSchema>;

/** A NodeId in its string form: `ns=2;s=Oven.Temp`, `ns=3;i=1001`, `i=2258`, `ns=1;g=<guid>`, `ns=1;b=<base64>`. */
export const nodeIdPattern = /^(ns=\d{1,5};)?(i=\d{1,10}|s=.+|g=[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}|b=[A-Za-z0-9+/]+={0,2})$/s;

/** Message security of the secure channel. */
export const opcuaSecurityModes = ['None', 'SignAndEncrypt'] as const;
/** Security policies the driver supports. */
export const opcuaSecurityPolicies = ['None', 'Basic256Sha256'] as const;

/**
 * An OPC UA server the gateway subscribes to. Defaults: security None, anonymous login, publishing every
 * 1000 ms, points sampled every 1000 ms unless they say otherwise, 1000 monitored items per
 * CreateMonitoredItems request, 5000 ms per request. Fails, naming the point, on a point without an
 * `opcua` address or with a malformed NodeId, on a duplicate key, and on SignAndEncrypt without
 * Basic256Sha256.
 * @example opcuaDeviceSchema.parse({ id: 'press-7', protocol: 'opcua', endpointUrl: 'opc.tcp://10.0.0.5:4840', points: [{ key: 'temp', dataType: 'float64', opcua: { nodeId: 'ns=2;s=Press.Temp', deadband: { type: 'absolute', value: 0.5 } } }] })
 */
export const opcuaDeviceSchema = z
  .object({
    id: z.string().min(1).max(128),
    name: z.string().max(200).default(''),
    protocol: z.literal('opcua'),
    /** `opc.tcp://10.0.0.5:4840`, `opc.tcp://[fd00::5]:4840` or `opc.tcp://plc-7.local:4840/path`. */
    endpointUrl: z.string().max(512).refine((u) => parseOpcTcpUrl(u) !== undefined, 'an opc.tcp:// URL with a host, e.g. opc.tcp://10.0.0.5:4840 or opc.tcp://[::1]:4840'),
    securityMode: z.enum(opcuaSecurityModes).default('None'),
    securityPolicy: z.enum(opcuaSecurityPolicies).default('None'),
    auth: opcuaAuthSchema.default({ type: 'anonymous' }),
    /** How often the server sends the changes it collected. */
    publishingIntervalMs: z.number().int().min(50).max(3_600_000).default(1000),
    /** Sampling interval of points that do not set their own; 0 = as fast as the server can. */
    samplingIntervalMs: z.number().int().min(0).max(3_600_000).default(1000),
    /** Monitored items per CreateMonitoredItems request. */
    batchSize: z.number().int().min(1).max(10_000).default(1000),
    /** Per request (connect, read, write, call, one batch of monitored items). */
    timeoutMs: z.number().int().min(100).max(120_000).default(5000),
    points: z.array(pointSchema).max(100_000),
    /** Named actions for remote control, e.g. `{ name: 'start', point: 'run', value: true }` (the platform runs them; the gateway ignores them). */
    actions: deviceActionsSchema.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.securityMode === 'SignAndEncrypt' && d.securityPolicy !== 'Basic256Sha256') {
      ctx.addIssue({ code: 'custom', path: ['securityPolicy'], message: 'securityMode SignAndEncrypt needs securityPolicy Basic256Sha256' });
    }
    if (d.securityMode === 'None' && d.securityPolicy !== 'None') {
      ctx.addIssue({ code: 'custom', path: ['securityPolicy'], message: 'securityMode None goes with securityPolicy None; use SignAndEncrypt for Basic256Sha256' });
    }
    const seen = new Set<string>();
    d.points.forEach((p, i) => {
      if (!p.opcua) ctx.addIssue({ code: 'custom', path: ['points', i, 'opcua'], message: `point ${p.key} needs an opcua address (nodeId) on an OPC UA device` });
      else if (!nodeIdPattern.test(p.opcua.nodeId)) ctx.addIssue({ code: 'custom', path: ['points', i, 'opcua', 'nodeId'], message: `point ${p.key}: ${p.opcua.nodeId} is not a NodeId such as ns=2;s=Oven.Temp or ns=3;i=1001` });
      if (seen.has(p.key)) ctx.addIssue({ code: 'custom', path: ['points', i, 'key'], message: `duplicate point key ${p.key}` });
      seen.add(p.key);
    });
  });
/** An OPC UA device's configuration. */
export type OpcuaDeviceConfig = z.output<typeof opcuaDeviceSchema>;
/** An OPC UA device's configuration as written. */
export type OpcuaDeviceConfigInput = z.input<typeof opcuaDeviceSchema>;
