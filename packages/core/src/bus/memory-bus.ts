import type { ZodType } from 'zod';
import type { Logger } from '../logging/index.js';
import { busLogger, checkConcurrency, closedError, createQueueRegistry, defaultDrainTimeoutMs, schemaOf } from './bus-support.js';
import { deliverMessage, type DeliveryContext } from './delivery.js';
import { createInflight } from './inflight.js';
import { MemoryQueue } from './memory-work-queue.js';
import { encodePayload, validatePayload } from './payload.js';
import { createBusStats } from './stats.js';
import { publishSubject, subjectMatches, subscribePattern } from './topic.js';
import type { Bus, MessageHandler } from './types.js';

/** Options of `createMemoryBus`. */
export interface MemoryBusOptions {
  logger?: Logger;
  /** How long `close()` waits for running handlers; default 10 000 ms. */
  drainTimeoutMs?: number;
}

interface MemorySubscription {
  readonly tokens: string[];
  readonly schema: ZodType<unknown>;
  readonly handler: MessageHandler<unknown>;
}

/**
 * The in-process bus: same contract as NATS, nothing leaves (or survives) this process. Payloads
 * still go through JSON so that handlers see exactly what they would see over the wire.
 * @example const bus = createMemoryBus({ logger })
 */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const drainTimeoutMs = options.drainTimeoutMs ?? defaultDrainTimeoutMs;
  const ctx: DeliveryContext = { stats: createBusStats(), logger: busLogger(options.logger, 'memory'), inflight: createInflight() };
  const { stats, logger } = ctx;
  const subscriptions = new Set<MemorySubscription>();
  const queues = createQueueRegistry((name, policy) => new MemoryQueue(name, policy, { stats, logger, drainTimeoutMs }));
  let closing: Promise<void> | undefined;

  return {
    kind: 'memory',
    publish(topic, data, publishOptions) {
      if (closing) throw closedError(`publish to '${topic.pattern}'`);
      const subject = publishSubject(topic, publishOptions?.subject);
      const payload = encodePayload(topic.schema, data, subject);
      stats.published++;
      const tokens = subject.split('.');
      for (const subscription of subscriptions) {
        if (subjectMatches(subscription.tokens, tokens)) queueMicrotask(() => deliverMessage(ctx, subscription, subject, payload));
      }
    },
    subscribe(topic, handler, subscribeOptions) {
      if (closing) throw closedError(`subscribe to '${topic.pattern}'`);
      const tokens = subscribePattern(topic, subscribeOptions?.subject);
      const subscription: MemorySubscription = { tokens, schema: topic.schema, handler: handler as MessageHandler<unknown> };
      subscriptions.add(subscription);
      return { subject: tokens.join('.'), unsubscribe: () => void subscriptions.delete(subscription) };
    },
    workQueue(name, schemaOrTopic, queueOptions) {
      if (closing) throw closedError(`open work queue '${name}'`);
      const core = queues.declare(name, queueOptions);
      const schema = schemaOf(schemaOrTopic);
      return {
        name,
        async enqueue(data, enqueueOptions) {
          if (closing) throw closedError(`enqueue to '${name}'`);
          // In-process: the validated value itself, no JSON round trip (the ingest benchmark's profile
          // showed serialising and re-validating each telemetry batch as a fifth of the platform's CPU).
          return core.enqueue({ schema: schema as ZodType<unknown>, value: validatePayload(schema, data, name), source: data }, enqueueOptions?.idempotencyKey);
        },
        async consume(handler, consumeOptions) {
          if (closing) throw closedError(`consume '${name}'`);
          return core.consume(schema, handler, checkConcurrency(name, consumeOptions?.concurrency));
        },
        async deadLetters(listOptions) {
          return core.deadLetters(listOptions?.limit ?? 100);
        },
      };
    },
    stats: () => ({ ...stats }),
    close() {
      closing ??= (async () => {
        subscriptions.clear();
        await Promise.all(queues.all().map((queue) => queue.close(drainTimeoutMs)));
        if (!(await ctx.inflight.settled(drainTimeoutMs))) logger.warn({ running: ctx.inflight.size }, 'bus closed with handlers still running');
      })();
      return closing;
    },
  };
}
