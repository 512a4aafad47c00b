/** The Sparkplug B topic namespace. */
export const sparkplugNamespace = 'spBv1.0';

/** Message types an edge node or a host sends (STATE has its own topic shape). */
export const sparkplugMessageTypes = ['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD'] as const;
/** A Sparkplug message type. */
export type SparkplugMessageType = (typeof sparkplugMessageTypes)[number];

/** A parsed Sparkplug topic: `spBv1.0/<group>/<type>/<edge node>[/<device>]` or `spBv1.0/STATE/<host id>`. */
export type SparkplugTopic =
  | { kind: 'node'; type: 'NBIRTH' | 'NDEATH' | 'NDATA' | 'NCMD'; groupId: string; edgeNodeId: string }
  | { kind: 'device'; type: 'DBIRTH' | 'DDEATH' | 'DDATA' | 'DCMD'; groupId: string; edgeNodeId: string; deviceId: string }
  | { kind: 'state'; hostId: string };

const nodeTypes = new Set<string>(['NBIRTH', 'NDEATH', 'NDATA', 'NCMD']);
const deviceTypes = new Set<string>(['DBIRTH', 'DDEATH', 'DDATA', 'DCMD']);

/** True for a valid group, edge node, device or host id: non-empty UTF-8 without `+`, `/` or `#`. */
export const isSparkplugId = (id: string): boolean => id.length > 0 && !/[+/#]/.test(id);

/**
 * Parses a Sparkplug B topic; undefined for anything else (another namespace, a wrong number of
 * levels, an unknown message type, an empty id).
 * @example parseSparkplugTopic('spBv1.0/plant/DDATA/gw1/meter-3') // { kind: 'device', type: 'DDATA', … }
 */
export function parseSparkplugTopic(topic: string): SparkplugTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== sparkplugNamespace) return undefined;
  if (parts[1] === 'STATE') return parts.length === 3 && parts[2] ? { kind: 'state', hostId: parts[2] } : undefined;
  const [, groupId, type, edgeNodeId, deviceId] = parts;
  if (!groupId || !type || !edgeNodeId) return undefined;
  if (parts.length === 4 && nodeTypes.has(type)) return { kind: 'node', type: type as 'NBIRTH', groupId, edgeNodeId };
  if (parts.length === 5 && deviceId && deviceTypes.has(type)) return { kind: 'device', type: type as 'DBIRTH', groupId, edgeNodeId, deviceId };
  return undefined;
}

/**
 * Formats a node or device topic; throws on an id that Sparkplug forbids.
 * @example sparkplugTopic('NCMD', 'plant', 'gw1') // 'spBv1.0/plant/NCMD/gw1'
 */
export function sparkplugTopic(type: SparkplugMessageType, groupId: string, edgeNodeId: string, deviceId?: string): string {
  const isDevice = type.startsWith('D');
  for (const id of [groupId, edgeNodeId, ...(isDevice ? [deviceId ?? ''] : [])]) {
    if (!isSparkplugId(id)) throw new TypeError(`"${id}" is not a Sparkplug id (non-empty, without + / #).`);
  }
  if (!isDevice && deviceId !== undefined) throw new TypeError(`${type} topics carry no device id.`);
  return `${sparkplugNamespace}/${groupId}/${type}/${edgeNodeId}${isDevice ? `/${deviceId}` : ''}`;
}

/** The STATE topic of a host application (Sparkplug 3.0): `spBv1.0/STATE/<host id>`. */
export function sparkplugStateTopic(hostId: string): string {
  if (!isSparkplugId(hostId)) throw new TypeError(`"${hostId}" is not a Sparkplug host id (non-empty, without + / #).`);
  return `${sparkplugNamespace}/STATE/${hostId}`;
}

/** A host application's STATE payload (Sparkplug 3.0 JSON, published retained at QoS 1). */
export interface SparkplugHostState {
  online: boolean;
  /** Epoch ms. */
  timestamp: number;
}

/** Encodes a STATE payload. */
export const encodeHostState = (state: SparkplugHostState): Buffer => Buffer.from(JSON.stringify({ online: state.online, timestamp: state.timestamp }));

/** Decodes a STATE payload; undefined when it is not `{"online": bool, "timestamp": number}`. */
export function decodeHostState(payload: Uint8Array): SparkplugHostState | undefined {
  try {
    const v = JSON.parse(Buffer.from(payload).toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null) return undefined;
    const { online, timestamp } = v as Record<string, unknown>;
    return typeof online === 'boolean' && typeof timestamp === 'number' ? { online, timestamp } : undefined;
  } catch {
    return undefined;
  }
}
