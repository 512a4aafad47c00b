import type { Logger } from '@yulian/core';
import { type StatCounter, type StatCounterOptions, type StatRow, createStatCounter } from './counters.js';
import type { StatNode, StatsStore } from './stats-store.js';

const idleMarkMs = 3_600_000;

/** Options of {@link createNodeStats}. */
export interface NodeStatsOptions extends StatCounterOptions, StatNode {
  /** Where the counts are added. */
  store: StatsStore;
  /** Milliseconds between flushes. Default 10,000; 0: only {@link NodeStats.flush} and close write. */
  flushMs?: number;
  logger?: Logger;
}

/** A node's statistics: counted in memory, added to the store every few seconds. */
export interface NodeStats extends StatCounter {
  readonly node: StatNode;
  /** Writes what was counted since the last flush (one transaction); on failure the counts are kept for the next one. */
  flush(): Promise<void>;
  /** Stops the timer and flushes a last time (once; later calls do nothing). */
  close(): Promise<void>;
}

/**
 * Creates a node's statistics. Counting is a few increments in memory (no I/O per request); every
 * `flushMs` the counts since the last flush are added to `id_stats` in one transaction, so several
 * processes of one node add into the same rows. A crash loses at most the last `flushMs` of counts.
 * @example const stats = createNodeStats({ node: '88.100', role: 'secondary', store: createStatsStore(store) })
 */
export function createNodeStats(options: NodeStatsOptions): NodeStats {
  const counter = createStatCounter(options);
  const now = options.now ?? Date.now;
  const node: StatNode = { node: options.node, role: options.role, parent: options.parent };
  const log = options.logger?.child({ component: 'id-stats', node: node.node });
  // Flushes run one after another, so a timer's and an explicit one never interleave their takes.
  let chain: Promise<void> = Promise.resolve();
  let markedAt = -Infinity;
  const write = async (): Promise<void> => {
    const rows: StatRow[] = counter.take();
    const t = now();
    // An idle node writes nothing but that it is alive, once an hour (it is "reporting" for 48 hours).
    if (!rows.length && t - markedAt < idleMarkMs) return;
    try {
      await options.store.add(node, rows, t);
      markedAt = t;
    } catch (e) {
      counter.restore(rows);
      throw e;
    }
  };
  const flush = (): Promise<void> => (chain = chain.then(write, write));
  const flushMs = options.flushMs ?? 10_000;
  const timer =
    flushMs > 0
      ? setInterval(() => {
          flush().catch((e: unknown) => log?.warn({ err: e }, 'identifier statistics not written; kept for the next flush'));
        }, flushMs)
      : undefined;
  timer?.unref();
  let closed = false;
  return {
    ...counter,
    node,
    flush,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}
