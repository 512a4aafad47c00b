import { errorBodySchema } from '@yulian/contracts';
import { type Caller, type Store, YulianError } from '@yulian/core';
import { type StatsStore, createStatsStore, isUnder, parsePrefix, statsReportSchema, utcDay } from '@yulian/identifier';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';
import { statsTargets, targetsSchema } from './targets.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD');
const dayMs = 86_400_000;
/** The longest range one query sums. */
export const statsMaxDays = 366;

const countersSchema = z.object({
  registrations: z.number().int().describe('new records'),
  resolutions: z.number().int().describe('resolutions answered, every outcome'),
  resolved: z.number().int().describe('… with values (RC 1)'),
  notFound: z.number().int().describe('… handle or values not found (RC 100, 200)'),
  invalid: z.number().int().describe('… invalid identifier (RC 102), under the prefix (invalid)'),
});
const statsSchema = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(countersSchema.extend({ day: z.string(), prefix: z.string().describe('(other): prefixes beyond 10,000 in one flush window; (invalid): invalid identifiers') })),
  totals: countersSchema,
  truncated: z.boolean().describe('more rows than `limit`: the oldest days were left out'),
});
const statsQuery = z.strictObject({
  from: day.optional().describe('first UTC day; default 29 days before `to`'),
  to: day.optional().describe('last UTC day, included; default today'),
  prefix: z.string().min(1).max(64).optional().describe('this prefix and those under it (88.100 → 88.100, 88.100.1, …)'),
  node: z.string().min(1).max(80).optional().describe('one node’s rows (its prefix, or recursive); default summed over nodes'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
});

const platformWide = (caller: Caller): boolean => caller.role === 'platform-admin' || caller.role === 'registrar' || caller.role === 'authority';

/**
 * The prefixes a caller may see statistics of: all (undefined) for platform-wide roles, else those
 * approved for the caller's enterprise (narrowed to `prefix` when asked).
 * @throws YulianError FORBIDDEN for a prefix not the caller's enterprise's, or a caller without one
 */
async function visiblePrefixes(store: Store, caller: Caller, prefix: string | undefined): Promise<string[] | undefined> {
  if (platformWide(caller)) return prefix === undefined ? undefined : [prefix];
  if (!caller.tenantId) throw new YulianError('FORBIDDEN', 'Identifier statistics are shown to an enterprise’s accounts for its own prefixes, and to registrars, platform admins and the authority.');
  const own = (await store.db.selectFrom('id_prefixes').select('prefix').where('tenant_id', '=', caller.tenantId).where('state', '=', 'approved').execute()).map((r) => r.prefix);
  if (prefix === undefined) return own;
  if (!own.some((p) => isUnder(prefix, p))) throw new YulianError('FORBIDDEN', `The prefix ${prefix} is not allocated to your enterprise.`);
  return [prefix];
}

/** The day range of a query: defaults, order and length checked. */
function rangeOf(q: { from?: string | undefined; to?: string | undefined }, now: number): { from: string; to: string } {
  const to = q.to ?? utcDay(now);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  const from = q.from ?? utcDay(toMs - 29 * dayMs);
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  if (Number.isNaN(toMs) || Number.isNaN(fromMs) || utcDay(toMs) !== to || utcDay(fromMs) !== from) throw new YulianError('TIME_RANGE_INVALID', `from and to must be days (YYYY-MM-DD), not ${from} and ${to}.`);
  if (fromMs > toMs) throw new YulianError('TIME_RANGE_INVALID', `from (${from}) is after to (${to}).`);
  if ((toMs - fromMs) / dayMs + 1 > statsMaxDays) throw new YulianError('TIME_RANGE_INVALID', `At most ${statsMaxDays} days per query.`);
  return { from, to };
}

/**
 * Identifier statistics (标识注册量、解析量): per UTC day and prefix, summed over the nodes counting
 * into this platform's store and those reporting to it; the action plan's targets; and the route child
 * nodes report their totals to.
 */
export const identifierStatsRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const stats: StatsStore = createStatsStore(deps.store);

  app.get(
    '/api/v1/identifiers/stats',
    {
      schema: {
        tags: ['identifiers'],
        summary: 'Registrations and resolutions per UTC day and prefix (written every 10 s by each node)',
        description: 'Registrars, platform admins and the authority see every prefix; enterprise accounts their enterprise’s approved prefixes and those under them.',
        querystring: statsQuery,
        response: { 200: statsSchema, ...authErrors },
      },
    },
    async (request) => {
      const q = request.query;
      let prefix: string | undefined;
      try {
        prefix = q.prefix === undefined ? undefined : parsePrefix(q.prefix);
      } catch (e) {
        throw new YulianError('VALIDATION_FAILED', `prefix: ${(e as Error).message}`);
      }
      const range = rangeOf(q, Date.now());
      const prefixes = await visiblePrefixes(deps.store, callerOf(request), prefix);
      const rows = await stats.daily({ ...range, prefixes, node: q.node, limit: q.limit + 1 });
      const items = rows.slice(0, q.limit);
      const totals = { registrations: 0, resolutions: 0, resolved: 0, notFound: 0, invalid: 0 };
      for (const r of items) {
        totals.registrations += r.registrations;
        totals.resolutions += r.resolutions;
        totals.resolved += r.resolved;
        totals.notFound += r.notFound;
        totals.invalid += r.invalid;
      }
      return { ...range, items, totals, truncated: rows.length > q.limit };
    },
  );

  app.get(
    '/api/v1/identifiers/stats/targets',
    {
      schema: {
        tags: ['identifiers'],
        summary: 'Where the platform stands against the action plan’s targets: 20 billion registrations, 8 billion resolutions, 40 secondary nodes, 3,000 enterprises',
        response: { 200: targetsSchema, ...authErrors },
      },
    },
    async () => statsTargets(stats, Date.now()),
  );

  app.post(
    '/api/v1/identifiers/stats/reports',
    {
      config: { permission: 'identifier:report' },
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['identifiers'],
        summary: 'A child node reports its totals of today and yesterday per node, prefix and day (counts only); they replace what it reported before',
        body: statsReportSchema,
        response: { 200: z.object({ rows: z.number().int(), nodes: z.number().int() }), ...authErrors, 409: errorBodySchema.describe('ID_STATS_NODE_LOCAL') },
      },
    },
    async (request) => {
      const body = request.body;
      await stats.report(body, Date.now());
      deps.logger.info({ reporter: body.reporter, rows: body.rows.length, by: callerOf(request).username }, 'identifier statistics report stored');
      return { rows: body.rows.length, nodes: body.nodes.length };
    },
  );
};
