/**
 * Enterprise prefix allocation (企业前缀分配) on a secondary node: an enterprise applies for a prefix
 * under the node's own (`88.100.<code>` or the next free number) after a real-name check of its unified
 * social credit code; a registrar approves or rejects, and may later suspend, resume or change the quota.
 * The state lives in `id_prefixes`; the prefix handle `0.NA/<prefix>` is written and removed through a
 * {@link PrefixHandlePublisher}, so this service does not care which record store the node uses.
 */
import type { PrefixSite, PrefixState } from '@yulian/contracts';
import { type IdPrefixesTable, type Store, YulianError } from '@yulian/core';
import { type HandleValue, allAdminPermissions, encodeAdmin, encodeSite, handleValue, naPrefix } from '@yulian/protocols';
import { type Selectable, sql } from 'kysely';
import { siteOf } from '../node/id-node.js';
import type { RecordStore } from '../records.js';
import { parsePrefix } from '../syntax.js';

// GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3^(i-1) mod 31, check = 31 - (Σ mod 31).
const creditCodeChars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const creditCodeWeights = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/** The check character (18th) of the first 17 characters of a unified social credit code. */
export function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += creditCodeChars.indexOf(first17[i] ?? '') * creditCodeWeights[i]!;
  return creditCodeChars[(31 - (sum % 31)) % 31]!;
}

/** Why a (normalised) unified social credit code is wrong, or undefined when it is valid. */
export function creditCodeProblem(code: string): string | undefined {
  if (code.length !== 18) return `it has ${code.length} characters; a unified social credit code has 18`;
  const bad = [...code].find((c) => !creditCodeChars.includes(c));
  if (bad !== undefined) return `"${bad}" cannot occur in it (digits and capital letters except I, O, S, V, Z)`;
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'characters 3 to 8 must be the digits of an administrative division code';
  const expected = creditCodeCheck(code);
  if (code[17] !== expected) return `its check character is ${code[17]}, but the first 17 characters give ${expected}`;
  return undefined;
}

/**
 * Normalises (trim, upper case) and checks a unified social credit code (统一社会信用代码).
 * @example parseCreditCode('91350100m000100y43') // → '91350100M000100Y43'
 * @throws YulianError CREDIT_CODE_INVALID with details { field: 'creditCode', problem }
 */
export function parseCreditCode(input: string): string {
  const code = input.trim().toUpperCase();
  const problem = creditCodeProblem(code);
  if (problem) throw new YulianError('CREDIT_CODE_INVALID', `The unified social credit code ${code} is not valid: ${problem}.`, { details: { field: 'creditCode', problem } });
  return code;
}

/** An enterprise prefix (or an application for one) as stored. */
export interface PrefixAllocation {
  prefix: string;
  parent: string;
  kind: string;
  tenantId: string | null;
  state: PrefixState;
  orgName: string;
  creditCode: string;
  contact: string;
  applicant: string | null;
  reviewer: string | null;
  reviewReason: string;
  /** The enterprise's own node the prefix is delegated to, or null when this node holds its records. */
  site: PrefixSite | null;
  quota: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A change of a prefix: how it stood and how it stands. */
export interface PrefixChange {
  before: PrefixAllocation;
  after: PrefixAllocation;
}

/** Writes and removes prefix handles on the node that allocates the prefixes. */
export interface PrefixHandlePublisher {
  /** Writes (or rewrites) `0.NA/<prefix>` of an approved prefix. */
  publish(allocation: PrefixAllocation): Promise<void>;
  /** Removes `0.NA/<prefix>`, so resolvers find no delegation for it. */
  withdraw(prefix: string): Promise<void>;
}

/**
 * The values of an approved prefix's handle: HS_SITE.PREFIX at 1 when delegated to the enterprise's own
 * node; HS_ADMIN at 100 naming the prefix handle itself (the enterprise administers it, key at 300) and
 * at 101 naming the allocating node's (which keeps the power to suspend it).
 */
export function prefixHandleValues(allocation: PrefixAllocation, options: { ttlSeconds?: number } = {}): HandleValue[] {
  const ttl = options.ttlSeconds ?? 3_600;
  const admin = (index: number, prefix: string): HandleValue => handleValue(index, 'HS_ADMIN', encodeAdmin({ permissions: allAdminPermissions, handle: `${naPrefix}/${prefix}`, index: 300 }), { ttl });
  const site = allocation.site && handleValue(1, 'HS_SITE.PREFIX', encodeSite(siteOf(allocation.site.host, allocation.site.port, `delegated ${allocation.prefix}`)), { ttl });
  return [...(site ? [site] : []), admin(100, allocation.prefix), admin(101, allocation.parent)];
}

/**
 * A publisher writing prefix handles into a node's record store (the platform's secondary node).
 * @example createPrefixRegistry({ store, parent: '88.100', handles: recordsPrefixPublisher({ records: () => node.records }) })
 */
export function recordsPrefixPublisher(options: { records: () => RecordStore | undefined; ttlSeconds?: number }): PrefixHandlePublisher {
  const records = (): RecordStore => {
    const r = options.records();
    if (!r) throw new YulianError('SERVICE_UNAVAILABLE', 'The identifier node is starting; try again in a moment.');
    return r;
  };
  return {
    async publish(allocation) {
      await records().put(`${naPrefix}/${allocation.prefix}`, prefixHandleValues(allocation, options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }));
    },
    async withdraw(prefix) {
      await records().delete(`${naPrefix}/${prefix}`);
    },
  };
}

