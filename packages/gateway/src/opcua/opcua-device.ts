import type { Sample } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import { AttributeIds, type NodeId, VariableIds, resolveNodeId } from 'node-opcua';
import type { Connector, ConnectorSinks, DeviceState, DeviceStatus } from '../driver.js';
import { type OpcuaConnection, openOpcuaSession, withTimeout } from './connect.js';
import { messageOf, opcuaError } from './errors.js';
import { type BoundPoint, type Monitoring, startMonitoring } from './monitor.js';
import { callMethod, createNodeCache, readValue, writeValue } from './node-io.js';
import type { OpcuaDeviceConfig } from './opcua-device-config.js';
import { type PkiStore, openPkiStore } from './pki.js';

/** Where an OPC UA device sends what it reads, plus the folder of the gateway's OPC UA certificate store. */
export type OpcuaDeviceSinks = ConnectorSinks & {
  /**
   * The certificate store (shared by all OPC UA devices of a gateway; see {@link PkiStore}): the gateway's
   * certificate is `own/certs/client_certificate.pem` — give it to the server's administrator; a server is
   * trusted when its certificate is in `trusted/certs/`; a refused one is saved in `rejected/`, and moving
   * that file to `trusted/certs/` trusts the server from the next retry on.
   */
  pkiDir: string;
};

const serverStateNodeId = `ns=0;i=${VariableIds.Server_ServerStatus_State}`;

/** Back-off between connection attempts after the n-th failure in a row. */
const retryDelayMs = (failures: number): number => Math.min(10_000, 250 * 2 ** Math.min(failures, 6));

/** Points whose NodeId does not parse (the schema's check is textual) are refused once per connection. */
function bindPoints(config: OpcuaDeviceConfig): { bound: BoundPoint[]; invalid: string[] } {
  const bound: BoundPoint[] = [];
  const invalid: string[] = [];
  for (const point of config.points) {
    if (!point.opcua) continue;
    let nodeId: NodeId;
    try {
      nodeId = resolveNodeId(point.opcua.nodeId);
    } catch {
      invalid.push(point.key);
      continue;
    }
    bound.push({ point: { ...point, opcua: point.opcua }, nodeId });
  }
  return { bound, invalid };
}

/**
 * An OPC UA server as a connector: one session, one subscription, a monitored item per point. Each data
 * change becomes a sample (`ts` = source timestamp, quality from the status code); a refused item gives
 * its point a `bad` sample named after the status (`BadNodeIdUnknown`). When the connection, session or
 * subscription is lost — including a server restart that forgot every subscription — the device goes
 * `offline`, reports each point's last value once as `bad` with reason `OPCUA_DISCONNECTED`, and rebuilds
 * channel, session, subscription and items from scratch with back-off (250 ms doubling to 10 s).
 * `write` converts to the node's DataType (read once and cached); `call` takes `objectNodeId|methodNodeId`.
 * Counters: connects, reconnects, dataChanges, badStatus, refusedItems, monitoredItems, lastStartupMs.
 * @example const dev = createOpcuaDevice(opcuaDeviceSchema.parse(cfg), { onSamples, pkiDir: 'data/gateway/pki' }); dev.start()
 */
