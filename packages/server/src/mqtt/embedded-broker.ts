import { createServer, type Server } from 'node:net';
import type { Logger } from '@yulian/core';
import { createRequire } from 'node:module';
import type * as AedesModule from 'aedes';
import { type OpenedPort, listenWithFallback } from '../listen.js';
import { type MqttIdentity, mayReceive, publishRefusal, subscribeRefusal } from './gateway-acl.js';

// aedes is CommonJS whose typings declare ESM exports; require() gives the real shape.
const { createBroker } = createRequire(import.meta.url)('aedes') as typeof AedesModule;

/** A message as the broker relays it. */
export interface BrokerMessage {
  topic: string;
  payload: Buffer;
}

/** The embedded MQTT broker (aedes): gateways and Sparkplug devices publish here when no external broker is set. */
export interface EmbeddedBroker {
  readonly port: OpenedPort;
  /** Connected clients now. */
  clients(): number;
  /** Connections refused for bad credentials since start. */
  rejected(): number;
  /** Publishes and subscriptions the gateway-topic ACL refused since start. */
  denied(): number;
  /**
   * Subscribes in-process to `filter` (wildcards allowed), past the ACL: `deliver` gets every matching
   * message a client publishes. Resolves once subscribed, with the function that unsubscribes.
   * @example const off = await broker.subscribe('yulian/gateways/+/telemetry', (m) => handle(m)); await off()
   */
  subscribe(filter: string, deliver: (message: BrokerMessage) => void): Promise<() => Promise<void>>;
  /** Publishes as the platform, past the ACL; resolves once the broker has handed it to the subscribers. */
  publish(message: { topic: string; payload: string | Buffer; qos?: 0 | 1 }): Promise<void>;
  close(): Promise<void>;
}

/** Options of `startEmbeddedBroker`. */
export interface EmbeddedBrokerOptions {
  port: number;
  host: string;
  logger: Logger;
  /**
   * Checks a client's credentials; without it every client is let in (only when the operator chose
   * `mqtt.allowAnonymous`). Yulian passes a check that takes an API token as the MQTT password.
   * Answer `{ gateway: id }` for a registered gateway's token: the client may then use that gateway's
   * uplink topics (`yulian/gateways/<id>/…`) and nothing else; `true` lets in any other client, which
   * may use everything but the gateway topics.
   */
  authenticate?: (username: string | undefined, password: string | undefined) => Promise<boolean | { gateway: string }>;
}

/**
 * Starts the embedded MQTT 3.1.1 broker on `port` (dual-stack), falling back to a free port when taken.
 * Clients that fail `authenticate` get CONNACK 4 (bad user name or password), are counted and logged.
 * The gateway uplink topics are guarded (see `gateway-acl.ts`): a refused publish closes the client's
 * connection, a refused subscription gets QoS 128; both are counted (`denied()`) and logged.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const log = options.logger.child({ component: 'mqtt' });
  const check = options.authenticate;
  const identities = new WeakMap<AedesModule.Client, MqttIdentity>();
  const identityOf = (client: AedesModule.Client | null): MqttIdentity => (client && identities.get(client)) || { kind: 'client' };
  let rejected = 0;
  let denied = 0;
  const deny = (client: AedesModule.Client | null, what: { topic: string; reason: string; action: 'publish' | 'subscribe' }): void => {
    denied++;
    const who = identityOf(client);
    log.warn({ clientId: client?.id, ...(who.kind === 'gateway' ? { gateway: who.gateway } : {}), ...what }, `mqtt ${what.action} refused`);
  };
  const broker = createBroker({
    ...(check
      ? {
          authenticate(client, username, password, done) {
            check(username, password?.toString('utf8')).then(
              (ok) => {
                if (ok) {
                  identities.set(client, ok === true ? { kind: 'client' } : { kind: 'gateway', gateway: ok.gateway });
                  return done(null, true);
                }
                rejected++;
                log.info({ clientId: client.id, username, ip: client.conn && 'remoteAddress' in client.conn ? client.conn.remoteAddress : undefined }, 'mqtt connection refused: bad credentials');
                const err = Object.assign(new Error('bad user name or password'), { returnCode: 4 as const });
                done(err, false);
              },
              (err: unknown) => done(Object.assign(err instanceof Error ? err : new Error(String(err)), { returnCode: 3 as const }), false),
            );
          },
        }
      : {}),
    // A refused publish closes the client's connection (MQTT 3.1.1 has no negative PUBACK).
    authorizePublish(client, packet, done) {
      const reason = publishRefusal(identityOf(client), packet.topic, packet.retain);
      if (reason === undefined) return done(null);
      deny(client, { action: 'publish', topic: packet.topic, reason });
      done(new Error(`publish to ${packet.topic} refused: ${reason}`));
    },
    // A refused subscription is granted QoS 128 (failure); the connection stays.
    authorizeSubscribe(client, sub, done) {
      const reason = subscribeRefusal(identityOf(client), sub.topic);
      if (reason === undefined) return done(null, sub);
      deny(client, { action: 'subscribe', topic: sub.topic, reason });
      done(null, null);
    },
    // Catches what a broad filter (`#`, `yulian/#`) would otherwise let through.
    authorizeForward: (client, packet) => (mayReceive(identityOf(client), packet.topic) ? packet : null),
  });
  broker.on('clientError', (client, err) => log.info({ clientId: client.id, err: err.message }, 'mqtt client error'));
  const server: Server = createServer({ noDelay: true }, broker.handle);
  const port = await listenWithFallback({ server, service: 'MQTT broker', port: options.port, host: options.host, logger: log });
  let closed = false;
  return {
    port,
    clients: () => broker.connectedClients,
    rejected: () => rejected,
    denied: () => denied,
    async subscribe(filter, deliver) {
      const deliverfunc = (packet: AedesModule.AedesPublishPacket, done: () => void): void => {
        done();
        try {
          deliver({ topic: packet.topic, payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload) });
        } catch (err) {
          log.error({ err, topic: packet.topic }, 'in-process subscriber failed');
        }
      };
      await new Promise<void>((resolve) => broker.subscribe(filter, deliverfunc, resolve));
      return () => new Promise<void>((resolve) => broker.unsubscribe(filter, deliverfunc, resolve));
    },
    publish: (message) =>
      new Promise<void>((resolve, reject) =>
        broker.publish({ cmd: 'publish', topic: message.topic, payload: message.payload, qos: message.qos ?? 0, retain: false, dup: false }, (err) => (err ? reject(err) : resolve())),
      ),
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Close live client sockets too, or server.close waits for them.
        server.unref();
        setTimeout(resolve, 2000).unref();
      });
    },
  };
}
