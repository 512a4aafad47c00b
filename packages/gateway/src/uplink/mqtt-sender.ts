import { type ErrorCode, type Logger, YulianError, errorRegistry } from '@yulian/core';
import { type MqttClient, connect } from 'mqtt';
import type { BufferedBatch } from '../buffer/sample-buffer.js';
import { type MqttUplinkAck, type MqttUplinkBatch, gatewayUplinkTopics, mqttUplinkAckSchema } from './mqtt-protocol.js';
import type { BatchSender } from './uplink.js';

/*
 * The MQTT uplink, for a gateway that reaches its platform over MQTT rather than NATS.
 *
 * 1. The gateway connects (clean session, MQTT 3.1.1) with username = its id and password = its
 *    `ylg_…` gateway token; the platform's broker knows it as that gateway by the token alone.
 * 2. It subscribes to `yulian/gateways/<id>/ack` (QoS 1). A SUBACK of 128 means the broker does not
 *    know this client as gateway <id> (a token of another gateway): the send fails at once.
 * 3. Each batch is published as JSON `{ gateway, seq, samples }` to `yulian/gateways/<id>/telemetry`,
 *    QoS 1, one batch at a time (the uplink sends sequentially and waits).
 * 4. The platform enqueues it on its telemetry work queue (idempotency key `<id>:<seq>`, so a batch
 *    sent again after a lost acknowledgement is stored once) and only then answers on `…/ack` with
 *    `{ seq, ok: true }`, or `{ seq, ok: false, code, message }`.
 * 5. The send resolves on `ok: true`. It throws on `ok: false`, on no answer within `ackTimeoutMs`, on a
 *    lost connection and on a refused login; the uplink keeps the batch first in line and retries with
 *    back-off. A batch the platform calls malformed (`BUS_PAYLOAD_INVALID`) is a bug of the gateway:
 *    it is retried like any failure (never dropped), shows as the uplink's `lastError` and is counted
 *    and logged by the platform.
 *
 * After any failure other than an `ok: false` answer the connection is dropped and the next send opens
 * a new one, so the uplink's back-off also paces reconnection.
 */

/** Options of {@link createMqttSender}. */
export interface MqttSenderOptions {
  /** The platform's MQTT broker, e.g. mqtt://platform.example:1883 (mqtts:// for TLS). */
  url: string;
  /** The gateway's registered id: the MQTT username and part of its topics. */
  gateway: string;
  /** The gateway's `ylg_…` token: the MQTT password. */
  token: string;
  /** Default `yulian-gw-<id>`: one session per gateway, so a restarted gateway takes over its old one. */
  clientId?: string;
  /** How long to wait for the platform's acknowledgement of a batch (and for the connection). Default 10 s. */
  ackTimeoutMs?: number;
  logger?: Logger;
}

/** The batch in flight and how to settle it. */
interface Pending {
  seq: number;
  settle(err?: Error): void;
}

const errorCodeOf = (code: string): ErrorCode => (Object.hasOwn(errorRegistry, code) ? (code as ErrorCode) : 'INTERNAL');
const unavailable = (message: string, cause?: unknown): YulianError => new YulianError('MQTT_UNAVAILABLE', message, cause === undefined ? undefined : { cause });

/**
 * A sender that delivers batches over MQTT to a platform's telemetry bridge and resolves only on the
 * platform's acknowledgement that the batch is durable (see the protocol above).
 * @example const send = createMqttSender({ url: 'mqtt://platform:1883', gateway: 'gw-1', token }); startGateway({ …, send })
 */
