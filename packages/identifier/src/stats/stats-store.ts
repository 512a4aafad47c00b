import { type Database, type Store, YulianError } from '@yulian/core';
import { type ExpressionBuilder, sql } from 'kysely';
import type { StatCounters, StatRow } from './counters.js';

/** A node whose statistics a store holds. */
export interface StatNode {
  /** Its id: its prefix (`88.100`), or `recursive` / `recursive:<name>` for a resolver. */
  node: string;
  /** `top`, `secondary`, `enterprise` or `recursive`. */
  role: string;
  /** The node it reports to, when it has one. */
  parent?: string | undefined;
}

/** One node's counts of one prefix and day, as stored or reported. */
export interface NodeStatRow extends StatRow {
  node: string;
}

/**
 * What a child node reports to its parent: the totals so far of the days it names, per node it runs,
 * prefix and day — counts only, never an identifier. Sending the same report again changes nothing.
 */
export interface StatsReport {
  /** The reporting node's id. */
  reporter: string;
  /** The nodes whose rows follow (the reporter, and nodes it runs beside itself). */
  nodes: StatNode[];
  /** Enterprises with an approved prefix at the reporter. */
  enterprises?: number | undefined;
  rows: NodeStatRow[];
}

/** A node known to a store, and how its figures got there. */
export interface StatNodeInfo extends StatNode {
  source: 'local' | 'report';
  enterprises: number | null;
  seenAt: number;
}

/** Which rows {@link StatsStore.daily} sums. */
export interface StatsQuery {
  /** First and last UTC day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  /** Only these prefixes and those under them (none: every prefix). */
  prefixes?: readonly string[] | undefined;
  /** Only this node's rows (none: summed over nodes). */
  node?: string | undefined;
  /** At most this many rows, newest day first. Default 10,000. */
  limit?: number | undefined;
}

/** Where identifier statistics are kept: `id_stats` (per node, prefix, day) and `id_stat_nodes`. */
export interface StatsStore {
  /** Adds a node's counted deltas (one transaction; a row's counters are added to what is stored). */
  add(node: StatNode, rows: readonly StatRow[], at: number): Promise<void>;
  /**
   * Stores a child node's report: its rows replace those stored for the same node, prefix and day.
   * @throws YulianError ID_STATS_NODE_LOCAL when it names a node this store counts itself
   */
  report(report: StatsReport, at: number): Promise<void>;
  /** Per day and prefix, summed over nodes (or one node's), newest day first. */
  daily(query: StatsQuery): Promise<StatRow[]>;
  /** Sums over every row, the prefix handles (`0.NA`) left out: they are the walk to an identifier, not its resolution. */
  totals(): Promise<StatCounters>;
  /** Every row of the given days, counted here or reported by a child (what a node reports upward). */
  rowsOf(days: readonly string[]): Promise<NodeStatRow[]>;
  nodes(): Promise<StatNodeInfo[]>;
  /** Enterprises holding an approved enterprise prefix in this store (`id_prefixes`; one per tenant, or per prefix without one). */
  enterprises(): Promise<number>;
}

const counterColumns = ['registrations', 'resolutions', 'resolved', 'not_found', 'invalid'] as const;
/** Rows per statement: 9 parameters each stays under SQLite's and PostgreSQL's limits. */
const chunk = 1_000;

const toRow = (node: string, r: StatRow, at: number) => ({
  node, prefix: r.prefix, day: r.day, registrations: r.registrations, resolutions: r.resolutions, resolved: r.resolved, not_found: r.notFound, invalid: r.invalid, updated_at: at,
});
/** A summed column: numeric (a string) on PostgreSQL, a number on SQLite. */
const num = (v: string | number | bigint | null | undefined): number => Number(v ?? 0);

/** Rows of these prefixes or under them (`88.100` matches `88.100` and `88.100.1`). */
function underAny(eb: ExpressionBuilder<Database, 'id_stats'>, prefixes: readonly string[]) {
  return eb.or(prefixes.flatMap((p) => [eb('prefix', '=', p), eb(sql<string>`substr(prefix, 1, ${p.length + 1})`, '=', `${p}.`)]));
}

/**
 * Creates the statistics store over a migrated store (SQLite or PostgreSQL).
 * @example const stats = createStatsStore(store); await stats.add({ node: '88.100', role: 'secondary' }, rows, Date.now())
 */