/** What {@link createPrefixRegistry} needs. */
export interface PrefixRegistryOptions {
  /** The store holding `id_prefixes` (migrated). */
  store: Store;
  /** The allocating node's prefix (`88.100`): enterprise prefixes are one segment under it. */
  parent: string;
  /**
   * What it allocates: `enterprise` prefixes on a secondary node (default), or `secondary` node prefixes on
   * the top-level node (`88.<node>`; the applicant's own node, `site`, is required: it is delegated to).
   */
  kind?: 'enterprise' | 'secondary';
  /** Writes the prefix handles; without it only `id_prefixes` changes. */
  handles?: PrefixHandlePublisher;
  now?: () => number;
}

/** An application for a prefix. */
export interface PrefixApplication {
  tenantId: string;
  /** Username of the applicant. */
  applicant: string;
  /** The segment asked for (`88.100.<code>`); absent: the next free number. */
  code?: string | undefined;
  orgName: string;
  creditCode: string;
  contact: string;
  site?: PrefixSite | undefined;
}

/** A reviewer's step: who and why. */
export interface PrefixReview {
  prefix: string;
  reviewer: string;
  reason?: string | undefined;
}

/** Enterprise prefix applications and allocations of one node. */
export interface PrefixRegistry {
  /**
   * Records an application (state `pending`).
   * @throws YulianError CREDIT_CODE_INVALID, VALIDATION_FAILED (code), PREFIX_APPLICATION_PENDING, PREFIX_TAKEN
   */
  apply(input: PrefixApplication): Promise<PrefixAllocation>;
  /** A prefix by name (normalised), or undefined. */
  get(prefix: string): Promise<PrefixAllocation | undefined>;
  /** Prefixes newest first, of one enterprise and in one state when given. */
  list(options?: { tenantId?: string; state?: PrefixState; limit?: number }): Promise<PrefixAllocation[]>;
  /** pending → approved, with an optional quota; writes the prefix handle. @throws YulianError PREFIX_NOT_FOUND, PREFIX_STATE_INVALID */
  approve(review: PrefixReview & { quota?: number | null | undefined }): Promise<PrefixChange>;
  /** pending → rejected; the reason is required. @throws YulianError VALIDATION_FAILED, PREFIX_NOT_FOUND, PREFIX_STATE_INVALID */
  reject(review: PrefixReview): Promise<PrefixChange>;
  /** approved → suspended; removes the prefix handle (its identifiers stay). The reason is required. */
  suspend(review: PrefixReview): Promise<PrefixChange>;
  /** suspended → approved; writes the prefix handle again. */
  resume(review: PrefixReview): Promise<PrefixChange>;
  /** Changes the quota (null: unlimited) of a pending, approved or suspended prefix. */
  setQuota(review: PrefixReview & { quota: number | null }): Promise<PrefixChange>;
}

type Row = Selectable<IdPrefixesTable>;

