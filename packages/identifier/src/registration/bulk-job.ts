/**
 * Running one bulk registration job: the file is read from the job's committed offset in batches; each
 * batch's new records, the job's progress (offset and line of the next row, counters) and the batch's row
 * errors commit in ONE transaction of the records' store (`RecordStore.insertMany` with `commitWith`).
 * A kill at any point therefore leaves either all of a batch or none of it, and the next run starts
 * exactly after the last committed row: no identifier twice, none left out, no error reported twice.
 */
import { stat, unlink } from 'node:fs/promises';
import type { Logger, Store } from '@yulian/core';
import { encodeValues } from '@yulian/protocols';
import type { CommitStatement, InsertManyOutcome, RecordStore } from '../records.js';
import { type BulkRecord, BulkFileError, firstRecord, readBulkRecords } from './bulk-file.js';
import { type BulkJob, finishJob, loadJob } from './bulk-job-store.js';
import { type RowProblem, headerColumns, identifierKeys, isRowProblem, rowDecoder, rowIdentifier } from './bulk-rows.js';
import { type IdentifierTemplate, templateOf, templateValues, validateRow } from './templates.js';

/** How a job is run. */
export interface RunJobOptions {
  id: string;
  /** The records' store: its `store` holds the job (see {@link RecordStore.store}). */
  records: RecordStore;
  /** The quota of the prefix (the nearest allocated prefix with one), or undefined for none. */
  quota?: (prefix: string) => Promise<{ prefix: string; limit: number } | undefined>;
  logger: Logger;
  /** Rows per transaction (default 10,000). */
  batchSize?: number;
  /** Row errors kept per job (default 10,000); the rest are counted. */
  maxStoredErrors?: number;
  /** Asked between batches: true stops the run, leaving the job `running` to be resumed. */
  shouldStop?: () => boolean;
  /** Called after each committed batch. */
  onProgress?: (job: BulkJob) => void;
  now?: () => number;
}

/** How a run ended. */
export type RunOutcome = 'done' | 'failed' | 'stopped' | 'missing';

/** Error rows per INSERT statement (6 parameters each). */
const errorRowsPerStatement = 500;

/**
 * Runs (or resumes) a job to its end: `queued` → `running` → `done`, or `failed` with the reason when its
 * file is broken or gone. Row problems are recorded and do not stop it.
 * @throws StaleCommitError when another runner committed the job meanwhile (nothing of this batch is kept)
 */
export async function runBulkJob(options: RunJobOptions): Promise<RunOutcome> {
  const store = options.records.store;
  if (!store) throw new Error('runBulkJob needs the record store of one node (records.store)');
  const now = options.now ?? Date.now;
  const log = options.logger.child({ component: 'id-bulk', job: options.id });
  let job = await loadJob(store, options.id);
  if (!job) return 'missing';
  if (job.state === 'done' || job.state === 'failed') return job.state;
  const fail = async (reason: string): Promise<RunOutcome> => {
    await finishJob(store, job!.id, { state: 'failed', reason }, now());
    log.warn({ prefix: job!.prefix, reason }, 'bulk registration failed');
    return 'failed';
  };
  const template = templateOf(job.template);
  if (!template) return fail(`No template ${job.template}.`);
  const size = await stat(job.file).then((s) => s.size, () => undefined);
  if (size === undefined) return fail('The uploaded file is gone.');
  if (size !== job.totalBytes) return fail(`The file changed after upload (${size} bytes, ${job.totalBytes} expected).`);
  if (job.state === 'queued') {
    await store.db.updateTable('id_bulk_jobs').set({ state: 'running', started_at: now(), updated_at: now() }).where('id', '=', job.id).where('state', '=', 'queued').execute();
  }
  try {
    if (job.format === 'csv' && job.columns === null) {
      const header = await firstRecord(job.file, 'csv');
      const columns = headerColumns(header, template);
      await store.db.updateTable('id_bulk_jobs').set({ columns: JSON.stringify(columns), next_offset: header!.next, next_line: header!.nextLine, updated_at: now() }).where('id', '=', job.id).where('next_offset', '=', 0).execute();
    }
    job = (await loadJob(store, job.id))!;
    log.info({ prefix: job.prefix, template: job.template, from: job.bytesDone, of: job.totalBytes, rowsDone: job.rowsDone }, job.rowsDone ? 'bulk registration resumed' : 'bulk registration started');
    const batches = new BatchRunner(job, template, store, options);
    await batches.prepareQuota();
    let batch: BulkRecord[] = [];
    const size = options.batchSize ?? 10_000;
    for await (const records of readBulkRecords({ file: job.file, format: job.format, offset: job.bytesDone, line: job.nextLine })) {
      for (const r of records) {
        batch.push(r);
        if (batch.length < size) continue;
        await batches.commit(batch);
        batch = [];
        if (options.shouldStop?.()) return 'stopped';
      }
    }
    if (batch.length) await batches.commit(batch);
  } catch (e) {
    if (e instanceof BulkFileError) return fail(e.message);
    throw e;
  }
  await finishJob(store, job.id, { state: 'done' }, now());
  const done = (await loadJob(store, job.id))!;
  log.info({ prefix: done.prefix, rows: done.rowsDone, inserted: done.inserted, failed: done.failed, rowsPerSecond: done.rowsPerSecond }, 'bulk registration done');
  await unlink(done.file).catch(() => undefined);
  return 'done';
}

/** The state of a run between batches: counters as committed, what is left of the quota. */
class BatchRunner {
  private readonly decode: ReturnType<typeof rowDecoder>;
  private readonly now: () => number;
  private readonly maxStoredErrors: number;
  private remaining = Number.POSITIVE_INFINITY;
  private quotaPrefix = '';
  /** When this run started or last committed: the rate counts reading, checking and writing. */
  private since = performance.now();

