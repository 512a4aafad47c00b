import { errorBodySchema } from '@yulian/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';

/** Conflict answers for the OpenAPI document. */
export const conflict = { 409: errorBodySchema.describe('Exists already, not empty, or a refused transition') } as const;

/** Appends an audit entry for the caller of a request. */
export async function auditOf(deps: Pick<FeatureDeps, 'identity'>, request: FastifyRequest, entry: { action: string; target: string; tenantId: string | null; details?: Record<string, unknown> }): Promise<void> {
  const caller = callerOf(request);
  await deps.identity.audit.append({ tenantId: entry.tenantId, actor: caller.username, ip: request.ip, action: entry.action, target: entry.target, outcome: 'success', details: entry.details ?? {} });
}

/** `attachment; filename*=UTF-8''…` with a plain ASCII fallback, so any file name survives. */
export const contentDisposition = (kind: 'attachment' | 'inline', name: string): string =>
  `${kind}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Sends stored bytes; the sandbox policy keeps an uploaded HTML or SVG from running script if opened directly. */
export function sendFile(reply: FastifyReply, file: { contentType: string; name: string; data: Buffer; sha256: string }, kind: 'attachment' | 'inline'): FastifyReply {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(kind, file.name))
    .header('content-security-policy', "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox")
    .header('etag', `"${file.sha256}"`)
    .header('cache-control', 'private, max-age=60')
    .send(file.data);
}
