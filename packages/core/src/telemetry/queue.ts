import type { TelemetryBatch } from '@yulian/contracts';
import type { Bus, WorkQueueOptions } from '../bus/index.js';

/** The work queue gateways enqueue telemetry batches on. */
export const telemetryQueue = 'telemetry';

/** Options of the telemetry queue, shared by gateways (enqueue) and ingest (consume). */
export const telemetryQueueOptions: WorkQueueOptions = { ackWaitMs: 30_000, maxDeliver: 10, duplicateWindowMs: 10 * 60_000 };

/** The idempotency key of a batch: a gateway's sequence numbers never repeat. */
export const telemetryBatchKey = (batch: Pick<TelemetryBatch, 'gateway' | 'seq'>): string => `${batch.gateway}:${batch.seq}`;

/** Jobs an in-process bus may hold unprocessed before producers of telemetry wait. */
export const memoryQueueMaxBacklog = 256;

/**
 * Waits while the in-process bus holds more than `max` jobs not yet done. On the memory bus an
 * acknowledged batch lives in RAM until stored: without this, gateways sending faster than the store
 * writes grow the heap without bound (the ingest benchmark reached 300 MB in seconds). On NATS the
 * backlog waits on JetStream's disk, so this returns at once.
 */
export async function waitForQueueRoom(bus: Pick<Bus, 'kind' | 'stats'>, max: number = memoryQueueMaxBacklog): Promise<void> {
  if (bus.kind !== 'memory') return;
  const backlog = (): number => {
    const s = bus.stats();
    return s.enqueued - s.acked - s.deadLettered;
  };
  while (backlog() > max) await new Promise((r) => setTimeout(r, 2));
}
