/**
 * Bulk registration as a service: jobs are created from an uploaded file, kept in the store of the node
 * holding their prefix, and run one at a time; at start, a job left `running` by a stop or a crash is
 * resumed from its last committed batch, then queued ones run oldest first.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { type Logger, type Store, YulianError } from '@yulian/core';
import { StaleCommitError, type RecordStore } from '../records.js';
import { parsePrefix } from '../syntax.js';
import { type BulkFormat, BulkFileError, firstRecord } from './bulk-file.js';
import { type RunOutcome, runBulkJob } from './bulk-job.js';
import { type BulkJob, type BulkRowError, jobErrors, jobOf, loadJob } from './bulk-job-store.js';
import { checkFirstJsonLine, headerColumns } from './bulk-rows.js';
import { identifierTemplates, templateOf } from './templates.js';

/** What {@link createBulkRegistration} needs. */
export interface BulkRegistrationOptions {
  /** The record store of the node holding a prefix's identifiers; it must name its `store`. */
  recordsFor(prefix: string): RecordStore;
  /** Every store that may hold jobs (the nodes' stores), to find a job and to resume. */
  stores(): readonly Store[];
  /** The quota a prefix's registrations count against, if any. */
  quota?: (prefix: string) => Promise<{ prefix: string; limit: number } | undefined>;
  logger: Logger;
  batchSize?: number;
  maxStoredErrors?: number;
  now?: () => number;
}

/** A new job: an uploaded file for one prefix and template. */
export interface NewBulkJob {
  prefix: string;
  template: string;
  format: BulkFormat;
  /** The uploaded file (the job removes it once done). */
  file: string;
  tenantId: string | null;
  createdBy: string | null;
}

/** Bulk identifier registration jobs. */
export interface BulkRegistration {
  /**
   * Checks the file's header (CSV) or first line (JSONL) and queues a job.
   * @throws YulianError ID_TEMPLATE_UNKNOWN, ID_BULK_FILE_INVALID, VALIDATION_FAILED (prefix)
   */
  create(input: NewBulkJob): Promise<BulkJob>;
  get(id: string): Promise<BulkJob | undefined>;
  /** Jobs newest first; of one enterprise when `tenantId` is given (null: jobs of no enterprise). */
  list(options?: { tenantId?: string | null; limit?: number }): Promise<BulkJob[]>;
  /** A job's stored row errors in file order. */
  errors(id: string): AsyncGenerator<BulkRowError>;
  /** Resumes interrupted jobs, runs queued ones, and from now on every new one. */
  start(): void;
  /** Resolves once no job is waiting or running (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops after the batch in progress (the job stays `running` and resumes at the next start). */
  close(): Promise<void>;
}

/**
 * Creates the bulk registration service.
 * @example const bulk = createBulkRegistration({ recordsFor: () => records, stores: () => [store], logger }); bulk.start()
 */
