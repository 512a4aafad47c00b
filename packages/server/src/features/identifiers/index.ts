import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { errorBodySchema, listOf } from '@yulian/contracts';
import { type Caller, type Store, YulianError } from '@yulian/core';
import { type BulkFormat, type BulkJob, type BulkRowError, bulkFormats, bulkJobStates, identifierTemplates, isUnder, parsePrefix } from '@yulian/identifier';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';
import { platformBulkRegistration } from './bulk-runner.js';
import { bulkUploadMaxBytes, saveUpload } from './upload.js';

const params = z.object({ id: z.string().min(1).max(64) });
const jobNotFound = { 404: errorBodySchema.describe('ID_BULK_JOB_NOT_FOUND (also another enterprise’s)') } as const;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const bulkJobSchema = z.object({
  id: z.string(),
  prefix: z.string(),
  template: z.string(),
  format: z.enum(bulkFormats),
  state: z.enum(bulkJobStates).describe('queued → running → done | failed; a job left running by a stop resumes at the next start'),
  reason: z.string().nullable().describe('why it failed (a broken file), else null'),
  tenantId: z.string().nullable(),
  createdBy: z.string().nullable(),
  totalBytes: z.number().int(),
  bytesDone: z.number().int().describe('bytes of the file committed'),
  percent: z.number(),
  rowsDone: z.number().int(),
  inserted: z.number().int(),
  failed: z.number().int(),
  errorCount: z.number().int().describe('row problems found (a row may have several)'),
  errorsStored: z.number().int().describe('problems kept for errors.csv (at most 10,000)'),
  rowsPerSecond: z.number().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const templateSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.object({ zh: z.string(), en: z.string() }),
  fields: z.array(z.object({ key: z.string(), type: z.string(), kind: z.enum(['text', 'date', 'number', 'url']), required: z.boolean(), maxLength: z.number().int(), label: z.object({ zh: z.string(), en: z.string() }) })),
});

const bulkQuery = z.strictObject({
  prefix: z.string().min(1).max(64).describe('the prefix to register under, e.g. 88.100.1'),
  template: z.string().min(1).max(64).describe('product, device … (GET /api/v1/identifiers/templates)'),
  format: z.enum(bulkFormats).optional().describe('csv or jsonl; default from the content-type (text/csv, application/x-ndjson)'),
});

/** The API's view of a job (times as ISO strings, no file path). */
function jobJson(job: BulkJob): z.infer<typeof bulkJobSchema> {
  return {
    id: job.id,
    prefix: job.prefix,
    template: job.template,
    format: job.format,
    state: job.state,
    reason: job.reason || null,
    tenantId: job.tenantId,
    createdBy: job.createdBy,
    totalBytes: job.totalBytes,
    bytesDone: job.bytesDone,
    percent: job.totalBytes ? Math.floor((job.bytesDone / job.totalBytes) * 1000) / 10 : 100,
    rowsDone: job.rowsDone,
    inserted: job.inserted,
    failed: job.failed,
    errorCount: job.errorCount,
    errorsStored: job.errorsStored,
    rowsPerSecond: job.rowsPerSecond,
    createdAt: iso(job.createdAt)!,
    startedAt: iso(job.startedAt),
    updatedAt: iso(job.updatedAt)!,
    finishedAt: iso(job.finishedAt),
  };
}

const platformWide = (caller: Caller): boolean => caller.role === 'platform-admin' || caller.role === 'registrar';

/**
 * The enterprise a prefix's job belongs to. Registrars and platform admins may register under any prefix
 * (the job goes to the enterprise holding it); enterprise admins and engineers under their enterprise's
 * approved prefixes only — the rule of `/api/handles`.
 * @throws YulianError FORBIDDEN
 */
async function tenantForPrefix(store: Store, caller: Caller, prefix: string): Promise<string | null> {
  const approved = await store.db.selectFrom('id_prefixes').select(['prefix', 'tenant_id']).where('state', '=', 'approved').execute();
  const holders = approved.filter((r) => isUnder(prefix, r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length);
  if (platformWide(caller)) return holders.find((h) => h.tenant_id !== null)?.tenant_id ?? null;
  if (caller.tenantId && holders.some((h) => h.tenant_id === caller.tenantId)) return caller.tenantId;
  throw new YulianError('FORBIDDEN', `The prefix ${prefix} is not allocated to your enterprise.`);
}

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The row report as CSV, streamed from the store page by page. */
async function* errorsCsv(errors: AsyncIterable<BulkRowError>): AsyncGenerator<string> {
  yield 'row,column,code,message\n';
  for await (const e of errors) yield `${e.row},${csvCell(e.column)},${e.code},${csvCell(e.message)}\n`;
}

const formatOfType: Record<string, BulkFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'jsonl', 'application/jsonl': 'jsonl', 'application/json-lines': 'jsonl' };

/**
 * Identifier registration: the templates, and bulk registration jobs (批量注册) — a CSV or JSONL file
 * uploaded as the raw body (≤ 512 MiB, streamed to the data directory), registered in the background in
 * batches that commit with the job's progress, so a stop or crash resumes exactly; progress and a per-row
 * error report. Jobs are visible to their enterprise, registrars and platform admins.
 */
