// What the load generators of `yulian bench resolve` (UDP and HTTP) share: the requests they pick, the
// clock, the latency log and the IPC loop with the bench process.
import { benchHandle, benchPrefix } from './register-records.js';

/** Nanoseconds of the monotonic clock, as a number (exact well beyond a run's length). */
export const now = (): number => Number(process.hrtime.bigint());

/**
 * The identifiers of `count` requests: random stored products 1 … stored (a tiny deterministic generator,
 * so every run and both halves ask for the same ones) and a share of unknown ones.
 */
export function requestedIdentifiers(count: number, stored: number, unknownShare: number): { handles: string[]; unknown: Uint8Array } {
  let seed = 0x9e3779b9;
  const random = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const handles: string[] = [];
  const unknown = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const isUnknown = random() < unknownShare;
    handles.push(isUnknown ? `${benchPrefix}/X${i}` : benchHandle(1 + Math.floor(random() * stored)));
    unknown[i] = isUnknown ? 1 : 0;
  }
  return { handles, unknown };
}

/** Latencies of a timed period (nanoseconds), growing as needed; percentiles in milliseconds. */
export class LatencyLog {
  private values = new Float64Array(1 << 20);
  count = 0;

  add(ns: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ns;
  }

  /** The p50 and p99 in milliseconds (NaN when nothing was logged). */
  percentiles(): { p50Ms: number; p99Ms: number } {
    const n = this.count;
    const sorted = this.values.subarray(0, n).sort();
    const pct = (p: number): number => (n ? sorted[Math.min(n - 1, Math.floor(n * p))]! / 1e6 : Number.NaN);
    return { p50Ms: pct(0.5), p99Ms: pct(0.99) };
  }
}

const send = (m: Record<string, unknown>): void => void process.send?.(m);

/**
 * The child's side of the IPC: says it is ready (with `ready`'s fields), then answers each
 * `{ type: 'run', …options }` with `{ type: 'done', …result }` or `{ type: 'failed', message }`.
 */
export function serveRuns<O, R extends object>(ready: Record<string, unknown>, run: (options: O) => Promise<R>): void {
  send({ type: 'ready', ...ready });
  process.on('message', (msg: { type: string } & O) => {
    if (msg.type !== 'run') return;
    void run(msg).then((r) => send({ type: 'done', ...r }), (e: unknown) => send({ type: 'failed', message: (e as Error).message }));
  });
}
