import { type HandleTarget, type HandleValue, type SiteInfo, ResponseCode, decodeSite, naPrefix, resolveHandle } from '@yulian/protocols';
import { prefixChain, tryParseIdentifier, identifierProblems } from '../syntax.js';
import type { ResolutionAnswer, ResolutionBackend, ResolutionFilters } from './backend.js';

/** Options of {@link createRecursiveResolver}. */
export interface RecursiveResolverOptions {
  /** The top-level node(s) where every walk starts (the first that answers is used). */
  root: readonly HandleTarget[];
  /** Answers cached at most (least recently used go first). Default 100,000. */
  maxEntries?: number;
  /** How long "not found" is remembered, seconds. Default 60. */
  negativeTtlSeconds?: number;
  /** Cap on any cached TTL, seconds. Default 86,400. */
  maxTtlSeconds?: number;
  /** Delegations followed at most in one resolution. Default 8. */
  maxReferrals?: number;
  /** Per request to a node (UDP, then TCP when truncated). Default 2,000 ms. */
  timeoutMs?: number;
  now?: () => number;
}

/** What the resolver has done since it started. */
export interface ResolverStats {
  resolutions: number;
  cacheHits: number;
  negativeHits: number;
  queries: number;
  failures: number;
  loops: number;
}

/** A recursive resolver: a resolution backend that follows delegation and caches by TTL. */
export interface RecursiveResolver extends ResolutionBackend {
  stats(): ResolverStats;
  /** Forgets every cached answer and delegation. */
  flush(): void;
}

type Cached = { expires: number; answer: ResolutionAnswer };
/** Where a prefix's identifiers (and deeper delegations) are asked for. */
type Delegation = { expires: number; target: HandleTarget };

