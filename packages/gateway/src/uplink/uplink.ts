import { type Bus, type Logger, telemetryBatchKey, telemetryQueue, telemetryQueueOptions, waitForQueueRoom } from '@yulian/core';
import { telemetryBatchSchema } from '@yulian/contracts';
import type { BufferedBatch, SampleBuffer } from '../buffer/sample-buffer.js';

/** Delivers one batch; resolves once the platform side has it durably, throws otherwise. */
export type BatchSender = (batch: BufferedBatch) => Promise<void>;

/** Figures of the uplink, for the gateway's status. */
export interface UplinkStats {
  sentBatches: number;
  sentSamples: number;
  failures: number;
  /** False from a failed send until the next successful one. */
  up: boolean;
  lastError: string | undefined;
}

/** Drains the buffer to the platform, oldest first. */
export interface Uplink {
  start(): void;
  /** Stops; what is not acknowledged stays in the buffer. */
  stop(): Promise<void>;
  /** Tells the uplink new batches are waiting (it also looks every `idleMs`). */
  wake(): void;
  stats(): UplinkStats;
}

/**
 * Sends buffered batches in order and acknowledges each one only after `send` resolved, so an outage
 * or a restart never loses or reorders what was accepted. Failed sends are retried with a back-off
 * (doubling from `retryMs` to `maxRetryMs`); the batch stays first in line meanwhile.
 */
export function createUplink(options: {
  buffer: SampleBuffer;
  send: BatchSender;
  logger?: Logger;
  retryMs?: number;
  maxRetryMs?: number;
  idleMs?: number;
  stopTimeoutMs?: number;
}): Uplink {
  const retryMs = options.retryMs ?? 200;
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  const idleMs = options.idleMs ?? 100;
  const stats: UplinkStats = { sentBatches: 0, sentSamples: 0, failures: 0, up: true, lastError: undefined };
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  async function run(): Promise<void> {
    let backoff = 0;
    while (running) {
      const batches = options.buffer.peek(20);
      if (batches.length === 0) {
        await sleep(idleMs);
        continue;
      }
      for (const batch of batches) {
        if (!running) return;
        try {
          await options.send(batch);
          // Stopped while sending: leave the batch unacknowledged. It is sent again after a restart
          // and stored once (idempotency key, unique rows), and the buffer may be closed by now.
          if (!running) return;
          options.buffer.ack(batch.seq);
          stats.sentBatches++;
          stats.sentSamples += batch.samples.length;
          if (!stats.up) options.logger?.info({ afterFailures: stats.failures }, 'uplink restored');
          stats.up = true;
          backoff = 0;
        } catch (e) {
          if (!running) return;
          stats.failures++;
          stats.lastError = (e as Error).message;
          if (stats.up) options.logger?.warn({ err: stats.lastError }, 'uplink down; samples are kept in the buffer');
          stats.up = false;
          backoff = Math.min(maxRetryMs, backoff ? backoff * 2 : retryMs);
          await sleep(backoff);
          break;
        }
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Waits up to `stopTimeoutMs` (default 1 s) for a send in flight, then leaves it behind. */
    async stop() {
      running = false;
      wakeUp?.();
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, options.stopTimeoutMs ?? 1000).unref())]);
    },
    wake: () => wakeUp?.(),
    stats: () => ({ ...stats }),
  };
}

/**
 * A sender that enqueues batches on the platform's telemetry work queue, keyed by gateway and sequence
 * so a batch sent twice (a retry after a lost acknowledgement) is stored once. `connect` is called
 * again after a failure, so a gateway can start while the platform is unreachable.
 */
export function createBusSender(options: {
  connect: () => Promise<Bus>;
  gateway: string;
  tenantId: string | null;
  /** False when the bus belongs to someone else (the all-in-one platform's): never close it. */
  ownsBus?: boolean;
}): BatchSender & { close(): Promise<void> } {
  const owns = options.ownsBus ?? true;
  let bus: Bus | undefined;
  const send = async (batch: BufferedBatch): Promise<void> => {
    try {
      bus ??= await options.connect();
      const data = { tenantId: options.tenantId, gateway: options.gateway, seq: batch.seq, samples: batch.samples };
      // The buffer on disk holds what the in-process queue has no room for.
      await waitForQueueRoom(bus);
      await bus.workQueue(telemetryQueue, telemetryBatchSchema, telemetryQueueOptions).enqueue(data, { idempotencyKey: telemetryBatchKey(data) });
    } catch (e) {
      const broken = bus;
      bus = undefined;
      if (owns) await broken?.close().catch(() => undefined);
      throw e;
    }
  };
  return Object.assign(send, { close: async () => (owns ? bus?.close() : undefined) });
}
