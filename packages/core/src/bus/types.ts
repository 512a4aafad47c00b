import type { ZodType } from 'zod';
import type { Topic } from './topic.js';

/** Which implementation a bus runs on. */
export type BusKind = 'memory' | 'nats';

/** A message as a subscriber receives it: the concrete subject and the validated data. */
export interface BusMessage<T> {
  subject: string;
  data: T;
}

/** Handles one message; a throw or rejection is logged and counted, never propagated. */
export type MessageHandler<T> = (message: BusMessage<T>) => void | Promise<void>;

/** Options of `publish`: the concrete subject, required when the topic has wildcards. */
export interface PublishOptions {
  subject?: string;
}

/** Options of `subscribe`: a narrower pattern inside the topic, e.g. `yulian.tel.t1.*`. */
export interface SubscribeOptions {
  subject?: string;
}

/** A live subscription; `unsubscribe()` is idempotent. */
export interface Subscription {
  /** The pattern subscribed to, without the bus's subject prefix. */
  readonly subject: string;
  unsubscribe(): void;
}

/** One delivery of a work-queue job. */
export interface Job<T> {
  /** Stable across redeliveries (the stream sequence on NATS). */
  id: string;
  data: T;
  /** 1 on the first delivery, 2 on the first redelivery, … */
  deliveryCount: number;
  idempotencyKey?: string;
}

/** Processes a job: resolve to ack it, throw to have it retried after a back-off. */
export type JobHandler<T> = (job: Job<T>) => Promise<void> | void;

/** Options of `enqueue`. */
export interface EnqueueOptions {
  /** Enqueueing the same key again within the duplicate window is a no-op that reports `duplicate`. */
  idempotencyKey?: string;
}

/** What `enqueue` did: `accepted` xor `duplicate`. */
export interface EnqueueResult {
  accepted: boolean;
  duplicate: boolean;
}

/** Options of `consume`. */
export interface ConsumeOptions {
  /** Jobs this consumer runs at once; default 1. */
  concurrency?: number;
}

/** A running consumer of one work queue. */
export interface Consumer {
  /**
   * Stops taking jobs and waits up to `timeoutMs` (default: the bus's `drainTimeoutMs`) for running
   * handlers. Jobs still running after that are abandoned unacked and redelivered after `ackWaitMs`.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** Why a job went to the dead-letter list. */
export type DeadLetterReason = 'handler-failed' | 'invalid-payload' | 'abandoned';

/** A job that will not be retried, kept for inspection. */
export interface DeadLetter {
  queue: string;
  /** The payload as parsed JSON, or the raw text when it was not JSON. */
  data: unknown;
  deliveryCount: number;
  idempotencyKey?: string;
  reason: DeadLetterReason;
  /** The last error message. */
  error: string;
  deadAt: Date;
}

/** Options of a work queue; defaults in `resolveQueueOptions`. */
export interface WorkQueueOptions {
  /** Handler attempts before a job is dead-lettered; default 5. */
  maxDeliver?: number;
  /** How long a delivered, unacked job stays reserved before it is redelivered; default 30 000 ms. */
  ackWaitMs?: number;
  /** How long an idempotency key is remembered; default 120 000 ms. */
  duplicateWindowMs?: number;
  /** Back-off after the first failure, doubled per attempt; default 1 000 ms. */
  retryDelayMs?: number;
  /** Cap of the back-off; default 60 000 ms. */
  maxRetryDelayMs?: number;
}

/**
 * A durable, at-least-once work queue shared by every consumer of the same name.
 * @example await bus.workQueue('reports', reportSchema).enqueue({ id: 7 }, { idempotencyKey: 'report-7' })
 */
export interface WorkQueue<T> {
  readonly name: string;
  /** Validates and stores a job. Throws `BUS_PAYLOAD_INVALID`, `BUS_CLOSED` or `BUS_UNAVAILABLE`. */
  enqueue(data: T, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Starts a consumer; all consumers of the queue (in any process, on NATS) share its jobs. */
  consume(handler: JobHandler<T>, options?: ConsumeOptions): Promise<Consumer>;
  /** Dead-lettered jobs, oldest first, at most `limit` (default 100). */
  deadLetters(options?: { limit?: number }): Promise<DeadLetter[]>;
}

/** Running counters of a bus (this process only), for Prometheus. */
export interface BusStats {
  published: number;
  delivered: number;
  /** Messages or jobs dropped because they were not JSON or failed the schema. */
  rejected: number;
  handlerErrors: number;
  enqueued: number;
  duplicates: number;
  acked: number;
  redelivered: number;
  deadLettered: number;
}

/**
 * Typed publish/subscribe plus durable work queues, in-process (`memory`) or on NATS JetStream.
 * @example bus.publish(telemetry, { value: 1 }, { subject: 'yulian.tel.t1.d1' })
 */
export interface Bus {
  readonly kind: BusKind;
  /**
   * Validates and sends a message (at most once, fire-and-forget). Throws `BAD_REQUEST` for a
   * subject outside the topic, `BUS_PAYLOAD_INVALID` for data failing the schema, `BUS_CLOSED`.
   */
  publish<T>(topic: Topic<T>, data: T, options?: PublishOptions): void;
  /** Calls `handler` for each valid message on the topic (or the narrower `subject`). */
  subscribe<T>(topic: Topic<T>, handler: MessageHandler<T>, options?: SubscribeOptions): Subscription;
  /** The work queue `name` (letters, digits, `-`, `_`); jobs are validated with the schema. */
  workQueue<T>(name: string, schema: ZodType<T> | Topic<T>, options?: WorkQueueOptions): WorkQueue<T>;
  stats(): BusStats;
  /** Stops consumers, waits (bounded) for running handlers and disconnects; idempotent. */
  close(): Promise<void>;
}