const none: ResolutionFilters = { indexes: [], types: [] };
const keyOf = (handle: string, f: ResolutionFilters): string => (f.indexes.length || f.types.length ? `${handle}\u0000${f.indexes.join(',')}\u0000${f.types.join(',')}` : handle);
const show = (t: HandleTarget): string => `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;

/** Seconds a set of values may be cached: the smallest relative TTL, or until the earliest absolute one. */
function ttlOf(values: readonly HandleValue[], nowSeconds: number, cap: number): number {
  let ttl = cap;
  for (const v of values) ttl = Math.min(ttl, v.ttlType === 0 ? v.ttl : Math.max(0, v.ttl - nowSeconds));
  return ttl;
}

/** The query address of a site: its first server's UDP (or TCP) query interface. */
export function siteTarget(site: SiteInfo): HandleTarget | undefined {
  for (const s of site.servers) {
    const i = s.interfaces.find((x) => (x.type === 2 || x.type === 3) && (x.protocol === 0 || x.protocol === 1));
    if (i) return { host: s.address, port: i.port };
  }
  return undefined;
}

/**
 * Creates a recursive resolver (公共递归节点). For `88.100.1/x` it walks the prefixes from the root:
 * asks the current node for `0.NA/88`, `0.NA/88.100`, `0.NA/88.100.1` (types HS_SITE and
 * HS_SITE.PREFIX), moves to the site a prefix is delegated to, and stops where a prefix is not
 * delegated further; the identifier is resolved there. Answers and delegations are cached by their
 * TTL, "not found" for `negativeTtlSeconds`; a cached answer is served until it expires, even while
 * its node is down. A delegation back to a node already left is reported as a loop (RC 6), more than
 * `maxReferrals` delegations likewise; a node that does not answer is reported by address (RC 2).
 */
export function createRecursiveResolver(options: RecursiveResolverOptions): RecursiveResolver {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100_000;
  const negativeTtl = options.negativeTtlSeconds ?? 60;
  const maxTtl = options.maxTtlSeconds ?? 86_400;
  const maxReferrals = options.maxReferrals ?? 8;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const answers = new Map<string, Cached>();
  const delegations = new Map<string, Delegation>();
  const stats: ResolverStats = { resolutions: 0, cacheHits: 0, negativeHits: 0, queries: 0, failures: 0, loops: 0 };

  const remember = (key: string, answer: ResolutionAnswer, ttlSeconds: number): void => {
    if (ttlSeconds <= 0) return;
    if (answers.size >= maxEntries) answers.delete(answers.keys().next().value!);
    answers.set(key, { expires: now() + ttlSeconds * 1000, answer });
  };

  class Unreachable extends Error {}

  async function ask(target: HandleTarget, handle: string, filters: { indexes?: number[]; types?: string[] }) {
    stats.queries++;
    try {
      return await resolveHandle(target, handle, filters, { timeoutMs });
    } catch (e) {
      throw new Unreachable(`node ${show(target)} did not answer for ${handle} (UDP, then TCP if asked): ${(e as Error).message}`);
    }
  }

  /**
   * Where a prefix handle `0.NA/x` lives: with the prefix above x, whose node delegates x (`0.NA/88.100.1`
   * on 88.100's node); a top-level prefix's at the root. The empty prefix stands for the root.
   */
  const delegatingPrefix = (prefixHandle: string): string => {
    const x = prefixHandle.slice(naPrefix.length + 1);
    return x.includes('.') ? x.slice(0, x.lastIndexOf('.')) : '';
  };

  /** The node holding a prefix's identifiers, following delegation from the root (the root itself for ''). */
  async function serviceOf(prefix: string): Promise<HandleTarget> {
    const chain = prefix ? prefixChain(prefix) : [];
    // Start from the longest prefix whose delegation is cached.
    let current: HandleTarget = options.root[0]!;
    let from = 0;
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = delegations.get(chain[i]!);
      if (d && d.expires > now()) {
        current = d.target;
        from = i + 1;
        break;
      }
    }
    const path = [show(current)];
    let referrals = 0;
    for (let i = from; i < chain.length; i++) {
      const p = chain[i]!;
      const r = await ask(current, `${naPrefix}/${p}`, { types: ['HS_SITE', 'HS_SITE.PREFIX'] });
      if (r.rc !== ResponseCode.SUCCESS || !('values' in r)) {
        // Not delegated further (or not known here): the current node holds the prefix.
        delegations.set(p, { expires: now() + negativeTtl * 1000, target: current });
        break;
      }
      const site = r.values.map((v) => decodeSite(v.data)).map(siteTarget).find((t) => t !== undefined);
      const ttl = ttlOf(r.values, Math.floor(now() / 1000), maxTtl);
      if (!site) break;
      const same = site.host === current.host && site.port === current.port;
      if (!same) {
        if (path.includes(show(site))) {
          stats.loops++;
          throw Object.assign(new Error(`delegation loop for ${p}: ${[...path, show(site)].join(' → ')}`), { rc: ResponseCode.RECURSION_COUNT_TOO_HIGH });
        }
        if (++referrals > maxReferrals) throw Object.assign(new Error(`more than ${maxReferrals} delegations for ${prefix}: ${path.join(' → ')}`), { rc: ResponseCode.RECURSION_COUNT_TOO_HIGH });
        path.push(show(site));
        current = site;
      }
      delegations.set(p, { expires: now() + ttl * 1000, target: current });
    }
    return current;
  }

  return {
    async resolve(handle, filters = none) {
      stats.resolutions++;
      const parsed = tryParseIdentifier(handle);
      if (typeof parsed === 'string') return { rc: ResponseCode.INVALID_HANDLE, handle, message: `${parsed}: ${identifierProblems[parsed]}` };
      const key = keyOf(parsed.handle, filters);
      const hit = answers.get(key);
      if (hit) {
        if (hit.expires > now()) {
          if (hit.answer.rc === ResponseCode.SUCCESS) stats.cacheHits++;
          else stats.negativeHits++;
          // Most recently used last.
          answers.delete(key);
          answers.set(key, hit);
          return { ...hit.answer, source: 'cache' };
        }
        answers.delete(key);
      }
      try {
        const target = await serviceOf(parsed.prefix === naPrefix ? delegatingPrefix(parsed.handle) : parsed.prefix);
        const r = await ask(target, parsed.handle, { indexes: [...filters.indexes], types: [...filters.types] });
        if (r.rc === ResponseCode.SUCCESS && 'values' in r) {
          const answer: ResolutionAnswer = { rc: r.rc, handle: parsed.handle, values: r.values, source: 'remote' };
          remember(key, answer, ttlOf(r.values, Math.floor(now() / 1000), maxTtl));
          return answer;
        }
        const message = 'message' in r ? r.message : '';
        const answer: ResolutionAnswer = { rc: r.rc, handle: parsed.handle, message, source: 'remote' };
        if (r.rc === ResponseCode.HANDLE_NOT_FOUND || r.rc === ResponseCode.VALUES_NOT_FOUND) remember(key, answer, negativeTtl);
        return answer;
      } catch (e) {
        stats.failures++;
        const rc = (e as { rc?: number }).rc ?? ResponseCode.ERROR;
        return { rc, handle: parsed.handle, message: (e as Error).message, source: 'remote' };
      }
    },
    stats: () => ({ ...stats }),
    flush() {
      answers.clear();
      delegations.clear();
    },
  };
}
