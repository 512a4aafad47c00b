/**
 * The fields a rule can test: every observation kind's fields by dotted path, with their types, plus the
 * annotations the engine adds before the rules run (`baseline`, `commander`, `range`).
 */
import { type ObservationKind, connectionProtocols, modbusAnomalyCodes, observationKinds, observationVias, opcuaServices } from '@yulian/contracts';

/** A field's type: a scalar type, or the closed list of its values. */
export type FieldType = 'string' | 'number' | 'boolean' | 'number[]' | 'string[]' | readonly string[];

/** What the baseline says of an observation (see baseline/). */
export const baselineVerdicts = ['none', 'off', 'learning', 'known', 'unknown-source', 'unknown-function', 'unknown-range'] as const;
export type BaselineVerdict = (typeof baselineVerdicts)[number];

/** Whether the source may command the target: in the allowed commanders (or learned), not, or nothing configured. */
export const commanderVerdicts = ['allowed', 'denied', 'unknown'] as const;
export type CommanderVerdict = (typeof commanderVerdicts)[number];

/** A written value against the point's engineering range: outside, inside, or no range / not a write. */
export const rangeVerdicts = ['outside', 'inside', 'unknown'] as const;
export type RangeVerdict = (typeof rangeVerdicts)[number];

/** The annotations every observation gets before the rules see it. */
export interface Annotations {
  baseline: BaselineVerdict;
  commander: CommanderVerdict;
  range: RangeVerdict;
}

const endpoint = { 'source.ip': 'string', 'source.port': 'number', 'target.ip': 'string', 'target.port': 'number' } as const;
const pointRange = { 'pointRange.min': 'number', 'pointRange.max': 'number', 'pointRange.point': 'string' } as const;

const common: Record<string, FieldType> = {
  kind: observationKinds,
  ts: 'number',
  tenantId: 'string',
  deviceId: 'string',
  baseline: baselineVerdicts,
  commander: commanderVerdicts,
  range: rangeVerdicts,
};

/** The fields of each observation kind (besides the common ones). */
export const kindFields: Record<ObservationKind, Record<string, FieldType>> = {
  modbus: {
    via: observationVias,
    ...endpoint,
    tid: 'number',
    unit: 'number',
    functionCode: 'number',
    func: 'string',
    address: 'number',
    quantity: 'number',
    requestValues: 'number[]',
    responseValues: 'number[]',
    requestSubfunction: 'string',
    exception: 'string',
    meiType: 'string',
    matched: 'boolean',
    write: 'boolean',
    ...pointRange,
  },
  'modbus-anomaly': {
    via: observationVias,
    ...endpoint,
    code: modbusAnomalyCodes,
    direction: ['request', 'response'],
    tid: 'number',
    unit: 'number',
    functionCode: 'number',
    detail: 'string',
  },
  connection: { ...endpoint, protocol: connectionProtocols, accepted: 'boolean' },
  opcua: { 'source.ip': 'string', 'source.port': 'number', endpoint: 'string', service: opcuaServices, nodeId: 'string', user: 'string', value: 'number', ...pointRange },
  sparkplug: { 'source.clientId': 'string', 'source.ip': 'string', topic: 'string', messageType: ['DCMD', 'NCMD'], metrics: 'string[]' },
  platform: { action: 'string', outcome: ['success', 'failure'], actor: 'string', ip: 'string', target: 'string' },
  identifier: { event: ['flood', 'malformed', 'auth-failed'], 'source.ip': 'string', 'source.port': 'number', handle: 'string', detail: 'string' },
};

/** The type of a field path among the given kinds (all kinds when null); undefined when no kind has it. */
export function fieldType(path: string, kinds: readonly ObservationKind[] | null): FieldType | undefined {
  const c = common[path];
  if (c !== undefined) return c;
  for (const k of kinds ?? observationKinds) {
    const t = kindFields[k][path];
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Every field path known for the given kinds, sorted (for error messages). */
export function knownFields(kinds: readonly ObservationKind[] | null): string[] {
  const out = new Set(Object.keys(common));
  for (const k of kinds ?? observationKinds) for (const p of Object.keys(kindFields[k])) out.add(p);
  return [...out].sort();
}

/** Reads a dotted path (`source.ip`) from an object; undefined when any step is missing. */
export function readPath(subject: Readonly<Record<string, unknown>>, path: string): unknown {
  let cur: unknown = subject;
  for (const step of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[step];
  }
  return cur;
}