export function createOpcuaDevice(config: OpcuaDeviceConfig, sinks: OpcuaDeviceSinks): Connector {
  const now = sinks.now ?? Date.now;
  const log = sinks.logger?.child({ device: config.id, protocol: 'opcua' });
  const { bound, invalid } = bindPoints(config);
  const byKey = new Map(config.points.map((p) => [p.key, p]));
  const counters = { connects: 0, reconnects: 0, dataChanges: 0, badStatus: 0, refusedItems: 0, monitoredItems: 0, lastStartupMs: 0 };
  const last = new Map<string, Sample['value']>();
  const nodes = createNodeCache();
  let state: DeviceState = 'connecting';
  let lastError: string | undefined;
  let since = now();
  let stopped = true;
  let generation = 0;
  let failures = 0;
  let conn: OpcuaConnection | undefined;
  let attempt: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let lastAlive = 0;
  let probing = false;
  let pki: Promise<PkiStore> | undefined;

  const status = (): DeviceStatus => ({ device: config.id, protocol: 'opcua', state, lastError, since, counters: { ...counters } });

  const deliver = (samples: Sample[]): void => {
    for (const s of samples) last.set(s.point, s.value);
    try {
      sinks.onSamples(samples);
    } catch (err) {
      log?.error({ err: messageOf(err) }, 'onSamples threw');
    }
  };

  const setState = (next: DeviceState): void => {
    if (next === state) return;
    const wasOffline = state === 'offline';
    state = next;
    since = now();
    if (next === 'offline') {
      log?.warn({ reason: lastError }, 'device offline');
      // Consumers see staleness: every point's last value once, bad, with the reason.
      if (!wasOffline) {
        const ts = now();
        deliver(bound.map(({ point }) => ({ device: config.id, point: point.key, ts, receivedTs: ts, value: last.get(point.key) ?? null, quality: 'bad', reason: 'OPCUA_DISCONNECTED' })));
      }
    } else if (next === 'online') log?.info({ counters }, 'device online');
    try {
      sinks.onStatus?.(status());
    } catch (err) {
      log?.error({ err: messageOf(err) }, 'onStatus threw');
    }
  };

  /** Drops the current connection; the returned promise settles when it is closed. */
  const teardown = (): Promise<void> => {
    clearInterval(watchdog);
    watchdog = undefined;
    const old = conn;
    conn = undefined;
    counters.monitoredItems = 0;
    return old ? old.close() : Promise.resolve();
  };

  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(run, retryDelayMs(failures));
  };

  /** The connection of generation `gen` is gone: drop it, report, and try again. */
  const lost = (gen: number, reason: string): void => {
    if (gen !== generation || stopped) return;
    generation++;
    lastError = reason;
    void teardown();
    setState('offline');
    failures = 0;
    schedule();
  };

  async function connectOnce(gen: number): Promise<void> {
    const started = now();
    const store = (pki ??= openPkiStore(sinks.pkiDir));
    store.catch(() => pki === store && (pki = undefined));
    const c = await openOpcuaSession({ ...config, pki: await store, clientName: config.id });
    // Stopped or superseded meanwhile: this connection is nobody's.
    const abandoned = (): boolean => {
      if (gen === generation) return false;
      if (conn === c) void teardown();
      else void c.close();
      return true;
    };
    if (abandoned()) return;
    conn = c;
    c.client.on('close', (err?: Error | null) => lost(gen, err ? `connection closed: ${messageOf(err)}` : 'the server closed the connection'));
    c.client.on('connection_lost', () => setImmediate(() => lost(gen, 'connection lost')));
    c.session.on('session_closed', (s) => lost(gen, `session closed (${s.name})`));
    c.session.on('keepalive_failure', () => lost(gen, 'session keep-alive failed'));
    // node-opcua repairs a session the server forgot in place when a request meets BadSessionIdInvalid;
    // the device rebuilds instead, so that items, refusals, counters and staleness are handled one way.
    for (const event of ['session_repaired', 'session_restored', 'session_repaired_failed']) c.session.on(event, () => lost(gen, 'the server had closed the session'));
    const m: Monitoring = await startMonitoring({
      device: config.id,
      session: c.session,
      points: bound,
      publishingIntervalMs: config.publishingIntervalMs,
      samplingIntervalMs: config.samplingIntervalMs,
      batchSize: config.batchSize,
      timeoutMs: config.timeoutMs,
      now,
      logger: log,
      onSamples: (samples) => {
        if (gen !== generation) return;
        counters.dataChanges += samples.length;
        for (const x of samples) if (x.quality !== 'good') counters.badStatus++;
        deliver(samples);
      },
      onAlive: () => (lastAlive = now()),
      onLost: (reason) => lost(gen, reason),
    });
    if (abandoned()) return;
    const ts = now();
    const refused = [...m.refused, ...invalid.map((key): Sample => ({ device: config.id, point: key, ts, receivedTs: ts, value: null, quality: 'bad', reason: 'BadNodeIdInvalid' }))];
    counters.refusedItems += refused.length;
    if (refused.length > 0) deliver(refused);
    counters.monitoredItems = m.accepted;
    counters.lastStartupMs = now() - started;
    if (counters.connects++ > 0) counters.reconnects++;
    failures = 0;
    lastError = undefined;
    lastAlive = now();
    watchdog = setInterval(() => void probe(gen, c, m.keepAliveMs), Math.max(100, Math.min(m.keepAliveMs / 2, 5000)));
    watchdog.unref();
    setState('online');
  }

  /**
   * A session the server closed, a deleted subscription or a half-open TCP connection raise no event:
   * node-opcua just stops publishing. After a keep-alive period of silence, read the server state; a
   * failure, or silence for two periods, means the connection is lost.
   */
  async function probe(gen: number, c: OpcuaConnection, keepAliveMs: number): Promise<void> {
    const silence = now() - lastAlive;
    if (silence <= keepAliveMs + config.timeoutMs || probing) return;
    probing = true;
    try {
      const dv = await withTimeout(c.session.read({ nodeId: serverStateNodeId, attributeId: AttributeIds.Value }), config.timeoutMs, () => new Error(`no answer within ${config.timeoutMs} ms`));
      if (!dv.statusCode.isGood()) lost(gen, `the server does not answer for the session (${dv.statusCode.name})`);
      else if (now() - lastAlive > 2 * keepAliveMs + config.timeoutMs) lost(gen, `no publish response within ${2 * keepAliveMs + config.timeoutMs} ms`);
    } catch (err) {
      lost(gen, `the server does not answer for the session: ${messageOf(err)}`);
    } finally {
      probing = false;
    }
  }

  function run(): void {
    if (stopped || attempt) return;
    const gen = generation;
    attempt = connectOnce(gen)
      .catch((err: unknown) => {
        if (gen !== generation || stopped) return;
        generation++;
        failures++;
        lastError = messageOf(err);
        void teardown();
        log?.warn({ err: lastError, failures }, 'OPC UA connection attempt failed');
        setState('offline');
        schedule();
      })
      .finally(() => (attempt = undefined));
  }

  const session = () => {
    if (!conn || state !== 'online') throw opcuaError('OPCUA_UNREACHABLE', `Device ${config.id} is not connected${lastError ? `: ${lastError}` : ''}.`);
    return conn.session;
  };

  const ownDevice = (device: string): void => {
    if (device !== config.id) throw new YulianError('DEVICE_NOT_FOUND', `This connector serves ${config.id}, not ${device}.`);
  };

  return {
    id: config.id,
    start() {
      if (!stopped) return;
      stopped = false;
      run();
    },
    async stop() {
      stopped = true;
      generation++;
      clearTimeout(retryTimer);
      const pending = attempt;
      if (pending) await Promise.race([pending, new Promise((r) => setTimeout(r, config.timeoutMs * 2).unref())]);
      await teardown();
      const store = pki;
      pki = undefined;
      if (store) await (await store.catch(() => undefined))?.release();
    },
    devices: () => [status()],
    async write(device, key, value) {
      ownDevice(device);
      const p = byKey.get(key);
      if (!p?.opcua) throw new YulianError('NOT_FOUND', `Device ${config.id} has no point ${key}.`);
      if (p.access !== 'read-write') throw new YulianError('FORBIDDEN', `${key} is read-only.`);
      await writeValue({ session: session(), nodes, point: p, value, timeoutMs: config.timeoutMs });
    },
    async read(device, key) {
      ownDevice(device);
      const p = byKey.get(key);
      if (!p?.opcua) throw new YulianError('NOT_FOUND', `Device ${config.id} has no point ${key}.`);
      return readValue({ session: session(), point: p, timeoutMs: config.timeoutMs });
    },
    async call(device, method, args) {
      ownDevice(device);
      return callMethod({ session: session(), nodes, method, args, timeoutMs: config.timeoutMs });
    },
  };
}
