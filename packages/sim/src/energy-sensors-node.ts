import { type Logger, YulianError } from '@yulian/core';
import { type SparkplugCommand, type SparkplugEdgeNode, type SparkplugMetricDefinition, createSparkplugEdgeNode, isSparkplugId, nextSparkplugSeq } from '@yulian/protocols';
import { type EnergySensorDevice, copyEnergySensorDevice, energySensorDevices, reportIntervalMetric, reportIntervalRange, roundToResolution } from './energy-sensors-devices.js';
import { energySensorFault, faultedReading } from './energy-sensors-faults.js';
import { type PlantLoads, createEnergySensorsSim } from './energy-sensors-model.js';
import type { ActiveFault, FaultKind, FaultSpecInput } from './faults.js';

/** Where the sensors' Sparkplug edge node is, for the platform to show and subscribe to. */
export interface EnergySensorsInfo {
  /** Broker URL, without any user or password in it. */
  url: string;
  groupId: string;
  edgeNodeId: string;
  devices: EnergySensorDevice[];
}

/** Options of {@link startEnergySensorNode}. */
export interface EnergySensorNodeOptions {
  url: string;
  username?: string;
  password?: string;
  groupId: string;
  edgeNodeId: string;
  seed: number;
  /** Simulation time (epoch ms) the model starts at. */
  start: number;
  /** Simulation time now, epoch ms: births and deaths carry it. */
  clock: () => number;
  /** The factory machines' loads at `start`; without them the sensors measure a plant of their own. */
  loads?: PlantLoads;
  connectTimeoutMs: number;
  logger?: Logger;
}

/** The sensors and their edge node as the factory runs them, like a `SimMachine` for ten devices. */
export interface SimEnergySensors {
  readonly info: EnergySensorsInfo;
  has(deviceId: string): boolean;
  tick(now: number, dtMs: number, loads?: PlantLoads): void;
  /** Updates what the sensors show and reports every device whose interval has passed (DDATA). */
  publish(now: number): void;
  values(deviceId: string): Record<string, number>;
  inject(deviceId: string, fault: FaultSpecInput, now: number): ActiveFault;
  clear(deviceId: string, kind: FaultKind | undefined): void;
  faults(): ActiveFault[];
  /** NDEATH and a clean disconnect. */
  close(): Promise<void>;
  /** Drops the connection as a crash would: the broker publishes the NDEATH will. */
  abort(): void;
}

const defaultIntervalS = 1;

/** The broker URL without user and password, fit for logs and messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Checks the connection options. @throws YulianError CONFIG_INVALID saying what to pass */
export function checkEnergySensorOptions(o: { url: string; groupId: string; edgeNodeId: string; seed: number }): void {
  let protocol = '';
  try {
    protocol = new URL(o.url).protocol;
  } catch {
    // reported below
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(protocol)) throw new YulianError('CONFIG_INVALID', `Energy sensors url ${redactedUrl(o.url)}: pass an mqtt://, mqtts://, ws:// or wss:// broker URL, e.g. mqtt://127.0.0.1:1883.`);
  for (const [what, id] of [['groupId', o.groupId], ['edgeNodeId', o.edgeNodeId]] as const) {
    if (!isSparkplugId(id)) throw new YulianError('CONFIG_INVALID', `Energy sensors ${what} "${id}": pass a non-empty Sparkplug id without + / or #.`);
  }
  if (!Number.isSafeInteger(o.seed)) throw new YulianError('CONFIG_INVALID', `Energy sensors seed ${o.seed}: pass an integer.`);
}

