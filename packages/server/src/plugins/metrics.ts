import type { Bus, Store } from '@yulian/core';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The platform's Prometheus registry and the figures every feature shares. */
export interface PlatformMetrics {
  registry: Registry;
  errorsTotal: Counter<'code'>;
}

/**
 * Process, HTTP, store and bus metrics in one registry per platform (tests start several platforms in
 * one process, so no global registry).
 */
export function createMetrics(sources: { store: Store; bus: Bus }): PlatformMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'yulian_' });
  const errorsTotal = new Counter({ name: 'yulian_api_errors_total', help: 'API error answers by code', labelNames: ['code'], registers: [registry] });
  const store = sources.store;
  // The store keeps running totals; each scrape adds what accrued since the last one.
  const totals: Array<[string, string, () => number]> = [
    ['yulian_store_queries_total', 'Store queries run', () => store.stats().queries],
    ['yulian_store_query_errors_total', 'Store queries that failed', () => store.stats().queryErrors],
    ['yulian_store_query_seconds_total', 'Time spent in store queries', () => store.stats().querySeconds],
    ['yulian_store_rows_inserted_total', 'Rows written by bulk inserts', () => store.stats().rowsInserted],
  ];
  for (const [name, help, read] of totals) {
    let last = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read();
        if (now > last) this.inc(now - last);
        last = now;
      },
    });
  }
  new Gauge({ name: 'yulian_store_up', help: '1 when the store answers', labelNames: ['dialect'], registers: [registry], async collect() { this.set({ dialect: store.dialect }, (await store.ping()) ? 1 : 0); } });
  new Gauge({
    name: 'yulian_bus_messages',
    help: 'Bus figures since start, by kind (published, delivered, rejected, handlerErrors, enqueued, duplicates, acked, redelivered, deadLettered)',
    labelNames: ['bus', 'figure'],
    registers: [registry],
    collect() {
      for (const [figure, value] of Object.entries(sources.bus.stats())) if (typeof value === 'number') this.set({ bus: sources.bus.kind, figure }, value);
    },
  });
  return { registry, errorsTotal };
}

/** Times every request and serves `GET /metrics` in the Prometheus text format. */
export function registerMetrics(app: FastifyInstance, metrics: PlatformMetrics): void {
  const requests = new Counter({ name: 'yulian_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [metrics.registry] });
  const duration = new Histogram({
    name: 'yulian_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true }, config: { public: true } }, async (_request, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
