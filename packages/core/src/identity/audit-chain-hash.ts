import { sm3 } from '../crypto/sm3.js';

// The audit chain's hash. Version 1 is frozen: entries hashed with it must verify forever, so a change of
// fields or encoding is a new version (a new `hash_version` value and a new case below), never an edit.

/** The hash version new entries are written with. */
export const AUDIT_HASH_VERSION = 1;

/** The `prev_hash` of the first entry: 32 zero bytes in hex. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its chain hash covers (the row id is not: it is known only after the insert). */
export interface ChainedFields {
  seq: number;
  ts: number;
  tenant_id: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  outcome: string;
  /** The JSON text exactly as stored. */
  details: string;
  prev_hash: string;
}

const DOMAIN_V1 = Buffer.from('yulian/audit-chain/v1\n', 'utf8');
const NULL_FIELD = Buffer.from([0]);

/** A field as `0x00` (null) or `0x01 ‖ uint32be(length) ‖ UTF-8 bytes`: no two field lists encode alike. */
function field(value: string | null): Buffer {
  if (value === null) return NULL_FIELD;
  const bytes = Buffer.from(value, 'utf8');
  const head = Buffer.alloc(5);
  head[0] = 1;
  head.writeUInt32BE(bytes.length, 1);
  return Buffer.concat([head, bytes]);
}

/** The canonical version-1 encoding of an entry: domain, then seq, ts, tenant, actor, action, target, ip, outcome, details, prev_hash. */
export function encodeChainedV1(e: ChainedFields): Buffer {
  const values = [String(e.seq), String(e.ts), e.tenant_id, e.actor, e.action, e.target, e.ip, e.outcome, e.details, e.prev_hash];
  return Buffer.concat([DOMAIN_V1, ...values.map(field)]);
}

/**
 * The chain hash (SM3, hex) of an entry under a hash version; undefined for a version this code does not know.
 * @example auditEntryHash(1, { seq: 1, ts, …, prev_hash: AUDIT_GENESIS_HASH })
 */
export function auditEntryHash(version: number, e: ChainedFields): string | undefined {
  return version === 1 ? sm3(encodeChainedV1(e)).toString('hex') : undefined;
}
