import type { ZodType } from 'zod';
import { YulianError } from '../errors/index.js';
import { createLogger, type Logger } from '../logging/index.js';
import { resolveQueuePolicy, samePolicy, type QueuePolicy } from './job-runner.js';
import type { Topic } from './topic.js';
import type { WorkQueueOptions } from './types.js';

/** How long `close()` and `Consumer.stop()` wait for running handlers by default. */
export const defaultDrainTimeoutMs = 10_000;

/** The bus's logger: the given one, or the house logger, tagged `component: 'bus'`. */
export const busLogger = (logger: Logger | undefined, kind: string): Logger =>
  (logger ?? createLogger()).child({ component: 'bus', bus: kind });

/** The `BUS_CLOSED` error for an operation attempted after `close()`. */
export const closedError = (operation: string): YulianError =>
  new YulianError('BUS_CLOSED', `Cannot ${operation}: the bus has been closed.`);

/** The schema of a work queue given either a zod schema or a topic. */
export const schemaOf = <T>(schemaOrTopic: ZodType<T> | Topic<T>): ZodType<T> =>
  'safeParse' in schemaOrTopic ? schemaOrTopic : schemaOrTopic.schema;

/** Checks a `concurrency` option; throws `BAD_REQUEST`. */
export function checkConcurrency(queue: string, concurrency: number | undefined): number {
  const value = concurrency ?? 1;
  if (!Number.isInteger(value) || value < 1) {
    throw new YulianError('BAD_REQUEST', `Work queue '${queue}': concurrency must be an integer >= 1; got ${String(concurrency)}.`);
  }
  return value;
}

/**
 * Remembers each declared queue's policy so that two declarations of one name in a process agree;
 * `make` builds the queue's shared state on the first declaration.
 */
export function createQueueRegistry<Q extends { policy: QueuePolicy }>(make: (name: string, policy: QueuePolicy) => Q) {
  const queues = new Map<string, Q>();
  return {
    declare(name: string, options: WorkQueueOptions | undefined): Q {
      const policy = resolveQueuePolicy(name, options);
      const existing = queues.get(name);
      if (existing && !samePolicy(existing.policy, policy)) {
        throw new YulianError('BAD_REQUEST', `Work queue '${name}' is already declared with different options; declare it once and share it.`, {
          details: { declared: existing.policy, requested: policy },
        });
      }
      if (existing) return existing;
      const queue = make(name, policy);
      queues.set(name, queue);
      return queue;
    },
    all: (): Q[] => [...queues.values()],
  };
}