function allocationOf(row: Row): PrefixAllocation {
  return {
    prefix: row.prefix,
    parent: row.parent,
    kind: row.kind,
    tenantId: row.tenant_id,
    state: row.state as PrefixState,
    orgName: row.org_name,
    creditCode: row.credit_code,
    contact: row.contact,
    applicant: row.applicant,
    reviewer: row.reviewer,
    reviewReason: row.review_reason,
    site: row.site === null ? null : (JSON.parse(row.site) as PrefixSite),
    quota: row.quota === null ? null : Number(row.quota),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** The steps of a review and the states each starts from. */
const steps = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
  suspend: { from: ['approved'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'approved' },
} as const satisfies Record<string, { from: readonly PrefixState[]; to: PrefixState }>;
type Step = keyof typeof steps;

const stateInvalid = (prefix: string, from: PrefixState, to: PrefixState | 'quota'): YulianError =>
  new YulianError('PREFIX_STATE_INVALID', `The prefix ${prefix} is ${from}; it cannot ${to === 'quota' ? 'have its quota changed' : `become ${to}`}.`, { details: { prefix, from, to } });
const notFound = (prefix: string): YulianError => new YulianError('PREFIX_NOT_FOUND', `No prefix ${prefix}.`);
const reasonRequired = (step: string): YulianError => new YulianError('VALIDATION_FAILED', `reason: give the reason to ${step} a prefix.`, { details: { field: 'reason' } });

/** Concurrent applications for the next free number may pick the same one; the loser tries again. */
const maxAttempts = 5;

/**
 * Creates the prefix registry of a node.
 * @example const registry = createPrefixRegistry({ store, parent: '88.100', handles }); await registry.apply({ tenantId, applicant: 'demo2-admin', orgName, creditCode, contact })
 */
export function createPrefixRegistry(options: PrefixRegistryOptions): PrefixRegistry {
  const { store } = options;
  const now = options.now ?? Date.now;
  const parent = parsePrefix(options.parent);
  const kind = options.kind ?? 'enterprise';

  const load = async (prefix: string): Promise<PrefixAllocation | undefined> => {
    let p: string;
    try {
      p = parsePrefix(prefix);
    } catch {
      return undefined;
    }
    const row = await store.db.selectFrom('id_prefixes').selectAll().where('prefix', '=', p).executeTakeFirst();
    return row && allocationOf(row);
  };
  const requested = (code: string): string => {
    try {
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(code)) throw new Error('letters, digits, _ and - (1–32), starting with a letter or digit');
      return parsePrefix(`${parent}.${code}`);
    } catch (e) {
      throw new YulianError('VALIDATION_FAILED', `code: ${(e as Error).message}`, { details: { field: 'code' } });
    }
  };

  /** One try at recording an application; undefined when the next free number was taken meanwhile. */
  const tryApply = (input: PrefixApplication, creditCode: string) =>
    store.db.transaction().execute(async (trx) => {
      // One pending application per enterprise: applications of one enterprise take turns (SQLite runs
      // one transaction at a time anyway).
      if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${`id_prefixes:${input.tenantId}`}))`.execute(trx);
      const pending = await trx.selectFrom('id_prefixes').select('prefix').where('tenant_id', '=', input.tenantId).where('state', '=', 'pending').executeTakeFirst();
      if (pending) throw new YulianError('PREFIX_APPLICATION_PENDING', `The application for ${pending.prefix} is under review; wait for its decision before applying again.`, { details: { prefix: pending.prefix } });
      const rows = await trx.selectFrom('id_prefixes').select(['prefix', 'state']).where('parent', '=', parent).execute();
      const held = new Set(rows.filter((r) => r.state !== 'rejected').map((r) => r.prefix));
      let prefix: string;
      if (input.code !== undefined) {
        prefix = requested(input.code);
        if (held.has(prefix)) throw new YulianError('PREFIX_TAKEN', `The prefix ${prefix} is taken; ask for another code or leave it out to get the next free number.`, { details: { prefix } });
      } else {
        let n = 1;
        while (held.has(`${parent}.${n}`)) n++;
        prefix = `${parent}.${n}`;
      }
      const at = now();
      const values = {
        parent, kind, tenant_id: input.tenantId, state: 'pending', org_name: input.orgName.trim(), credit_code: creditCode, contact: input.contact.trim(),
        applicant: input.applicant, reviewer: null, review_reason: '', site: input.site ? JSON.stringify({ host: input.site.host, port: input.site.port }) : null, quota: null, created_at: at, updated_at: at,
      };
      // A rejected application frees its prefix: the new one takes its row (the audit log keeps the old).
      const result = await trx
        .insertInto('id_prefixes')
        .values({ prefix, ...values })
        .onConflict((oc) => oc.column('prefix').doUpdateSet(values).where('id_prefixes.state', '=', 'rejected'))
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
        if (input.code !== undefined) throw new YulianError('PREFIX_TAKEN', `The prefix ${prefix} is taken.`, { details: { prefix } });
        return undefined;
      }
      return allocationOf((await trx.selectFrom('id_prefixes').selectAll().where('prefix', '=', prefix).executeTakeFirstOrThrow()));
    });

  /** Moves a prefix from a state to another, only if nobody moved it meanwhile. */
  const move = async (before: PrefixAllocation, changes: { state: PrefixState; reviewer?: string | null; reviewReason?: string; quota?: number | null; updatedAt: number }, to: PrefixState | 'quota'): Promise<PrefixAllocation> => {
    const result = await store.db
      .updateTable('id_prefixes')
      .set({
        state: changes.state,
        ...(changes.reviewer === undefined ? {} : { reviewer: changes.reviewer }),
        ...(changes.reviewReason === undefined ? {} : { review_reason: changes.reviewReason }),
        ...(changes.quota === undefined ? {} : { quota: changes.quota }),
        updated_at: changes.updatedAt,
      })
      .where('prefix', '=', before.prefix)
      .where('state', '=', before.state)
      .where('updated_at', '=', before.updatedAt)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const current = await load(before.prefix);
      if (!current) throw notFound(before.prefix);
      throw stateInvalid(before.prefix, current.state, to);
    }
    return (await load(before.prefix))!;
  };

  /** A prefix this registry allocated (another node's registry answers not found). */
  const own = async (prefix: string): Promise<PrefixAllocation> => {
    const a = await load(prefix);
    if (!a || a.parent !== parent) throw notFound(prefix);
    return a;
  };

  const step = async (name: Step, review: PrefixReview, quota?: number | null): Promise<PrefixChange> => {
    const before = await own(review.prefix);
    const { from, to } = steps[name];
    if (!(from as readonly PrefixState[]).includes(before.state)) throw stateInvalid(before.prefix, before.state, to);
    const after = await move(before, { state: to, reviewer: review.reviewer, reviewReason: review.reason?.trim() ?? '', ...(quota === undefined ? {} : { quota }), updatedAt: Math.max(now(), before.updatedAt + 1) }, to);
    try {
      if (to === 'approved') await options.handles?.publish(after);
      if (to === 'suspended') await options.handles?.withdraw(after.prefix);
    } catch (e) {
      // The handle could not be written or removed: the prefix goes back to where it stood.
      await move(after, { state: before.state, reviewer: before.reviewer, reviewReason: before.reviewReason, quota: before.quota, updatedAt: before.updatedAt }, before.state).catch(() => undefined);
      throw e;
    }
    return { before, after };
  };

  return {
    async apply(input) {
      const creditCode = parseCreditCode(input.creditCode);
      if (input.code !== undefined) requested(input.code);
      if (kind === 'secondary' && !input.site) throw new YulianError('VALIDATION_FAILED', 'site: a secondary node is delegated to its own node; give its address and port.', { details: { field: 'site' } });
      for (let attempt = 1; ; attempt++) {
        const allocation = await tryApply(input, creditCode);
        if (allocation) return allocation;
        if (attempt >= maxAttempts) throw new YulianError('PREFIX_TAKEN', 'Other applications took every number tried; apply again.');
      }
    },
    get: async (prefix) => {
      const a = await load(prefix);
      return a && a.parent === parent ? a : undefined;
    },
    async list(filter = {}) {
      let q = store.db.selectFrom('id_prefixes').selectAll().where('parent', '=', parent);
      if (filter.tenantId !== undefined) q = q.where('tenant_id', '=', filter.tenantId);
      if (filter.state !== undefined) q = q.where('state', '=', filter.state);
      const rows = await q.orderBy('created_at', 'desc').orderBy('prefix').limit(filter.limit ?? 10_000).execute();
      return rows.map(allocationOf);
    },
    approve: (review) => step('approve', review, review.quota),
    async reject(review) {
      if (!review.reason?.trim()) throw reasonRequired('reject');
      return step('reject', review);
    },
    async suspend(review) {
      if (!review.reason?.trim()) throw reasonRequired('suspend');
      return step('suspend', review);
    },
    resume: (review) => step('resume', review),
    async setQuota(review) {
      const before = await own(review.prefix);
      if (before.state === 'rejected') throw stateInvalid(before.prefix, before.state, 'quota');
      // Who changed a quota and why is in the audit log: reviewer and reason stay those of the last decision.
      const after = await move(before, { state: before.state, quota: review.quota, updatedAt: Math.max(now(), before.updatedAt + 1) }, 'quota');
      return { before, after };
    },
  };
}
