import { type ErrorCode, errorRegistry } from './registry.js';

/**
 * The one error type: a registered `code`, a human message, optional details.
 * @example throw new YulianError('USER_NOT_FOUND', `No user ${id}`)
 */
export class YulianError extends Error {
  override readonly name = 'YulianError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message ?? errorRegistry[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = errorRegistry[code].status;
    this.details = options?.details;
  }

  /** The JSON body every API error answers with. */
  toJSON(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** True when `e` is a YulianError, optionally of one code. */
export const isYulianError = (e: unknown, code?: ErrorCode): e is YulianError =>
  e instanceof YulianError && (code === undefined || e.code === code);
