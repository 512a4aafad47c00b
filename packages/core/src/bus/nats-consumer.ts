import type { Consumer as JsConsumer, ConsumerMessages, JetStreamClient, JsMsg, NatsConnection } from 'nats';
import type { Logger } from '../logging/index.js';
import { createInflight, sleep } from './inflight.js';
import { type Delivery, type JobContext, type JobOutcome, runJob, toDeadLetter } from './job-runner.js';
import { encodeDeadLetter, type QueueNames } from './nats-streams.js';
import type { BusStats } from './types.js';

/** How long one pull request stays open on the server; 1 000 ms is the client's minimum. */
const fetchExpiresMs = 5_000;
/** Pause before pulling again after a failed pull (server restart, stream recreated, …). */
const fetchRetryMs = 1_000;
const decoder = new TextDecoder();

/** What a consumer needs from its queue and bus. */
export interface NatsConsumerDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  names: QueueNames;
  stats: BusStats;
  logger: Logger;
}

/**
 * One consumer of a JetStream work queue, pulling from the queue's shared durable consumer only
 * as many jobs as it has free slots, so that no job waits in a local buffer while its ack_wait
 * runs down. Once stopped it is treated as crashed: late results are dropped, ack_wait redelivers.
 */
export class NatsConsumer<T> {
  private readonly inflight = createInflight();
  private running = 0;
  private stopping = false;
  private abandoned = false;
  private batch: ConsumerMessages | undefined;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly source: JsConsumer,
    private readonly ctx: JobContext<T>,
    private readonly concurrency: number,
    private readonly deps: NatsConsumerDeps,
  ) {
    this.loop = this.pull();
  }

  /** Stops pulling, waits up to `timeoutMs` for running jobs, then abandons the rest. Idempotent. */
  stop(timeoutMs: number): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.wake?.();
      this.batch?.stop();
      await this.loop;
      await this.inflight.settled(timeoutMs);
      this.abandoned = true;
    })();
    return this.stopped;
  }

  private async pull(): Promise<void> {
    while (!this.stopping) {
      if (this.running >= this.concurrency) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      try {
        this.batch = await this.source.fetch({ max_messages: this.concurrency - this.running, expires: fetchExpiresMs });
        for await (const msg of this.batch) {
          // Handed over while stopping: give it straight back rather than wait for ack_wait.
          if (this.stopping) msg.nak();
          else this.start(msg);
        }
      } catch (err) {
        if (this.stopping || this.deps.nc.isClosed()) break;
        this.deps.logger.warn({ queue: this.ctx.queue, err }, 'bus work queue pull failed; retrying');
        await sleep(fetchRetryMs);
      }
    }
  }

  private start(msg: JsMsg): void {
    this.running++;
    const key = msg.headers?.get('Nats-Msg-Id');
    const delivery: Delivery = { id: String(msg.seq), payload: msg.data, deliveryCount: msg.info.deliveryCount, ...(key ? { idempotencyKey: key } : {}) };
    const done = runJob(this.ctx, delivery)
      .then((outcome) => (this.abandoned ? undefined : this.settle(msg, delivery, outcome)))
      .catch((err: unknown) => this.deps.logger.error({ queue: this.ctx.queue, jobId: delivery.id, err }, 'bus job could not be settled'))
      .finally(() => {
        this.running--;
        this.wake?.();
      });
    this.inflight.track(done);
  }

  private async settle(msg: JsMsg, delivery: Delivery, outcome: JobOutcome): Promise<void> {
    const { stats, logger, js, names } = this.deps;
    if (outcome.kind === 'ack') {
      msg.ack();
      stats.acked++;
      return;
    }
    if (outcome.kind === 'retry') {
      msg.nak(outcome.delayMs);
      return;
    }
    const fields = { queue: this.ctx.queue, jobId: delivery.id, deliveryCount: delivery.deliveryCount };
    try {
      await js.publish(names.deadSubject, encodeDeadLetter(toDeadLetter(this.ctx.queue, delivery, outcome), decoder.decode(msg.data)));
    } catch (err) {
      logger.error({ ...fields, err }, 'bus dead letter could not be stored; job will be redelivered');
      msg.nak(this.ctx.policy.retryDelayMs);
      return;
    }
    msg.ack(); // the job now lives on the dead-letter stream
    stats.deadLettered++;
    logger.error({ ...fields, reason: outcome.reason, error: outcome.error }, 'bus job dead-lettered');
  }
}
