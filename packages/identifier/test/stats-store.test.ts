import { type Store, YulianError, storeBackends } from '@yulian/core';
import { type StatsStore, createNodeStats, createStatsReporter, createStatsStore } from '@yulian/identifier';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const noon = Date.parse('2026-12-01T12:00:00Z');

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`identifier statistics store on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let stats: StatsStore;
    beforeEach(async () => {
      ({ store, cleanup } = await backend.open());
      stats = createStatsStore(store);
    });
    afterEach(async () => cleanup());

    it('adds the deltas of two processes of one node into the same rows, one flush at a time', async () => {
      const a = createNodeStats({ node: '88.100', role: 'secondary', parent: '88', store: stats, flushMs: 0, now: () => noon });
      const b = createNodeStats({ node: '88.100', role: 'secondary', parent: '88', store: stats, flushMs: 0, now: () => noon });
      for (let i = 0; i < 7; i++) a.resolution(`88.100.1/P${i}`, 1);
      for (let i = 0; i < 5; i++) b.resolution(`88.100.1/P${i}`, 100);
      b.registration('88.100.2/X', 4);
      await Promise.all([a.flush(), b.flush()]);
      a.resolution('88.100.1/P0', 1);
      await a.close();
      await b.close();
      const rows = await stats.daily({ from: '2026-12-01', to: '2026-12-01' });
      expect(rows).toEqual([
        { day: '2026-12-01', prefix: '88.100.1', registrations: 0, resolutions: 13, resolved: 8, notFound: 5, invalid: 0 },
        { day: '2026-12-01', prefix: '88.100.2', registrations: 4, resolutions: 0, resolved: 0, notFound: 0, invalid: 0 },
      ]);
      expect(await stats.nodes()).toEqual([{ node: '88.100', role: 'secondary', parent: '88', source: 'local', enterprises: null, seenAt: noon }]);
    });

    it('filters by prefix (and those under it) and by node, and totals without the prefix handles', async () => {
      await stats.add({ node: '88', role: 'top' }, [{ prefix: '0.NA', day: '2026-12-01', registrations: 2, resolutions: 50, resolved: 50, notFound: 0, invalid: 0 }], noon);
      await stats.add({ node: '88.100', role: 'secondary' }, [
        { prefix: '88.100', day: '2026-11-30', registrations: 1, resolutions: 2, resolved: 2, notFound: 0, invalid: 0 },
        { prefix: '88.100.1', day: '2026-12-01', registrations: 10, resolutions: 20, resolved: 19, notFound: 1, invalid: 0 },
        { prefix: '88.1000', day: '2026-12-01', registrations: 1, resolutions: 1, resolved: 1, notFound: 0, invalid: 0 },
      ], noon);
      const under = await stats.daily({ from: '2026-11-01', to: '2026-12-31', prefixes: ['88.100'] });
      expect(under.map((r) => [r.day, r.prefix])).toEqual([['2026-12-01', '88.100.1'], ['2026-11-30', '88.100']]);
      expect(await stats.daily({ from: '2026-12-01', to: '2026-12-01', node: '88' })).toHaveLength(1);
      expect(await stats.daily({ from: '2026-12-01', to: '2026-12-01', prefixes: [] })).toEqual([]);
      expect(await stats.totals()).toEqual({ registrations: 12, resolutions: 23, resolved: 22, notFound: 1, invalid: 0 });
    });

    it('stores a child’s report as its totals (sent twice, counted once), and refuses one naming a node counted here', async () => {
      const report = {
        reporter: '88.200',
        nodes: [{ node: '88.200', role: 'secondary', parent: '88' }, { node: '88.200.7', role: 'enterprise', parent: '88.200' }],
        enterprises: 12,
        rows: [
          { node: '88.200', prefix: '88.200.5', day: '2026-12-01', registrations: 3, resolutions: 9, resolved: 9, notFound: 0, invalid: 0 },
          { node: '88.200.7', prefix: '88.200.7', day: '2026-12-01', registrations: 1, resolutions: 4, resolved: 3, notFound: 1, invalid: 0 },
        ],
      };
      await stats.report(report, noon);
      await stats.report({ ...report, rows: [{ ...report.rows[0]!, resolutions: 11, resolved: 11 }, report.rows[1]!] }, noon + 1);
      expect((await stats.totals()).resolutions).toBe(15);
      const nodes = await stats.nodes();
      expect(nodes.map((n) => [n.node, n.role, n.source, n.enterprises])).toEqual([['88.200', 'secondary', 'report', 12], ['88.200.7', 'enterprise', 'report', null]]);
      await stats.add({ node: '88', role: 'top' }, [], noon);
      const refused = await stats.report({ ...report, rows: [{ ...report.rows[0]!, node: '88' }] }, noon).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(YulianError);
      expect((refused as YulianError).code).toBe('ID_STATS_NODE_LOCAL');
      expect((await stats.totals()).resolutions).toBe(15);
    });

    it('reports the totals of today and yesterday of every node it holds upward', async () => {
      let now = Date.parse('2026-12-01T23:59:00Z');
      const node = createNodeStats({ node: '88.300', role: 'secondary', parent: '88', store: stats, flushMs: 0, now: () => now });
      node.resolution('88.300.1/A', 1);
      await node.flush();
      now = Date.parse('2026-12-02T00:01:00Z');
      node.resolution('88.300.1/A', 1);
      node.resolution('88.300.1/B', 1);
      await node.close();
      const sent: unknown[] = [];
      const reporter = createStatsReporter({ reporter: node.node, store: stats, send: async (r) => void sent.push(r), intervalMs: 0, now: () => now, enterprises: () => stats.enterprises() });
      const r = await reporter.report();
      expect(r.reporter).toBe('88.300');
      expect(r.nodes).toEqual([{ node: '88.300', role: 'secondary', parent: '88' }]);
      expect(r.enterprises).toBe(0);
      expect(r.rows.map((x) => [x.node, x.prefix, x.day, x.resolutions]).sort()).toEqual([['88.300', '88.300.1', '2026-12-01', 1], ['88.300', '88.300.1', '2026-12-02', 2]]);
      expect(sent).toHaveLength(1);
    });
  });
}
