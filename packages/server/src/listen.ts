import type { Server as NetServer } from 'node:net';
import type { Logger } from '@yulian/core';

/** Where a service ended up listening, for the start-up block. */
export interface OpenedPort {
  service: string;
  port: number;
  protocol: 'tcp' | 'udp';
  /** Set when the configured port was taken and a free one was used instead. */
  fallbackFrom?: number;
}

const listenOnce = (server: NetServer, port: number, host: string | undefined): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, ...(host ? { host } : {}), ipv6Only: false });
  });

/**
 * Listens on `port`, dual-stack. When the port is taken, logs one clear line and listens on a free
 * port instead (port 0 always picks a free one). Any other error is thrown with a plain message.
 */
export async function listenWithFallback(options: { server: NetServer; service: string; port: number; host?: string; logger: Logger }): Promise<OpenedPort> {
  const { server, service, port, logger } = options;
  const host = options.host === '::' ? undefined : options.host;
  try {
    return { service, protocol: 'tcp', port: await listenOnce(server, port, host) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const actual = await listenOnce(server, 0, host);
      logger.warn({ service, port, fallback: actual }, `${service}: port ${port} is ${code === 'EACCES' ? 'not allowed' : 'in use'}; listening on ${actual} instead`);
      return { service, protocol: 'tcp', port: actual, fallbackFrom: port };
    }
    throw new Error(`${service}: cannot listen on port ${port}: ${(e as Error).message}`, { cause: e });
  }
}
