import type { TelemetryBatch } from '@yulian/contracts';
import type { WorkQueueOptions } from '../bus/index.js';

/** The work queue gateways enqueue telemetry batches on. */
export const telemetryQueue = 'telemetry';

/** Options of the telemetry queue, shared by gateways (enqueue) and ingest (consume). */
export const telemetryQueueOptions: WorkQueueOptions = { ackWaitMs: 30_000, maxDeliver: 10, duplicateWindowMs: 10 * 60_000 };

/** The idempotency key of a batch: a gateway's sequence numbers never repeat. */
export const telemetryBatchKey = (batch: Pick<TelemetryBatch, 'gateway' | 'seq'>): string => `${batch.gateway}:${batch.seq}`;
