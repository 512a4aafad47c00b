/**
 * The asset inventory recorder: every observation names a server (the device or broker spoken to) and a
 * client (who spoke); each becomes one `security_assets` row per (tenant, ip, port, protocol, role),
 * counted in memory and written in batches (one upsert per distinct asset per flush, not one write per
 * packet). Clients are kept with port 0: their ports are ephemeral.
 */
import type { Observation } from '@yulian/contracts';
import type { Logger, Store } from '@yulian/core';
import { sql } from 'kysely';

/** Pending counts of one asset since the last flush. */
interface Pending {
  id: string;
  tenantId: string | null;
  ip: string;
  port: number;
  protocol: string;
  role: 'server' | 'client';
  deviceId: string | null;
  via: string;
  first: number;
  last: number;
  observations: number;
  writes: number;
  connections: number;
  refused: number;
  anomalies: number;
}

/** What the recorder counts. */
export interface AssetRecorderStats {
  recorded: number;
  flushes: number;
  rowsWritten: number;
  writeFailures: number;
  /** Assets not kept because the pending table was full (the store was too slow). */
  dropped: number;
}

/** The recorder. */
export interface AssetRecorder {
  /** Counts one observation's server and client; cheap (a map update), never throws. */
  record(obs: Observation): void;
  /** Writes what is pending (tests, shutdown; also runs every `flushMs`). */
  flush(): Promise<void>;
  stats(): AssetRecorderStats;
  /** Stops the timer and writes what is pending. */
  close(): Promise<void>;
}

/** What `createAssetRecorder` needs. */
export interface AssetRecorderOptions {
  store: Store;
  logger?: Logger;
  /** How often pending counts are written (default 5 s). */
  flushMs?: number;
  /** Distinct pending assets before a flush is started early (default 5,000); at twice this new ones are dropped. */
  maxPending?: number;
}

/** The stored id of an asset: tenant ('*' when platform-wide), ip, port, protocol and role. */
export const assetId = (a: { tenantId: string | null; ip: string; port: number; protocol: string; role: string }): string => `${a.tenantId ?? '*'}|${a.ip}|${a.port}|${a.protocol}|${a.role}`;

/** The host and port of an `opc.tcp://host:port/path` endpoint, or undefined. */
function endpointOf(url: string): { ip: string; port: number } | undefined {
  const m = /^opc\.tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(url);
  if (!m?.[1]) return undefined;
  return { ip: m[1].replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 4840 };
}

/**
 * Starts the recorder; feed it with `monitor.onObservation(o => recorder.record(o))`.
 * @example const recorder = createAssetRecorder({ store }); recorder.record(obs); await recorder.flush();
 */
