import { YulianError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { createMemoryBus } from './memory-bus.js';
import { createNatsBus } from './nats-bus.js';
import type { Bus } from './types.js';

/** Options of `createBus`. */
export interface BusOptions {
  /** `memory` (in-process, the default) or a `nats://host:port` URL of a JetStream-enabled server. */
  url: string;
  /** Prefix of JetStream stream names; default `YULIAN`. Tests pass a unique one per run. */
  streamPrefix?: string;
  /** Dotted prefix before every subject on the wire (NATS only); default none. */
  subjectPrefix?: string;
  logger?: Logger;
  /** How long `close()` and `Consumer.stop()` wait for running handlers; default 10 000 ms. */
  drainTimeoutMs?: number;
  /** How long to wait for the first NATS connection; default 3 000 ms. */
  connectTimeoutMs?: number;
}

/**
 * Opens the bus the URL names. Throws `BAD_REQUEST` for any other URL and `BUS_UNAVAILABLE` when
 * NATS cannot be reached.
 * @example const bus = await createBus({ url: config.bus.url, logger })
 */
export async function createBus(options: BusOptions): Promise<Bus> {
  const { url, logger, drainTimeoutMs } = options;
  if (url === 'memory') return createMemoryBus({ logger, drainTimeoutMs });
  if (/^(nats|tls):\/\/\S+$/.test(url)) return createNatsBus(options);
  throw new YulianError('BAD_REQUEST', `Bus url '${url}' is not supported: pass 'memory' or a nats://host:port URL.`);
}
