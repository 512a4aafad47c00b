import { defaultMinCommandIntervalMs } from '@yulian/contracts';
import { YulianError } from '@yulian/core';

/** The per-point command interlock: at most one command per point per interval. */
export interface PointRateLimiter {
  /** Throws COMMAND_RATE_LIMITED when `key` had a command less than `intervalMs` ago; changes nothing. */
  check(key: string, intervalMs: number | undefined): void;
  /** Records a command to `key` now. */
  mark(key: string): void;
}

/**
 * Creates the limiter. It lives in memory, per platform process: a restart forgets it, which at worst
 * lets one command through early.
 * @example const rl = createPointRateLimiter(); rl.check('cnc-01/setpoint', 1000); rl.mark('cnc-01/setpoint')
 */
export function createPointRateLimiter(options: { now?: () => number; maxKeys?: number } = {}): PointRateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const last = new Map<string, number>();
  return {
    check(key, intervalMs = defaultMinCommandIntervalMs) {
      const at = last.get(key);
      if (at === undefined) return;
      const wait = at + intervalMs - now();
      if (wait > 0) {
        throw new YulianError('COMMAND_RATE_LIMITED', `${key} was commanded ${now() - at} ms ago; its minimum command interval is ${intervalMs} ms. Try again in ${wait} ms.`, {
          details: { retryAfterMs: wait, minCommandIntervalMs: intervalMs },
        });
      }
    },
    mark(key) {
      last.delete(key);
      last.set(key, now());
      // Oldest first in insertion order: drop the stalest when the map is full.
      if (last.size > maxKeys) last.delete(last.keys().next().value as string);
    },
  };
}
