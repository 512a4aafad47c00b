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
  close(): Promise<void>;
}

/** Starts the embedded MQTT 3.1.1 broker on `port` (dual-stack), falling back to a free port when taken. */
export async function startEmbeddedBroker(options: { port: number; host: string; logger: Logger }): Promise<EmbeddedBroker> {
  const log = options.logger.child({ component: 'mqtt' });
  const broker = createBroker();
  broker.on('clientError', (client, err) => log.info({ clientId: client.id, err: err.message }, 'mqtt client error'));
  const server: Server = createServer(broker.handle);
  const port = await listenWithFallback({ server, service: 'MQTT broker', port: options.port, host: options.host, logger: log });
  let closed = false;
  return {
    port,
    clients: () => broker.connectedClients,
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
