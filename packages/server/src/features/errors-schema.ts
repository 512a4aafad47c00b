import { errorBodySchema } from '@yulian/contracts';

/** The error answers every authenticated route may give, for the OpenAPI document. */
export const authErrors = {
  400: errorBodySchema.describe('BAD_REQUEST or VALIDATION_FAILED'),
  401: errorBodySchema.describe('UNAUTHENTICATED, TOKEN_EXPIRED or TOKEN_REVOKED'),
  403: errorBodySchema.describe('FORBIDDEN'),
} as const;
export const notFound = { 404: errorBodySchema.describe('Not found, or another tenant’s') } as const;