export const identifierRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const bulk = platformBulkRegistration(deps);
  // The upload stays a stream: the handler writes it to a file after the caller is authenticated.
  app.addContentTypeParser([...Object.keys(formatOfType), 'application/octet-stream', 'text/plain'], (_request, payload, done) => done(null, payload));

  const visibleJob = async (caller: Caller, id: string): Promise<BulkJob> => {
    const job = await bulk.get(id);
    if (!job || !(platformWide(caller) || (caller.tenantId !== null && job.tenantId === caller.tenantId))) throw new YulianError('ID_BULK_JOB_NOT_FOUND', `No bulk registration job ${id}.`);
    return job;
  };

  app.get(
    '/api/v1/identifiers/templates',
    { schema: { tags: ['identifiers'], summary: 'Identifier templates (per-industry metadata schemas) that registrations are checked against', response: { 200: listOf(templateSchema), ...authErrors } } },
    async () => ({ items: Object.values(identifierTemplates).map((t) => ({ ...t, fields: [...t.fields] })) }),
  );
  app.post(
    '/api/v1/identifiers/bulk',
    {
      config: { permission: 'identifier:write' },
      bodyLimit: bulkUploadMaxBytes,
      schema: {
        tags: ['identifiers'],
        summary: 'Start a bulk registration job: the file is the raw body (text/csv with a header row, or application/x-ndjson), ≤ 512 MiB',
        description: 'CSV columns (JSONL keys): suffix or identifier, the template’s field keys, url (optional, index 1). Answers 202 with the job; poll GET /api/v1/identifiers/bulk/{id}.',
        querystring: bulkQuery,
        consumes: ['text/csv', 'application/x-ndjson'],
        response: { 202: bulkJobSchema, ...authErrors, 413: errorBodySchema.describe('PAYLOAD_TOO_LARGE'), 503: errorBodySchema.describe('SERVICE_UNAVAILABLE: identifier nodes starting') },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const q = request.query;
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const format = q.format ?? formatOfType[type];
      if (!format) throw new YulianError('VALIDATION_FAILED', 'Send the file as text/csv or application/x-ndjson, or name it with ?format=csv|jsonl.');
      let prefix: string;
      try {
        prefix = parsePrefix(q.prefix);
      } catch (e) {
        throw new YulianError('VALIDATION_FAILED', `prefix: ${(e as Error).message}`);
      }
      const tenantId = await tenantForPrefix(deps.store, caller, prefix);
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > bulkUploadMaxBytes) throw new YulianError('PAYLOAD_TOO_LARGE', `The file is larger than ${bulkUploadMaxBytes / 1024 / 1024} MiB; split it into several jobs.`);
      const body: unknown = request.body;
      if (!(body instanceof Readable)) throw new YulianError('BAD_REQUEST', 'Send the file as the request body.');
      const file = await saveUpload(body, { dataDir: deps.config.dataDir, ext: format, maxBytes: bulkUploadMaxBytes });
      const job = await bulk.create({ prefix, template: q.template, format, file, tenantId, createdBy: caller.username }).catch(async (e: unknown) => {
        await rm(file, { force: true });
        throw e;
      });
      await deps.identity.audit.append({ tenantId, actor: caller.username, ip: request.ip, action: 'identifier.bulk', target: job.id, outcome: 'success', details: { prefix, template: job.template, format, bytes: job.totalBytes } });
      return reply.status(202).send(jobJson(job));
    },
  );
  app.get(
    '/api/v1/identifiers/bulk',
    { config: { permission: 'identifier:write' }, schema: { tags: ['identifiers'], summary: 'Bulk registration jobs of the caller’s enterprise (all for registrars and platform admins), newest first', response: { 200: listOf(bulkJobSchema), ...authErrors } } },
    async (request) => {
      const caller = callerOf(request);
      const jobs = await bulk.list(platformWide(caller) ? {} : { tenantId: caller.tenantId });
      return { items: jobs.map(jobJson) };
    },
  );
  app.get(
    '/api/v1/identifiers/bulk/:id',
    { config: { permission: 'identifier:write' }, schema: { tags: ['identifiers'], summary: 'A bulk registration job’s state and progress', params, response: { 200: bulkJobSchema, ...authErrors, ...jobNotFound } } },
    async (request) => jobJson(await visibleJob(callerOf(request), request.params.id)),
  );
  app.get(
    '/api/v1/identifiers/bulk/:id/errors.csv',
    {
      config: { permission: 'identifier:write' },
      schema: { tags: ['identifiers'], summary: 'A job’s per-row report as CSV: row (line of the file; the header is 1), column, code, message', params, produces: ['text/csv'] },
    },
    async (request, reply) => {
      const job = await visibleJob(callerOf(request), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="bulk-${job.id}-errors.csv"`)
        .send(Readable.from(errorsCsv(bulk.errors(job.id))));
    },
  );
};
