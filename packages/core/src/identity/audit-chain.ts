import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { AUDIT_GENESIS_HASH, auditEntryHash } from './audit-chain-hash.js';

/** How an audit chain is broken at its first bad entry. */
export type AuditChainProblem = 'modified' | 'removed' | 'reordered' | 'head-mismatch';

/** The first place the chain does not verify. */
export interface AuditChainBreak {
  /** The seq where the chain breaks (for `removed`: the first missing one). */
  seq: number;
  /** The row id found there; null when that entry is missing altogether. */
  id: number | null;
  problem: AuditChainProblem;
  /** One sentence in plain words. */
  detail: string;
}

/** What `verifyAuditChain` found. */
export interface AuditChainReport {
  ok: boolean;
  /** Entries whose hash and link were checked. */
  checked: number;
  /** The chain head's seq when the check began; later appends are not checked. */
  headSeq: number;
  firstBad?: AuditChainBreak;
}

/** Options of `verifyAuditChain`. */
export interface VerifyAuditChainOptions {
  /** Rows read per query (default 1000): memory stays flat however long the log. */
  pageSize?: number;
  /** Called after each page with the entries checked so far. */
  onProgress?: (checked: number) => void;
}

type Row = Pick<Database['audit_log'], 'ts' | 'tenant_id' | 'actor' | 'action' | 'target' | 'ip' | 'outcome' | 'details' | 'prev_hash' | 'hash'> & {
  id: number | string;
  seq: number | string;
  hash_version: number | string;
};

/** The running state of a walk along the chain. */
interface Walk {
  seq: number;
  id: number;
  hash: string;
  checked: number;
}

/** Checks one row against the entry before it; the break, if any (`selfHash`: its own hash does not match). */
function checkRow(row: Row, prev: Walk): (AuditChainBreak & { selfHash?: true }) | undefined {
  const seq = Number(row.seq);
  const id = Number(row.id);
  const expected = prev.seq + 1;
  if (seq !== expected) {
    const gap = seq - 1 === expected ? `entry ${expected} is` : `entries ${expected}–${seq - 1} are`;
    return { seq: expected, id: null, problem: 'removed', detail: `${gap} missing: the chain jumps from ${prev.seq} to ${seq} (row id ${id}).` };
  }
  if (id <= prev.id) {
    return { seq, id, problem: 'reordered', detail: `entry ${seq} has row id ${id}, not after entry ${prev.seq}'s id ${prev.id}: entries were moved.` };
  }
  const hash = auditEntryHash(Number(row.hash_version), { ...row, ts: Number(row.ts), seq });
  if (hash === undefined) {
    return { seq, id, problem: 'modified', detail: `entry ${seq} (row id ${id}) has hash version ${row.hash_version}, which this version of Yulian does not know.` };
  }
  if (hash !== row.hash) {
    return { seq, id, problem: 'modified', detail: `entry ${seq} (row id ${id}, ${row.action}) does not match its hash: its fields were changed after it was written.`, selfHash: true };
  }
  if (row.prev_hash !== prev.hash) {
    const was = prev.seq === 0 ? 'the chain start' : `entry ${prev.seq}`;
    return { seq, id, problem: 'modified', detail: `entry ${seq} (row id ${id}) links to a different hash than ${was} has: one of the two was rewritten with a recomputed hash.` };
  }
  return undefined;
}

/**
 * An entry whose hash fails may be intact but moved (its seq changed): the entry it links to tells the seq it
 * was written with. Only run on a failure, so the full scan for that hash costs nothing on a good chain.
 */
async function movedOrModified(db: Kysely<Database>, row: Row, modified: AuditChainBreak): Promise<AuditChainBreak> {
  let written = 1;
  if (row.prev_hash !== AUDIT_GENESIS_HASH) {
    const before = await db.selectFrom('audit_log').select('seq').where('hash', '=', row.prev_hash).executeTakeFirst();
    if (!before) return modified;
    written = Number(before.seq) + 1;
  }
  if (written === modified.seq || auditEntryHash(Number(row.hash_version), { ...row, ts: Number(row.ts), seq: written }) !== row.hash) return modified;
  return { ...modified, problem: 'reordered', detail: `entry ${modified.seq} (row id ${modified.id}) is entry ${written} moved to another place in the chain.` };
}

/** The break, if any, between the last entry walked and the chain head. */
function checkHead(walk: Walk, head: { seq: number; hash: string }): AuditChainBreak | undefined {
  if (walk.seq < head.seq) {
    const gap = walk.seq + 1 === head.seq ? `entry ${head.seq} is` : `entries ${walk.seq + 1}–${head.seq} are`;
    return { seq: walk.seq + 1, id: null, problem: 'removed', detail: `${gap} missing at the end: the chain head says the newest is ${head.seq}, the log ends at ${walk.seq}.` };
  }
  if (walk.hash !== head.hash) {
    return { seq: head.seq, id: walk.seq === 0 ? null : walk.id, problem: 'head-mismatch', detail: `the chain head's hash for entry ${head.seq} is not the hash of the entry stored there.` };
  }
  return undefined;
}

/**
 * Walks the audit log's SM3 hash chain from the first entry to the chain head, a page at a time, and
 * reports the first entry that was altered, removed or reordered, or a head that does not match.
 * Entries appended while it runs (past the head it read first) are left for the next check.
 * @example const report = await verifyAuditChain(store.db); if (!report.ok) console.log(report.firstBad)
 */
export async function verifyAuditChain(db: Kysely<Database>, options: VerifyAuditChainOptions = {}): Promise<AuditChainReport> {
  const pageSize = Math.max(1, options.pageSize ?? 1000);
  const headRow = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const walk: Walk = { seq: 0, id: 0, hash: AUDIT_GENESIS_HASH, checked: 0 };
  if (!headRow) {
    const any = await db.selectFrom('audit_log').select('id').limit(1).executeTakeFirst();
    if (!any) return { ok: true, checked: 0, headSeq: 0 };
    const firstBad: AuditChainBreak = { seq: 0, id: null, problem: 'head-mismatch', detail: 'the chain head (table audit_chain_head) is missing, so removed newest entries cannot be ruled out.' };
    return { ok: false, checked: 0, headSeq: 0, firstBad };
  }
  const head = { seq: Number(headRow.seq), hash: headRow.hash };
  const report = (firstBad?: AuditChainBreak): AuditChainReport =>
    firstBad ? { ok: false, checked: walk.checked, headSeq: head.seq, firstBad } : { ok: true, checked: walk.checked, headSeq: head.seq };
  for (;;) {
    const rows = (await db
      .selectFrom('audit_log')
      .select(['id', 'seq', 'ts', 'tenant_id', 'actor', 'action', 'target', 'ip', 'outcome', 'details', 'prev_hash', 'hash', 'hash_version'])
      .where('seq', '>', walk.seq)
      .where('seq', '<=', head.seq)
      .orderBy('seq')
      .limit(pageSize)
      .execute()) as Row[];
    for (const row of rows) {
      const bad = checkRow(row, walk);
      if (bad) {
        const { selfHash, ...found } = bad;
        return report(selfHash ? await movedOrModified(db, row, found) : found);
      }
      walk.seq = Number(row.seq);
      walk.id = Number(row.id);
      walk.hash = row.hash;
      walk.checked++;
    }
    options.onProgress?.(walk.checked);
    if (rows.length < pageSize) break;
  }
  return report(checkHead(walk, head));
}
