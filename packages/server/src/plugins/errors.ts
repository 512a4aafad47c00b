import { type ErrorCode, YulianError } from '@yulian/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Counter } from 'prom-client';

/** Maps Fastify's own error codes to ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** Turns any thrown error into our body and status; one log line and one metric per error. */
export function toYulianError(error: unknown): YulianError {
  if (error instanceof YulianError) return error;
  const e = error as FastifyError & { statusCode?: number };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const issues = e.validation.map((v) => `${e.validationContext ?? ''}${v.instancePath || ''} ${v.message ?? ''}`.trim());
    return new YulianError('VALIDATION_FAILED', issues.join('; '), { details: { issues } });
  }
  const mapped = e.code ? fastifyCodes[e.code] : undefined;
  if (mapped) return new YulianError(mapped, mapped === 'BAD_REQUEST' ? `The request body is not valid JSON: ${e.message}` : undefined);
  if (e.statusCode === 413) return new YulianError('PAYLOAD_TOO_LARGE');
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return new YulianError('BAD_REQUEST', e.message);
  return new YulianError('INTERNAL', undefined, { cause: error });
}

/** Installs the error and not-found handlers on the root instance. */
export function registerErrorHandling(app: FastifyInstance, errorsTotal: Counter<'code'>): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const ye = toYulianError(error);
    errorsTotal.inc({ code: ye.code });
    if (ye.status >= 500) request.log.error({ err: error, code: ye.code }, 'request failed');
    else request.log.info({ code: ye.code, url: request.url, method: request.method, reason: ye.message }, 'request rejected');
    if (ye.code === 'RATE_LIMITED') void reply.header('retry-after', '60');
    void reply.status(ye.status).send(ye.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    errorsTotal.inc({ code: 'ROUTE_NOT_FOUND' });
    request.log.info({ code: 'ROUTE_NOT_FOUND', url: request.url, method: request.method }, 'request rejected');
    void reply.status(404).send(new YulianError('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`).toJSON());
  });
}