export function createMqttSender(options: MqttSenderOptions): BatchSender & { close(): Promise<void> } {
  const topics = gatewayUplinkTopics(options.gateway);
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const log = options.logger?.child({ component: 'mqtt-uplink', gateway: options.gateway });
  let connection: Promise<MqttClient> | undefined;
  let live: MqttClient | undefined;
  let pending: Pending | undefined;
  let closed = false;
  // Refusals the platform answered with: the connection that carried them is fine.
  const answered = new WeakSet<Error>();

  function onAck(payload: Buffer): void {
    let ack: MqttUplinkAck;
    try {
      ack = mqttUplinkAckSchema.parse(JSON.parse(payload.toString('utf8')));
    } catch {
      log?.warn({ topic: topics.ack }, 'unreadable acknowledgement ignored');
      return;
    }
    // An answer to an earlier attempt (it timed out) is not this batch's; an unreadable batch's
    // refusal (seq null) can only be the one in flight.
    if (!pending || (ack.seq !== pending.seq && !(ack.seq === null && !ack.ok))) return;
    if (ack.ok) return pending.settle();
    log?.warn({ seq: pending.seq, code: ack.code, err: ack.message }, 'platform refused the batch');
    const refusal = new YulianError(errorCodeOf(ack.code), `The platform refused batch ${pending.seq}: ${ack.message}`, { details: { code: ack.code } });
    answered.add(refusal);
    pending.settle(refusal);
  }

  async function open(): Promise<MqttClient> {
    const client = connect(options.url, {
      username: options.gateway,
      password: options.token,
      clientId: options.clientId ?? `yulian-gw-${options.gateway}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: ackTimeoutMs,
      resubscribe: false,
    });
    // Always listened to: an 'error' event without a listener would throw out of the client.
    client.on('error', (err) => log?.debug({ err: err.message }, 'MQTT uplink error'));
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', (err: Error & { code?: unknown }) =>
          // CONNACK 4 (bad user name or password) or 5 (not authorised).
          reject(err.code === 4 || err.code === 5 ? new YulianError('GATEWAY_TOKEN_INVALID', `The broker at ${options.url} refused the gateway token: ${err.message}`) : unavailable(`Cannot connect to ${options.url}: ${err.message}`, err)),
        );
        client.once('close', () => reject(unavailable(`Cannot connect to ${options.url}: connection closed`)));
      });
      // MQTT.js rejects a SUBACK of 128 (some versions resolve with it): either way, refused.
      const granted = await client.subscribeAsync(topics.ack, { qos: 1 }).then(
        ([g]) => g !== undefined && g.qos !== 128,
        (err: Error) => {
          if ((err as { packet?: { cmd?: string } }).packet?.cmd === 'suback') return false;
          throw unavailable(`Cannot subscribe to ${topics.ack}: ${err.message}`, err);
        },
      );
      if (!granted) {
        throw new YulianError('GATEWAY_TOKEN_INVALID', `The broker refused the subscription to ${topics.ack}: the token does not belong to gateway ${options.gateway}, or the broker is not a Yulian platform's.`);
      }
    } catch (e) {
      client.end(true);
      throw e;
    }
    // One small request and one small answer per batch: Nagle's algorithm would hold each for tens of ms.
    (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    client.on('message', (topic, payload) => {
      if (topic === topics.ack) onAck(payload);
    });
    client.on('close', () => {
      // The next send connects afresh rather than failing once on a dead client.
      if (live === client) drop();
      pending?.settle(unavailable(`The connection to ${options.url} was lost before batch ${pending.seq} was acknowledged.`));
    });
    live = client;
    log?.info({ url: options.url }, 'MQTT uplink connected');
    return client;
  }

  function drop(): void {
    const broken = connection;
    connection = undefined;
    live = undefined;
    void broken?.then((c) => c.end(true), () => undefined);
  }

  async function send(batch: BufferedBatch): Promise<void> {
    if (closed) throw unavailable('The MQTT uplink is closed.');
    try {
      const client = await (connection ??= open());
      if (!client.connected) throw unavailable(`Not connected to ${options.url}.`);
      const acked = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => pending?.settle(unavailable(`No acknowledgement of batch ${batch.seq} within ${ackTimeoutMs} ms.`)), ackTimeoutMs);
        pending = {
          seq: batch.seq,
          settle(err) {
            clearTimeout(timer);
            pending = undefined;
            if (err) reject(err);
            else resolve();
          },
        };
      });
      const message: MqttUplinkBatch = { gateway: options.gateway, seq: batch.seq, samples: batch.samples };
      // Promise.all also handles the acknowledgement's rejection when the publish fails first.
      await Promise.all([client.publishAsync(topics.telemetry, JSON.stringify(message), { qos: 1 }), acked]);
    } catch (e) {
      pending?.settle(e as Error);
      if (!answered.has(e as Error)) drop();
      throw e;
    }
  }

  return Object.assign(send, {
    async close() {
      closed = true;
      // A batch still in flight (the uplink stopped waiting for it) stays buffered: no DISCONNECT wait.
      const inFlight = pending !== undefined;
      pending?.settle(unavailable('The MQTT uplink was closed.'));
      const c = await connection?.catch(() => undefined);
      connection = undefined;
      live = undefined;
      await c?.endAsync(inFlight);
    },
  });
}
