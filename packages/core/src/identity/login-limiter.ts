/**
 * Counts login attempts per client address in a one-minute fixed window. It is per process; the
 * per-account lockout, kept in the store, is the limit shared by every API node.
 */
export function createLoginLimiter(perMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Records an attempt; false when the address is over its limit. */
    attempt(key: string): boolean {
      const t = now();
      const w = windows.get(key);
      if (!w || t - w.start >= 60_000) {
        if (windows.size > 10_000) for (const [k, v] of windows) if (t - v.start >= 60_000) windows.delete(k);
        windows.set(key, { start: t, count: 1 });
        return true;
      }
      w.count++;
      return w.count <= perMinute;
    },
  };
}
