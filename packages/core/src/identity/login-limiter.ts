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

/**
 * Failed logins for usernames that do not exist, counted like real accounts' failures (in process,
 * bounded), so that lockout answers cannot be used to enumerate usernames.
 */
export function createUnknownUserLockout(threshold: number, minutes: number) {
  const entries = new Map<string, { failures: number; lockedUntil: number }>();
  return {
    /** Records a failure; true when the (unknown) username is now locked. */
    fail(username: string, now: number): boolean {
      const key = username.toLowerCase();
      const e = entries.get(key) ?? { failures: 0, lockedUntil: 0 };
      if (e.lockedUntil > now) return true;
      if (e.lockedUntil !== 0) e.lockedUntil = e.failures = 0;
      e.failures++;
      if (e.failures >= threshold) e.lockedUntil = now + minutes * 60_000;
      if (entries.size > 10_000) entries.delete(entries.keys().next().value as string);
      entries.set(key, e);
      return false;
    },
  };
}
