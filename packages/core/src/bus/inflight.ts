/** Tracks running handler promises so that close/stop can wait for them, bounded. */
export interface Inflight {
  readonly size: number;
  track(promise: Promise<unknown>): void;
  /** Resolves true when all tracked promises settled, false when `timeoutMs` passed first. */
  settled(timeoutMs: number): Promise<boolean>;
}

/** A fresh in-flight tracker. */
export function createInflight(): Inflight {
  const running = new Set<Promise<unknown>>();
  return {
    get size() {
      return running.size;
    },
    track(promise) {
      const done = promise.then(
        () => undefined,
        () => undefined,
      );
      running.add(done);
      void done.then(() => running.delete(done));
    },
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // Handlers started while we wait are waited for too, within the same deadline.
      while (running.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const all = Promise.all([...running]).then(() => true);
        if (!(await withTimeout(all, left, false))) return false;
      }
      return true;
    },
  };
}

/** Resolves with `promise`'s value, or with `fallback` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
