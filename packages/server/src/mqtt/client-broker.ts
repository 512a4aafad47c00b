import { type MqttClient, connectAsync } from 'mqtt';
import type { BrokerMessage, EmbeddedBroker } from './embedded-broker.js';

/** The platform's side of an external MQTT broker, shaped like the embedded broker for the uplink bridge. */
export interface ClientBroker extends Pick<EmbeddedBroker, 'subscribe' | 'publish'> {
  readonly client: MqttClient;
  close(): Promise<void>;
}

/**
 * Connects to an external broker (Mosquitto, EMQX …) as an MQTT client that the telemetry bridge can
 * use instead of the embedded broker. Messages are received at QoS 1. The broker's own ACL must keep
 * each gateway to its own topics (the embedded broker does that itself).
 * @example const broker = await connectClientBroker({ url: 'mqtt://127.0.0.1:1883' })
 */
export async function connectClientBroker(options: { url: string; clientId?: string }): Promise<ClientBroker> {
  const client = await connectAsync(options.url, { clientId: options.clientId ?? `yulian-platform-${process.pid}-${Date.now().toString(36)}`, reconnectPeriod: 1000, clean: true });
  const handlers: Array<{ filter: string; test: (topic: string) => boolean; deliver: (m: BrokerMessage) => void }> = [];
  client.on('message', (topic, payload) => {
    for (const h of handlers) if (h.test(topic)) h.deliver({ topic, payload });
  });
  return {
    client,
    async subscribe(filter, deliver) {
      const re = new RegExp(`^${filter.split('/').map((p) => (p === '+' ? '[^/]+' : p === '#' ? '.*' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
      const h = { filter, test: (t: string) => re.test(t), deliver };
      handlers.push(h);
      await client.subscribeAsync(filter, { qos: 1 });
      return async () => {
        handlers.splice(handlers.indexOf(h), 1);
        await client.unsubscribeAsync(filter).catch(() => undefined);
      };
    },
    async publish(message) {
      await client.publishAsync(message.topic, message.payload, { qos: message.qos ?? 0 });
    },
    close: () => client.endAsync(),
  };
}
