/**
 * Alarm notifications (issue 6): the outbox dispatcher and the delivery sender on one loop, the channel
 * and subscription store, test sends, and listeners for every dispatched alarm event (the console's live
 * stream). Started by the alarm service; everything it needs to survive a restart is in the store.
 */
import type { AlarmEvent, NotificationChannel } from '@yulian/contracts';
import { type Config, type Logger, type Scope, type Store, YulianError } from '@yulian/core';
import { type ChannelStore, createChannelStore } from './channel-store.js';
import { type Deliveries, createDeliveries } from './deliveries.js';
import { createDispatcher } from './dispatcher.js';
import { type FloodState, createFloodView } from './flood.js';
import { testMessage } from './messages.js';
import { sendThrough } from './senders.js';

/** The notification side of the alarm service. */
export interface NotificationService {
  channels: ChannelStore;
  deliveries: Pick<Deliveries, 'list' | 'redrive'>;
  /** Sends the channel's test message now (to `address` for email). @throws NOTIFICATION_SEND_FAILED */
  testSend(channel: NotificationChannel, address: string | null): Promise<void>;
  /**
   * The alarm flood state of a scope (more than `perRecipient` alarms in 10 minutes) and of a user's own
   * notifications (held past the limit, summarised once per window): for the console's banner.
   */
  flood(caller: { scope: Scope; username: string; tenantId: string | null }): Promise<FloodState>;
  /** Hears every dispatched alarm event (quiet ones too); answers a function that stops listening. */
  onEvent(listener: (tenantId: string | null, event: AlarmEvent) => void): () => void;
  /** Runs a round now (after an alarm change) instead of at the next poll. */
  kick(): void;
  /** Dispatches every pending event and waits for the sends that started (tests, shutdown). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startNotificationService}. */
export interface NotificationServiceOptions {
  store: Store;
  logger: Logger;
  /** Retries and limits (config `notifications`). */
  settings: Config['notifications'];
  now?: () => number;
  random?: () => number;
  /** How often the outbox and the due deliveries are looked at. Default 250 ms. */
  pollMs?: number;
}

/**
 * Starts the loop.
 * @example const notifications = startNotificationService({ store, logger, settings: config.notifications }); notifications.onEvent((t, e) => hub.publishAlarm(t, e))
 */
export function startNotificationService(options: NotificationServiceOptions): NotificationService {
  const log = options.logger.child({ component: 'notifications' });
  const now = options.now ?? Date.now;
  const s = options.settings;
  const channels = createChannelStore(options.store, now);
  const listeners = new Set<(tenantId: string | null, event: AlarmEvent) => void>();
  const windowMs = 10 * 60_000;
  const floodView = createFloodView({ store: options.store, channels, limit: s.perRecipient, windowMs, now });
  const dispatcher = createDispatcher({
    store: options.store,
    channels,
    // `perRecipient` (config) is the operator's limit: counted per user over all the user's channels.
    limits: { perDevice: s.perDevice, perRule: s.perRule, perUser: s.perRecipient, windowMs },
    now,
    logger: log,
    onEvent: (tenantId, event) => {
      for (const l of listeners) {
        try {
          l(tenantId, event);
        } catch (err) {
          log.error({ err }, 'alarm event listener failed');
        }
      }
    },
  });
  const deliveries = createDeliveries({ store: options.store, channels, policy: { baseMs: s.retryBaseMs, maxAttempts: s.maxAttempts }, now, random: options.random ?? Math.random, logger: log });

  let round: Promise<void> = Promise.resolve();
  let again = false;
  let running = false;
  let closed = false;
  const runRound = (): Promise<void> => {
    if (running) {
      again = true;
      return round;
    }
    running = true;
    round = (async () => {
      do {
        again = false;
        try {
          await dispatcher.dispatch();
          await deliveries.pump();
        } catch (err) {
          log.error({ err }, 'notification round failed');
        }
      } while (again && !closed);
      running = false;
    })();
    return round;
  };
  const timer = setInterval(() => void runRound(), options.pollMs ?? 250);
  timer.unref();

  return {
    channels,
    deliveries,
    async testSend(channel, address) {
      const { config } = await channels.config(channel.id);
      try {
        await sendThrough(config, testMessage(channel.name, now()), address, now());
      } catch (e) {
        throw new YulianError('NOTIFICATION_SEND_FAILED', `The test message did not go through: ${(e as Error).message}`, { details: { error: (e as Error).message } });
      }
    },
    flood: (caller) => floodView.state(caller.scope, caller.username, caller.tenantId),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    kick: () => void runRound(),
    async drain() {
      await runRound();
      while (running) await round;
      await runRound();
      await deliveries.settle();
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await round;
      await deliveries.settle();
    },
  };
}
