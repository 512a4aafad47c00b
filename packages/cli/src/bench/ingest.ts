import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { type Store, createBus, createGatewayRegistry, createLogger, ensureTelemetryPartitions, silentLogger } from '@yulian/core';
import { type BenchEngine, freshStore } from './fresh-store.js';
import { createTelemetryStore, startTelemetryIngest } from '@yulian/devices';
import { connectClientBroker, startTelemetryBridge } from '@yulian/server';
import type { PublisherSettings } from './ingest-publisher.js';
import type { BenchResult } from './types.js';

type Engine = BenchEngine;
type Side = 'platform' | 'bare';
const brokerUrl = process.env['YULIAN_BENCH_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';


/** Forks the publishing gateways and waits until they are connected. */
async function startPublisher(settings: PublisherSettings): Promise<{ child: ChildProcess; run(rounds: number, from: number): Promise<{ messages: number; seconds: number }> }> {
  const child = fork(fileURLToPath(new URL('./ingest-publisher.js', import.meta.url)), [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<{ type: string; messages: number; seconds: number }> =>
    new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(m as { type: string; messages: number; seconds: number }));
      child.once('exit', (code) => reject(new Error(`bench publisher exited with ${code}`)));
    });
  await next();
  return {
    child,
    async run(rounds, from) {
      const done = next();
      child.send({ type: 'go', rounds, from });
      return done;
    },
  };
}

/** What a receiving side exposes to the driver: how many samples it has stored. */
interface Receiver {
  stored(): number;
  close(): Promise<void>;
}

/** Yulian: the uplink bridge → telemetry work queue (in-process bus) → ingest → telemetry store (raw, rollups, latest). */
async function platformReceiver(store: Store, root: string, gateways: number): Promise<Receiver> {
  const level = process.env['YULIAN_BENCH_LOG'];
  const logger = level ? createLogger({ level: level as 'warn' }) : silentLogger();
  const bus = await createBus({ url: 'memory', logger });
  const registry = createGatewayRegistry(store);
  for (let g = 0; g < gateways; g++) await registry.create({ id: `gw${g}`, name: `bench gateway ${g}`, tenantId: null });
  const telemetry = createTelemetryStore({ store, logger });
  await telemetry.start();
  const ingest = await startTelemetryIngest({ telemetry, bus, logger });
  const broker = await connectClientBroker({ url: brokerUrl });
  const bridge = await startTelemetryBridge({ broker, bus, gateways: registry, logger, root });
  return {
    stored: () => telemetry.stats().samplesWritten,
    async close() {
      if (process.env['YULIAN_BENCH_DEBUG']) process.stderr.write(`telemetry store: ${JSON.stringify(telemetry.stats())}\n`);
      await bridge.stop();
      await broker.close();
      await ingest.stop();
      await telemetry.close();
      await bus.close();
    },
  };
}

/**
 * The baseline: a bare MQTT.js subscriber that parses each batch and inserts its samples into the same
 * tables with prepared statements (SQLite) or one array INSERT (PostgreSQL), in batches of up to 10,000
 * rows sorted by key — no validation, no queue, no rollups, no latest values.
 */
