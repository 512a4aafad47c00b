/**
 * OT security (issue 7): the observations the detection engine reads (decoded Modbus transactions and
 * anomalies, connection attempts, OPC UA services, Sparkplug commands, platform audit, identifier node
 * events) and the security events it raises, tagged with MITRE ATT&CK for ICS techniques. Shared by the
 * engine (security), the server's routes and the console.
 */
import { z } from 'zod';

/** An epoch-milliseconds instant; observations carry their own, so simulated time works. */
const epochMs = z.number().int().nonnegative();
const port = z.number().int().min(0).max(65_535);
const tenantId = z.string().min(1).max(128).nullable();

/** A network endpoint: an IPv4/IPv6 address text and a TCP port. */
export const endpointSchema = z.object({ ip: z.string().min(1).max(64), port });
/** A network endpoint. */
export type Endpoint = z.infer<typeof endpointSchema>;

/** Where a Modbus observation was seen: the inline guard, a passive capture, or the gateway's own client. */
export const observationVias = ['guard', 'capture', 'gateway'] as const;
export type ObservationVia = (typeof observationVias)[number];

/** Suricata's Modbus anomaly events, one code each. */
export const modbusAnomalyCodes = ['INVALID_PROTOCOL_ID', 'INVALID_LENGTH', 'INVALID_UNIT_ID', 'INVALID_FUNCTION_CODE', 'UNSOLICITED_RESPONSE', 'INVALID_VALUE'] as const;
export type ModbusAnomalyCode = (typeof modbusAnomalyCodes)[number];

/** An engineering range the guard knows for the point a write targets (for T0836). */
export const pointRangeSchema = z.object({ min: z.number(), max: z.number(), point: z.string().max(128).optional() });

/** One decoded Modbus/TCP request with its response (Zeek ICSNPP's modbus_detailed row). */
export const modbusObservationSchema = z.object({
  kind: z.literal('modbus'),
  ts: epochMs,
  tenantId,
  via: z.enum(observationVias),
  source: endpointSchema,
  target: endpointSchema,
  deviceId: z.string().max(128).optional(),
  tid: z.number().int().min(0).max(65_535),
  unit: z.number().int().min(0).max(255),
  functionCode: z.number().int().min(0).max(255),
  /** The function's name, e.g. READ_HOLDING_REGISTERS. */
  func: z.string().max(64),
  address: z.number().int().min(0).max(65_535).optional(),
  quantity: z.number().int().min(0).max(65_535).optional(),
  requestValues: z.array(z.number()).max(2_048).optional(),
  responseValues: z.array(z.number()).max(2_048).optional(),
  requestSubfunction: z.string().max(64).optional(),
  exception: z.string().max(64).optional(),
  meiType: z.string().max(64).optional(),
  /** A response was paired with the request. */
  matched: z.boolean(),
  /** The function writes (FC 5, 6, 15, 16, 22, 23 …). */
  write: z.boolean(),
  /** The written point's engineering range, when the guard knows it. */
  pointRange: pointRangeSchema.optional(),
});

/** A Modbus frame the decoder found malformed or out of place (Suricata's anomaly events). */
export const modbusAnomalyObservationSchema = z.object({
  kind: z.literal('modbus-anomaly'),
  ts: epochMs,
  tenantId,
  via: z.enum(observationVias),
  source: endpointSchema,
  target: endpointSchema,
  deviceId: z.string().max(128).optional(),
  code: z.enum(modbusAnomalyCodes),
  direction: z.enum(['request', 'response']),
  tid: z.number().int().optional(),
  unit: z.number().int().optional(),
  functionCode: z.number().int().optional(),
  detail: z.string().max(500),
});

/** Industrial protocols a connection can be for. */
export const connectionProtocols = ['modbus', 'opcua', 'mqtt', 'other'] as const;

/** A TCP connection attempt to a device or broker, accepted or refused. */
export const connectionObservationSchema = z.object({
  kind: z.literal('connection'),
  ts: epochMs,
  tenantId,
  source: endpointSchema,
  target: endpointSchema,
  deviceId: z.string().max(128).optional(),
  protocol: z.enum(connectionProtocols),
  accepted: z.boolean(),
});

/** OPC UA services the engine watches. */
export const opcuaServices = ['read', 'write', 'call', 'browse'] as const;

/** An OPC UA service call by a session. */
export const opcuaObservationSchema = z.object({
  kind: z.literal('opcua'),
  ts: epochMs,
  tenantId,
  source: z.object({ ip: z.string().min(1).max(64), port: port.optional() }),
  endpoint: z.string().max(500),
  deviceId: z.string().max(128).optional(),
  service: z.enum(opcuaServices),
  nodeId: z.string().max(500).optional(),
  user: z.string().max(128).optional(),
  /** The written value, for writes of a number. */
  value: z.number().optional(),
  pointRange: pointRangeSchema.optional(),
});

/** A Sparkplug B command (DCMD/NCMD) seen on the broker. */
export const sparkplugObservationSchema = z.object({
  kind: z.literal('sparkplug'),
  ts: epochMs,
  tenantId,
  source: z.object({ clientId: z.string().min(1).max(256), ip: z.string().max(64).optional() }),
  topic: z.string().max(512),
  messageType: z.enum(['DCMD', 'NCMD']),
  deviceId: z.string().max(128).optional(),
  metrics: z.array(z.string().max(256)).max(1_000).optional(),
});