export function createAssetRecorder(options: AssetRecorderOptions): AssetRecorder {
  const { store } = options;
  const flushMs = options.flushMs ?? 5_000;
  const maxPending = options.maxPending ?? 5_000;
  const log = options.logger?.child({ component: 'security-assets' });
  const counters: AssetRecorderStats = { recorded: 0, flushes: 0, rowsWritten: 0, writeFailures: 0, dropped: 0 };
  let pending = new Map<string, Pending>();
  let writing: Promise<void> = Promise.resolve();

  const touch = (
    a: { tenantId: string | null; ip: string; port: number; protocol: string; role: 'server' | 'client'; deviceId?: string | undefined; via: string; ts: number },
    c: { write?: boolean; connection?: boolean; refused?: boolean; anomaly?: boolean },
  ): void => {
    const id = assetId(a);
    let p = pending.get(id);
    if (!p) {
      if (pending.size >= 2 * maxPending) {
        counters.dropped++;
        return;
      }
      p = { id, tenantId: a.tenantId, ip: a.ip, port: a.port, protocol: a.protocol, role: a.role, deviceId: a.deviceId ?? null, via: a.via, first: a.ts, last: a.ts, observations: 0, writes: 0, connections: 0, refused: 0, anomalies: 0 };
      pending.set(id, p);
      if (pending.size === maxPending) void flush();
    }
    if (a.ts < p.first) p.first = a.ts;
    if (a.ts > p.last) p.last = a.ts;
    if (a.deviceId && !p.deviceId) p.deviceId = a.deviceId;
    p.observations++;
    if (c.write) p.writes++;
    if (c.connection) p.connections++;
    if (c.refused) p.refused++;
    if (c.anomaly) p.anomalies++;
  };

  const record = (obs: Observation): void => {
    try {
      const tenantId = obs.tenantId;
      switch (obs.kind) {
        case 'modbus':
        case 'modbus-anomaly': {
          const c = { write: obs.kind === 'modbus' && obs.write, anomaly: obs.kind === 'modbus-anomaly' };
          touch({ tenantId, ip: obs.target.ip, port: obs.target.port, protocol: 'modbus', role: 'server', deviceId: obs.deviceId, via: obs.via, ts: obs.ts }, c);
          touch({ tenantId, ip: obs.source.ip, port: 0, protocol: 'modbus', role: 'client', via: obs.via, ts: obs.ts }, c);
          break;
        }
        case 'connection': {
          const via = obs.deviceId ? 'guard' : 'capture';
          const c = { connection: true, refused: !obs.accepted };
          // A refused attempt proves no server there, unless it is a guarded device refusing a blocked source.
          if (obs.accepted || obs.deviceId) touch({ tenantId, ip: obs.target.ip, port: obs.target.port, protocol: obs.protocol, role: 'server', deviceId: obs.deviceId, via, ts: obs.ts }, c);
          touch({ tenantId, ip: obs.source.ip, port: 0, protocol: obs.protocol, role: 'client', via, ts: obs.ts }, c);
          break;
        }
        case 'opcua': {
          const server = endpointOf(obs.endpoint);
          const c = { write: obs.service === 'write' || obs.service === 'call' };
          if (server) touch({ tenantId, ...server, protocol: 'opcua', role: 'server', deviceId: obs.deviceId, via: 'gateway', ts: obs.ts }, c);
          touch({ tenantId, ip: obs.source.ip, port: 0, protocol: 'opcua', role: 'client', via: 'gateway', ts: obs.ts }, c);
          break;
        }
        case 'sparkplug':
          if (obs.source.ip) touch({ tenantId, ip: obs.source.ip, port: 0, protocol: 'mqtt', role: 'client', via: 'gateway', ts: obs.ts }, { write: true });
          break;
        default:
          // Platform logins and identifier node events are not plant assets.
          return;
      }
      counters.recorded++;
    } catch (err) {
      log?.warn({ err }, 'observation not recorded in the asset inventory');
    }
  };

  const write = async (batch: Pending[]): Promise<void> => {
    const t = 'security_assets';
    // Batches of 200 rows (16 columns each) stay far below either engine's bound-parameter limit.
    for (let i = 0; i < batch.length; i += 200) {
      const rows = batch.slice(i, i + 200).map((p) => ({
        id: p.id,
        tenant_id: p.tenantId,
        ip: p.ip,
        port: p.port,
        protocol: p.protocol,
        role: p.role,
        device_id: p.deviceId,
        via: p.via,
        first_seen: p.first,
        last_seen: p.last,
        observations: p.observations,
        writes: p.writes,
        connections: p.connections,
        refused: p.refused,
        anomalies: p.anomalies,
      }));
      const add = (c: 'observations' | 'writes' | 'connections' | 'refused' | 'anomalies') => sql<number>`${sql.ref(`${t}.${c}`)} + ${sql.ref(`excluded.${c}`)}`;
      await store.db
        .insertInto(t)
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            // CASE rather than max()/greatest(): one text for SQLite and PostgreSQL.
            first_seen: sql<number>`case when excluded.first_seen < ${sql.ref(`${t}.first_seen`)} then excluded.first_seen else ${sql.ref(`${t}.first_seen`)} end`,
            last_seen: sql<number>`case when excluded.last_seen > ${sql.ref(`${t}.last_seen`)} then excluded.last_seen else ${sql.ref(`${t}.last_seen`)} end`,
            device_id: sql<string | null>`coalesce(${sql.ref(`${t}.device_id`)}, excluded.device_id)`,
            observations: add('observations'),
            writes: add('writes'),
            connections: add('connections'),
            refused: add('refused'),
            anomalies: add('anomalies'),
          }),
        )
        .execute();
      counters.rowsWritten += rows.length;
    }
  };

  const flush = (): Promise<void> =>
    (writing = writing.then(async () => {
      if (pending.size === 0) return;
      const batch = [...pending.values()];
      pending = new Map();
      counters.flushes++;
      try {
        await write(batch);
      } catch (err) {
        counters.writeFailures += batch.length;
        log?.error({ err, assets: batch.length }, 'asset inventory not written');
      }
    }));

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    record,
    flush,
    stats: () => ({ ...counters }),
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
