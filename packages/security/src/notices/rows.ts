/** Store rows of notices and recipients as the API shows them. */
import type { Notice, NoticeKind, NoticeProgress, NoticeRecipient, NoticeRecipientStatus, NoticeSeverity, NoticeStatus, NoticeTargets } from '@yulian/contracts';
import type { SecurityNoticeRecipientsTable, SecurityNoticesTable } from '@yulian/core';
import type { Selectable } from 'kysely';
import type { SignedNoticeFields } from './canonical.js';

/** A notice row. */
export type NoticeRow = Selectable<SecurityNoticesTable>;
/** A recipient row. */
export type RecipientRow = Selectable<SecurityNoticeRecipientsTable>;

const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());
const strings = (json: string): string[] => JSON.parse(json) as string[];

/** True when a recipient still owes its disposal after the deadline. */
export const isOverdue = (r: RecipientRow, deadline: number, now: number): boolean => (r.status === 'received' || r.status === 'acknowledged') && now > deadline;

/** A recipient row for the API. */
export function toRecipient(r: RecipientRow, deadline: number, now: number): NoticeRecipient {
  const disposal = r.disposal === null ? null : (JSON.parse(r.disposal) as { summary: string; measures: string[]; attachments: string[] });
  return {
    noticeId: r.notice_id,
    tenantId: r.tenant_id,
    enterpriseCode: r.enterprise_code,
    enterpriseName: r.enterprise_name,
    district: r.district,
    industry: r.industry,
    status: r.status as NoticeRecipientStatus,
    overdue: isOverdue(r, deadline, now),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: iso(r.acknowledged_at),
    disposal: disposal && { ...disposal, reportedBy: r.reported_by, reportedAt: iso(r.reported_at)! },
    review: r.review === null ? null : (JSON.parse(r.review) as NoticeRecipient['review']),
    closedAt: iso(r.closed_at),
  };
}

/** Counts of a notice's recipients by how far they are. */
export function progressOf(rows: readonly RecipientRow[], deadline: number, now: number): NoticeProgress {
  const count = (ok: (r: RecipientRow) => boolean): number => rows.filter(ok).length;
  return {
    total: rows.length,
    acknowledged: count((r) => r.status !== 'received'),
    disposed: count((r) => r.status === 'disposed' || r.status === 'closed'),
    closed: count((r) => r.status === 'closed'),
    overdue: count((r) => isOverdue(r, deadline, now)),
  };
}

/** A notice row for the API. */
export function toNotice(n: NoticeRow, recipients: readonly RecipientRow[], now: number, mine?: RecipientRow): Notice {
  const deadline = Number(n.deadline);
  return {
    id: n.id,
    number: n.number,
    kind: n.kind as NoticeKind,
    severity: n.severity as NoticeSeverity,
    title: n.title,
    body: n.body,
    cves: strings(n.cves),
    products: strings(n.products),
    actions: strings(n.actions),
    targets: JSON.parse(n.targets) as NoticeTargets,
    deadline: iso(deadline)!,
    status: n.status as NoticeStatus,
    createdBy: n.created_by,
    createdAt: iso(n.created_at)!,
    issuedBy: n.issued_by,
    issuedAt: iso(n.issued_at),
    closedAt: iso(n.closed_at),
    signature: n.signature === null ? null : { algorithm: 'SM2-SM3', signerId: n.signer_id ?? '', keyFingerprint: n.key_fingerprint ?? '', value: n.signature },
    progress: progressOf(recipients, deadline, now),
    mine: mine ? toRecipient(mine, deadline, now) : null,
  };
}

/** The signed fields of an issued notice row. */
export function signedFieldsOf(n: NoticeRow): SignedNoticeFields {
  return {
    id: n.id,
    number: n.number ?? '',
    kind: n.kind as NoticeKind,
    severity: n.severity as NoticeSeverity,
    title: n.title,
    body: n.body,
    cves: strings(n.cves),
    products: strings(n.products),
    actions: strings(n.actions),
    targets: JSON.parse(n.targets) as NoticeTargets,
    deadline: iso(n.deadline)!,
    issuedAt: iso(n.issued_at)!,
    issuedBy: n.issued_by ?? '',
  };
}