  constructor(
    private job: BulkJob,
    private readonly template: IdentifierTemplate,
    private readonly store: Store,
    private readonly options: RunJobOptions,
  ) {
    this.decode = rowDecoder(job.format, job.columns);
    this.now = options.now ?? Date.now;
    this.maxStoredErrors = options.maxStoredErrors ?? 10_000;
  }

  /** Quota left: the limit less what the prefix holds now (this job's committed rows included). */
  async prepareQuota(): Promise<void> {
    const quota = await this.options.quota?.(this.job.prefix);
    if (!quota) return;
    this.quotaPrefix = quota.prefix;
    this.remaining = quota.limit - (await this.options.records.count(quota.prefix));
  }

  /** Validates, inserts and commits one batch with the job's progress and row errors. */
  async commit(batch: readonly BulkRecord[]): Promise<void> {
    const job = this.job;
    const problems: RowProblem[] = [];
    const rows: Array<readonly [string, Buffer]> = [];
    const lines: number[] = [];
    let failed = 0;
    const timestamp = Math.floor(this.now() / 1000);
    for (const record of batch) {
      const row = this.decode(record);
      if (isRowProblem(row)) {
        failed++;
        problems.push(row);
        continue;
      }
      const handle = rowIdentifier(row, job.prefix, record.line);
      const fields = validateRow(this.template, row, identifierKeys);
      if (typeof handle !== 'string' || fields.length) {
        failed++;
        if (typeof handle !== 'string') problems.push(handle);
        for (const f of fields) problems.push({ line: record.line, field: f.field, code: f.code, message: f.message });
        continue;
      }
      if (this.remaining <= 0) {
        failed++;
        problems.push({ line: record.line, field: null, code: 'ID_QUOTA_EXCEEDED', message: `The quota of ${this.quotaPrefix} is used up.` });
        continue;
      }
      this.remaining--;
      rows.push([handle, encodeValues(templateValues(this.template, row, { prefix: job.prefix, timestamp }))]);
      lines.push(record.line);
    }
    const last = batch[batch.length - 1]!;
    let next: BulkJob | undefined;
    const outcome = await this.options.records.insertMany(rows, {
      commitWith: (o) => {
        const all = [...problems, ...existingProblems(rows, lines, o)].sort((a, b) => a.line - b.line);
        const stored = all.slice(0, Math.max(0, this.maxStoredErrors - job.errorsStored));
        const at = this.now();
        next = {
          ...job,
          bytesDone: last.next,
          nextLine: last.nextLine,
          rowsDone: job.rowsDone + batch.length,
          inserted: job.inserted + o.inserted,
          failed: job.failed + failed + o.existing.length,
          errorCount: job.errorCount + all.length,
          errorsStored: job.errorsStored + stored.length,
          elapsedMs: job.elapsedMs + Math.max(1, Math.round(performance.now() - this.since)),
          updatedAt: at,
        };
        return [this.progressStatement(next), ...this.errorStatements(stored)];
      },
    });
    this.since = performance.now();
    this.job = { ...next!, rowsPerSecond: Math.round((next!.rowsDone * 1000) / next!.elapsedMs) };
    // Existing identifiers took no place in the quota.
    this.remaining += outcome.existing.length;
    this.options.onProgress?.(this.job);
  }

  /** The progress update: only if the job is still where this run found it (else another runner moved it on). */
  private progressStatement(next: BulkJob): CommitStatement {
    const query = this.store.db
      .updateTable('id_bulk_jobs')
      .set({
        next_offset: next.bytesDone,
        next_line: next.nextLine,
        rows_done: next.rowsDone,
        inserted: next.inserted,
        failed: next.failed,
        errors_total: next.errorCount,
        errors_stored: next.errorsStored,
        elapsed_ms: next.elapsedMs,
        updated_at: next.updatedAt,
      })
      .where('id', '=', this.job.id)
      .where('state', '=', 'running')
      .where('next_offset', '=', this.job.bytesDone)
      .compile();
    return { query, required: true };
  }

  private errorStatements(stored: readonly RowProblem[]): CommitStatement[] {
    const out: CommitStatement[] = [];
    for (let i = 0; i < stored.length; i += errorRowsPerStatement) {
      const values = stored.slice(i, i + errorRowsPerStatement).map((p, j) => ({ job_id: this.job.id, seq: this.job.errorsStored + i + j, line: p.line, field: p.field, code: p.code, message: p.message }));
      out.push({ query: this.store.db.insertInto('id_bulk_job_errors').values(values).compile() });
    }
    return out;
  }
}

/**
 * The rows refused because their identifier existed: for an identifier given n times in the batch of
 * which k existed, the last k (the first one may have been inserted by this very batch).
 */
function existingProblems(rows: ReadonlyArray<readonly [string, Buffer]>, lines: readonly number[], outcome: InsertManyOutcome): RowProblem[] {
  if (!outcome.existing.length) return [];
  const existing = new Map<string, number>();
  for (const h of outcome.existing) existing.set(h, (existing.get(h) ?? 0) + 1);
  const total = new Map<string, number>();
  for (const [h] of rows) if (existing.has(h)) total.set(h, (total.get(h) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out: RowProblem[] = [];
  rows.forEach(([h], i) => {
    const k = existing.get(h);
    if (k === undefined) return;
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    if (n > total.get(h)! - k) out.push({ line: lines[i]!, field: null, code: 'ID_EXISTS', message: `${h} exists already (registered before, or earlier in this file).` });
  });
  return out;
}
