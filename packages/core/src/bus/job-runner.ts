import type { ZodType } from 'zod';
import { YulianError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { decodePayload, parseLoosely } from './payload.js';
import type { BusStats, DeadLetter, DeadLetterReason, JobHandler, WorkQueueOptions } from './types.js';

/** Work-queue options with every default filled in. */
export type QueuePolicy = Required<WorkQueueOptions>;

const queueName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Checks a queue name and fills in option defaults; throws `BAD_REQUEST` saying what to pass. */
export function resolveQueuePolicy(name: string, options: WorkQueueOptions = {}): QueuePolicy {
  if (!queueName.test(name)) {
    throw new YulianError('BAD_REQUEST', `Work queue name '${name}' is invalid: use 1-64 letters, digits, '-' or '_', starting with a letter or digit.`);
  }
  const policy: QueuePolicy = {
    maxDeliver: options.maxDeliver ?? 5,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
    retryDelayMs: options.retryDelayMs ?? 1_000,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
  };
  for (const [key, value] of Object.entries(policy)) {
    const min = key === 'retryDelayMs' || key === 'maxRetryDelayMs' ? 0 : 1;
    if (!Number.isInteger(value) || value < min) {
      throw new YulianError('BAD_REQUEST', `Work queue '${name}': ${key} must be an integer >= ${min}; got ${String(value)}.`);
    }
  }
  return policy;
}

/** True when two resolved policies are the same (a queue declared twice must agree). */
export const samePolicy = (a: QueuePolicy, b: QueuePolicy): boolean =>
  (Object.keys(a) as (keyof QueuePolicy)[]).every((key) => a[key] === b[key]);

/** The back-off before delivery `deliveryCount + 1`: retryDelayMs doubled per failed attempt, capped. */
export const retryDelay = (policy: QueuePolicy, deliveryCount: number): number =>
  Math.min(policy.retryDelayMs * 2 ** Math.max(0, deliveryCount - 1), policy.maxRetryDelayMs);

/** One delivery of a stored job, as either implementation receives it. */
export interface Delivery {
  id: string;
  /** The serialised job, or (in-process queues) the value its producer's schema already validated. */
  payload: string | Uint8Array | ValidatedPayload;
  deliveryCount: number;
  idempotencyKey?: string;
}

/**
 * A job an in-process producer validated with `schema`: a consumer of the same schema takes `value` as
 * it is (no JSON round trip, no second validation); any other consumer decodes it like a serialised job.
 * Neither side may mutate it.
 */
export interface ValidatedPayload {
  readonly schema: ZodType<unknown>;
  /** What the schema answered (transforms applied). */
  readonly value: unknown;
  /** What the producer passed, for consumers of another schema and for dead letters. */
  readonly source: unknown;
}

const isValidated = (p: Delivery['payload']): p is ValidatedPayload => typeof p === 'object' && !(p instanceof Uint8Array);

/** What to do with a delivery once its handler has run. */
export type JobOutcome =
  | { kind: 'ack' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead'; reason: DeadLetterReason; error: string };

/** What `runJob` needs from its queue. */
export interface JobContext<T> {
  queue: string;
  schema: ZodType<T>;
  handler: JobHandler<T>;
  policy: QueuePolicy;
  stats: BusStats;
  logger: Logger;
}

/**
 * Runs one delivery: validates the payload, calls the handler and decides ack, retry or dead
 * letter. A delivery past `maxDeliver` (its last attempt crashed) is dead-lettered without running.
 */
export async function runJob<T>(ctx: JobContext<T>, delivery: Delivery): Promise<JobOutcome> {
  const { queue, stats, logger, policy } = ctx;
  const fields = { queue, jobId: delivery.id, deliveryCount: delivery.deliveryCount };
  if (delivery.deliveryCount > 1) stats.redelivered++;
  if (delivery.deliveryCount > policy.maxDeliver) {
    return { kind: 'dead', reason: 'abandoned', error: `no attempt finished within ${policy.maxDeliver} deliveries` };
  }
  const payload = delivery.payload;
  const decoded = isValidated(payload)
    ? payload.schema === ctx.schema
      ? { ok: true as const, data: payload.value as T }
      : decodePayload(ctx.schema, JSON.stringify(payload.source))
    : decodePayload(ctx.schema, payload);
  if (!decoded.ok) {
    stats.rejected++;
    logger.warn({ ...fields, reason: decoded.error }, 'bus job rejected');
    return { kind: 'dead', reason: 'invalid-payload', error: decoded.error };
  }
  stats.delivered++;
  try {
    const job = { id: delivery.id, data: decoded.data, deliveryCount: delivery.deliveryCount };
    await ctx.handler(delivery.idempotencyKey === undefined ? job : { ...job, idempotencyKey: delivery.idempotencyKey });
    return { kind: 'ack' };
  } catch (err) {
    stats.handlerErrors++;
    logger.warn({ ...fields, err }, 'bus job handler failed');
    if (delivery.deliveryCount >= policy.maxDeliver) {
      return { kind: 'dead', reason: 'handler-failed', error: err instanceof Error ? err.message : String(err) };
    }
    return { kind: 'retry', delayMs: retryDelay(policy, delivery.deliveryCount) };
  }
}

/** The dead letter for a delivery that ended in a `dead` outcome. */
export function toDeadLetter(queue: string, delivery: Delivery, outcome: { reason: DeadLetterReason; error: string }): DeadLetter {
  const p = delivery.payload;
  return {
    queue,
    data: isValidated(p) ? p.source : parseLoosely(typeof p === 'string' ? p : new TextDecoder().decode(p)),
    deliveryCount: delivery.deliveryCount,
    ...(delivery.idempotencyKey === undefined ? {} : { idempotencyKey: delivery.idempotencyKey }),
    reason: outcome.reason,
    error: outcome.error,
    deadAt: new Date(),
  };
}