/** Waits for the node's births; aborts it and fails when the broker does not accept it in time. */
async function bornWithin(node: SparkplugEdgeNode, timeoutMs: number, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new YulianError('MQTT_UNAVAILABLE', `The energy sensors' broker at ${redactedUrl(url)} did not accept a connection within ${timeoutMs} ms; check the url, username and password.`)), timeoutMs);
  });
  try {
    await Promise.race([node.start(), timeout]);
  } catch (error) {
    node.abort();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the ten sensors behind one Sparkplug B edge node and resolves once NBIRTH and the ten DBIRTHs
 * are out. Each power meter reports every `Config/ReportIntervalS` seconds (writable by DCMD, 1–3600),
 * the other sensors every second. A comm-loss on any sensor is the gateway's uplink failing: the node
 * drops off (NDEATH by will) and comes back with the next bdSeq once no comm-loss is left.
 * @throws YulianError CONFIG_INVALID for a bad url or id, MQTT_UNAVAILABLE when the broker does not accept the node in time
 */
export async function startEnergySensorNode(o: EnergySensorNodeOptions): Promise<SimEnergySensors> {
  checkEnergySensorOptions(o);
  const log = o.logger?.child({ component: 'energy-sensors', sparkplugNode: `${o.groupId}/${o.edgeNodeId}` });
  const sim = createEnergySensorsSim(o.seed, o.start, o.loads);
  const byId = new Map(energySensorDevices.map((d) => [d.id, d]));
  const intervalS = new Map(energySensorDevices.filter((d) => d.kind === 'power-meter').map((d) => [d.id, defaultIntervalS]));
  const lastReport = new Map(energySensorDevices.map((d) => [d.id, o.start]));
  const active = new Map<string, Map<FaultKind, ActiveFault>>();
  const shown: Record<string, Record<string, number>> = {};

  const refresh = (now: number): void => {
    const readings = sim.readings();
    for (const d of energySensorDevices) {
      const was = shown[d.id] ?? {};
      const next: Record<string, number> = {};
      for (const m of d.metrics) {
        if (m.name === reportIntervalMetric) next[m.name] = intervalS.get(d.id) ?? defaultIntervalS;
        else next[m.name] = roundToResolution(m, faultedReading(m, readings[d.id]?.[m.name] ?? 0, was[m.name], active.get(d.id), now));
      }
      shown[d.id] = next;
    }
  };
  refresh(o.start);

  const onCommand = (c: SparkplugCommand): boolean => {
    const [lo, hi] = reportIntervalRange;
    if (c.device === undefined || c.metric !== reportIntervalMetric || !intervalS.has(c.device)) return false;
    if (typeof c.value !== 'number' || !Number.isInteger(c.value) || c.value < lo || c.value > hi) {
      log?.warn({ device: c.device, metric: c.metric, value: String(c.value) }, 'report interval refused');
      return false;
    }
    intervalS.set(c.device, c.value);
    (shown[c.device] ??= {})[reportIntervalMetric] = c.value;
    log?.info({ device: c.device, intervalS: c.value }, 'report interval written');
    return true;
  };

  const createNode = (bdSeq: number): SparkplugEdgeNode =>
    createSparkplugEdgeNode({
      url: o.url,
      groupId: o.groupId,
      edgeNodeId: o.edgeNodeId,
      bdSeq,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      // Births carry what the sensors show now, also after a comm-loss.
      devices: Object.fromEntries(energySensorDevices.map((d) => [d.id, d.metrics.map((m): SparkplugMetricDefinition => ({ name: m.name, type: m.type, value: shown[d.id]?.[m.name] ?? null, ...(m.unit ? { unit: m.unit } : {}), ...(m.writable ? { writable: true } : {}) }))])),
      onCommand,
      reconnectPeriodMs: 1000,
      now: o.clock,
      ...(o.logger ? { logger: o.logger } : {}),
    });

  let node: SparkplugEdgeNode | undefined = createNode(0);
  let lastBdSeq = 0;
  let closed = false;
  await bornWithin(node, o.connectTimeoutMs, o.url);
  log?.info({ url: redactedUrl(o.url), devices: byId.size }, 'energy sensors online');

  const device = (id: string): EnergySensorDevice => {
    const d = byId.get(id);
    if (!d) throw new YulianError('DEVICE_NOT_FOUND', `The energy gateway has no sensor ${id}; it has ${[...byId.keys()].join(', ')}.`);
    return d;
  };
  const commLoss = (): boolean => [...active.values()].some((f) => f.has('comm-loss'));

  return {
    info: { url: redactedUrl(o.url), groupId: o.groupId, edgeNodeId: o.edgeNodeId, devices: energySensorDevices.map(copyEnergySensorDevice) },
    has: (id) => byId.has(id),
    tick: (now, dtMs, loads) => sim.tick(now, dtMs, loads),
    publish(now) {
      refresh(now);
      for (const d of energySensorDevices) {
        const everyMs = 1000 * (intervalS.get(d.id) ?? defaultIntervalS);
        const last = lastReport.get(d.id) ?? now;
        if (now - last < everyMs) continue;
        // Keep the cadence on the interval's grid however the clock is stepped.
        lastReport.set(d.id, last + everyMs * Math.floor((now - last) / everyMs));
        try {
          node?.publish(shown[d.id] ?? {}, { device: d.id, timestamp: now });
        } catch (err) {
          log?.warn({ device: d.id, err: (err as Error).message }, 'sensor values not published');
        }
      }
    },
    values: (id) => ({ ...shown[device(id).id] }),
    inject(id, input, now) {
      const fault = energySensorFault(device(id), input, now);
      const faults = active.get(id) ?? new Map<FaultKind, ActiveFault>();
      faults.set(fault.kind, fault);
      active.set(id, faults);
      if (fault.kind === 'comm-loss' && node) {
        lastBdSeq = node.bdSeq;
        node.abort();
        node = undefined;
      }
      log?.warn({ device: id, fault: fault.kind, point: fault.point, severity: fault.severity }, 'fault injected');
      return { ...fault };
    },
    clear(id, kind) {
      const faults = active.get(device(id).id);
      for (const k of kind ? [kind] : [...(faults?.keys() ?? [])]) {
        if (!faults?.delete(k)) continue;
        log?.info({ device: id, fault: k }, 'fault cleared');
      }
      if (!node && !closed && !commLoss()) {
        // A new MQTT session, so the next bdSeq; it births as soon as the broker takes it.
        node = createNode(nextSparkplugSeq(lastBdSeq));
        void node.start();
      }
    },
    faults: () => [...active.values()].flatMap((f) => [...f.values()].map((x) => ({ ...x }))),
    async close() {
      closed = true;
      const n = node;
      node = undefined;
      await n?.stop();
      log?.info('energy sensors stopped');
    },
    abort() {
      closed = true;
      node?.abort();
      node = undefined;
    },
  };
}
