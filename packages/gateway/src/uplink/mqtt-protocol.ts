import { telemetryBatchSchema } from '@yulian/contracts';
import { z } from 'zod';

/**
 * The wire format of the MQTT uplink, shared by the gateway's sender and the platform's bridge.
 *
 * - Topics live under `yulian/gateways/<gateway id>/`. The gateway publishes each batch to `…/telemetry`
 *   (QoS 1) and subscribes to `…/ack`; only the platform publishes acknowledgements.
 * - A batch is `{ gateway, seq, samples }`: no `tenantId`, since the platform stores a gateway's
 *   samples under the enterprise it registered the gateway to, whatever a payload might claim.
 * - The acknowledgement is `{ seq, ok: true }` once the batch is on the platform's telemetry work queue
 *   (durable when the platform runs with a NATS bus; its in-process memory bus holds it only while the
 *   platform runs), or `{ seq, ok: false, code, message }`; `seq` is null when the payload was too
 *   broken to read one. An MQTT PUBACK alone proves nothing: a broker acknowledges before it delivers.
 */
export const gatewayTopicRoot = 'yulian/gateways';

/** The uplink topics of one gateway. */
export interface GatewayUplinkTopics {
  /** Where the gateway publishes its batches. */
  telemetry: string;
  /** Where the platform acknowledges them. */
  ack: string;
}

/**
 * The uplink topics of gateway `id`.
 * @example gatewayUplinkTopics('gw-1').ack // 'yulian/gateways/gw-1/ack'
 */
export const gatewayUplinkTopics = (id: string): GatewayUplinkTopics => ({
  telemetry: `${gatewayTopicRoot}/${id}/telemetry`,
  ack: `${gatewayTopicRoot}/${id}/ack`,
});

/**
 * The gateway id and kind of an uplink topic, or undefined for any other topic.
 * @example parseGatewayTopic('yulian/gateways/gw-1/telemetry') // { gateway: 'gw-1', kind: 'telemetry' }
 */
export function parseGatewayTopic(topic: string): { gateway: string; kind: string } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== gatewayTopicRoot || !parts[2] || !parts[3]) return undefined;
  return { gateway: parts[2], kind: parts[3] };
}

/** A batch as the gateway publishes it: the bus's telemetry batch without `tenantId`. */
export const mqttUplinkBatchSchema = telemetryBatchSchema.omit({ tenantId: true });
/** A batch on the MQTT uplink. */
export type MqttUplinkBatch = z.infer<typeof mqttUplinkBatchSchema>;

/** The platform's answer to one batch. */
export const mqttUplinkAckSchema = z.discriminatedUnion('ok', [
  z.object({ seq: z.number().int(), ok: z.literal(true) }),
  z.object({ seq: z.number().int().nullable(), ok: z.literal(false), code: z.string(), message: z.string() }),
]);
/** An acknowledgement on the MQTT uplink. */
export type MqttUplinkAck = z.infer<typeof mqttUplinkAckSchema>;
