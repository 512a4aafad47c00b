import {
  errorBodySchema,
  listOf,
  noticeDisposalInputSchema,
  noticeInputSchema,
  noticeRecipientSchema,
  noticeReminderSchema,
  noticeReviewInputSchema,
  noticeSchema,
  noticeSignatureSchema,
  noticeStatuses,
  noticeTargetEnterpriseSchema,
  noticeTargetsSchema,
  noticeVerificationSchema,
  signedNoticeSchema,
} from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import { createNoticeService } from '@yulian/security';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const tags = ['security-notices'];
const base = '/api/v1/security/notices';
const idParams = z.object({ id: z.string().min(1).max(64) });
const notFound = { 404: errorBodySchema.describe('NOTICE_NOT_FOUND') } as const;
const conflict = { 409: errorBodySchema.describe('NOTICE_STATE_INVALID') } as const;
const forged = { 422: errorBodySchema.describe('NOTICE_SIGNATURE_INVALID: details.reason') } as const;
const invalid = { 400: errorBodySchema.describe('VALIDATION_FAILED, NOTICE_TARGETS_EMPTY or NOTICE_DEADLINE_INVALID') } as const;
/** How often due-soon and overdue reminders are looked for. */
const sweepEveryMs = 5 * 60_000;

/** The caller's enterprise: acknowledging and reporting are an enterprise's acts. */
function tenantOf(request: FastifyRequest): string {
  const caller = callerOf(request);
  if (caller.tenantId === null) throw new YulianError('FORBIDDEN', 'Only an enterprise’s users acknowledge notices and report their disposal.');
  return caller.tenantId;
}

/**
 * Early-warning notices (预警通报, `/api/v1/security/notices`): the authority (and platform admins) issue
 * SM2-signed notices to enterprises by industry, district, asset type or name and review their disposal;
 * the enterprises' admins and security analysts acknowledge and report disposal; anyone holding
 * `notice:read` sees the notices addressed to their enterprise (platform users: all). Due-soon and overdue
 * reminders are recorded by a sweep every five minutes and shown in the console.
 */