export function createStatsStore(store: Store): StatsStore {
  const db = store.db;
  return {
    async add(node, rows, at) {
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < rows.length; i += chunk) {
          await tx
            .insertInto('id_stats')
            .values(rows.slice(i, i + chunk).map((r) => toRow(node.node, r, at)))
            .onConflict((oc) =>
              oc.columns(['node', 'prefix', 'day']).doUpdateSet((eb) => ({
                registrations: eb('id_stats.registrations', '+', eb.ref('excluded.registrations')),
                resolutions: eb('id_stats.resolutions', '+', eb.ref('excluded.resolutions')),
                resolved: eb('id_stats.resolved', '+', eb.ref('excluded.resolved')),
                not_found: eb('id_stats.not_found', '+', eb.ref('excluded.not_found')),
                invalid: eb('id_stats.invalid', '+', eb.ref('excluded.invalid')),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
        await tx
          .insertInto('id_stat_nodes')
          .values({ node: node.node, role: node.role, parent: node.parent ?? null, source: 'local', enterprises: null, seen_at: at })
          .onConflict((oc) => oc.column('node').doUpdateSet({ role: node.role, parent: node.parent ?? null, source: 'local', seen_at: at }))
          .execute();
      });
    },

    async report(report, at) {
      const names = [...new Set([report.reporter, ...report.nodes.map((n) => n.node), ...report.rows.map((r) => r.node)])];
      await db.transaction().execute(async (tx) => {
        const local = await tx.selectFrom('id_stat_nodes').select('node').where('node', 'in', names).where('source', '=', 'local').execute();
        if (local.length) throw new YulianError('ID_STATS_NODE_LOCAL', `This platform counts the node ${local.map((n) => n.node).join(', ')} itself; a report may not replace its figures.`);
        for (let i = 0; i < report.rows.length; i += chunk) {
          await tx
            .insertInto('id_stats')
            .values(report.rows.slice(i, i + chunk).map((r) => toRow(r.node, r, at)))
            .onConflict((oc) =>
              oc.columns(['node', 'prefix', 'day']).doUpdateSet((eb) => ({
                registrations: eb.ref('excluded.registrations'),
                resolutions: eb.ref('excluded.resolutions'),
                resolved: eb.ref('excluded.resolved'),
                not_found: eb.ref('excluded.not_found'),
                invalid: eb.ref('excluded.invalid'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
        const roles = new Map(report.nodes.map((n) => [n.node, n]));
        for (const name of names) {
          const n = roles.get(name);
          const enterprises = name === report.reporter ? (report.enterprises ?? null) : null;
          const values = { role: n?.role ?? 'unknown', parent: n?.parent ?? null, source: 'report', enterprises, seen_at: at };
          await tx.insertInto('id_stat_nodes').values({ node: name, ...values }).onConflict((oc) => oc.column('node').doUpdateSet(values)).execute();
        }
      });
    },

    async daily(query) {
      let q = db
        .selectFrom('id_stats')
        .select((eb) => ['day', 'prefix', ...counterColumns.map((c) => eb.fn.sum<string | number>(c).as(c))])
        .where('day', '>=', query.from)
        .where('day', '<=', query.to);
      if (query.prefixes) {
        const prefixes = query.prefixes;
        if (!prefixes.length) return [];
        q = q.where((eb) => underAny(eb, prefixes));
      }
      if (query.node !== undefined) q = q.where('node', '=', query.node);
      const rows = await q.groupBy(['day', 'prefix']).orderBy('day', 'desc').orderBy('prefix').limit(query.limit ?? 10_000).execute();
      return rows.map((r) => ({ day: r.day, prefix: r.prefix, registrations: num(r.registrations), resolutions: num(r.resolutions), resolved: num(r.resolved), notFound: num(r.not_found), invalid: num(r.invalid) }));
    },

    async totals() {
      const r = await db
        .selectFrom('id_stats')
        .select((eb) => counterColumns.map((c) => eb.fn.sum<string | number>(c).as(c)))
        .where('prefix', '!=', '0.NA')
        .executeTakeFirst();
      return { registrations: num(r?.registrations), resolutions: num(r?.resolutions), resolved: num(r?.resolved), notFound: num(r?.not_found), invalid: num(r?.invalid) };
    },

    async rowsOf(days) {
      if (!days.length) return [];
      const rows = await db.selectFrom('id_stats').selectAll().where('day', 'in', [...days]).execute();
      return rows.map((r) => ({ node: r.node, prefix: r.prefix, day: r.day, registrations: num(r.registrations), resolutions: num(r.resolutions), resolved: num(r.resolved), notFound: num(r.not_found), invalid: num(r.invalid) }));
    },

    async nodes() {
      const rows = await db.selectFrom('id_stat_nodes').selectAll().orderBy('node').execute();
      return rows.map((r) => ({ node: r.node, role: r.role, parent: r.parent ?? undefined, source: r.source === 'report' ? 'report' : 'local', enterprises: r.enterprises, seenAt: r.seen_at }));
    },

    async enterprises() {
      const r = await db
        .selectFrom('id_prefixes')
        .select(sql<string | number>`count(DISTINCT coalesce(tenant_id, '#' || prefix))`.as('n'))
        .where('kind', '=', 'enterprise')
        .where('state', '=', 'approved')
        .executeTakeFirst();
      return num(r?.n);
    },
  };
}
