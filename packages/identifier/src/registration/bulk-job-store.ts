/**
 * Bulk registration jobs as rows of `id_bulk_jobs` and `id_bulk_job_errors` (migration 0010), kept in the
 * store of the node that holds the job's records.
 */
import type { IdBulkJobsTable, Store } from '@yulian/core';
import type { Selectable } from 'kysely';
import type { BulkFormat } from './bulk-file.js';

/** Where a job is: waiting, being worked on (or interrupted: resumed at start), or finished. */
export const bulkJobStates = ['queued', 'running', 'done', 'failed'] as const;
export type BulkJobState = (typeof bulkJobStates)[number];

/** A bulk registration job and its progress. Times are epoch milliseconds. */
export interface BulkJob {
  id: string;
  tenantId: string | null;
  prefix: string;
  template: string;
  format: BulkFormat;
  /** The uploaded file. */
  file: string;
  state: BulkJobState;
  /** Why it failed (a broken file …), else ''. */
  reason: string;
  totalBytes: number;
  /** Bytes of the file committed: the offset of the next row. */
  bytesDone: number;
  /** Line of the next row (the header is line 1). */
  nextLine: number;
  /** Rows read (header and blank lines aside), registered, and refused. */
  rowsDone: number;
  inserted: number;
  failed: number;
  /** Row problems found, and how many of them are kept for the report. */
  errorCount: number;
  errorsStored: number;
  /** Rows per second of processing time, or null before the first batch. */
  rowsPerSecond: number | null;
  /** CSV header columns once read. */
  columns: string[] | null;
  elapsedMs: number;
  createdBy: string | null;
  createdAt: number;
  startedAt: number | null;
  updatedAt: number;
  finishedAt: number | null;
}

/** One refused row (or one problem of it) in a job's report. */
export interface BulkRowError {
  /** The line the row starts on (the header is line 1). */
  row: number;
  /** The column or field at fault, or null for the whole row. */
  column: string | null;
  code: string;
  message: string;
}

/** A job row as the API and the runner see it. */
export function jobOf(r: Selectable<IdBulkJobsTable>): BulkJob {
  const elapsedMs = Number(r.elapsed_ms);
  const rowsDone = Number(r.rows_done);
  return {
    id: r.id,
    tenantId: r.tenant_id,
    prefix: r.prefix,
    template: r.template,
    format: r.format as BulkFormat,
    file: r.file,
    state: r.state as BulkJobState,
    reason: r.reason,
    totalBytes: Number(r.total_bytes),
    bytesDone: Number(r.next_offset),
    nextLine: Number(r.next_line),
    rowsDone,
    inserted: Number(r.inserted),
    failed: Number(r.failed),
    errorCount: Number(r.errors_total),
    errorsStored: Number(r.errors_stored),
    rowsPerSecond: elapsedMs > 0 ? Math.round((rowsDone * 1000) / elapsedMs) : null,
    columns: r.columns === null ? null : (JSON.parse(r.columns) as string[]),
    elapsedMs,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    startedAt: r.started_at === null ? null : Number(r.started_at),
    updatedAt: Number(r.updated_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  };
}

/** A job by id in one store, or undefined. */
export async function loadJob(store: Store, id: string): Promise<BulkJob | undefined> {
  const r = await store.db.selectFrom('id_bulk_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r && jobOf(r);
}

/** Ends a job: done (its file's end committed) or failed with a reason; only while it is not finished. */
export async function finishJob(store: Store, id: string, end: { state: 'done' } | { state: 'failed'; reason: string }, at: number): Promise<void> {
  await store.db
    .updateTable('id_bulk_jobs')
    .set({ state: end.state, reason: end.state === 'failed' ? end.reason : '', finished_at: at, updated_at: at })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'running'])
    .execute();
}

/** A job's stored row errors in file order, page by page (never all in memory). */
export async function* jobErrors(store: Store, id: string, pageSize = 1000): AsyncGenerator<BulkRowError> {
  let after = -1;
  for (;;) {
    const page = await store.db.selectFrom('id_bulk_job_errors').select(['seq', 'line', 'field', 'code', 'message']).where('job_id', '=', id).where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const e of page) yield { row: Number(e.line), column: e.field, code: e.code, message: e.message };
    if (page.length < pageSize) return;
    after = Number(page[page.length - 1]!.seq);
  }
}
