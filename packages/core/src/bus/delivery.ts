import type { ZodType } from 'zod';
import type { Logger } from '../logging/index.js';
import type { Inflight } from './inflight.js';
import { decodePayload } from './payload.js';
import type { BusStats, MessageHandler } from './types.js';

/** What a bus shares with its subscription deliveries. */
export interface DeliveryContext {
  stats: BusStats;
  logger: Logger;
  inflight: Inflight;
}

/**
 * Validates one received payload and runs the handler on it. Bad payloads and handler failures are
 * counted and logged with the subject, never thrown: one bad message must not end a subscription.
 */
export function deliverMessage<T>(
  ctx: DeliveryContext,
  subscription: { schema: ZodType<T>; handler: MessageHandler<T> },
  subject: string,
  payload: string | Uint8Array,
): void {
  const decoded = decodePayload(subscription.schema, payload);
  if (!decoded.ok) {
    ctx.stats.rejected++;
    ctx.logger.warn({ subject, reason: decoded.error, bytes: decoded.raw.length }, 'bus message rejected');
    return;
  }
  ctx.stats.delivered++;
  const failed = (err: unknown): void => {
    ctx.stats.handlerErrors++;
    ctx.logger.error({ subject, err }, 'bus handler failed');
  };
  try {
    const result = subscription.handler({ subject, data: decoded.data });
    if (result instanceof Promise) ctx.inflight.track(result.catch(failed));
  } catch (err) {
    failed(err);
  }
}
