import { createServer, type Server } from 'node:net';
import type { Logger } from '@yulian/core';
import { createRequire } from 'node:module';
import type * as AedesModule from 'aedes';
import { type OpenedPort, listenWithFallback } from '../listen.js';

// aedes is CommonJS whose typings declare ESM exports; require() gives the real shape.
const { createBroker } = createRequire(import.meta.url)('aedes') as typeof AedesModule;

/** The embedded MQTT broker (aedes): gateways and Sparkplug devices publish here when no external broker is set. */
export interface EmbeddedBroker {
  readonly port: OpenedPort;
  /** Connected clients now. */
  clients(): number;
  /** Connections refused for bad credentials since start. */
  rejected(): number;
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
   */
  authenticate?: (username: string | undefined, password: string | undefined) => Promise<boolean>;
}

/**
 * Starts the embedded MQTT 3.1.1 broker on `port` (dual-stack), falling back to a free port when taken.
 * Clients that fail `authenticate` get CONNACK 4 (bad user name or password), are counted and logged.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const log = options.logger.child({ component: 'mqtt' });
  const check = options.authenticate;
  let rejected = 0;
  const broker = createBroker(
    check
      ? {
          authenticate(client, username, password, done) {
            check(username, password?.toString('utf8')).then(
              (ok) => {
                if (ok) return done(null, true);
                rejected++;
                log.info({ clientId: client.id, username, ip: client.conn && 'remoteAddress' in client.conn ? client.conn.remoteAddress : undefined }, 'mqtt connection refused: bad credentials');
                const err = Object.assign(new Error('bad user name or password'), { returnCode: 4 as const });
                done(err, false);
              },
              (err: unknown) => done(Object.assign(err instanceof Error ? err : new Error(String(err)), { returnCode: 3 as const }), false),
            );
          },
        }
      : {},
  );
  broker.on('clientError', (client, err) => log.info({ clientId: client.id, err: err.message }, 'mqtt client error'));
  const server: Server = createServer(broker.handle);
  const port = await listenWithFallback({ server, service: 'MQTT broker', port: options.port, host: options.host, logger: log });
  let closed = false;
  return {
    port,
    clients: () => broker.connectedClients,
    rejected: () => rejected,
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
