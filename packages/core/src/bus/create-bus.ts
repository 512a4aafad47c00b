import { YulianError } from '../errors/index.js';
import { createMemoryBus } from './memory-bus.js';
import { type NatsBusOptions, createNatsBus } from './nats-bus.js';
import type { Bus } from './types.js';

/**
 * Options of `createBus`: those of the NATS bus, whose `url` may also be `memory` (in-process, the
 * default); the memory bus uses only `logger` and `drainTimeoutMs`.
 */
export type BusOptions = NatsBusOptions;

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
