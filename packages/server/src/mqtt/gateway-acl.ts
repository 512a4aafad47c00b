import { gatewayTopicRoot, gatewayUplinkTopics } from '@yulian/gateway';

/**
 * Who an MQTT client of the embedded broker is: a registered gateway (it logged in with its `ylg_…`
 * token), or any other client (a device with an API token, or anybody when anonymous clients are let in).
 */
export type MqttIdentity = { kind: 'gateway'; gateway: string } | { kind: 'client' };

const inGatewayTree = (topic: string): boolean => topic === gatewayTopicRoot || topic.startsWith(`${gatewayTopicRoot}/`);
const ownTree = (gateway: string): string => `${gatewayTopicRoot}/${gateway}/`;

/*
 * The broker's access rules for the gateway uplink topics (`yulian/gateways/<id>/…`, see the gateway
 * package's mqtt-protocol). Each check returns why it refuses, or undefined to allow.
 * - A gateway publishes only under its own `yulian/gateways/<id>/` (not `…/ack`, which only the platform
 *   publishes, and nothing retained) and subscribes only to its own `…/ack`.
 * - Any other client neither publishes into nor subscribes under `yulian/gateways/`, and receives nothing
 *   from there through a broader filter such as `#`; everything else stays as open as before.
 */

/**
 * Why `who` may not publish to `topic`, or undefined when it may.
 * @example publishRefusal({ kind: 'client' }, 'yulian/gateways/gw-1/telemetry', false) // 'gateway topics …'
 */
export function publishRefusal(who: MqttIdentity, topic: string, retain: boolean): string | undefined {
  if (topic.startsWith('$SYS/')) return '$SYS topics are reserved';
  if (who.kind === 'gateway') {
    if (!topic.startsWith(ownTree(who.gateway))) return `gateway ${who.gateway} may publish only under ${ownTree(who.gateway)}`;
    if (topic === gatewayUplinkTopics(who.gateway).ack) return 'acknowledgements come from the platform only';
    if (retain) return 'gateway topics take no retained messages';
    return undefined;
  }
  return inGatewayTree(topic) ? `${gatewayTopicRoot}/… is for gateways logged in with their own token` : undefined;
}

/**
 * Why `who` may not subscribe to `filter`, or undefined when it may.
 * @example subscribeRefusal({ kind: 'gateway', gateway: 'gw-1' }, 'yulian/gateways/gw-1/ack') // undefined
 */
export function subscribeRefusal(who: MqttIdentity, filter: string): string | undefined {
  if (who.kind === 'gateway') {
    const ack = gatewayUplinkTopics(who.gateway).ack;
    return filter === ack ? undefined : `gateway ${who.gateway} may subscribe only to ${ack}`;
  }
  return inGatewayTree(filter) ? `${gatewayTopicRoot}/… is for gateways logged in with their own token` : undefined;
}

/**
 * True when a message on `topic` may reach `who` (it subscribed with a filter that matches it).
 * @example mayReceive({ kind: 'client' }, 'yulian/gateways/gw-1/telemetry') // false, even when subscribed to '#'
 */
export function mayReceive(who: MqttIdentity, topic: string): boolean {
  if (!inGatewayTree(topic)) return true;
  return who.kind === 'gateway' && topic === gatewayUplinkTopics(who.gateway).ack;
}