export const securityNoticeRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const log = deps.logger.child({ component: 'security-notices' });
  const notices = createNoticeService({
    store: deps.store,
    onReminder: async (r) => log.info({ notice: r.noticeId, number: r.number, tenant: r.tenantId, kind: r.kind }, 'notice reminder'),
  });
  const audit = async (request: FastifyRequest, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };
  const timer = setInterval(() => {
    notices.sweep().catch((err: unknown) => log.error({ err }, 'notice reminder sweep failed'));
  }, sweepEveryMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
  // A refused signature is counted (errors_total{code}) by the error handler and logged here with the notice.
  const refused = async <T>(request: FastifyRequest, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof YulianError && e.code === 'NOTICE_SIGNATURE_INVALID') {
        log.warn({ reason: e.details?.reason, user: callerOf(request).username, failures: notices.stats.signatureFailures }, 'notice signature refused');
        await deps.identity.audit.append({ tenantId: callerOf(request).tenantId, actor: callerOf(request).username, ip: request.ip, action: 'security.notice.verify', target: (request.params as { id?: string }).id ?? null, outcome: 'failure', details: { reason: e.details?.reason } });
      }
      throw e;
    }
  };

  app.get(
    base,
    { config: { permission: 'notice:read' }, schema: { tags, summary: 'Notices, newest first: all (platform users) or those addressed to the caller’s enterprise, with its own progress in `mine`', querystring: z.object({ status: z.enum(noticeStatuses).optional() }), response: { 200: listOf(noticeSchema), ...authErrors } } },
    async (request) => ({ items: await notices.list(scopeOf(callerOf(request)), request.query) }),
  );
  app.post(
    base,
    { config: { permission: 'notice:issue' }, schema: { tags, summary: 'Draft a notice, or issue it at once with `issue: true` (recipients fixed, numbered, SM2-signed)', body: noticeInputSchema, response: { 201: noticeSchema, ...authErrors, ...invalid } } },
    async (request, reply) => {
      const notice = await notices.create(request.body, callerOf(request).username);
      await audit(request, notice.status === 'draft' ? 'security.notice.create' : 'security.notice.issue', notice.id, { number: notice.number, kind: notice.kind, severity: notice.severity, recipients: notice.progress.total });
      return reply.status(201).send(notice);
    },
  );
  app.post(
    `${base}/preview`,
    { config: { permission: 'notice:issue' }, schema: { tags, summary: 'The enterprises these targets reach now', body: noticeTargetsSchema, response: { 200: listOf(noticeTargetEnterpriseSchema), ...authErrors, ...invalid } } },
    async (request) => ({ items: await notices.preview(request.body) }),
  );
  app.get(
    `${base}/public-key`,
    { config: { public: true }, schema: { tags, security: [], summary: 'The platform’s notice-signing SM2 public key (PEM) and its SM3 fingerprint', response: { 200: z.object({ publicKeyPem: z.string(), keyFingerprint: z.string(), signerId: z.string(), algorithm: z.literal('SM2-SM3') }) } } },
    async () => notices.publicKey(),
  );
  app.post(
    `${base}/verify`,
    {
      config: { permission: 'notice:read' },
      schema: { tags, summary: 'Verify a copy of a notice: its canonical text and signature (as `GET …/{id}/signed` gave them)', body: z.object({ canonical: z.string().min(2).max(200_000), signature: noticeSignatureSchema }).strict(), response: { 200: noticeVerificationSchema, ...authErrors, ...forged } },
    },
    async (request) => refused(request, () => notices.verify(request.body)),
  );
  app.post(
    `${base}/sweep`,
    { config: { permission: 'notice:issue' }, schema: { tags, summary: 'Record due-soon and overdue reminders now (done every five minutes anyway): the new ones', response: { 200: listOf(noticeReminderSchema), ...authErrors } } },
    async () => ({ items: (await notices.sweep()).map(({ noticeId, tenantId, enterpriseCode, kind, at }) => ({ noticeId, tenantId, enterpriseCode, kind, at })) }),
  );
  app.get(`${base}/:id`, { config: { permission: 'notice:read' }, schema: { tags, summary: 'One notice', params: idParams, response: { 200: noticeSchema, ...authErrors, ...notFound } } }, async (request) =>
    notices.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.post(
    `${base}/:id/issue`,
    { config: { permission: 'notice:issue' }, schema: { tags, summary: 'Issue a draft: recipients fixed, numbered, SM2-signed', params: idParams, response: { 200: noticeSchema, ...authErrors, ...invalid, ...notFound, ...conflict } } },
    async (request) => {
      const notice = await notices.issue(request.params.id, callerOf(request).username);
      await audit(request, 'security.notice.issue', notice.id, { number: notice.number, recipients: notice.progress.total });
      return notice;
    },
  );
  app.get(
    `${base}/:id/recipients`,
    { config: { permission: 'notice:read' }, schema: { tags, summary: 'Per-enterprise status: every recipient (platform users) or the caller’s own', params: idParams, response: { 200: listOf(noticeRecipientSchema), ...authErrors, ...notFound } } },
    async (request) => ({ items: await notices.recipients(scopeOf(callerOf(request)), request.params.id) }),
  );
  app.get(
    `${base}/:id/reminders`,
    { config: { permission: 'notice:read' }, schema: { tags, summary: 'Due-soon and overdue reminders recorded', params: idParams, response: { 200: listOf(noticeReminderSchema), ...authErrors, ...notFound } } },
    async (request) => ({ items: await notices.reminders(scopeOf(callerOf(request)), request.params.id) }),
  );
  app.get(
    `${base}/:id/signed`,
    { config: { permission: 'notice:read' }, schema: { tags, summary: 'What to verify the notice with: the exact text signed, the signature (DER, base64) and the public key (PEM)', params: idParams, response: { 200: signedNoticeSchema, ...authErrors, ...notFound, ...conflict } } },
    async (request) => notices.signed(scopeOf(callerOf(request)), request.params.id),
  );
  app.get(
    `${base}/:id/verify`,
    { config: { permission: 'notice:read' }, schema: { tags, summary: 'Verify the notice as stored against its signature', params: idParams, response: { 200: noticeVerificationSchema, ...authErrors, ...notFound, ...conflict, ...forged } } },
    async (request) => refused(request, () => notices.verifyStored(scopeOf(callerOf(request)), request.params.id)),
  );
  app.post(
    `${base}/:id/acknowledge`,
    { config: { permission: 'notice:respond' }, schema: { tags, summary: 'Acknowledge receipt (确认收到) for the caller’s enterprise; again is a no-op', params: idParams, response: { 200: noticeRecipientSchema, ...authErrors, ...notFound } } },
    async (request) => {
      const { recipient, changed } = await notices.acknowledge(tenantOf(request), request.params.id, callerOf(request).username);
      if (changed) await audit(request, 'security.notice.acknowledge', request.params.id);
      return recipient;
    },
  );
  app.post(
    `${base}/:id/disposal`,
    { config: { permission: 'notice:respond' }, schema: { tags, summary: 'Report the enterprise’s disposal (处置反馈): summary, measures, attachments; acknowledges too', params: idParams, body: noticeDisposalInputSchema, response: { 200: noticeRecipientSchema, ...authErrors, ...notFound, ...conflict } } },
    async (request) => {
      const recipient = await notices.reportDisposal(tenantOf(request), request.params.id, request.body, callerOf(request).username);
      await audit(request, 'security.notice.disposal', request.params.id, { measures: recipient.disposal?.measures.length ?? 0 });
      return recipient;
    },
  );
  app.post(
    `${base}/:id/recipients/:tenantId/review`,
    {
      config: { permission: 'notice:issue' },
      schema: { tags, summary: 'Accept (closed for that enterprise; the notice closes with the last) or return an enterprise’s disposal', params: z.object({ id: z.string().min(1).max(64), tenantId: z.string().min(1).max(64) }), body: noticeReviewInputSchema, response: { 200: z.object({ recipient: noticeRecipientSchema, notice: noticeSchema }), ...authErrors, ...notFound, ...conflict } },
    },
    async (request) => {
      const answer = await notices.review(request.params.id, request.params.tenantId, request.body, callerOf(request).username);
      await audit(request, 'security.notice.review', request.params.id, { tenant: request.params.tenantId, outcome: request.body.outcome, noticeStatus: answer.notice.status });
      return answer;
    },
  );
};
