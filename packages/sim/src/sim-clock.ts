import { YulianError } from '@yulian/core';

/** Length of one simulation tick, ms: the models advance in steps of at most this. */
export const simTickMs = 100;
// After a long stall (a suspended laptop) the simulation does not replay hours at once.
const maxCatchUpMs = 10_000;
const defaultStart = Date.UTC(2025, 2, 3, 0, 0); // Monday 08:00 in Chongqing, the start of the day shift

/** What a {@link SimClock} does as time passes. */
export interface SimClockHandlers {
  /** Advances the models by one tick of `dtMs` ending at `now`. */
  tick(now: number, dtMs: number): void;
  /** Shows the models' state once an advance is done (registers, variables, reports). */
  publish(now: number): void;
}

/** Simulated time, advanced in whole ticks by `step(ms)` or from the wall clock. */
export interface SimClock {
  /** Simulation time, epoch ms. */
  now(): number;
  /** Starts driving the models; with `realTime`, follows the wall clock every tick until `stop()`. */
  drive(handlers: SimClockHandlers): void;
  /** Advances by `ms` in whole ticks (a remainder waits for the next advance), then publishes. @throws YulianError VALIDATION_FAILED */
  step(ms: number): void;
  /** Stops following the wall clock. */
  stop(): void;
}

/**
 * A clock starting at `start`, by default now when real-time, else 2025-03-03 08:00 China time.
 * @example const clock = createSimClock({ realTime: false }); clock.drive({ tick, publish }); clock.step(1_000)
 */
export function createSimClock(options: { start?: number | undefined; realTime: boolean }): SimClock {
  const { realTime } = options;
  let now = options.start ?? (realTime ? Date.now() : defaultStart);
  let handlers: SimClockHandlers | undefined;
  let pending = 0; // simulated ms not yet ticked, below one tick
  let timer: NodeJS.Timeout | undefined;

  const advance = (ms: number): void => {
    if (!handlers) return;
    pending += ms;
    while (pending >= simTickMs) {
      pending -= simTickMs;
      now += simTickMs;
      handlers.tick(now, simTickMs);
    }
    handlers.publish(now);
  };

  return {
    now: () => now,
    drive(next) {
      handlers = next;
      if (!realTime || timer) return;
      let last = Date.now();
      timer = setInterval(() => {
        const t = Date.now();
        advance(Math.min(maxCatchUpMs, Math.max(0, t - last)));
        last = t;
      }, simTickMs);
      // The servers keep the process alive; the clock alone should not.
      timer.unref();
    },
    step(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new YulianError('VALIDATION_FAILED', `step(${ms}): pass a duration of 0 or more milliseconds.`);
      advance(ms);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
