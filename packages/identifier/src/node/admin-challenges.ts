import type { AdminRequest, Challenge, Header } from '@yulian/protocols';

/** An administration request waiting for its challenge to be answered. */
export interface PendingChallenge {
  challenge: Challenge;
  request: AdminRequest;
  /** The request's header (its opcode, flags and expiration answer the final response). */
  header: Header;
  /** Epoch ms after which the answer is refused (RC 405). */
  expires: number;
}

/** Options of {@link ChallengeTable}. */
export interface ChallengeTableOptions {
  /** How long a challenge may be answered; default 30,000 ms. */
  lifetimeMs?: number;
  /** Most challenges pending at once; beyond it the oldest is dropped. Default 10,000. */
  maxPending?: number;
  now?: () => number;
}

/**
 * The challenges a node has sent and not seen answered, keyed by the client's address and the request
 * id (a client answers with the request's id, over UDP from anywhere on its host, over TCP on the same
 * connection). Each is taken once: an answer sent again finds nothing (RC 405), as does one too late.
 * Bounded: when full, the oldest is dropped, so a flood of unanswered requests costs memory only up to
 * the bound, and costs a legitimate client at most a retry.
 */
export class ChallengeTable {
  private readonly pending = new Map<string, PendingChallenge>();
  private readonly lifetimeMs: number;
  private readonly maxPending: number;
  private readonly now: () => number;

  constructor(options: ChallengeTableOptions = {}) {
    this.lifetimeMs = options.lifetimeMs ?? 30_000;
    this.maxPending = options.maxPending ?? 10_000;
    this.now = options.now ?? Date.now;
    if (!(this.lifetimeMs > 0) || !(this.maxPending > 0)) throw new Error('a challenge table needs lifetimeMs > 0 and maxPending > 0');
  }

  /** Keeps a challenge until it is answered or expires. */
  put(key: string, entry: Omit<PendingChallenge, 'expires'>): void {
    const now = this.now();
    this.sweep(now);
    this.pending.delete(key);
    while (this.pending.size >= this.maxPending) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
    this.pending.set(key, { ...entry, expires: now + this.lifetimeMs });
  }

  /** Takes the challenge of a key: the entry, 'EXPIRED', or undefined when none was sent (or it was answered already). */
  take(key: string): PendingChallenge | 'EXPIRED' | undefined {
    const entry = this.pending.get(key);
    if (!entry) return undefined;
    this.pending.delete(key);
    return entry.expires < this.now() ? 'EXPIRED' : entry;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Drops expired entries from the front (insertion order is expiry order). */
  private sweep(now: number): void {
    for (const [key, e] of this.pending) {
      if (e.expires >= now) break;
      this.pending.delete(key);
    }
  }
}
