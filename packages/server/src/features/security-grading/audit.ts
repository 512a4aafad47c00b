import { YulianError } from '@yulian/core';
import type { FastifyRequest } from 'fastify';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';

/** Records a grading or inspection step in the audit log, under the enterprise it concerns. */
export function gradingAudit(deps: FeatureDeps) {
  return async (request: FastifyRequest, entry: { action: string; target: string; tenantId: string; details?: Record<string, unknown> }): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: entry.tenantId, actor: caller.username, ip: request.ip, action: entry.action, target: entry.target, outcome: 'success', details: entry.details ?? {} });
  };
}

/** The caller's enterprise: self-assessment and rectification reports are an enterprise's acts. */
export function tenantOf(request: FastifyRequest, what: string): string {
  const caller = callerOf(request);
  if (caller.tenantId === null) throw new YulianError('FORBIDDEN', `Only an enterprise’s users ${what}.`);
  return caller.tenantId;
}
