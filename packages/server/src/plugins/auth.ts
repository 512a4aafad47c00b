import { type Caller, type IdentityService, type Permission, YulianError, can, forbiddenMessage } from '@yulian/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every `/api/v1` route that is not public. */
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** No bearer token needed (login, health). */
    public?: boolean;
    /** The permission a route requires, checked before the handler. */
    permission?: Permission;
  }
}

/**
 * Authenticates every `/api/v1` request from its `Authorization: Bearer` header, except routes marked
 * `config.public`, and checks the route's `config.permission`.
 */
export function registerAuth(app: FastifyInstance, identity: IdentityService): void {
  app.decorateRequest('caller', null);
  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config;
    if (!request.url.startsWith('/api/v1/') || config.public) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new YulianError('UNAUTHENTICATED', 'Send Authorization: Bearer <token> (log in at POST /api/v1/auth/login).');
    request.caller = await identity.authenticate(match[1], request.ip);
    if (config.permission && !can(request.caller.role, config.permission)) {
      // A permission denial is a security event source (someone probing what their account can do).
      const c = request.caller;
      await identity.audit.append({ tenantId: c.tenantId, actor: c.username, ip: request.ip, action: 'auth.forbidden', target: `${request.method} ${request.routeOptions.url ?? request.url}`.slice(0, 256), outcome: 'failure', details: { permission: config.permission, role: c.role } });
      throw new YulianError('FORBIDDEN', forbiddenMessage(request.caller.role, config.permission));
    }
  });
}

/** The caller of an authenticated route. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new YulianError('UNAUTHENTICATED');
  return request.caller;
}
