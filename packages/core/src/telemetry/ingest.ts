import { type TelemetryBatch, telemetryBatchSchema } from '@yulian/contracts';
import type { Bus, Consumer, WorkQueueOptions } from '../bus/index.js';
import type { Logger } from '../logging/index.js';
import type { Store } from '../store/index.js';

/** The work queue gateways enqueue telemetry batches on. */
export const telemetryQueue = 'telemetry';

/** Options of the telemetry queue, shared by gateways (enqueue) and ingest (consume). */
export const telemetryQueueOptions: WorkQueueOptions = { ackWaitMs: 30_000, maxDeliver: 10, duplicateWindowMs: 10 * 60_000 };

/** The idempotency key of a batch: a gateway's sequence numbers never repeat. */
export const telemetryBatchKey = (batch: Pick<TelemetryBatch, 'gateway' | 'seq'>): string => `${batch.gateway}:${batch.seq}`;

const rowsPerStatement = 1000;

/**
 * Writes a batch of samples to `telemetry_raw`, ignoring samples already stored (same device, point
 * and source timestamp), so a redelivered batch is harmless. Returns how many rows were new.
 */
export async function writeTelemetry(store: Store, batch: TelemetryBatch): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < batch.samples.length; i += rowsPerStatement) {
    const rows = batch.samples.slice(i, i + rowsPerStatement).map((s) => ({
      tenant_id: batch.tenantId,
      device: s.device,
      point: s.point,
      ts: s.ts,
      received_ts: s.receivedTs,
      value_num: typeof s.value === 'number' ? s.value : typeof s.value === 'boolean' ? (s.value ? 1 : 0) : null,
      value_text: typeof s.value === 'string' ? s.value : null,
      quality: s.quality,
      reason: s.reason ?? null,
    }));
    const result = await store.db
      .insertInto('telemetry_raw')
      .values(rows)
      .onConflict((oc) => oc.columns(['device', 'point', 'ts']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/**
 * Consumes the telemetry queue into the store: at-least-once delivery plus idempotent writes give
 * exactly-once rows. Several ingest processes may share the queue.
 */
export async function startTelemetryIngest(options: {
  store: Store;
  bus: Bus;
  logger: Logger;
  concurrency?: number;
  /**
   * The enterprise of a registered gateway (null: platform-owned), or undefined for a gateway the
   * platform does not know. A registered gateway's batches are stored under its registered enterprise
   * whatever the batch claims; an unknown one's as claimed (its NATS credentials are the trust boundary).
   */
  tenantOf?: (gateway: string) => Promise<string | null | undefined>;
  /** Called after each batch is stored (the northbound OPC UA server and live views listen here). */
  onStored?: (batch: TelemetryBatch) => void;
}): Promise<Consumer> {
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
      const inserted = await writeTelemetry(options.store, batch);
      if (inserted < batch.samples.length) log.debug({ gateway: batch.gateway, seq: batch.seq, duplicates: batch.samples.length - inserted }, 'duplicate samples ignored');
      try {
        options.onStored?.(batch);
      } catch (err) {
        log.error({ err }, 'onStored listener failed');
      }
    },
    { concurrency: options.concurrency ?? 2 },
  );
}
