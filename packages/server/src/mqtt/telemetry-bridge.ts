import { type TelemetryBatch, telemetryBatchSchema } from '@yulian/contracts';
import { type Bus, type GatewayRegistry, type Logger, YulianError, allTenants, isYulianError, telemetryBatchKey, telemetryQueue, telemetryQueueOptions, waitForQueueRoom } from '@yulian/core';
import { type MqttUplinkAck, gatewayTopicRoot, gatewayUplinkTopics, parseGatewayTopic } from '@yulian/gateway';
import type { BrokerMessage, EmbeddedBroker } from './embedded-broker.js';

/** What the bridge has done since it started. */
export interface TelemetryBridgeStats {
  /** Batches received from gateways. */
  received: number;
  /** Batches put on the telemetry work queue and acknowledged `ok: true`. */
  stored: number;
  /** Malformed batches, refused with `BUS_PAYLOAD_INVALID`. */
  invalid: number;
  /** Batches refused for another reason (bus down, gateway removed), which the gateway retries. */
  failed: number;
}

/** The running bridge between the MQTT uplink and the telemetry work queue. */
export interface TelemetryBridge {
  /** Stops taking batches and waits for those in hand. */
  stop(): Promise<void>;
  stats(): TelemetryBridgeStats;
}

/** Options of {@link startTelemetryBridge}. */
export interface TelemetryBridgeOptions {
  broker: Pick<EmbeddedBroker, 'subscribe' | 'publish'>;
  bus: Bus;
  /** Where a gateway's enterprise comes from: its registration, never the payload. */
  gateways: Pick<GatewayRegistry, 'get'>;
  logger: Logger;
  /** Topic root of the uplink (default `yulian/gateways`; benchmarks use their own on a shared broker). */
  root?: string;
}

const invalid = (message: string): YulianError => new YulianError('BUS_PAYLOAD_INVALID', message);

/** The batch's `seq` when the payload is too broken to validate but still has one, for the refusal. */
const seqOf = (json: unknown): number | null => {
  const seq = typeof json === 'object' && json !== null ? (json as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isInteger(seq) ? seq : null;
};

/**
 * Takes the batches gateways publish over MQTT (`yulian/gateways/<id>/telemetry`, see the gateway
 * package's mqtt-protocol) and puts each on the telemetry work queue under the gateway's registered
 * enterprise, keyed `<id>:<seq>` so a batch sent again is stored once; only then it acknowledges on
 * `yulian/gateways/<id>/ack`. The broker's ACL makes sure only gateway <id> publishes on its topic.
 * A malformed batch is refused (`BUS_PAYLOAD_INVALID`), counted and logged; the gateway retries it.
 * @example const bridge = await startTelemetryBridge({ broker, bus, gateways, logger }); await bridge.stop()
 */
export async function startTelemetryBridge(options: TelemetryBridgeOptions): Promise<TelemetryBridge> {
  const log = options.logger.child({ component: 'mqtt-uplink' });
  const queue = options.bus.workQueue(telemetryQueue, telemetryBatchSchema, telemetryQueueOptions);
  const stats: TelemetryBridgeStats = { received: 0, stored: 0, invalid: 0, failed: 0 };
  const inHand = new Set<Promise<void>>();
  const root = options.root ?? gatewayTopicRoot;
  // A gateway's enterprise, read from the registry at most every 5 s per gateway rather than per batch.
  const tenants = new Map<string, { tenantId: string | null; at: number }>();
  const tenantOf = async (gateway: string): Promise<string | null> => {
    const hit = tenants.get(gateway);
    if (hit && Date.now() - hit.at < 5_000) return hit.tenantId;
    const { tenantId } = await options.gateways.get(allTenants, gateway);
    tenants.set(gateway, { tenantId, at: Date.now() });
    return tenantId;
  };

  async function answer(gateway: string, ack: MqttUplinkAck): Promise<void> {
    // Lost (broker closing, gateway gone): the gateway times out and sends the batch again.
    await options.broker.publish({ topic: root === gatewayTopicRoot ? gatewayUplinkTopics(gateway).ack : `${root}/${gateway}/ack`, payload: JSON.stringify(ack), qos: 1 }).catch((err: unknown) => log.debug({ err, gateway }, 'acknowledgement not sent'));
  }

  async function handle(gateway: string, payload: Buffer): Promise<void> {
    stats.received++;
    let seq: number | null = null;
    try {
      let json: unknown;
      try {
        json = JSON.parse(payload.toString('utf8'));
      } catch {
        throw invalid('The batch is not JSON.');
      }
      seq = seqOf(json);
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('The batch is not a JSON object.');
      const named = (json as { gateway?: unknown }).gateway;
      if (named !== gateway) throw invalid(`The batch names gateway ${String(named)} but came on ${gateway}'s topic.`);
      if ('tenantId' in json) throw invalid('A batch does not name an enterprise: the platform stores it under the one the gateway is registered to.');
      const tenantId = await tenantOf(gateway);
      // The enterprise is the gateway's registration, whatever the payload says. The queue validates
      // the batch against its schema (BUS_PAYLOAD_INVALID): validating here too cost a tenth of the
      // platform's CPU in the ingest benchmark.
      const batch = { ...(json as Omit<TelemetryBatch, 'tenantId'>), tenantId };
      // The acknowledgement is the gateway's flow control: held while the in-process queue is full.
      await waitForQueueRoom(options.bus);
      await queue.enqueue(batch, { idempotencyKey: telemetryBatchKey(batch) });
      stats.stored++;
      await answer(gateway, { seq: batch.seq, ok: true });
    } catch (e) {
      const err = isYulianError(e) ? e : new YulianError('INTERNAL', (e as Error).message, { cause: e });
      if (err.code === 'BUS_PAYLOAD_INVALID') {
        stats.invalid++;
        log.warn({ gateway, seq, bytes: payload.length, err: err.message }, 'malformed batch from a gateway refused');
      } else {
        stats.failed++;
        log.warn({ gateway, seq, code: err.code, err: err.message }, 'batch from a gateway not stored; it will send it again');
      }
      await answer(gateway, { seq, ok: false, code: err.code, message: err.message });
    }
  }

  const unsubscribe = await options.broker.subscribe(`${root}/+/telemetry`, (message: BrokerMessage) => {
    const topic = root === gatewayTopicRoot ? parseGatewayTopic(message.topic) : parseGatewayTopic(gatewayTopicRoot + message.topic.slice(root.length));
    if (!topic) return;
    const job = handle(topic.gateway, message.payload).finally(() => inHand.delete(job));
    inHand.add(job);
  });
  log.info('MQTT uplink bridge started');

  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        await unsubscribe();
        await Promise.allSettled([...inHand]);
      })()),
    stats: () => ({ ...stats }),
  };
}
