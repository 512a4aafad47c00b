import { connect, type JetStreamManager, type NatsConnection, NatsError, type Subscription as NatsSubscription } from 'nats';
import type { ZodType } from 'zod';
import { YulianError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { busLogger, checkConcurrency, closedError, createQueueRegistry, defaultDrainTimeoutMs, schemaOf } from './bus-support.js';
import { deliverMessage, type DeliveryContext } from './delivery.js';
import { createInflight, withTimeout } from './inflight.js';
import { queueNames } from './nats-streams.js';
import { NatsQueue, unavailable } from './nats-work-queue.js';
import { encodePayload } from './payload.js';
import { createBusStats } from './stats.js';
import { parsePattern, publishSubject, subscribePattern } from './topic.js';
import type { Bus, MessageHandler } from './types.js';

/** Options of `createNatsBus`. */
export interface NatsBusOptions {
  /** `nats://host:port` (several comma-separated for a cluster). */
  url: string;
  /** Prefix of stream names, so deployments (or test runs) sharing a server stay apart; default `YULIAN`. */
  streamPrefix?: string;
  /** Dotted prefix put before every subject on the wire (pub/sub and queues); default none. */
  subjectPrefix?: string;
  logger?: Logger;
  /** How long `close()` waits for running handlers; default 10 000 ms. */
  drainTimeoutMs?: number;
  /** How long to wait for the first connection; default 3 000 ms. */
  connectTimeoutMs?: number;
}

const streamPrefixFormat = /^[A-Za-z0-9_-]{1,32}$/;

/** The URL with any user:password replaced, fit for messages and logs. */
const maskUrl = (url: string): string => url.replace(/\/\/[^@/]*@/g, '//***@');

/**
 * Connects to NATS (JetStream must be enabled). Rejects with `BUS_UNAVAILABLE`, naming the URL,
 * when the server cannot be reached within `connectTimeoutMs`.
 * @example const bus = await createNatsBus({ url: 'nats://127.0.0.1:4222', streamPrefix: 'YULIAN' })
 */
export async function createNatsBus(options: NatsBusOptions): Promise<Bus> {
  const url = maskUrl(options.url);
  const streamPrefix = options.streamPrefix ?? 'YULIAN';
  if (!streamPrefixFormat.test(streamPrefix)) {
    throw new YulianError('BAD_REQUEST', `streamPrefix '${streamPrefix}' is invalid: use 1-32 letters, digits, '-' or '_'.`);
  }
  const prefixTokens = options.subjectPrefix ? parsePattern(options.subjectPrefix, 'subjectPrefix') : [];
  if (prefixTokens.some((t) => t === '*' || t === '>')) {
    throw new YulianError('BAD_REQUEST', `subjectPrefix '${options.subjectPrefix ?? ''}' must not contain wildcards.`);
  }
  const wirePrefix = prefixTokens.length > 0 ? `${prefixTokens.join('.')}.` : '';
  const drainTimeoutMs = options.drainTimeoutMs ?? defaultDrainTimeoutMs;
  const logger = busLogger(options.logger, 'nats');

  let nc: NatsConnection;
  try {
    nc = await connect({ servers: options.url.split(','), timeout: options.connectTimeoutMs ?? 3_000, name: 'yulian', maxReconnectAttempts: -1 });
  } catch (cause) {
    throw unavailable('reach NATS', url, cause);
  }
  let jsm: JetStreamManager;
  try {
    jsm = await nc.jetstreamManager();
  } catch (cause) {
    await nc.close();
    throw unavailable('use JetStream (start nats-server with -js) on NATS', url, cause);
  }
  return natsBus({ nc, jsm, url, streamPrefix, wirePrefix, drainTimeoutMs, logger });
}

function natsBus(setup: {
  nc: NatsConnection;
  jsm: JetStreamManager;
  url: string;
  streamPrefix: string;
  wirePrefix: string;
  drainTimeoutMs: number;
  logger: Logger;
}): Bus {
  const { nc, jsm, url, wirePrefix, drainTimeoutMs, logger } = setup;
  const js = nc.jetstream();
  const ctx: DeliveryContext = { stats: createBusStats(), logger, inflight: createInflight() };
  const { stats } = ctx;
  const subscriptions = new Set<NatsSubscription>();
  const queues = createQueueRegistry((name, policy) =>
    new NatsQueue(name, policy, queueNames(setup.streamPrefix, wirePrefix, name), { nc, js, jsm, stats, logger, drainTimeoutMs, url }),
  );
  let closing: Promise<void> | undefined;

  void (async () => {
    for await (const status of nc.status()) {
      // Disconnects and async errors matter to operators; reconnect attempts and ping timers do not.
      const level = status.type === 'disconnect' || status.type === 'error' ? 'warn' : status.type === 'reconnect' ? 'info' : 'debug';
      logger[level]({ url, event: status.type, data: status.data }, 'nats connection status');
    }
  })();
  void nc.closed().then((err) => {
    if (!closing) logger.error({ url, err }, 'nats connection closed unexpectedly');
  });

  const ensureOpen = (operation: string): void => {
    if (closing) throw closedError(operation);
    if (nc.isClosed()) throw new YulianError('BUS_UNAVAILABLE', `Cannot ${operation}: the connection to ${url} is closed.`);
  };

  return {
    kind: 'nats',
    publish(topic, data, publishOptions) {
      ensureOpen(`publish to '${topic.pattern}'`);
      const subject = publishSubject(topic, publishOptions?.subject);
      const payload = encodePayload(topic.schema, data, subject);
      try {
        nc.publish(wirePrefix + subject, payload);
      } catch (cause) {
        if (cause instanceof NatsError && cause.code === 'MAX_PAYLOAD_EXCEEDED') {
          throw new YulianError('BUS_PAYLOAD_INVALID', `Payload for '${subject}' exceeds the server's max_payload.`, { details: { subject }, cause });
        }
        throw unavailable(`publish to '${subject}' on NATS`, url, cause);
      }
      stats.published++;
    },
    subscribe(topic, handler, subscribeOptions) {
      ensureOpen(`subscribe to '${topic.pattern}'`);
      const pattern = subscribePattern(topic, subscribeOptions?.subject).join('.');
      const target = { schema: topic.schema as ZodType<unknown>, handler: handler as MessageHandler<unknown> };
      const sub = nc.subscribe(wirePrefix + pattern, {
        callback: (err, msg) => {
          if (err) logger.error({ subject: pattern, err }, 'nats subscription failed');
          else deliverMessage(ctx, target, msg.subject.slice(wirePrefix.length), msg.data);
        },
      });
      subscriptions.add(sub);
      return {
        subject: pattern,
        unsubscribe() {
          if (subscriptions.delete(sub) && !nc.isClosed()) sub.unsubscribe();
        },
      };
    },
    workQueue(name, schemaOrTopic, queueOptions) {
      ensureOpen(`open work queue '${name}'`);
      const core = queues.declare(name, queueOptions);
      const schema = schemaOf(schemaOrTopic);
      return {
        name,
        async enqueue(data, enqueueOptions) {
          ensureOpen(`enqueue to '${name}'`);
          return core.enqueue(encodePayload(schema, data, name), enqueueOptions?.idempotencyKey);
        },
        async consume(handler, consumeOptions) {
          ensureOpen(`consume '${name}'`);
          return core.consume(schema, handler, checkConcurrency(name, consumeOptions?.concurrency));
        },
        async deadLetters(listOptions) {
          ensureOpen(`read dead letters of '${name}'`);
          return core.deadLetters(listOptions?.limit ?? 100);
        },
      };
    },
    stats: () => ({ ...stats }),
    close() {
      closing ??= (async () => {
        await Promise.all(queues.all().map((queue) => queue.close(drainTimeoutMs)));
        // Stop new messages first, then let running handlers finish, then flush and disconnect.
        const drains = [...subscriptions].map((sub) => sub.drain().catch(() => undefined));
        await withTimeout(Promise.all(drains), drainTimeoutMs, []);
        if (!(await ctx.inflight.settled(drainTimeoutMs))) logger.warn({ running: ctx.inflight.size }, 'bus closed with handlers still running');
        if (!nc.isClosed()) await withTimeout(nc.drain().catch(() => undefined), drainTimeoutMs, undefined);
        if (!nc.isClosed()) await nc.close();
      })();
      return closing;
    },
  };
}
