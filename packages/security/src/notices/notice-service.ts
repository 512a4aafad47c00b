/**
 * Early-warning notices (预警通报, issue 7 item 4): the authority drafts and issues a notice (vulnerability,
 * threat or incident) to enterprises picked by industry, district, asset type or name; issuing fixes the
 * recipients, gives the year's number (渝工信安通〔2026〕12号) and signs it with the platform's SM2 key. Each
 * enterprise acknowledges it and reports its disposal; the authority accepts (closed for that enterprise)
 * or returns it; the notice closes when every recipient is closed. A sweep records due-soon and overdue
 * reminders once per recipient, which the console shows (and `onReminder` may deliver further).
 */
import { randomUUID } from 'node:crypto';
import type { Notice, NoticeDisposalInput, NoticeInput, NoticeRecipient, NoticeReminder, NoticeReviewInput, NoticeTargetEnterprise, NoticeTargets, NoticeVerification, SignedNotice } from '@yulian/contracts';
import { noticeDisposalInputSchema, noticeInputSchema, noticeReviewInputSchema } from '@yulian/contracts';
import { type Scope, type Store, YulianError } from '@yulian/core';
import { canonicalNotice, noticeSignerId, signNotice, whyNoticeSignatureFails } from './canonical.js';
import { type NoticeRow, type RecipientRow, signedFieldsOf, toNotice, toRecipient } from './rows.js';
import { type NoticeKeyStore, createNoticeKeyStore } from './signing-key.js';
import { resolveNoticeTargets } from './targeting.js';

const hour = 3_600_000;
/** Beijing time: the notice number's year is China's. */
const yearInChina = (ms: number): number => new Date(ms + 8 * hour).getUTCFullYear();

/** A reminder as the sweep records it, with what a message about it needs. */
export type SweptReminder = NoticeReminder & { number: string; title: string; deadline: string };

export interface NoticeServiceOptions {
  store: Store;
  /** Default: the store's own notice-signing key (made on first use). */
  keys?: NoticeKeyStore;
  now?: () => number;
  /** The issuing body's abbreviation in notice numbers; default 渝工信安通. */
  numberPrefix?: string;
  /** How long before the deadline the due-soon reminder goes; default 24 h. */
  dueSoonMs?: number;
  /** Called for each reminder a sweep records (e.g. to send it through notification channels). */
  onReminder?: (reminder: SweptReminder) => Promise<void>;
}

/** Notices, their recipients, signatures and reminders. Tenant scopes see only notices addressed to them. */
export interface NoticeService {
  /** A draft, or an issued notice with `issue: true`. @throws VALIDATION_FAILED, NOTICE_TARGETS_EMPTY, NOTICE_DEADLINE_INVALID */
  create(input: NoticeInput, actor: string): Promise<Notice>;
  /** Issues a draft: recipients fixed, number given, signed. @throws NOTICE_NOT_FOUND, NOTICE_STATE_INVALID, NOTICE_TARGETS_EMPTY, NOTICE_DEADLINE_INVALID */
  issue(id: string, actor: string): Promise<Notice>;
  /** The enterprises targets reach now. */
  preview(targets: NoticeTargets): Promise<NoticeTargetEnterprise[]>;
  /** Newest first. */
  list(scope: Scope, filter?: { status?: Notice['status'] }): Promise<Notice[]>;
  /** @throws NOTICE_NOT_FOUND */
  get(scope: Scope, id: string): Promise<Notice>;
  /** All recipients (the authority) or the caller's own row. @throws NOTICE_NOT_FOUND */
  recipients(scope: Scope, id: string): Promise<NoticeRecipient[]>;
  /** Idempotent. @throws NOTICE_NOT_FOUND, NOTICE_STATE_INVALID */
  acknowledge(tenantId: string, id: string, actor: string): Promise<{ recipient: NoticeRecipient; changed: boolean }>;
  /** Acknowledges too when not yet. @throws NOTICE_NOT_FOUND, NOTICE_STATE_INVALID */
  reportDisposal(tenantId: string, id: string, input: NoticeDisposalInput, actor: string): Promise<NoticeRecipient>;
  /** Accepts (closes it for that enterprise; the notice when it was the last) or returns a disposal. @throws NOTICE_NOT_FOUND, NOTICE_STATE_INVALID */
  review(id: string, tenantId: string, input: NoticeReviewInput, actor: string): Promise<{ recipient: NoticeRecipient; notice: Notice }>;
  /** The canonical text, signature and public key. @throws NOTICE_NOT_FOUND, NOTICE_STATE_INVALID (a draft) */
  signed(scope: Scope, id: string): Promise<SignedNotice>;
  /** Verifies a notice's signature as stored. @throws NOTICE_SIGNATURE_INVALID */
  verifyStored(scope: Scope, id: string): Promise<NoticeVerification>;
  /** Verifies a copy an enterprise holds (canonical text and signature). @throws NOTICE_SIGNATURE_INVALID */
  verify(copy: Pick<SignedNotice, 'canonical' | 'signature'>): Promise<NoticeVerification>;
  /** The active signing key's PEM and fingerprint. */
  publicKey(): Promise<{ publicKeyPem: string; keyFingerprint: string; signerId: string; algorithm: 'SM2-SM3' }>;
  /** Reminders recorded for a notice (the caller's own only for a tenant scope). */
  reminders(scope: Scope, id: string): Promise<NoticeReminder[]>;
  /** Records the due-soon and overdue reminders due at `at` (each once) and marks overdue recipients. */
  sweep(at?: number): Promise<SweptReminder[]>;
  /** Counters: signatures that failed verification. */
  readonly stats: { signatureFailures: number };
}

