import { pointSchema } from '@yulian/contracts';
import { isSparkplugId } from '@yulian/protocols';
import { z } from 'zod';
import { isJsonPath, parseDeviceTemplate, plusCount } from './json-path.js';

/** True for an MQTT topic filter: `+` and `#` only as whole levels, `#` only last. */
export function isTopicFilter(filter: string): boolean {
  const levels = filter.split('/');
  return levels.every((l, i) => (l === '#' ? i === levels.length - 1 : l === '+' || !/[+#]/.test(l)));
}

/** True for a broker URL we can connect to: mqtt://, mqtts://, ws:// or wss:// with a host (IPv6 in brackets). */
function isBrokerUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return ['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(u.protocol) && u.hostname !== '';
  } catch {
    return false;
  }
}

const jsonPath = z.string().min(1).max(256).refine(isJsonPath, 'a dotted path with optional [index], e.g. values.temp or readings[0].v; $ for the whole payload');

/**
 * How JSON messages on one topic filter become samples.
 * - `device`: `{1}`, `{2}` … stand for the segments the 1st, 2nd … `+` of `topic` matched (e.g.
 *   `line-{1}`), `$.path` reads the id from the payload, anything else is a fixed id. Characters a
 *   device id cannot hold become `_`.
 * - `timestamp`: where the source time is; without it samples carry the time of arrival. A message
 *   whose timestamp is missing or unparsable counts as a bad payload.
 * - `points[].mqtt.path`: where each value is; a point whose field is missing gets no sample.
 * - `commandTopic`: where writes go, as `{"<point key>": <raw value>}`; `{device}` and `{1}` … fill in.
 */
export const jsonMappingSchema = z
  .object({
    topic: z.string().min(1).max(512).refine(isTopicFilter, 'an MQTT topic filter; + and # only as whole levels, # only last'),
    device: z.string().min(1).max(128),
    timestamp: z.object({ path: jsonPath, format: z.enum(['epoch-ms', 'epoch-s', 'iso']) }).strict().optional(),
    commandTopic: z.string().min(1).max(512).refine((t) => !/[+#]/.test(t), 'a topic without wildcards; {device} and {1} … are filled in').optional(),
    points: z.array(pointSchema).min(1).max(10_000),
  })
  .strict()
  .superRefine((m, ctx) => {
    const template = parseDeviceTemplate(m.device);
    if (typeof template === 'string') ctx.addIssue({ code: 'custom', path: ['device'], message: template });
    else if (template.kind === 'template' && template.maxIndex > plusCount(m.topic)) {
      ctx.addIssue({ code: 'custom', path: ['device'], message: `{${template.maxIndex}} needs ${template.maxIndex} + wildcards in the topic, which has ${plusCount(m.topic)}` });
    }
    const seen = new Set<string>();
    m.points.forEach((p, i) => {
      if (!p.mqtt?.path) ctx.addIssue({ code: 'custom', path: ['points', i, 'mqtt', 'path'], message: 'a JSON point needs mqtt.path' });
      else if (!isJsonPath(p.mqtt.path)) ctx.addIssue({ code: 'custom', path: ['points', i, 'mqtt', 'path'], message: 'a dotted path with optional [index], e.g. values.temp' });
      if (seen.has(p.key)) ctx.addIssue({ code: 'custom', path: ['points', i, 'key'], message: `duplicate point key ${p.key}` });
      seen.add(p.key);
    });
  });
/** A JSON mapping. */
export type JsonMapping = z.output<typeof jsonMappingSchema>;

const sparkplugId = (what: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .refine(isSparkplugId, `a Sparkplug ${what}: no + / #`);

/** The Sparkplug B host application on this connection. */
export const sparkplugHostSchema = z
  .object({
    /** Host id of the STATE topic `spBv1.0/STATE/<hostId>`. */
    hostId: sparkplugId('host id'),
    /** Groups to subscribe to; default all (`spBv1.0/#`). */
    groupIds: z.array(sparkplugId('group id').refine((g) => g !== 'STATE', 'STATE is reserved')).min(1).max(1000).optional(),
    /** Ask an edge node for a rebirth when its seq skips (default true). */
    rebirthOnGap: z.boolean().default(true),
  })
  .strict();

/**
 * One MQTT broker connection of the gateway: JSON topics mapped to devices, and/or a Sparkplug B host
 * application that discovers devices from their births.
 * @example mqttConnectionSchema.parse({ id: 'plant-broker', protocol: 'mqtt', url: 'mqtt://[::1]:1883', sparkplug: { hostId: 'yulian' } })
 */
export const mqttConnectionSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - (1–64)'),
    name: z.string().max(200).default(''),
    protocol: z.literal('mqtt'),
    url: z.string().refine(isBrokerUrl, 'an mqtt://, mqtts://, ws:// or wss:// URL with a host; IPv6 in brackets, e.g. mqtt://[::1]:1883'),
    username: z.string().max(256).optional(),
    password: z.string().max(1024).optional(),
    clientId: z.string().min(1).max(128).optional(),
    /** Delay between reconnect attempts; default 2000 ms. */
    reconnectPeriodMs: z.number().int().min(100).max(300_000).default(2000),
    json: z.array(jsonMappingSchema).max(1000).default([]),
    sparkplug: sparkplugHostSchema.optional(),
  })
  .strict()
  .refine((c) => c.json.length > 0 || c.sparkplug !== undefined, { message: 'give json mappings, a sparkplug host, or both', path: ['json'] });
/** An MQTT connection's configuration. */
export type MqttConnectionConfig = z.output<typeof mqttConnectionSchema>;
/** An MQTT connection's configuration as written. */
export type MqttConnectionConfigInput = z.input<typeof mqttConnectionSchema>;
