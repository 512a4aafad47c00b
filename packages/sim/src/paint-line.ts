import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Point } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import { type ActiveFault, type FaultKind, type FaultSpecInput, driftedValue, faultEffects, faultSpecSchema, shaftFaultKinds } from './faults.js';
import type { SimDeviceServer, SimValue } from './machine-sim.js';
import { createPaintLineSim, paintLineId, paintLineName, paintLinePoints } from './paint-line-model.js';
import { startPaintLineServer } from './paint-line-server.js';
import type { SimPoint } from './registers.js';
import { createRandom, deriveSeed } from './signals.js';

/** The paint line as the factory runs it: model, OPC UA server and faults, like a `SimMachine`. */
export interface SimPaintLine extends SimDeviceServer {
  readonly id: string;
}

/** Options of `startPaintLine`. */
export interface StartPaintLineOptions {
  seed: number;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Simulation time (epoch ms) the model starts at. */
  start: number;
  /** Where the server keeps its certificate; default `<tmpdir>/yulian-sim-opcua-pki`, shared by every factory. */
  pkiDir?: string;
  logger?: Logger;
}

const numericKeys = paintLinePoints.filter((p) => p.dataType !== 'bool' && p.dataType !== 'string').map((p) => p.key);
const zoneKeys = ['zone1_temp', 'zone2_temp', 'zone3_temp', 'zone4_temp'];
/** Where sensor faults and overheating strike when the fault names no point: the first cure zone. */
const defaultFaultPoint = 'zone3_temp';

/** The value a client reads: float32 rounding, integers whole and within their range. */
function asServed(p: Point, v: SimValue): SimValue {
  if (typeof v !== 'number') return v;
  if (p.dataType === 'float32') return Math.fround(v);
  if (p.dataType === 'float64') return v;
  return Math.min(p.max ?? Infinity, Math.max(p.min ?? -Infinity, Math.round(v)));
}

