import type { ZodType } from 'zod';
import type { Logger } from '../logging/index.js';
import { createInflight } from './inflight.js';
import { type Delivery, type JobContext, type JobOutcome, type QueuePolicy, type ValidatedPayload, runJob, toDeadLetter } from './job-runner.js';
import type { BusStats, Consumer, DeadLetter, EnqueueResult, JobHandler } from './types.js';

/** Dead letters kept per in-memory queue; older ones are dropped first. */
const maxDeadLetters = 1_000;

interface StoredJob {
  readonly id: string;
  readonly payload: string | ValidatedPayload;
  readonly idempotencyKey?: string;
  deliveryCount: number;
}

/** A delivery reserved by a consumer until acked, failed, or `ackWaitMs` passes. */
interface Lease {
  readonly job: StoredJob;
  readonly timer: NodeJS.Timeout;
}

/** What the queue sees of a consumer, whatever its job type. */
interface JobRunner {
  hasRoom(): boolean;
  run(job: StoredJob): void;
  stop(timeoutMs: number): Promise<void>;
}

/** What a queue needs from its bus. */
export interface MemoryQueueDeps {
  stats: BusStats;
  logger: Logger;
  drainTimeoutMs: number;
}

/**
 * An in-process work queue with the same contract as the JetStream one: leases that expire after
 * `ackWaitMs` (so an abandoned job is redelivered), back-off retries, dead letters, idempotency keys.
 * One instance per queue name is shared by every handle and consumer in the bus. Everything lives
 * in this process's memory: a restart loses queued jobs and dead letters.
 */
export class MemoryQueue {
  private readonly ready: StoredJob[] = [];
  private readonly leases = new Map<string, Lease>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly keys = new Map<string, number>();
  private readonly dead: DeadLetter[] = [];
  private readonly consumers: JobRunner[] = [];
  private nextId = 1;
  private turn = 0;
  private pumpScheduled = false;

  constructor(
    readonly name: string,
    readonly policy: QueuePolicy,
    private readonly deps: MemoryQueueDeps,
  ) {}

  /** Stores a job unless its idempotency key was seen within the duplicate window. */
  enqueue(payload: string | ValidatedPayload, idempotencyKey: string | undefined): EnqueueResult {
    if (idempotencyKey !== undefined) {
      const now = Date.now();
      // Keys are inserted in time order with one window, so the expired ones are at the front.
      for (const [key, expiresAt] of this.keys) {
        if (expiresAt > now) break;
        this.keys.delete(key);
      }
      if (this.keys.has(idempotencyKey)) {
        this.deps.stats.duplicates++;
        return { accepted: false, duplicate: true };
      }
      this.keys.set(idempotencyKey, now + this.policy.duplicateWindowMs);
    }
    this.ready.push({ id: String(this.nextId++), payload, deliveryCount: 0, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
    this.deps.stats.enqueued++;
    this.schedulePump();
    return { accepted: true, duplicate: false };
  }

  /** Starts a consumer that takes jobs round-robin with the others. */
  consume<T>(schema: ZodType<T>, handler: JobHandler<T>, concurrency: number): Consumer {
    const { stats, logger } = this.deps;
    const consumer = new MemoryConsumer(this, { queue: this.name, schema, handler, policy: this.policy, stats, logger }, concurrency);
    this.consumers.push(consumer);
    this.schedulePump();
    return { stop: (options) => consumer.stop(options?.timeoutMs ?? this.deps.drainTimeoutMs) };
  }

  /** The oldest `limit` dead letters. */
  deadLetters(limit: number): DeadLetter[] {
    return this.dead.slice(0, limit);
  }

  /** Stops every consumer (bounded by `timeoutMs`) and cancels all timers. */
  async close(timeoutMs: number): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop(timeoutMs)));
    for (const { timer } of this.leases.values()) clearTimeout(timer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.leases.clear();
    this.retryTimers.clear();
  }

  /** Takes `consumer` out of the rotation; its running jobs keep their leases. */
  detach(consumer: JobRunner): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
  }

  /** Reserves `job` for one delivery; when the lease runs out unsettled, the job is offered again. */
  lease(job: StoredJob): Lease {
    job.deliveryCount++;
    const current: Lease = {
      job,
      timer: setTimeout(() => {
        if (this.leases.get(job.id) !== current) return;
        this.leases.delete(job.id);
        this.ready.unshift(job);
        this.schedulePump();
      }, this.policy.ackWaitMs),
    };
    this.leases.set(job.id, current);
    return current;
  }

  /** Applies a handler's outcome, unless the lease already expired and the job moved on. */
  settle(current: Lease, delivery: Delivery, outcome: JobOutcome): void {
    if (this.leases.get(current.job.id) !== current) return;
    clearTimeout(current.timer);
    this.leases.delete(current.job.id);
    if (outcome.kind === 'ack') {
      this.deps.stats.acked++;
    } else if (outcome.kind === 'retry') {
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.ready.push(current.job);
        this.schedulePump();
      }, outcome.delayMs);
      this.retryTimers.add(timer);
    } else {
      this.dead.push(toDeadLetter(this.name, delivery, outcome));
      if (this.dead.length > maxDeadLetters) this.dead.shift();
      this.deps.stats.deadLettered++;
      const fields = { queue: this.name, jobId: delivery.id, deliveryCount: delivery.deliveryCount, reason: outcome.reason, error: outcome.error };
      this.deps.logger.error(fields, 'bus job dead-lettered');
    }
  }

  /** Deliveries start on a later tick, so a handler never runs inside the enqueuer's call stack. */
  schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    for (let consumer = this.nextFreeConsumer(); consumer && this.ready.length > 0; consumer = this.nextFreeConsumer()) {
      const job = this.ready.shift();
      if (job) consumer.run(job);
    }
  }

  private nextFreeConsumer(): JobRunner | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const consumer = this.consumers[(this.turn + i) % this.consumers.length];
      if (consumer?.hasRoom()) {
        this.turn = (this.turn + i + 1) % this.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }
}

/** One consumer of a memory queue: runs up to `concurrency` jobs; once stopped, its late results are ignored. */
class MemoryConsumer<T> implements JobRunner {
  private readonly inflight = createInflight();
  private running = 0;
  private abandoned = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly queue: MemoryQueue,
    private readonly ctx: JobContext<T>,
    private readonly concurrency: number,
  ) {}

  hasRoom(): boolean {
    return !this.stopping && this.running < this.concurrency;
  }

  run(job: StoredJob): void {
    const current = this.queue.lease(job);
    const delivery: Delivery = { id: job.id, payload: job.payload, deliveryCount: job.deliveryCount, ...(job.idempotencyKey === undefined ? {} : { idempotencyKey: job.idempotencyKey }) };
    this.running++;
    const done = runJob(this.ctx, delivery)
      // A stopped consumer is a crashed one: its late result is dropped and the lease runs out.
      .then((outcome) => {
        if (!this.abandoned) this.queue.settle(current, delivery, outcome);
      })
      .catch((err: unknown) => this.ctx.logger.error({ queue: this.ctx.queue, jobId: job.id, err }, 'bus job could not be settled'))
      .finally(() => {
        this.running--;
        this.queue.schedulePump();
      });
    this.inflight.track(done);
  }

  stop(timeoutMs: number): Promise<void> {
    this.stopping ??= (async () => {
      this.queue.detach(this);
      await this.inflight.settled(timeoutMs);
      this.abandoned = true;
    })();
    return this.stopping;
  }
}