/** A platform action worth watching (the audit log's shape): logins, token use, gateway auth. */
export const platformObservationSchema = z.object({
  kind: z.literal('platform'),
  ts: epochMs,
  tenantId,
  /** e.g. auth.login, gateway.auth. */
  action: z.string().min(1).max(128),
  outcome: z.enum(['success', 'failure']),
  actor: z.string().max(128).optional(),
  ip: z.string().max(64).optional(),
  target: z.string().max(256).optional(),
});

/** An identifier resolution node's own security event. */
export const identifierObservationSchema = z.object({
  kind: z.literal('identifier'),
  ts: epochMs,
  tenantId,
  event: z.enum(['flood', 'malformed', 'auth-failed']),
  source: z.object({ ip: z.string().min(1).max(64), port: port.optional() }),
  handle: z.string().max(512).optional(),
  detail: z.string().max(500).optional(),
});

/** What the detection engine reads: one of the kinds above. */
export const observationSchema = z.discriminatedUnion('kind', [
  modbusObservationSchema,
  modbusAnomalyObservationSchema,
  connectionObservationSchema,
  opcuaObservationSchema,
  sparkplugObservationSchema,
  platformObservationSchema,
  identifierObservationSchema,
]);
/** An observation. */
export type Observation = z.infer<typeof observationSchema>;
/** The kind of an observation. */
export type ObservationKind = Observation['kind'];
/** Every observation kind, in the order the docs list them. */
export const observationKinds = ['modbus', 'modbus-anomaly', 'connection', 'opcua', 'sparkplug', 'platform', 'identifier'] as const satisfies readonly ObservationKind[];
/** A Modbus transaction observation. */
export type ModbusObservation = z.infer<typeof modbusObservationSchema>;

/** What an analyst has made of a security event. */
export const securityEventStatuses = ['new', 'acknowledged', 'resolved', 'false_positive'] as const;
export type SecurityEventStatus = (typeof securityEventStatuses)[number];

/** An ATT&CK technique id: T0855, T1110, T1110.001. */
export const attackTechniqueSchema = z.string().regex(/^T\d{4}(\.\d{3})?$/, 'an ATT&CK technique id such as T0855');

/** What a rule asks the gateway to do about the source (optional active response). */
export const securityResponseSchema = z.object({ action: z.literal('block-source'), seconds: z.number().int().positive() });

/** A security event: a detection rule's raise, stored and shown. */
export const securityEventSchema = z.object({
  id: z.string(),
  /** Null: platform-wide (e.g. the platform's own login page). */
  tenantId: z.string().nullable(),
  ts: epochMs,
  ruleId: z.number().int(),
  /** Wazuh's scale: 0 ignored, 3 notable, 5–7 suspicious, 8–11 likely attack, 12–15 high-impact attack. */
  level: z.number().int().min(0).max(15),
  title: z.string(),
  titleEn: z.string(),
  techniques: z.array(attackTechniqueSchema),
  tactic: z.string().nullable(),
  source: z.object({ ip: z.string().nullable(), port: port.nullable().optional() }),
  target: z.object({ ip: z.string().nullable().optional(), port: port.nullable().optional(), deviceId: z.string().nullable().optional() }),
  /** The observation(s) summarised: the last one's fields, and for correlated events the window's figures. */
  details: z.record(z.string(), z.unknown()),
  /** Observations folded into this event (1, or the correlation window's count). */
  count: z.number().int().positive(),
  /** The rule's grouping (`same` fields) values, joined: what incidents group on. */
  groupKey: z.string(),
  status: z.enum(securityEventStatuses),
  response: securityResponseSchema.nullable(),
});
/** A security event. */
export type SecurityEvent = z.infer<typeof securityEventSchema>;

/** Query of GET security events. */
export const securityEventQuerySchema = z.object({
  since: z.coerce.number().int().nonnegative().optional(),
  until: z.coerce.number().int().nonnegative().optional(),
  minLevel: z.coerce.number().int().min(0).max(15).optional(),
  technique: attackTechniqueSchema.optional(),
  sourceIp: z.string().max(64).optional(),
  deviceId: z.string().max(128).optional(),
  ruleId: z.coerce.number().int().optional(),
  status: z.enum(securityEventStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});
/** Filters of a security event list. */
export type SecurityEventQuery = z.infer<typeof securityEventQuerySchema>;

/** A tenant's baseline mode: off, learning what is normal, or enforcing it (anything new is an event). */
export const baselineModes = ['off', 'learning', 'enforcing'] as const;
export type BaselineMode = (typeof baselineModes)[number];

/** One learned communication: who talks to which device, with which function, over which addresses. */
export const baselineEntrySchema = z.object({
  tenantId: z.string().nullable(),
  protocol: z.enum(['modbus', 'opcua', 'sparkplug']),
  /** Source IP (Sparkplug: client id). */
  source: z.string(),
  /** Device id, else ip:port (OPC UA: endpoint; Sparkplug: the topic's node/device). */
  target: z.string(),
  unit: z.number().int(),
  /** Modbus function code as text, OPC UA service, or DCMD/NCMD. */
  function: z.string(),
  addressMin: z.number().int().nullable(),
  addressMax: z.number().int().nullable(),
  firstSeen: epochMs,
  lastSeen: epochMs,
  count: z.number().int().nonnegative(),
});
/** A learned baseline entry. */
export type BaselineEntry = z.infer<typeof baselineEntrySchema>;

/** A tenant's baseline state. */
export const baselineStateSchema = z.object({
  tenantId: z.string().nullable(),
  mode: z.enum(baselineModes),
  /** When learning (last) started; null if it never did. */
  learningSince: epochMs.nullable(),
  updatedAt: epochMs,
});
/** A tenant's baseline state. */
export type BaselineState = z.infer<typeof baselineStateSchema>;
