import { sql } from 'kysely';
import type { Sample } from '@yulian/contracts';
import { allTenants } from '@yulian/core';
import { type BenchEngine, freshStore } from './fresh-store.js';
import { createTelemetryStore } from '@yulian/devices';
import type { BenchResult } from './types.js';

type Engine = BenchEngine;
const dayMs = 86_400_000;


const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** One engine: fill 30 days of 1 s samples of one point, roll up, then time chart queries both ways. */
async function benchEngine(engine: Engine, days: number, runs: number): Promise<BenchResult> {
  const { store, cleanup } = await freshStore(engine, 'query');
  try {
    const telemetry = createTelemetryStore({ store });
    await telemetry.start();
    const end = Math.floor(Date.now() / 1000) * 1000;
    const start = end - days * dayMs;
    const total = (end - start) / 1000;
    const fill0 = performance.now();
    const chunk = 50_000;
    for (let i = 0; i < total; i += chunk) {
      const samples: Sample[] = [];
      for (let k = i; k < Math.min(total, i + chunk); k++) {
        const ts = start + k * 1000;
        samples.push({ device: 'press-1', point: 'pressure', ts, receivedTs: ts, value: 50 + 10 * Math.sin(k / 3600) + (k % 97) / 97, quality: 'good' });
      }
      await telemetry.write(null, samples);
    }
    await telemetry.flushRollups();
    const fillSeconds = (performance.now() - fill0) / 1000;
    const seriesId = Number((await store.db.selectFrom('telemetry_series').select('id').where('device', '=', 'press-1').executeTakeFirstOrThrow()).id);

    // A chart of the whole range, 1,000 points; each run ends a few seconds later, as a refreshing chart would.
    const ours: number[] = [];
    let points = 0;
    for (let r = 0; r < runs; r++) {
      const to = end - (runs - r) * 1000;
      const t0 = performance.now();
      const [series] = await telemetry.query(allTenants, { device: 'press-1', points: ['pressure'], from: to - days * dayMs, to, maxPoints: 1000 });
      ours.push(performance.now() - t0);
      points = series?.points.length ?? 0;
    }
    if (points < 500 || points > 1000) throw new Error(`expected up to 1,000 chart points, got ${points}`);

    // The baseline: the same buckets computed by scanning the raw samples.
    const interval = Math.ceil((days * dayMs) / 999);
    const width = sql.lit(interval);
    const scans: number[] = [];
    for (let r = 0; r < Math.max(3, Math.ceil(runs / 10)); r++) {
      const to = end - r * 1000;
      const t0 = performance.now();
      const { rows } = await sql<{ b: number }>`
        SELECT ts - (ts % ${width}) AS b, avg(value) AS v, min(value) AS mn, max(value) AS mx, count(*) AS n
        FROM telemetry_samples WHERE series_id = ${seriesId} AND ts >= ${to - days * dayMs} AND ts < ${to}
        GROUP BY ts - (ts % ${width}) ORDER BY b`.execute(store.db);
      scans.push(performance.now() - t0);
      if (rows.length < 500) throw new Error(`raw scan answered ${rows.length} buckets`);
    }
    await telemetry.close();
    const p95 = percentile(ours, 95);
    const scanP95 = percentile(scans, 95);
    return {
      name: `query (${engine})`,
      description: `${days} days of 1 s samples of one point (${total.toLocaleString('en')} samples, filled and rolled up in ${fillSeconds.toFixed(0)} s) → a ${points}-point chart series; p50 ${percentile(ours, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${runs} queries (absolute target p95 < 100 ms: ${p95 < 100 ? 'met' : 'NOT met'}); raw scan p50 ${percentile(scans, 50).toFixed(0)} ms`,
      measured: { label: 'Yulian telemetry query (1 h/1 min rollups + raw tail), 1/p95', rate: 1000 / p95, unit: 'queries/s', seconds: p95 / 1000 },
      baseline: { label: 'GROUP BY over the raw samples of the range, 1/p95', rate: 1000 / scanP95, unit: 'queries/s', seconds: scanP95 / 1000 },
      ratio: scanP95 / p95,
    };
  } finally {
    await cleanup();
  }
}

/**
 * `yulian bench query`: 30 days of 1 s data for one point (2.6 M samples) → a 1,000-point chart series,
 * p95 latency, on SQLite and PostgreSQL, against a GROUP BY scan of the raw table in the same run.
 * `--rows` sets the number of days.
 */
export async function benchQuery(options: { rows?: number } = {}): Promise<BenchResult[]> {
  const days = options.rows ?? 30;
  const out: BenchResult[] = [];
  for (const engine of ['sqlite', 'postgres'] as const) out.push(await benchEngine(engine, days, 100));
  return out;
}
