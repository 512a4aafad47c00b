import { type TelemetryBatch, telemetryBatchSchema } from '@yulian/contracts';
import { type Bus, type Consumer, type Logger, telemetryQueue, telemetryQueueOptions } from '@yulian/core';
import type { TelemetryStore } from './telemetry-store.js';

/** Options of {@link startTelemetryIngest}. */
export interface TelemetryIngestOptions {
  telemetry: TelemetryStore;
  bus: Bus;
  logger: Logger;
  /**
   * Batches in hand at once. Batches that arrive while one transaction runs go into the next, so
   * enough in hand keeps each transaction large under load. Default 64.
   */
  concurrency?: number;
  /**
   * The enterprise of a registered gateway (null: platform-owned), or undefined for a gateway the
   * platform does not know. A registered gateway's batches are stored under its registered enterprise
   * whatever the batch claims; an unknown one's as claimed (its NATS credentials are the trust boundary).
   */
  tenantOf?: (gateway: string) => Promise<string | null | undefined>;
  /** Called after each batch is stored (the northbound OPC UA server, live values and presence listen here). */
  onStored?: (batch: TelemetryBatch) => void;
}

/**
 * Consumes the telemetry queue into the telemetry store: at-least-once delivery plus idempotent writes
 * (one row per series and source timestamp) give exactly-once rows; a batch is acknowledged only once
 * durable. Several ingest processes may share the queue.
 * @example const ingest = await startTelemetryIngest({ telemetry, bus, logger }); await ingest.stop()
 */
export async function startTelemetryIngest(options: TelemetryIngestOptions): Promise<Consumer> {
  const log = options.logger.child({ component: 'ingest' });
  const queue = options.bus.workQueue(telemetryQueue, telemetryBatchSchema, telemetryQueueOptions);
  return queue.consume(
    async (job) => {
      let batch = job.data;
      const registered = options.tenantOf ? await options.tenantOf(batch.gateway) : undefined;
      if (registered !== undefined && registered !== batch.tenantId) {
        log.warn({ gateway: batch.gateway, claimed: batch.tenantId, registered }, 'batch claims another enterprise than its gateway is registered to; stored under the registered one');
        batch = { ...batch, tenantId: registered };
      }
      const { rejected } = await options.telemetry.write(batch.tenantId, batch.samples);
      if (rejected) log.debug({ gateway: batch.gateway, seq: batch.seq, rejected }, 'samples refused');
      try {
        options.onStored?.(batch);
      } catch (err) {
        log.error({ err }, 'onStored listener failed');
      }
    },
    { concurrency: options.concurrency ?? 64 },
  );
}