/**
 * @example const notices = createNoticeService({ store }); await notices.create({ …, issue: true }, 'demo-authority')
 */
export function createNoticeService(options: NoticeServiceOptions): NoticeService {
  const { store } = options;
  const db = store.db;
  const now = options.now ?? Date.now;
  const keys = options.keys ?? createNoticeKeyStore(store, { now });
  const numberPrefix = options.numberPrefix ?? '渝工信安通';
  const dueSoonMs = options.dueSoonMs ?? 24 * hour;
  const stats = { signatureFailures: 0 };

  const notFound = (id: string): YulianError => new YulianError('NOTICE_NOT_FOUND', `No early-warning notice ${id} (or it is not addressed to your enterprise).`);
  const stateInvalid = (message: string, status: string): YulianError => new YulianError('NOTICE_STATE_INVALID', message, { details: { status } });
  const signatureInvalid = (reason: string): YulianError => {
    stats.signatureFailures++;
    return new YulianError('NOTICE_SIGNATURE_INVALID', `The notice’s SM2 signature does not verify: ${reason}.`, { details: { reason } });
  };

  async function noticeRow(scope: Scope, id: string): Promise<{ notice: NoticeRow; mine?: RecipientRow }> {
    const notice = await db.selectFrom('security_notices').selectAll().where('id', '=', id).executeTakeFirst();
    if (!notice) throw notFound(id);
    if (scope.kind === 'all') return { notice };
    const mine = await db.selectFrom('security_notice_recipients').selectAll().where('notice_id', '=', id).where('tenant_id', '=', scope.tenantId).executeTakeFirst();
    if (!mine || notice.status === 'draft') throw notFound(id);
    return { notice, mine };
  }
  const recipientRows = (ids: readonly string[]): Promise<RecipientRow[]> =>
    ids.length ? db.selectFrom('security_notice_recipients').selectAll().where('notice_id', 'in', ids).orderBy('enterprise_code').execute() : Promise.resolve([]);
  async function present(scope: Scope, notice: NoticeRow, mine?: RecipientRow): Promise<Notice> {
    const rows = scope.kind === 'all' ? await recipientRows([notice.id]) : mine ? [mine] : [];
    return toNotice(notice, rows, now(), mine);
  }
  function checkDeadline(deadline: number, at: number): void {
    if (!Number.isFinite(deadline) || deadline <= at) throw new YulianError('NOTICE_DEADLINE_INVALID', 'The deadline must be a valid time after the moment of issue.', { details: { field: 'deadline' } });
  }

  async function issueRow(id: string, actor: string): Promise<Notice> {
    const draft = await db.selectFrom('security_notices').selectAll().where('id', '=', id).executeTakeFirst();
    if (!draft) throw notFound(id);
    if (draft.status !== 'draft') throw stateInvalid(`Notice ${draft.number ?? id} is issued already.`, draft.status);
    const at = now();
    checkDeadline(Number(draft.deadline), at);
    const targets = await resolveNoticeTargets(store, JSON.parse(draft.targets) as NoticeTargets);
    if (!targets.length) throw new YulianError('NOTICE_TARGETS_EMPTY', 'No enterprise matches the notice’s targets.', { details: { targets: JSON.parse(draft.targets) } });
    const key = await keys.active();
    const year = yearInChina(at);
    // The serial is the year's next: a unique (year, serial) index settles two issuers racing; the loser retries.
    for (let attempt = 0; ; attempt++) {
      const last = await db.selectFrom('security_notices').select((eb) => eb.fn.max('serial').as('max')).where('year', '=', year).executeTakeFirst();
      const serial = Number(last?.max ?? 0) + 1;
      const number = `${numberPrefix}〔${year}〕${serial}号`;
      const issued: NoticeRow = { ...draft, year, serial, number, status: 'issued', issued_by: actor, issued_at: at };
      const signature = signNotice(key.privateKey, canonicalNotice(signedFieldsOf(issued)));
      try {
        await db.transaction().execute(async (tx) => {
          const res = await tx
            .updateTable('security_notices')
            .set({ year, serial, number, status: 'issued', issued_by: actor, issued_at: at, signature, key_fingerprint: key.fingerprint, signer_id: noticeSignerId })
            .where('id', '=', id)
            .where('status', '=', 'draft')
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1) throw stateInvalid(`Notice ${id} is issued already.`, 'issued');
          await tx
            .insertInto('security_notice_recipients')
            .values(targets.map((t) => ({ notice_id: id, tenant_id: t.tenantId, enterprise_code: t.code, enterprise_name: t.name, district: t.district, industry: t.industry, status: 'received', overdue_at: null, acknowledged_by: null, acknowledged_at: null, disposal: null, reported_by: null, reported_at: null, review: null, closed_at: null, updated_at: at })))
            .execute();
        });
        break;
      } catch (e) {
        if (e instanceof YulianError || attempt >= 4) throw e;
      }
    }
    return get({ kind: 'all' }, id);
  }

  async function get(scope: Scope, id: string): Promise<Notice> {
    const { notice, mine } = await noticeRow(scope, id);
    return present(scope, notice, mine);
  }

  async function recipientOf(tenantId: string, id: string): Promise<{ notice: NoticeRow; mine: RecipientRow }> {
    const { notice, mine } = await noticeRow({ kind: 'tenant', tenantId }, id);
    return { notice, mine: mine! };
  }
  const reread = async (id: string, tenantId: string): Promise<RecipientRow> =>
    db.selectFrom('security_notice_recipients').selectAll().where('notice_id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();

  async function verifyCanonical(canonical: string, signature: SignedNotice['signature']): Promise<NoticeVerification> {
    const key = await keys.byFingerprint(signature.keyFingerprint);
    if (!key) throw signatureInvalid('it names a key the platform never used');
    const why = whyNoticeSignatureFails(key.publicKey, canonical, signature);
    if (why) throw signatureInvalid(why);
    let parsed: { id?: unknown; number?: unknown };
    try {
      parsed = JSON.parse(canonical) as typeof parsed;
    } catch {
      throw signatureInvalid('the signed text is not JSON');
    }
    return { valid: true, id: String(parsed.id), number: String(parsed.number), keyFingerprint: key.fingerprint, signerId: signature.signerId };
  }

  return {
    stats,
    async create(given, actor) {
      const input = noticeInputSchema.parse(given);
      const at = now();
      const deadline = Date.parse(input.deadline);
      checkDeadline(deadline, at);
      // Check the targets now, so a draft that reaches nobody is refused at once.
      await resolveNoticeTargets(store, input.targets);
      const id = randomUUID();
      await db
        .insertInto('security_notices')
        .values({ id, year: null, serial: null, number: null, kind: input.kind, severity: input.severity, title: input.title, body: input.body, cves: JSON.stringify(input.cves), products: JSON.stringify(input.products), actions: JSON.stringify(input.actions), targets: JSON.stringify(input.targets), deadline, status: 'draft', created_by: actor, created_at: at, issued_by: null, issued_at: null, closed_at: null, signature: null, key_fingerprint: null, signer_id: null })
        .execute();
      return input.issue ? issueRow(id, actor) : get({ kind: 'all' }, id);
    },
    issue: issueRow,
    preview: (targets) => resolveNoticeTargets(store, targets),
    async list(scope, filter = {}) {
      let q = db.selectFrom('security_notices').selectAll().orderBy('created_at', 'desc').limit(500);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (scope.kind === 'tenant') {
        q = q.where('status', '!=', 'draft').where('id', 'in', db.selectFrom('security_notice_recipients').select('notice_id').where('tenant_id', '=', scope.tenantId));
      }
      const notices = await q.execute();
      const rows = await recipientRows(notices.map((n) => n.id));
      const at = now();
      return notices.map((n) => {
        const mine = scope.kind === 'tenant' ? rows.find((r) => r.notice_id === n.id && r.tenant_id === scope.tenantId) : undefined;
        return toNotice(n, scope.kind === 'all' ? rows.filter((r) => r.notice_id === n.id) : mine ? [mine] : [], at, mine);
      });
    },
    get,
    async recipients(scope, id) {
      const { notice, mine } = await noticeRow(scope, id);
      const rows = scope.kind === 'all' ? await recipientRows([id]) : [mine!];
      return rows.map((r) => toRecipient(r, Number(notice.deadline), now()));
    },
    async acknowledge(tenantId, id, actor) {
      const { notice, mine } = await recipientOf(tenantId, id);
      if (mine.status !== 'received') return { recipient: toRecipient(mine, Number(notice.deadline), now()), changed: false };
      const at = now();
      const res = await db.updateTable('security_notice_recipients').set({ status: 'acknowledged', acknowledged_by: actor, acknowledged_at: at, updated_at: at }).where('notice_id', '=', id).where('tenant_id', '=', tenantId).where('status', '=', 'received').executeTakeFirst();
      return { recipient: toRecipient(await reread(id, tenantId), Number(notice.deadline), now()), changed: Number(res.numUpdatedRows) === 1 };
    },
    async reportDisposal(tenantId, id, given, actor) {
      const input = noticeDisposalInputSchema.parse(given);
      const { notice, mine } = await recipientOf(tenantId, id);
      if (notice.status !== 'issued') throw stateInvalid(`Notice ${notice.number} is closed.`, notice.status);
      if (mine.status !== 'received' && mine.status !== 'acknowledged') throw stateInvalid(mine.status === 'disposed' ? 'The disposal is reported already and awaits the authority’s review.' : 'The notice is closed for your enterprise.', mine.status);
      const at = now();
      const res = await db
        .updateTable('security_notice_recipients')
        .set({ status: 'disposed', acknowledged_by: mine.acknowledged_by ?? actor, acknowledged_at: mine.acknowledged_at ?? at, disposal: JSON.stringify(input), reported_by: actor, reported_at: at, updated_at: at })
        .where('notice_id', '=', id)
        .where('tenant_id', '=', tenantId)
        .where('status', '=', mine.status)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw stateInvalid('The disposal was reported by someone else just now.', 'disposed');
      return toRecipient(await reread(id, tenantId), Number(notice.deadline), now());
    },
    async review(id, tenantId, given, actor) {
      const input = noticeReviewInputSchema.parse(given);
      const { notice } = await noticeRow({ kind: 'all' }, id);
      const row = await db.selectFrom('security_notice_recipients').selectAll().where('notice_id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();
      if (!row) throw new YulianError('NOTICE_NOT_FOUND', `Notice ${notice.number ?? id} was not sent to enterprise ${tenantId}.`);
      if (row.status !== 'disposed') throw stateInvalid(`Only a reported disposal can be reviewed; ${row.enterprise_code}’s is ${row.status}.`, row.status);
      const at = now();
      const accepted = input.outcome === 'accepted';
      const review = JSON.stringify({ outcome: input.outcome, comment: input.comment, by: actor, at: new Date(at).toISOString() });
      await db.transaction().execute(async (tx) => {
        const res = await tx
          .updateTable('security_notice_recipients')
          .set({ status: accepted ? 'closed' : 'acknowledged', review, closed_at: accepted ? at : null, updated_at: at })
          .where('notice_id', '=', id)
          .where('tenant_id', '=', tenantId)
          .where('status', '=', 'disposed')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw stateInvalid('The disposal was reviewed by someone else just now.', 'closed');
        const open = await tx.selectFrom('security_notice_recipients').select('tenant_id').where('notice_id', '=', id).where('status', '!=', 'closed').executeTakeFirst();
        if (accepted && !open) await tx.updateTable('security_notices').set({ status: 'closed', closed_at: at }).where('id', '=', id).where('status', '=', 'issued').execute();
      });
      return { recipient: toRecipient(await reread(id, tenantId), Number(notice.deadline), now()), notice: await get({ kind: 'all' }, id) };
    },
    async signed(scope, id) {
      const { notice } = await noticeRow(scope, id);
      if (notice.status === 'draft' || !notice.signature) throw stateInvalid('A draft is not signed yet; issue it first.', notice.status);
      const key = await keys.byFingerprint(notice.key_fingerprint ?? '');
      if (!key) throw signatureInvalid('it names a key the platform never used');
      return {
        id,
        canonical: canonicalNotice(signedFieldsOf(notice)),
        signature: { algorithm: 'SM2-SM3', signerId: notice.signer_id ?? noticeSignerId, keyFingerprint: key.fingerprint, value: notice.signature },
        publicKeyPem: key.publicKeyPem,
      };
    },
    async verifyStored(scope, id) {
      const { notice } = await noticeRow(scope, id);
      if (notice.status === 'draft' || !notice.signature) throw stateInvalid('A draft is not signed yet; issue it first.', notice.status);
      return verifyCanonical(canonicalNotice(signedFieldsOf(notice)), { algorithm: 'SM2-SM3', signerId: notice.signer_id ?? noticeSignerId, keyFingerprint: notice.key_fingerprint ?? '', value: notice.signature });
    },
    verify: (copy) => verifyCanonical(copy.canonical, copy.signature),
    async publicKey() {
      const key = await keys.active();
      return { publicKeyPem: key.publicKeyPem, keyFingerprint: key.fingerprint, signerId: noticeSignerId, algorithm: 'SM2-SM3' };
    },
    async reminders(scope, id) {
      await noticeRow(scope, id);
      let q = db.selectFrom('security_notice_reminders as m').innerJoin('security_notice_recipients as r', (j) => j.onRef('r.notice_id', '=', 'm.notice_id').onRef('r.tenant_id', '=', 'm.tenant_id')).select(['m.notice_id', 'm.tenant_id', 'm.kind', 'm.at', 'r.enterprise_code']).where('m.notice_id', '=', id);
      if (scope.kind === 'tenant') q = q.where('m.tenant_id', '=', scope.tenantId);
      const rows = await q.orderBy('m.at').orderBy('r.enterprise_code').execute();
      return rows.map((r) => ({ noticeId: r.notice_id, tenantId: r.tenant_id, enterpriseCode: r.enterprise_code, kind: r.kind as NoticeReminder['kind'], at: new Date(Number(r.at)).toISOString() }));
    },
    async sweep(at = now()) {
      const due = await db
        .selectFrom('security_notice_recipients as r')
        .innerJoin('security_notices as n', 'n.id', 'r.notice_id')
        .select(['r.notice_id', 'r.tenant_id', 'r.enterprise_code', 'r.overdue_at', 'n.number', 'n.title', 'n.deadline'])
        .where('n.status', '=', 'issued')
        .where('r.status', 'in', ['received', 'acknowledged'])
        .where('n.deadline', '<=', at + dueSoonMs)
        .execute();
      const sent: SweptReminder[] = [];
      for (const r of due) {
        const deadline = Number(r.deadline);
        const kind = at > deadline ? 'overdue' : 'due_soon';
        if (kind === 'overdue' && r.overdue_at === null) {
          await db.updateTable('security_notice_recipients').set({ overdue_at: at }).where('notice_id', '=', r.notice_id).where('tenant_id', '=', r.tenant_id).where('overdue_at', 'is', null).execute();
        }
        const res = await db.insertInto('security_notice_reminders').values({ notice_id: r.notice_id, tenant_id: r.tenant_id, kind, at }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
        if (Number(res.numInsertedOrUpdatedRows ?? 0n) !== 1) continue;
        const reminder: SweptReminder = { noticeId: r.notice_id, tenantId: r.tenant_id, enterpriseCode: r.enterprise_code, kind, at: new Date(at).toISOString(), number: r.number ?? '', title: r.title, deadline: new Date(deadline).toISOString() };
        sent.push(reminder);
        await options.onReminder?.(reminder);
      }
      return sent;
    },
  };
}
