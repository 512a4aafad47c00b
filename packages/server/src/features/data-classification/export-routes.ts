import { Readable } from 'node:stream';
import { createExportRequestSchema, decideExportSchema, exportRequestSchema, listOf } from '@yulian/contracts';
import { type Caller, can, scopeOf } from '@yulian/core';
import { checkRange } from '@yulian/devices';
import type { DataClassificationService, ExportQueryShape } from '@yulian/security';
import { watermarked } from '@yulian/security';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { rawExportMaxDays } from '../telemetry/index.js';
import { refuseLevel3 } from './guard.js';

const base = '/api/v1/data-classification/exports';
const idParams = z.object({ id: z.string().uuid() });
const esc = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** A device's telemetry for an approved request: the numeric store's rows, then the level-3 points' opened values. */
async function* exportRows(deps: FeatureDeps & { classification: DataClassificationService }, caller: Caller, q: ExportQueryShape): AsyncGenerator<string> {
  const dc = deps.classification;
  const scope = scopeOf(caller);
  const all = q.points?.length ? q.points : [...new Set([...(await deps.telemetry.points(scope, q.device).catch(() => [] as string[])), ...(await dc.sealed.points(q.device))])].sort();
  const sealed = all.filter((p) => dc.isLevel3(q.device, p));
  const plain = all.filter((p) => !dc.isLevel3(q.device, p));
  if (plain.length) yield* deps.telemetry.exportRows(scope, { device: q.device, points: plain, from: q.from, to: q.to, tier: q.tier });
  else yield q.tier === 'raw' ? 'device,point,time,ts,value,quality,reason\n' : 'device,point,time,ts,count,avg,min,max,first,last\n';
  if (!sealed.length) return;
  // Level-3 points keep raw samples only (no rollups of sealed values).
  if (q.tier !== 'raw') {
    yield `# 三级数据仅有原始值 / level-3 points have raw values only: ${sealed.join(', ')}\n`;
    return;
  }
  for (const point of sealed) {
    let cursor = q.from;
    for (;;) {
      const rows = await dc.sealed.range(q.device, point, cursor, q.to, 10_000);
      if (!rows.length) break;
      let chunk = '';
      for (const r of rows) chunk += `${esc(q.device)},${esc(point)},${new Date(r.ts).toISOString()},${r.ts},${typeof r.value === 'string' ? esc(r.value) : (r.value ?? '')},${r.quality},${r.reason ? esc(r.reason) : ''}\n`;
      yield chunk;
      cursor = rows[rows.length - 1]!.ts + 1;
      if (rows.length < 10_000) break;
    }
  }
}

/**
 * Export requests: a requester names a device's telemetry and a purpose; level-1 data is approved at
 * once, level-2/3 waits for an approver (enterprise or platform admin, not the requester); the requester
 * downloads the approved export watermarked (SM3 digest, SM2 signature), audited and logged.
 */
