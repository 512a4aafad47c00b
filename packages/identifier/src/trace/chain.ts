import type { IdentifierLink, LinkStore } from './link-store.js';

/** One identifier reached by a chain walk, with its distance from the root. */
export interface ChainNode {
  identifier: string;
  depth: number;
}

/** What a chain walk found: identifiers by distance, the links between them, whether a bound cut it short. */
export interface Chain {
  root: string;
  /** The depth asked for. */
  depth: number;
  nodes: ChainNode[];
  links: IdentifierLink[];
  /** True when the node or link bound stopped the walk before `depth`. */
  truncated: boolean;
}

/** Bounds of a chain walk. */
export interface ChainOptions {
  /** Levels of links to follow from the root (1 = its own links). Default 3, at most {@link chainLimits}.maxDepth. */
  depth?: number;
  /** Identifiers to visit at most. Default {@link chainLimits}.maxNodes. */
  maxNodes?: number;
}

/** Limits of a chain walk: one query per level, a bounded answer. */
export const chainLimits = { defaultDepth: 3, maxDepth: 8, maxNodes: 200, maxLinks: 1000 } as const;

/**
 * Walks links both ways from `root`, level by level (breadth first), to a bounded depth: each identifier
 * is visited once, so a cycle (A → B → C → A) ends the walk instead of looping, and each link is listed
 * once.
 * @example await walkChain(links, '88.100.1/RV40E.202106.0023', { depth: 2 })
 */
export async function walkChain(links: LinkStore, root: string, options: ChainOptions = {}): Promise<Chain> {
  const depth = Math.min(Math.max(1, options.depth ?? chainLimits.defaultDepth), chainLimits.maxDepth);
  const maxNodes = Math.min(options.maxNodes ?? chainLimits.maxNodes, chainLimits.maxNodes);
  const seen = new Map<string, number>([[root, 0]]);
  const found = new Map<string, IdentifierLink>();
  let frontier = [root];
  let truncated = false;
  for (let level = 1; level <= depth && frontier.length > 0; level++) {
    const room = chainLimits.maxLinks - found.size;
    const batch = await links.touching(frontier, room + 1);
    if (batch.length > room) truncated = true;
    const next: string[] = [];
    for (const link of batch.slice(0, room)) {
      if (found.has(link.id)) continue;
      found.set(link.id, link);
      for (const end of [link.source, link.target]) {
        if (end === null || seen.has(end)) continue;
        if (seen.size >= maxNodes) {
          truncated = true;
          continue;
        }
        seen.set(end, level);
        next.push(end);
      }
    }
    frontier = next;
  }
  // A link found at the last level may name an identifier beyond the bound: keep only links between visited ones.
  const kept = [...found.values()].filter((l) => seen.has(l.source) && (l.target === null || seen.has(l.target)));
  return { root, depth, nodes: [...seen].map(([identifier, d]) => ({ identifier, depth: d })), links: kept, truncated };
}
