import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { ZodType } from 'zod';
import { YulianError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { QueuePolicy } from './job-runner.js';
import { NatsConsumer } from './nats-consumer.js';
import { durableName, ensureQueue, type QueueNames, readDeadLetters } from './nats-streams.js';
import type { BusStats, Consumer, DeadLetter, EnqueueResult, JobHandler } from './types.js';

/** What a queue needs from its bus. */
export interface NatsQueueDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  stats: BusStats;
  logger: Logger;
  drainTimeoutMs: number;
  /** The server URL (password masked), for error messages. */
  url: string;
}

/**
 * The JetStream side of one work queue, shared by every handle of that name in this process: a
 * WorkQueue-retention stream with one durable pull consumer shared by all consumers in all
 * processes. Idempotency uses `Nats-Msg-Id` and the stream's duplicate window.
 */
export class NatsQueue {
  private readonly consumers = new Set<{ stop(timeoutMs: number): Promise<void> }>();
  private setup: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly policy: QueuePolicy,
    private readonly names: QueueNames,
    private readonly deps: NatsQueueDeps,
  ) {
    // Start creating the streams now; a failure surfaces (and is retried) on first use.
    this.ready().catch(() => undefined);
  }

  /** Publishes a serialised job with its idempotency key as `Nats-Msg-Id`. */
  async enqueue(payload: string, idempotencyKey: string | undefined): Promise<EnqueueResult> {
    await this.ready();
    const { js, stats } = this.deps;
    try {
      const ack = await js.publish(this.names.subject, payload, idempotencyKey === undefined ? undefined : { msgID: idempotencyKey });
      if (ack.duplicate) stats.duplicates++;
      else stats.enqueued++;
      return { accepted: !ack.duplicate, duplicate: ack.duplicate };
    } catch (cause) {
      throw unavailable(`enqueue to '${this.name}' on NATS`, this.deps.url, cause);
    }
  }

  /** Starts a consumer pulling from the shared durable consumer. */
  async consume<T>(schema: ZodType<T>, handler: JobHandler<T>, concurrency: number): Promise<Consumer> {
    await this.ready();
    const { nc, js, stats, logger } = this.deps;
    const source = await js.consumers.get(this.names.stream, durableName).catch((cause: unknown) => {
      throw unavailable(`consume work queue '${this.name}' on NATS`, this.deps.url, cause);
    });
    const ctx = { queue: this.name, schema, handler, policy: this.policy, stats, logger };
    const consumer = new NatsConsumer(source, ctx, concurrency, { nc, js, names: this.names, stats, logger });
    this.consumers.add(consumer);
    return {
      stop: async (options) => {
        await consumer.stop(options?.timeoutMs ?? this.deps.drainTimeoutMs);
        this.consumers.delete(consumer);
      },
    };
  }

  /** Reads the oldest `limit` dead letters from the dead-letter stream. */
  async deadLetters(limit: number): Promise<DeadLetter[]> {
    await this.ready();
    return readDeadLetters(this.deps.jsm, this.names.deadStream, limit).catch((cause: unknown) => {
      throw unavailable(`read dead letters of '${this.name}' on NATS`, this.deps.url, cause);
    });
  }

  /** Stops this process's consumers of the queue, bounded by `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop(timeoutMs)));
    this.consumers.clear();
  }

  // Memoised; a failed attempt is forgotten so that the next call tries again.
  private ready(): Promise<void> {
    this.setup ??= ensureQueue(this.deps.jsm, this.names, this.policy).catch((cause: unknown) => {
      this.setup = undefined;
      throw unavailable(`set up work queue '${this.name}' on NATS`, this.deps.url, cause);
    });
    return this.setup;
  }
}

/** A `BUS_UNAVAILABLE` error: "Cannot <what> at <url>: <reason>". */
export function unavailable(what: string, url: string, cause: unknown): YulianError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new YulianError('BUS_UNAVAILABLE', `Cannot ${what} at ${url}: ${reason}`, { details: { url }, cause });
}