export const exportRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (r, options) => {
  const dc = options.classification;
  if (!dc) return;
  const deps = { ...options, classification: dc };
  const { identity } = deps;

  r.post(
    base,
    {
      config: { permission: 'device:read' },
      schema: { tags: ['data-classification'], summary: 'Requests an export of a device’s telemetry, with its purpose (level 1: approved at once)', body: createExportRequestSchema, response: { 201: exportRequestSchema, ...authErrors, ...notFound } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const b = request.body;
      checkRange(b.from, b.to, b.tier === 'raw' ? rawExportMaxDays * 86_400_000 : undefined);
      const c = await dc.exportClass(scopeOf(caller), b.device, b.points);
      // A request cannot reach data its requester may not read, whoever approves it.
      await refuseLevel3(dc, caller, b.device, b.points?.length ? b.points : c.level3, c.tenantId);
      const query: ExportQueryShape = { device: b.device, ...(b.points?.length ? { points: b.points } : {}), from: b.from, to: b.to, tier: b.tier };
      let made = await dc.exports.create(caller, { tenantId: c.tenantId, dataset: c.dataset, query, category: c.category, level: c.level, purpose: b.purpose });
      await identity.audit.append({ tenantId: c.tenantId, actor: caller.username, ip: request.ip, action: 'data.export.request', target: made.id, details: { dataset: c.dataset, level: c.level, purpose: b.purpose } });
      if (c.level < 2) {
        made = await dc.exports.decide({ ...caller, userId: 'level-1', username: 'auto (level 1)' }, scopeOf(caller), made.id, 'approved', 'level 1: no approval needed');
      }
      return reply.status(201).send(made);
    },
  );

  r.get(
    base,
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['data-classification'],
        summary: 'Export requests: all of the enterprise for approvers, one’s own for the others',
        querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional(), mine: z.coerce.boolean().optional() }),
        response: { 200: listOf(exportRequestSchema), ...authErrors },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const mine = request.query.mine || !can(caller.role, 'data:export-approve');
      return { items: await dc.exports.list(scopeOf(caller), { ...(request.query.status ? { status: request.query.status } : {}), ...(mine ? { requesterId: caller.userId } : {}) }) };
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    r.post(
      `${base}/:id/${decision}`,
      {
        config: { permission: 'data:export-approve' },
        schema: { tags: ['data-classification'], summary: decision === 'approve' ? 'Approves a pending export request (not one’s own)' : 'Rejects a pending export request', params: idParams, body: decideExportSchema, response: { 200: exportRequestSchema, ...authErrors, ...notFound } },
      },
      async (request) => {
        const caller = callerOf(request);
        const out = await dc.exports.decide(caller, scopeOf(caller), request.params.id, decision === 'approve' ? 'approved' : 'rejected', request.body.note);
        await identity.audit.append({ tenantId: out.tenantId, actor: caller.username, ip: request.ip, action: `data.export.${decision}`, target: out.id, details: { dataset: out.dataset, level: out.level, requester: out.requestedBy, note: request.body.note ?? null } });
        return out;
      },
    );
  }

  r.get(
    `${base}/:id/download`,
    {
      config: { permission: 'device:read' },
      schema: { tags: ['data-classification'], summary: 'Downloads an approved export: CSV with a watermark header and an SM3 digest and SM2 signature footer', params: idParams, produces: ['text/csv'] },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const req = await dc.exports.checkDownload(caller, scopeOf(caller), request.params.id);
      // Level 3 needs data:level3 at download time too (a grant may have been withdrawn since).
      const c = await dc.exportClass(scopeOf(caller), req.query.device, req.query.points);
      await refuseLevel3(dc, caller, req.query.device, req.query.points?.length ? req.query.points : c.level3, c.tenantId);
      const at = Date.now();
      const info = { requestId: req.id, requester: caller.username, at, purpose: req.purpose, dataset: req.dataset, level: Math.max(req.level, c.level), approvedBy: req.decidedBy };
      // Logged before the footer is sent: a download that ends has its entry.
      const body = watermarked(exportRows(deps, caller, req.query), info, dc.signer, async (digest, lines) => {
        const rows = Math.max(0, lines - 1);
        await dc.exports.downloaded(req.id, digest);
        await dc.access.record({ tenantId: req.tenantId, dataset: req.dataset, actor: caller.username, role: caller.role, action: 'export', rows, level: info.level, requestId: req.id, details: { digest, tier: req.query.tier } });
        await identity.audit.append({ tenantId: req.tenantId, actor: caller.username, ip: request.ip, action: 'data.export.download', target: req.id, details: { dataset: req.dataset, level: info.level, rows, sm3: digest } });
      });
      const name = `${req.query.device.replace(/[^A-Za-z0-9_.-]/g, '_')}-${req.query.tier}-${req.id.slice(0, 8)}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(Readable.from(body));
    },
  );

  r.get(
    `${base}/signing-key`,
    { config: { permission: 'device:read' }, schema: { tags: ['data-classification'], summary: 'The SM2 public key (hex) that signs export footers', response: { 200: z.object({ publicKey: z.string() }), ...authErrors } } },
    async () => ({ publicKey: await dc.signer.publicKey() }),
  );
};
