import { type Kysely, sql } from 'kysely';

/** How PostgreSQL splits each partitioned telemetry table by time. */
export const telemetryPartitioning = {
  /** Raw samples: one partition per UTC day. */
  telemetry_samples: 'day',
  /** 1-minute rollups: one partition per UTC month. */
  telemetry_1m: 'month',
} as const;
/** A partitioned telemetry table. */
export type PartitionedTelemetryTable = keyof typeof telemetryPartitioning;

const dayMs = 86_400_000;

/** The partition of `table` that holds epoch-ms instant `ts`: its name and [from, to) bounds. */
export function telemetryPartitionOf(table: PartitionedTelemetryTable, ts: number): { name: string; from: number; to: number } {
  const d = new Date(ts);
  if (telemetryPartitioning[table] === 'day') {
    const from = Math.floor(ts / dayMs) * dayMs;
    return { name: `${table}_p${d.toISOString().slice(0, 10).replaceAll('-', '')}`, from, to: from + dayMs };
  }
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { name: `${table}_p${d.toISOString().slice(0, 7).replace('-', '')}`, from, to };
}

/**
 * Creates the PostgreSQL partitions of `table` that hold the instants `stamps` (idempotent; safe when
 * another process creates the same partition at the same moment). Returns the names it made sure of.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function ensureTelemetryPartitions(db: Kysely<any>, table: PartitionedTelemetryTable, stamps: Iterable<number>): Promise<string[]> {
  const parts = new Map<string, { name: string; from: number; to: number }>();
  for (const ts of stamps) {
    const p = telemetryPartitionOf(table, ts);
    parts.set(p.name, p);
  }
  for (const p of parts.values()) {
    try {
      await sql`CREATE TABLE IF NOT EXISTS ${sql.id(p.name)} PARTITION OF ${sql.id(table)} FOR VALUES FROM (${sql.lit(p.from)}) TO (${sql.lit(p.to)})`.execute(db);
    } catch (e) {
      // Two processes creating the same partition: the loser sees a duplicate; the partition exists.
      if (!/already exists|duplicate key/.test((e as Error).message)) throw e;
    }
  }
  return [...parts.keys()];
}
