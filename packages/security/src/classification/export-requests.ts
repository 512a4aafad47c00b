/**
 * Export requests for level-2/3 data: who asks for which dataset and why, an approver (enterprise or
 * platform admin, never the requester) decides, and only the requester downloads an approved one —
 * watermarked and logged — until it expires.
 */
import { randomUUID } from 'node:crypto';
import type { ExportRequestDto } from '@yulian/contracts';
import { type Caller, type Scope, type Store, YulianError } from '@yulian/core';
import type { DataExportRequestsTable } from '@yulian/core';

/** How long an approval lasts. */
export const exportApprovalDays = 7;

/** What a request exports (a device's telemetry). */
export interface ExportQueryShape {
  device: string;
  points?: string[];
  from: number;
  to: number;
  tier: 'raw' | '1m' | '1h';
}

/** The export request store. */
export interface ExportRequests {
  create(caller: Caller, input: { tenantId: string | null; dataset: string; query: ExportQueryShape; category: string; level: number; purpose: string }): Promise<ExportRequestDto>;
  get(scope: Scope, id: string): Promise<ExportRequestDto & { requesterId: string }>;
  /** Requests in scope; `mine` only the caller's. */
  list(scope: Scope, filter: { status?: string; requesterId?: string; limit?: number }): Promise<ExportRequestDto[]>;
  /** Approves or rejects a pending request. @throws EXPORT_REQUEST_STATE_INVALID (not pending, or the approver is the requester) */
  decide(caller: Caller, scope: Scope, id: string, decision: 'approved' | 'rejected', note: string | undefined): Promise<ExportRequestDto>;
  /** Checks the caller may download it now. @throws EXPORT_REQUEST_STATE_INVALID, EXPORT_REQUEST_NOT_FOUND */
  checkDownload(caller: Caller, scope: Scope, id: string): Promise<ExportRequestDto & { requesterId: string }>;
  /** Counts a download and keeps its digest. */
  downloaded(id: string, digest: string): Promise<void>;
}

const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());
const toDto = (r: DataExportRequestsTable): ExportRequestDto & { requesterId: string } => ({
  id: r.id,
  tenantId: r.tenant_id,
  dataset: r.dataset,
  query: JSON.parse(r.query) as ExportQueryShape,
  category: r.category,
  level: Number(r.level),
  purpose: r.purpose,
  requestedBy: r.requested_by,
  requesterId: r.requester_id,
  requestedAt: iso(r.requested_at)!,
  status: r.status as ExportRequestDto['status'],
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
  decisionNote: r.decision_note,
  expiresAt: iso(r.expires_at),
  downloads: Number(r.downloads),
});

/**
 * The export requests of a store.
 * @example const exports = createExportRequests({ store }); await exports.create(caller, { … })
 */
export function createExportRequests(options: { store: Store; now?: () => number }): ExportRequests {
  const db = options.store.db;
  const now = options.now ?? Date.now;

  async function row(scope: Scope, id: string): Promise<DataExportRequestsTable> {
    let q = db.selectFrom('data_export_requests').selectAll().where('id', '=', id);
    if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
    const r = await q.executeTakeFirst();
    if (!r) throw new YulianError('EXPORT_REQUEST_NOT_FOUND', `No export request ${id}.`);
    return r;
  }

  return {
    async create(caller, input) {
      const r: DataExportRequestsTable = {
        id: randomUUID(),
        tenant_id: input.tenantId,
        dataset: input.dataset,
        query: JSON.stringify(input.query),
        category: input.category,
        level: input.level,
        purpose: input.purpose,
        requested_by: caller.username,
        requester_id: caller.userId,
        requested_at: now(),
        status: 'pending',
        decided_by: null,
        decided_at: null,
        decision_note: null,
        expires_at: null,
        downloads: 0,
        last_download_at: null,
        last_digest: null,
      };
      await db.insertInto('data_export_requests').values(r).execute();
      return toDto(r);
    },
    get: async (scope, id) => toDto(await row(scope, id)),
    async list(scope, filter) {
      let q = db.selectFrom('data_export_requests').selectAll();
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.requesterId) q = q.where('requester_id', '=', filter.requesterId);
      return (await q.orderBy('requested_at', 'desc').limit(filter.limit ?? 200).execute()).map((r) => {
        const { requesterId: _omit, ...dto } = toDto(r);
        return dto;
      });
    },
    async decide(caller, scope, id, decision, note) {
      const r = await row(scope, id);
      if (r.status !== 'pending') throw new YulianError('EXPORT_REQUEST_STATE_INVALID', `The export request is ${r.status}; only a pending one is approved or rejected.`, { details: { status: r.status } });
      if (r.requester_id === caller.userId) throw new YulianError('EXPORT_REQUEST_STATE_INVALID', 'The requester cannot approve or reject their own export request; another approver must.', { details: { status: r.status } });
      const at = now();
      const expires = decision === 'approved' ? at + exportApprovalDays * 86_400_000 : null;
      // Only a still-pending row changes: two approvers at once, one wins.
      const res = await db.updateTable('data_export_requests').set({ status: decision, decided_by: caller.username, decided_at: at, decision_note: note ?? null, expires_at: expires }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new YulianError('EXPORT_REQUEST_STATE_INVALID', 'The export request was decided meanwhile.', { details: { status: 'decided' } });
      return toDto({ ...r, status: decision, decided_by: caller.username, decided_at: at, decision_note: note ?? null, expires_at: expires });
    },
    async checkDownload(caller, scope, id) {
      const r = await row(scope, id);
      if (r.requester_id !== caller.userId) throw new YulianError('EXPORT_REQUEST_NOT_FOUND', `No export request ${id} of yours.`);
      if (r.status !== 'approved') throw new YulianError('EXPORT_REQUEST_STATE_INVALID', `The export request is ${r.status}; only an approved one is downloaded.`, { details: { status: r.status } });
      if (r.expires_at !== null && Number(r.expires_at) < now()) throw new YulianError('EXPORT_REQUEST_STATE_INVALID', `The approval expired at ${iso(r.expires_at)}; request the export again.`, { details: { status: 'expired' } });
      return toDto(r);
    },
    async downloaded(id, digest) {
      const r = await db.selectFrom('data_export_requests').select('downloads').where('id', '=', id).executeTakeFirst();
      await db.updateTable('data_export_requests').set({ downloads: Number(r?.downloads ?? 0) + 1, last_download_at: now(), last_digest: digest }).where('id', '=', id).execute();
    },
  };
}