/** Checks a fault against what the paint line can suffer. @throws YulianError VALIDATION_FAILED */
function paintLineFault(input: FaultSpecInput, now: number): ActiveFault {
  const parsed = faultSpecSchema.safeParse(input);
  if (!parsed.success) throw new YulianError('VALIDATION_FAILED', `Fault for ${paintLineId}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`).join('; ')}.`);
  const { kind, severity } = parsed.data;
  if (shaftFaultKinds.includes(kind)) throw new YulianError('VALIDATION_FAILED', `The paint line has no rotating shaft (no bearing) for ${kind}; give it overheating, sensor-drift, stuck-value or comm-loss.`);
  if (kind === 'comm-loss') {
    if (parsed.data.point !== undefined) throw new YulianError('VALIDATION_FAILED', 'A comm-loss fault takes no point.');
    return { device: paintLineId, kind, severity, since: now };
  }
  const point = parsed.data.point ?? defaultFaultPoint;
  // Overheating strikes one oven zone (its burner control fails); sensor faults one numeric point.
  const allowed = kind === 'overheating' ? zoneKeys : numericKeys;
  if (!allowed.includes(point)) throw new YulianError('VALIDATION_FAILED', `${paintLineId} has no ${kind === 'overheating' ? 'oven zone' : 'numeric point'} ${point}; pass one of ${allowed.join(', ')}.`);
  return { device: paintLineId, kind, severity, since: now - parsed.data.ageHours * 3_600_000, point };
}

/**
 * Starts the paint line: its model (deterministic from the factory seed), and its OPC UA server on
 * `host:port`. Faults: overheating of one zone (`point`: zone1_temp … zone4_temp, default zone 3),
 * sensor-drift and stuck-value of a numeric point, comm-loss (connections dropped, the port closed until
 * cleared); bearing-wear does not apply.
 */
export async function startPaintLine(options: StartPaintLineOptions): Promise<SimPaintLine> {
  const sim = createPaintLineSim(createRandom(deriveSeed(options.seed, paintLineId)), options.start);
  const log = options.logger?.child({ device: paintLineId });
  const active = new Map<FaultKind, ActiveFault>();
  const shown: Record<string, SimValue> = {};
  let lastNow = options.start;

  // Called once the server runs: at start, after a client's write, and after each step of the factory.
  function publish(now: number): void {
    lastNow = now;
    const values = sim.values();
    const stuck = active.get('stuck-value');
    const drift = active.get('sensor-drift');
    for (const p of paintLinePoints) {
      let v = values[p.key];
      if (v === undefined || (stuck?.point === p.key && shown[p.key] !== undefined)) continue; // a frozen transmitter
      // driftedValue reads only the point's range, which every paint line point has.
      if (drift?.point === p.key && typeof v === 'number') v = driftedValue(drift, p as SimPoint, v, now);
      shown[p.key] = asServed(p, v);
    }
    running.publish(shown, now);
  }

  const running = await startPaintLineServer({
    host: options.host,
    port: options.port,
    // Shared and kept: the self-signed certificate is made once (node-opcua locks the store while it does).
    pkiDir: options.pkiDir ?? join(tmpdir(), 'yulian-sim-opcua-pki'),
    points: paintLinePoints,
    onWrite(key, value) {
      sim.setpoint(key, value);
      publish(lastNow);
      log?.info({ point: key, value: shown[key] }, 'setpoint written');
    },
    ...(log ? { logger: log } : {}),
  });
  publish(options.start);

  // Comm-loss changes run one after the other, so a quick inject-then-clear cannot race.
  let serverChange: Promise<void> = Promise.resolve();
  const changeServer = (online: boolean): Promise<void> => {
    const next = serverChange.then(() => (online ? running.resume() : running.suspend()));
    serverChange = next.catch(() => undefined);
    return next;
  };

  return {
    id: paintLineId,
    host: options.host,
    port: running.port,
    tick: (now, dtMs) => {
      const effects = faultEffects(active, now);
      const hotZone = Number(/^zone(\d)_temp$/.exec(active.get('overheating')?.point ?? '')?.[1] ?? 0);
      sim.tick(now, dtMs, { ...effects, hotZone });
    },
    publish,
    values: () => ({ ...shown }),
    async inject(input, now) {
      const fault = paintLineFault(input, now);
      active.set(fault.kind, fault);
      if (fault.kind === 'comm-loss') await changeServer(false);
      log?.warn({ fault: fault.kind, point: fault.point, severity: fault.severity }, 'fault injected');
      return { ...fault };
    },
    async clear(kind) {
      for (const k of kind ? [kind] : [...active.keys()]) {
        if (!active.delete(k)) continue;
        if (k === 'comm-loss') await changeServer(true);
        log?.info({ fault: k }, 'fault cleared');
      }
    },
    faults: () => [...active.values()].map((f) => ({ ...f })),
    async close() {
      await serverChange;
      await running.close();
    },
  };
}

/** The OPC UA endpoint URL of a server listening on `host` (a wildcard address means this machine). */
export function opcuaEndpointUrl(host: string, port: number): string {
  const reach = host === '::' ? 'localhost' : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `opc.tcp://${isIP(reach) === 6 ? `[${reach}]` : reach}:${port}`;
}

/** The gateway's configuration for subscribing to the paint line (the shape of an OPC UA device). */
export interface PaintLineDeviceConfig {
  id: string;
  name: string;
  protocol: 'opcua';
  endpointUrl: string;
  securityMode: 'None';
  securityPolicy: 'None';
  auth: { type: 'anonymous' };
  publishingIntervalMs: number;
  points: Point[];
}

/**
 * The gateway's configuration of the paint line, built from the points its server serves.
 * @example paintLineDeviceConfig('opc.tcp://127.0.0.1:4841').points[0].opcua // { nodeId: 'ns=2;s=PaintLine.Oven.Zone1.Temperature' }
 */
export function paintLineDeviceConfig(endpointUrl: string): PaintLineDeviceConfig {
  return {
    id: paintLineId,
    name: `${paintLineName.zh} ${paintLineName.en}`,
    protocol: 'opcua',
    endpointUrl,
    securityMode: 'None',
    securityPolicy: 'None',
    auth: { type: 'anonymous' },
    publishingIntervalMs: 1000,
    points: paintLinePoints.map((p) => ({ ...p, ...(p.opcua ? { opcua: { ...p.opcua } } : {}) })),
  };
}
