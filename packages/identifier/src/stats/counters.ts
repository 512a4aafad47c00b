import { ResponseCode } from '@yulian/protocols';

/** The counters kept per node, prefix and UTC day. */
export interface StatCounters {
  /** New records (a replaced or repeated one is not counted). */
  registrations: number;
  /** Resolutions answered, whatever the outcome. */
  resolutions: number;
  /** … of which with values (RC 1). */
  resolved: number;
  /** … of which "handle not found" or "no values of the requested types" (RC 100, 200). */
  notFound: number;
  /** … of which for an invalid identifier (RC 102). */
  invalid: number;
}

/** One prefix's counters on one UTC day. */
export interface StatRow extends StatCounters {
  prefix: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
}

/** The bucket for prefixes beyond the bound of one flush window. */
export const otherPrefix = '(other)';
/** The bucket for invalid identifiers (their text is not a prefix worth a row). */
export const invalidPrefix = '(invalid)';

const dayMs = 86_400_000;

/** `YYYY-MM-DD` of a UTC day number (days since the epoch). */
export const dayString = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);
/** The UTC day (`YYYY-MM-DD`) of an epoch-millisecond time. */
export const utcDay = (ms: number): string => dayString(Math.floor(ms / dayMs));

/** Mutable counters: a class so that V8 gives every bucket one shape and increments stay cheap. */
class Bucket implements StatCounters {
  registrations = 0;
  resolutions = 0;
  resolved = 0;
  notFound = 0;
  invalid = 0;
}

/** Options of {@link createStatCounter}. */
export interface StatCounterOptions {
  /** Distinct prefixes per day and flush window; the rest are counted under `(other)`. Default 10,000. */
  maxPrefixes?: number;
  /** The clock (epoch ms), for tests. */
  now?: () => number;
}

/**
 * In-memory counters per prefix and UTC day, between two flushes. Not a store: {@link StatCounter.take}
 * hands the counts over and starts again from zero.
 */
export interface StatCounter {
  /** Counts one resolution of a normalised identifier with its response code. The hot path: no allocation for a repeated prefix. */
  resolution(handle: string, rc: number): void;
  /** Counts new records of a normalised identifier's prefix. */
  registration(handle: string, count?: number): void;
  /** Counts a resolution of an invalid identifier (under `(invalid)`). */
  invalid(): void;
  /** The counts since the last take (non-zero rows), clearing them. */
  take(): StatRow[];
  /** Adds rows back (a flush that failed), within the same bound. */
  restore(rows: readonly StatRow[]): void;
}

/**
 * Creates the counters of one node. Memory is bounded: at most `maxPrefixes` + 2 buckets per day, and a
 * day's buckets live only until the next take.
 * @example const c = createStatCounter(); c.resolution('88.100.1/A', 1); c.take() // [{ prefix: '88.100.1', resolutions: 1, … }]
 */
export function createStatCounter(options: StatCounterOptions = {}): StatCounter {
  const now = options.now ?? Date.now;
  const maxPrefixes = options.maxPrefixes ?? 10_000;
  if (!(maxPrefixes >= 1)) throw new Error(`maxPrefixes must be at least 1, not ${maxPrefixes}`);
  /** Days with counts since the last take (usually one; two across midnight). */
  const days = new Map<number, Map<string, Bucket>>();
  let day = 0;
  let dayEnd = 0;
  let buckets = new Map<string, Bucket>();
  // The last prefix's bucket: traffic is dominated by a few prefixes, so most calls stop here.
  let lastPrefix = '';
  let lastBucket: Bucket | undefined;

  const dayBuckets = (d: number): Map<string, Bucket> => {
    let m = days.get(d);
    if (!m) days.set(d, (m = new Map()));
    return m;
  };
  const roll = (t: number): void => {
    day = Math.floor(t / dayMs);
    dayEnd = (day + 1) * dayMs;
    buckets = dayBuckets(day);
    lastBucket = undefined;
  };
  /** A prefix's bucket in a day's map, or `(other)` once the map holds `maxPrefixes` real prefixes. */
  const bucketIn = (m: Map<string, Bucket>, prefix: string): Bucket => {
    let b = m.get(prefix);
    if (b) return b;
    const special = prefix === otherPrefix || prefix === invalidPrefix;
    const real = m.size - (m.has(otherPrefix) ? 1 : 0) - (m.has(invalidPrefix) ? 1 : 0);
    const key = special || real < maxPrefixes ? prefix : otherPrefix;
    b = m.get(key);
    if (!b) m.set(key, (b = new Bucket()));
    return b;
  };
  const bucketOf = (handle: string): Bucket => {
    // A clock going back leaves the counts on the current day; only a new day starts new buckets.
    if (now() >= dayEnd) roll(now());
    const p = lastPrefix;
    if (lastBucket !== undefined && handle.charCodeAt(p.length) === 47 && handle.startsWith(p)) return lastBucket;
    const slash = handle.indexOf('/');
    const prefix = slash < 0 ? handle : handle.slice(0, slash);
    const b = bucketIn(buckets, prefix);
    lastPrefix = prefix;
    lastBucket = b;
    return b;
  };

  return {
    resolution(handle, rc) {
      const b = bucketOf(handle);
      b.resolutions++;
      if (rc === ResponseCode.SUCCESS) b.resolved++;
      else if (rc === ResponseCode.HANDLE_NOT_FOUND || rc === ResponseCode.VALUES_NOT_FOUND) b.notFound++;
      else if (rc === ResponseCode.INVALID_HANDLE) b.invalid++;
    },
    registration(handle, count = 1) {
      bucketOf(handle).registrations += count;
    },
    invalid() {
      if (now() >= dayEnd) roll(now());
      const b = bucketIn(buckets, invalidPrefix);
      b.resolutions++;
      b.invalid++;
    },
    take() {
      const rows: StatRow[] = [];
      for (const [d, m] of days) {
        const dayText = dayString(d);
        for (const [prefix, b] of m) {
          if (b.registrations || b.resolutions) rows.push({ prefix, day: dayText, registrations: b.registrations, resolutions: b.resolutions, resolved: b.resolved, notFound: b.notFound, invalid: b.invalid });
        }
      }
      days.clear();
      dayEnd = 0;
      lastBucket = undefined;
      return rows;
    },
    restore(rows) {
      for (const r of rows) {
        const d = Math.floor(Date.parse(`${r.day}T00:00:00Z`) / dayMs);
        const b = bucketIn(dayBuckets(d), r.prefix);
        b.registrations += r.registrations;
        b.resolutions += r.resolutions;
        b.resolved += r.resolved;
        b.notFound += r.notFound;
        b.invalid += r.invalid;
      }
      // The current day's map may have been created here: look it up again at the next count.
      dayEnd = 0;
      lastBucket = undefined;
    },
  };
}