async function bareReceiver(store: Store, root: string): Promise<Receiver> {
  const ids = new Map<string, number>();
  let nextId = 1;
  let stored = 0;
  let pending: Array<[number, number, number | null]> = [];
  let newSeries: Array<[number, string, string]> = [];
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;
  const native = store.native;
  let write: (rows: Array<[number, number, number | null]>, series: Array<[number, string, string]>) => Promise<void>;
  if (native.kind === 'sqlite') {
    const insert = native.db.prepare('INSERT OR IGNORE INTO telemetry_samples (series_id, ts, value, text, quality, reason) VALUES (?, ?, ?, NULL, 0, NULL)');
    const insertSeries = native.db.prepare('INSERT INTO telemetry_series (id, tenant_id, device, point, created_at) VALUES (?, NULL, ?, ?, 0)');
    const tx = native.db.transaction((rows: Array<[number, number, number | null]>, series: Array<[number, string, string]>) => {
      for (const s of series) insertSeries.run(s[0], s[1], s[2]);
      for (const r of rows) insert.run(r[0], r[1], r[2]);
    });
    write = async (rows, series) => tx(rows, series);
  } else {
    const pool = native.pool;
    await ensureTelemetryPartitions(store.db, 'telemetry_samples', [Date.now() - 86_400_000, Date.now(), Date.now() + 86_400_000]);
    write = async (rows, series) => {
      if (series.length) await pool.query('INSERT INTO telemetry_series (id, tenant_id, device, point, created_at) SELECT i, NULL, d, p, 0 FROM unnest($1::int[], $2::text[], $3::text[]) AS s(i, d, p)', [series.map((s) => s[0]), series.map((s) => s[1]), series.map((s) => s[2])]);
      // Array literals built by join, as the telemetry store does (pg's own array encoding is slower).
      const literal = (k: 0 | 1 | 2): string => `{${rows.map((r) => r[k] ?? 'NULL').join(',')}}`;
      await pool.query('INSERT INTO telemetry_samples (series_id, ts, value, text, quality, reason) SELECT s, t, v, NULL, 0, NULL FROM unnest($1::int[], $2::bigint[], $3::float8[]) AS x(s, t, v) ON CONFLICT DO NOTHING', [literal(0), literal(1), literal(2)]);
    };
  }
  const flush = (): void => {
    scheduled = false;
    if (!pending.length) return;
    const rows = pending.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const series = newSeries;
    pending = [];
    newSeries = [];
    writing = writing.then(async () => {
      await write(rows, series);
      stored += rows.length;
    });
  };
  const client = await connectAsync(brokerUrl, { clientId: `bench-bare-${process.pid}`, clean: true });
  client.on('message', (_topic, payload) => {
    const batch = JSON.parse(payload.toString('utf8')) as { gateway: string; seq: number; samples: Array<{ device: string; point: string; ts: number; value: number }> };
    // Acknowledged on receipt, as the platform's bridge does once a batch is on its queue.
    void client.publishAsync(`${root}/${batch.gateway}/ack`, JSON.stringify({ seq: batch.seq, ok: true }), { qos: 0 });
    for (const s of batch.samples) {
      const key = `${s.device}\u0000${s.point}`;
      let id = ids.get(key);
      if (id === undefined) {
        ids.set(key, (id = nextId++));
        newSeries.push([id, s.device, s.point]);
      }
      pending.push([id, s.ts, typeof s.value === 'number' ? s.value : null]);
    }
    if (pending.length >= 10_000) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
  await client.subscribeAsync(`${root}/+/telemetry`, { qos: 1 });
  return {
    stored: () => stored,
    async close() {
      await client.endAsync();
      await writing;
    },
  };
}

async function waitFor(receiver: Receiver, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = Date.now();
  while (receiver.stored() < count) {
    if (process.env['YULIAN_BENCH_DEBUG'] && Date.now() - last > 2000) {
      last = Date.now();
      process.stderr.write(`stored ${receiver.stored()} of ${count}\n`);
    }
    if (Date.now() > deadline) throw new Error(`only ${receiver.stored()} of ${count} samples stored after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One run of one side on one engine: a warm-up round (every series created), then the timed rounds. Returns samples/s. */
export async function runSide(engine: Engine, side: Side, settings: Omit<PublisherSettings, 'root' | 'url'>, rounds: number): Promise<{ rate: number; seconds: number }> {
  const root = `yulian-bench-${randomBytes(4).toString('hex')}/gateways`;
  const { store, cleanup } = await freshStore(engine, 'ingest');
  const receiver = side === 'platform' ? await platformReceiver(store, root, settings.gateways) : await bareReceiver(store, root);
  const publisher = await startPublisher({ ...settings, url: brokerUrl, root });
  const perRound = settings.gateways * settings.devicesPerGateway * settings.pointsPerDevice * settings.stepsPerMessage;
  try {
    // Live timestamps: the data ends about now, as a plant's would; minutes close and roll up during the run.
    const from = Date.now() - (rounds + 1) * settings.stepsPerMessage * 1000;
    await publisher.run(1, from);
    await waitFor(receiver, perRound, 300_000);
    const t0 = performance.now();
    await publisher.run(rounds, from + settings.stepsPerMessage * 1000);
    await waitFor(receiver, perRound * (rounds + 1), 600_000);
    const seconds = (performance.now() - t0) / 1000;
    return { rate: (perRound * rounds) / seconds, seconds };
  } finally {
    publisher.child.kill();
    await receiver.close();
    await cleanup();
  }
}

/**
 * `yulian bench ingest`: gateways publish telemetry batches over MQTT (Mosquitto at 127.0.0.1:1883 or
 * YULIAN_BENCH_MQTT_URL) from a child process; the platform's uplink bridge, work queue, ingest and
 * telemetry store take them into SQLite, then PostgreSQL; the baseline is a bare MQTT.js subscriber doing
 * batched prepared inserts into the same tables, in the same run. Steady state: series are created in an
 * untimed warm-up round.
 */
/** The bench's load: 1,000 devices of 50 points on 4 gateways, 10 s of samples per message. */
export const ingestSettings = { gateways: 4, devicesPerGateway: 250, pointsPerDevice: 50, stepsPerMessage: 10, window: 32 };

export async function benchIngest(options: { rows?: number } = {}): Promise<BenchResult[]> {
  const settings = { ...ingestSettings };

  const perRound = settings.gateways * settings.devicesPerGateway * settings.pointsPerDevice * settings.stepsPerMessage;
  const rounds = Math.max(1, Math.round((options.rows ?? 2_000_000) / perRound));
  const results: BenchResult[] = [];
  for (const engine of ['sqlite', 'postgres'] as const) {
    // Alternate which side goes first between engines, so that warm caches favour neither.
    const order: Side[] = engine === 'sqlite' ? ['bare', 'platform'] : ['platform', 'bare'];
    const out: Partial<Record<Side, { rate: number; seconds: number }>> = {};
    for (const side of order) out[side] = await runSide(engine, side, settings, rounds);
    const measured = out.platform!;
    const baseline = out.bare!;
    results.push({
      name: `ingest (${engine})`,
      description: `MQTT (Mosquitto) → stored: ${settings.gateways * settings.devicesPerGateway} devices × ${settings.pointsPerDevice} points, ${settings.pointsPerDevice * settings.stepsPerMessage} samples per message, ${(perRound * rounds).toLocaleString('en')} samples timed after a warm-up round${engine === 'sqlite' ? '; absolute target ≥ 100,000 points/s' : ''}`,
      measured: { label: 'Yulian: uplink bridge → work queue → ingest → telemetry store (raw + rollups + latest)', rate: measured.rate, unit: 'points/s', seconds: measured.seconds },
      baseline: { label: 'bare MQTT.js subscriber, batched prepared inserts into the same tables', rate: baseline.rate, unit: 'points/s', seconds: baseline.seconds },
      ratio: measured.rate / baseline.rate,
      target: 0.8,
    });
  }
  return results;
}
