import type { Logger } from '@yulian/core';
import { z } from 'zod';
import { utcDay } from './counters.js';
import type { StatNode, StatsReport, StatsStore } from './stats-store.js';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const nodeId = z.string().min(1).max(80).regex(/^[A-Za-z0-9._:-]+$/, 'a node id: its prefix, or recursive[:name]');

/** The body of `POST /api/v1/identifiers/stats/reports`: a {@link StatsReport}, checked at the edge. */
export const statsReportSchema = z.strictObject({
  reporter: nodeId,
  nodes: z.array(z.strictObject({ node: nodeId, role: z.enum(['top', 'secondary', 'enterprise', 'recursive']), parent: nodeId.optional() })).max(1_000),
  enterprises: count.optional(),
  rows: z
    .array(
      z.strictObject({
        node: nodeId,
        prefix: z.string().min(1).max(80),
        day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD'),
        registrations: count,
        resolutions: count,
        resolved: count,
        notFound: count,
        invalid: count,
      }),
    )
    .max(100_000),
});

/** Sends a report to the parent node; throws when it was not accepted. */
export type StatsReportSender = (report: StatsReport) => Promise<void>;

/**
 * Sends reports over HTTP to a parent platform's `POST /api/v1/identifiers/stats/reports`, with an API
 * token of an account there allowed to report (registrar or platform admin).
 * @example httpStatsSender({ url: 'https://top.example.cn', token: process.env.TOKEN })
 */
export function httpStatsSender(options: { url: string; token: string; timeoutMs?: number }): StatsReportSender {
  if (!/^https?:\/\//.test(options.url)) throw new Error(`the parent's URL must start with http:// or https://, not ${JSON.stringify(options.url)}`);
  const url = `${options.url.replace(/\/+$/, '')}/api/v1/identifiers/stats/reports`;
  return async (report) => {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify(report),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    if (!r.ok) throw new Error(`the parent node refused the statistics report: HTTP ${r.status} ${(await r.text()).slice(0, 300)}`);
  };
}

/** Options of {@link createStatsReporter}. */
export interface StatsReporterOptions {
  /** The reporting node (its id and role). */
  reporter: StatNode;
  /** The store its nodes count into. */
  store: StatsStore;
  send: StatsReportSender;
  /** How many enterprises hold an approved prefix here (sent along); default: not sent. */
  enterprises?: () => Promise<number>;
  /** Milliseconds between reports. Default 300,000 (5 minutes); 0: only {@link StatsReporter.report}. */
  intervalMs?: number;
  now?: () => number;
  logger?: Logger;
}

/** Reports a node's daily totals to its parent. */
export interface StatsReporter {
  /** Builds and sends one report now. */
  report(): Promise<StatsReport>;
  /** Stops the timer and sends a last report (failures logged, not thrown). */
  close(): Promise<void>;
}

/**
 * Reports upward: every `intervalMs` the totals so far of today and yesterday (so yesterday's last
 * minutes arrive after midnight) of every node in the store — counted here, or reported by nodes below
 * (an enterprise node's reach the top-level node through its secondary node) — per node, prefix and
 * day, counts only. The parent replaces the rows it holds for those nodes, so a report sent twice or lost is
 * harmless; a parent that was down catches up with the next one.
 * @example createStatsReporter({ reporter: { node: '88.100', role: 'secondary', parent: '88' }, store, send: httpStatsSender({ url, token }) })
 */
export function createStatsReporter(options: StatsReporterOptions): StatsReporter {
  const now = options.now ?? Date.now;
  const log = options.logger?.child({ component: 'id-stats-report', node: options.reporter.node });
  const report = async (): Promise<StatsReport> => {
    const t = now();
    const rows = await options.store.rowsOf([utcDay(t - 86_400_000), utcDay(t)]);
    const nodes = (await options.store.nodes()).map((n) => ({ node: n.node, role: n.role, ...(n.parent ? { parent: n.parent } : {}) }));
    const r: StatsReport = { reporter: options.reporter.node, nodes, rows, ...(options.enterprises ? { enterprises: await options.enterprises() } : {}) };
    await options.send(r);
    return r;
  };
  const intervalMs = options.intervalMs ?? 300_000;
  const timer = intervalMs > 0 ? setInterval(() => void report().catch((e: unknown) => log?.warn({ err: e }, 'statistics report to the parent node failed; the next one carries the totals again')), intervalMs) : undefined;
  timer?.unref();
  return {
    report,
    async close() {
      if (timer) clearInterval(timer);
      await report().catch((e: unknown) => log?.warn({ err: e }, 'last statistics report to the parent node failed'));
    },
  };
}