export function createBulkRegistration(options: BulkRegistrationOptions): BulkRegistration {
  const now = options.now ?? Date.now;
  const log = options.logger.child({ component: 'id-bulk' });
  let started = false;
  let closing = false;
  let loop: Promise<void> | undefined;
  // Jobs another runner is working on (its commit won): not taken again by this process.
  const elsewhere = new Set<string>();

  const storesOf = (): Store[] => [...new Set(options.stores())];
  const find = async (id: string): Promise<{ store: Store; job: BulkJob } | undefined> => {
    for (const store of storesOf()) {
      const job = await loadJob(store, id);
      if (job) return { store, job };
    }
    return undefined;
  };
  /** The next job to run: an interrupted one first, then the oldest queued. */
  const nextJob = async (): Promise<BulkJob | undefined> => {
    let best: BulkJob | undefined;
    for (const store of storesOf()) {
      const rows = await store.db.selectFrom('id_bulk_jobs').selectAll().where('state', 'in', ['running', 'queued']).orderBy('created_at').limit(elsewhere.size + 1).execute();
      for (const job of rows.map(jobOf)) {
        if (elsewhere.has(job.id)) continue;
        const rank = (j: BulkJob): number => (j.state === 'running' ? 0 : 1);
        if (!best || rank(job) < rank(best) || (rank(job) === rank(best) && job.createdAt < best.createdAt)) best = job;
      }
    }
    return best;
  };
  const run = async (job: BulkJob): Promise<RunOutcome> => {
    const records = options.recordsFor(job.prefix);
    try {
      const { quota, batchSize, maxStoredErrors } = options;
      return await runBulkJob({ id: job.id, records, logger: options.logger, shouldStop: () => closing, now, quota, batchSize, maxStoredErrors });
    } catch (e) {
      if (e instanceof StaleCommitError) {
        elsewhere.add(job.id);
        log.warn({ job: job.id }, 'bulk registration job is being run by another process; left to it');
        return 'stopped';
      }
      if (closing) throw e;
      log.error({ err: e, job: job.id }, 'bulk registration job failed');
      const at = now();
      await records.store!.db.updateTable('id_bulk_jobs').set({ state: 'failed', reason: `Internal error: ${(e as Error).message}`, finished_at: at, updated_at: at }).where('id', '=', job.id).where('state', 'in', ['queued', 'running']).execute();
      return 'failed';
    }
  };
  // Set by every pump(): a job queued while the loop is finding none is still picked up.
  let again = false;
  const pump = (): void => {
    if (!started || closing) return;
    again = true;
    if (loop) return;
    loop = (async () => {
      try {
        while (again && !closing) {
          again = false;
          for (let job = await nextJob(); job && !closing; job = await nextJob()) await run(job);
        }
      } catch (e) {
        if (!closing) log.error({ err: e }, 'bulk registration runner stopped');
      } finally {
        loop = undefined;
      }
    })();
  };

  return {
    async create(input) {
      const template = templateOf(input.template);
      if (!template) throw new YulianError('ID_TEMPLATE_UNKNOWN', `No template ${JSON.stringify(input.template)}; there are ${Object.keys(identifierTemplates).join(', ')}.`);
      let prefix: string;
      try {
        prefix = parsePrefix(input.prefix);
      } catch (e) {
        throw new YulianError('VALIDATION_FAILED', `prefix: ${(e as Error).message}`, { cause: e });
      }
      let columns: string[] | null = null;
      let offset = 0;
      let line = 1;
      try {
        const first = await firstRecord(input.file, input.format);
        if (input.format === 'csv') {
          columns = headerColumns(first, template);
          offset = first!.next;
          line = first!.nextLine;
        } else checkFirstJsonLine(first);
      } catch (e) {
        if (e instanceof BulkFileError) throw new YulianError('ID_BULK_FILE_INVALID', e.message);
        throw e;
      }
      const store = options.recordsFor(prefix).store;
      if (!store) throw new Error('the record store of the prefix names no store');
      const at = now();
      const id = randomUUID();
      const { size } = await stat(input.file);
      await store.db
        .insertInto('id_bulk_jobs')
        .values({ id, tenant_id: input.tenantId, prefix, template: template.id, format: input.format, file: input.file, columns: columns && JSON.stringify(columns), state: 'queued', total_bytes: size, next_offset: offset, next_line: line, created_by: input.createdBy, created_at: at, updated_at: at })
        .execute();
      log.info({ job: id, prefix, template: template.id, format: input.format, bytes: size, tenant: input.tenantId }, 'bulk registration queued');
      pump();
      return (await loadJob(store, id))!;
    },
    get: async (id) => (await find(id))?.job,
    async list(filter = {}) {
      const out: BulkJob[] = [];
      for (const store of storesOf()) {
        let q = store.db.selectFrom('id_bulk_jobs').selectAll().orderBy('created_at', 'desc').limit(filter.limit ?? 100);
        if (filter.tenantId !== undefined) q = filter.tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', filter.tenantId);
        out.push(...(await q.execute()).map(jobOf));
      }
      return out.sort((a, b) => b.createdAt - a.createdAt).slice(0, filter.limit ?? 100);
    },
    async *errors(id) {
      const found = await find(id);
      if (found) yield* jobErrors(found.store, id);
    },
    start() {
      started = true;
      pump();
    },
    async idle() {
      while (loop) await loop;
    },
    async close() {
      closing = true;
      await loop;
    },
  };
}
