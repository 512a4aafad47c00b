import type { BusStats } from './types.js';

/** Fresh zeroed counters. */
export function createBusStats(): BusStats {
  return { published: 0, delivered: 0, rejected: 0, handlerErrors: 0, enqueued: 0, duplicates: 0, acked: 0, redelivered: 0, deadLettered: 0 };
}
