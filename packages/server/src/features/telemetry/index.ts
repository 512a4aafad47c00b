import { Readable } from 'node:stream';
import { multiTelemetryQuerySchema, telemetryAnswerSchema, telemetryExportQuerySchema, telemetryQuerySchema } from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import { type SeriesResult, checkRange } from '@yulian/devices';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { checkDirectExport, counted, queryFor } from '../data-classification/guard.js';

const params = z.object({ id: z.string().min(1).max(128) });
/** Raw samples are exported a month at a time at most; rollups over the whole query range. */
export const rawExportMaxDays = 31;

const pointsOf = (p: string | string[] | undefined): string[] | undefined => {
  if (p === undefined) return undefined;
  const list = (Array.isArray(p) ? p : [p]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  return list.length ? list : undefined;
};

/**
 * Telemetry queries: time series of a device's points (at most `maxPoints` per series, from the tier
 * that fits), several devices' series in one call, and streaming CSV export.
 */
export const telemetryRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { telemetry, classification }) => {
  app.get(
    '/api/v1/devices/:id/telemetry',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['telemetry'],
        summary: 'Time series of a device’s points: raw samples when they fit, else buckets (avg/min/max/count) from the 1 min or 1 h rollups',
        description: 'At most `maxPoints` points per series (default 1,000, at most 10,000). `from`/`to` take epoch ms or ISO 8601 (default: the last hour). `interval` (e.g. `5m`) fixes the bucket width; `agg` picks what `value` is. Ranges up to 3,660 days.',
        params,
        querystring: telemetryQuerySchema,
        response: { 200: telemetryAnswerSchema, ...authErrors, ...notFound },
      },
    },
    async (request) => {
      const q = request.query;
      const to = q.to ?? Date.now();
      const from = q.from ?? to - 3_600_000;
      // Level-3 points (数据分类分级): refused when named by a caller without data:level3, opened for one with it.
      const series = await queryFor(telemetry, classification, callerOf(request), {
        device: request.params.id,
        points: pointsOf(q.point),
        from,
        to,
        maxPoints: q.maxPoints,
        ...(q.interval === undefined ? {} : { intervalMs: q.interval }),
        ...(q.agg === undefined ? {} : { agg: q.agg }),
      });
      return { device: request.params.id, from, to, series };
    },
  );

  app.post(
    '/api/v1/telemetry/query',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['telemetry'],
        summary: 'Series of several devices’ points in one call (dashboards)',
        body: multiTelemetryQuerySchema,
        response: { 200: z.object({ from: z.number(), to: z.number(), items: z.array(z.object({ device: z.string() }).and(telemetryAnswerSchema.shape.series.element)) }), ...authErrors, ...notFound },
      },
    },
    async (request) => {
      const b = request.body;
      const caller = callerOf(request);
      const byDevice = new Map<string, string[]>();
      for (const s of b.series) byDevice.set(s.device, [...(byDevice.get(s.device) ?? []), s.point]);
      const answers = await Promise.all(
        [...byDevice].map(async ([device, points]) => {
          const series: SeriesResult[] = await queryFor(telemetry, classification, caller, { device, points, from: b.from, to: b.to, maxPoints: b.maxPoints, ...(b.interval === undefined ? {} : { intervalMs: b.interval }), ...(b.agg === undefined ? {} : { agg: b.agg }) });
          return series.map((s) => ({ device, ...s }));
        }),
      );
      return { from: b.from, to: b.to, items: answers.flat() };
    },
  );

  app.get(
    '/api/v1/devices/:id/telemetry.csv',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['telemetry'],
        summary: 'Streams a device’s telemetry as CSV: raw samples (at most 31 days per request) or 1 min / 1 h rollups',
        params,
        querystring: telemetryExportQuerySchema,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const q = request.query;
      checkRange(q.from, q.to, q.tier === 'raw' ? rawExportMaxDays * 86_400_000 : undefined);
      const caller = callerOf(request);
      const scope = scopeOf(caller);
      // Errors (unknown device or point) must answer before the first byte of CSV is sent.
      const points = pointsOf(q.point);
      // Level-2/3 data (数据分类分级) is exported only through an approved request; level 1 here, logged.
      const checked = classification ? await checkDirectExport(classification, caller, request.params.id, points) : undefined;
      const known = await telemetry.points(scope, request.params.id);
      const unknown = points?.find((p) => !known.includes(p));
      if (unknown) throw new YulianError('POINT_NOT_FOUND', `Device ${request.params.id} has no telemetry for point ${unknown}.`);
      let rows = telemetry.exportRows(scope, { device: request.params.id, ...(points ? { points } : {}), from: q.from, to: q.to, tier: q.tier });
      if (classification && checked) {
        const dc = classification;
        rows = counted(rows, (n) => dc.access.record({ tenantId: checked.tenantId, dataset: checked.dataset, actor: caller.username, role: caller.role, action: 'export', rows: n, level: checked.level, details: { tier: q.tier, from: q.from, to: q.to, points: points ?? null } }));
      }
      const name = `${request.params.id.replace(/[^A-Za-z0-9_.-]/g, '_')}-${q.tier}-${new Date(q.from).toISOString().slice(0, 10)}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(Readable.from(rows));
    },
  );
};
