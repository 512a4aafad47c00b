import type { Point } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import type { ModbusDeviceConfigInput, MqttConnectionConfigInput } from '@yulian/gateway';
import { type PlantLoads, plantLoadsFrom } from './energy-sensors-model.js';
import { type EnergySensorsInfo, type SimEnergySensors, checkEnergySensorOptions, startEnergySensorNode } from './energy-sensors-node.js';
import type { ActiveFault, FaultKind, FaultSpecInput } from './faults.js';
import { type MachineKind, factoryLayout, factoryName, modbusDeviceConfig } from './layout.js';
import { type SimMachine, startMachine } from './machine.js';
import type { SimDeviceServer, SimValue } from './machine-sim.js';
import { createSimClock } from './sim-clock.js';
import { type SimBurst, type VibrationProfile, createBurstSchedule, takeBurst, vibrationProfileOf } from './vibration.js';
import { type PaintLineDeviceConfig, type SimPaintLine, opcuaEndpointUrl, paintLineDeviceConfig, startPaintLine } from './paint-line.js';

/** Options of `startVirtualFactory`. */
export interface VirtualFactoryOptions {
  /** Seed of every random signal; default 1. The same seed stepped the same way gives the same registers. */
  seed?: number;
  /** Address the Modbus servers listen on; default `'::'` (IPv6 and IPv4). */
  host?: string;
  /** Port of the first machine, the others follow in layout order; default 0, a free port each. */
  basePort?: number;
  /** Port of the paint line's OPC UA server (on `host`); default 0, a free port. */
  opcuaPort?: number;
  /** Where the paint line's server keeps its certificate; default `<tmpdir>/yulian-sim-opcua-pki`. */
  opcuaPkiDir?: string;
  /**
   * Advance the simulation from the wall clock every 100 ms; default true. Tests pass false and call
   * `step(ms)`, so that nothing depends on real time.
   */
  realTime?: boolean;
  /** Simulation time at start, epoch ms; default now when real-time, else 2025-03-03 08:00 China time. */
  start?: number;
  /**
   * The broker the plant's ten energy/environment sensors publish Sparkplug B to (`energySensorDevices`,
   * group default `yulian-demo`, edge node `energy-gw`); without it there are no sensors. The factory
   * fails to start when the broker does not accept them within 10 s.
   */
  mqtt?: { url: string; username?: string; password?: string; groupId?: string; edgeNodeId?: string };
  /**
   * Simulated ms between two accelerometer bursts of each rotating machine (see `onBurst`); default
   * 60,000, 0 for none (`measureVibration` still takes one on demand).
   */
  burstIntervalMs?: number;
  logger?: Logger;
}

/** A machine of the virtual factory as the platform lists it. */
export interface VirtualDevice {
  id: string;
  name: { zh: string; en: string };
  kind: MachineKind;
  protocol: 'modbus-tcp';
  /** Address its Modbus server listens on. */
  host: string;
  port: number;
  points: Point[];
}

/** A running virtual factory. */
export interface VirtualFactory {
  readonly seed: number;
  /** Simulation time, epoch ms. */
  now(): number;
  devices(): VirtualDevice[];
  /** Gateway configurations for every Modbus machine; `host` is where the gateway reaches them (default: loopback). */
  deviceConfigs(host?: string): ModbusDeviceConfigInput[];
  /**
   * The paint line's OPC UA endpoint: `host` as listened on, or `localhost` for `::` (reached over IPv4 or
   * IPv6, whichever the name resolves to) and 127.0.0.1 for 0.0.0.0.
   */
  readonly opcuaEndpointUrl: string;
  /** Gateway configurations for the OPC UA devices (the paint line); `host` as for `deviceConfigs`. */
  opcuaDeviceConfigs(host?: string): PaintLineDeviceConfig[];
  /** The energy sensors' Sparkplug edge node and its ten devices; undefined without the `mqtt` option. */
  readonly sparkplug: EnergySensorsInfo | undefined;
  /**
   * A gateway MQTT connection whose Sparkplug host (id `hostId`, default `yulian`) subscribes to the
   * sensors' group, with the broker credentials the factory was given; empty without the `mqtt` option.
   */
  mqttConnectionConfigs(hostId?: string): MqttConnectionConfigInput[];
  /**
   * What a machine's registers (the paint line's variables, a sensor's metrics by name) hold now, by
   * point key. @throws YulianError DEVICE_NOT_FOUND
   */
  values(deviceId: string): Record<string, SimValue>;
  /** Injects a fault, replacing one of the same kind. @throws YulianError DEVICE_NOT_FOUND, VALIDATION_FAILED */
  injectFault(deviceId: string, fault: FaultSpecInput): Promise<ActiveFault>;
  /** Clears one kind of fault, or all of a machine's faults. @throws YulianError DEVICE_NOT_FOUND */
  clearFault(deviceId: string, kind?: FaultKind): Promise<void>;
  /** Every fault in effect. */
  faults(): ActiveFault[];
  /** Advances the simulation by `ms` in 100 ms ticks and updates the registers. */
  step(ms: number): void;
  /**
   * Calls `listener` with each accelerometer burst the rotating machines take every `burstIntervalMs`
   * while their shafts turn; returns the unsubscribe function.
   */
  onBurst(listener: (burst: SimBurst) => void): () => void;
  /**
   * Takes a burst of a machine now (for the caller only, not given to `onBurst` listeners); undefined while its shaft
   * turns below 1,200 rpm. @throws YulianError DEVICE_NOT_FOUND for a device without an accelerometer
   */
  measureVibration(deviceId: string): SimBurst | undefined;
  /** The accelerometer of a machine: its point, bearing and resonance. @throws YulianError DEVICE_NOT_FOUND */
  vibrationProfile(deviceId: string): VibrationProfile;
  /** Stops the clock, every Modbus server, the OPC UA server and the sensors (NDEATH, then disconnect). */
  close(): Promise<void>;
}

/**
 * Starts 重庆渝联示范工厂: six CNC machines and two air compressors, each a Modbus TCP server (unit 1)
 * with the register map of `factoryLayout`, and the paint line, an OPC UA server (`paintLinePoints`).
 * @example const f = await startVirtualFactory({ seed: 7, host: '::1', realTime: false }); f.step(60_000)
 * @throws YulianError CONFIG_INVALID for a bad seed, base port or OPC UA port; the listen error (e.g. EADDRINUSE)
 */
export async function startVirtualFactory(options: VirtualFactoryOptions = {}): Promise<VirtualFactory> {
  const { seed = 1, host = '::', basePort = 0, opcuaPort = 0, realTime = true, logger } = options;
  if (!Number.isSafeInteger(seed)) throw new YulianError('CONFIG_INVALID', `Virtual factory seed ${seed}: pass an integer.`);
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + factoryLayout.length - 1 > 65535) {
    throw new YulianError('CONFIG_INVALID', `Virtual factory basePort ${basePort}: pass 0 (free ports) or 1–${65536 - factoryLayout.length}, one port per machine from there.`);
  }
  if (!Number.isInteger(opcuaPort) || opcuaPort < 0 || opcuaPort > 65535) throw new YulianError('CONFIG_INVALID', `Virtual factory opcuaPort ${opcuaPort}: pass 0 (a free port) or 1–65535.`);
  const mqtt = options.mqtt ? { ...options.mqtt, groupId: options.mqtt.groupId ?? 'yulian-demo', edgeNodeId: options.mqtt.edgeNodeId ?? 'energy-gw' } : undefined;
  if (mqtt) checkEnergySensorOptions({ ...mqtt, seed });
  const clock = createSimClock({ start: options.start, realTime });
  const startedAt = clock.now();
  const burstSchedule = createBurstSchedule(startedAt, options.burstIntervalMs ?? 60_000);
  const burstListeners = new Set<(burst: SimBurst) => void>();
  const log = logger?.child({ component: 'virtual-factory' });
  const machines = new Map<string, SimMachine>();
  // The OPC UA server builds its address space (a few hundred ms) while the machines start.
  const paintLineStart = startPaintLine({ seed, host, port: opcuaPort, start: startedAt, ...(options.opcuaPkiDir ? { pkiDir: options.opcuaPkiDir } : {}), ...(logger ? { logger } : {}) });
  paintLineStart.catch(() => undefined); // awaited below; until then a failure must not count as unhandled
  let paintLine: SimPaintLine;
  try {
    for (const [i, spec] of factoryLayout.entries()) {
      machines.set(spec.id, await startMachine(spec, { seed, host, port: basePort ? basePort + i : 0, start: startedAt, logger }));
    }
    paintLine = await paintLineStart;
  } catch (error) {
    await Promise.all([...[...machines.values()].map((m) => m.close()), paintLineStart.then((p) => p.close(), () => undefined)]);
    throw error;
  }
  for (const m of machines.values()) m.publish(startedAt);
  const plantLoads = (): PlantLoads => plantLoadsFrom([...machines.values()].map((m) => ({ kind: m.spec.kind, values: m.values() })), paintLine.values());
  let loads: PlantLoads | undefined;
  let sensors: SimEnergySensors | undefined;
  if (mqtt) {
    const { url, username, password } = mqtt;
    loads = plantLoads();
    try {
      sensors = await startEnergySensorNode({ url, groupId: mqtt.groupId, edgeNodeId: mqtt.edgeNodeId, seed, start: startedAt, clock: () => clock.now(), loads, connectTimeoutMs: 10_000, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...(logger ? { logger } : {}) });
    } catch (error) {
      await Promise.all([...[...machines.values()].map((m) => m.close()), paintLine.close()]);
      throw error;
    }
  }

  clock.drive({
    tick(now, dtMs) {
      for (const m of machines.values()) m.tick(now, dtMs);
      if (burstListeners.size > 0) emitDueBursts(now);
      paintLine.tick(now, dtMs);
      // The meters see the machines as last published: within one tick in real time, one step when stepped.
      sensors?.tick(now, dtMs, loads);
    },
    publish(now) {
      for (const m of machines.values()) m.publish(now);
      paintLine.publish(now);
      if (sensors) {
        loads = plantLoads();
        sensors.publish(now);
      }
    },
  });

  function burstOf(m: SimMachine, now: number): SimBurst | undefined {
    return takeBurst(seed, { id: m.spec.id, kind: m.spec.kind, values: m.values(), faults: m.faults() }, now);
  }
  function emitBurst(burst: SimBurst): void {
    for (const listener of burstListeners) {
      try {
        listener(burst);
      } catch (err) {
        log?.error({ err, device: burst.device }, 'a burst listener failed');
      }
    }
  }
  function emitDueBursts(now: number): void {
    [...machines.values()].forEach((m, i) => {
      if (!burstSchedule.due(m.spec.id, i, now)) return;
      m.publish(now); // a stepped factory publishes only at the step's end: the burst needs this tick's speed
      const burst = burstOf(m, now);
      if (!burst) return;
      burstSchedule.taken(m.spec.id, now);
      emitBurst(burst);
    });
  }
  const rotatingMachine = (id: string): SimMachine => {
    const m = machines.get(id);
    if (!m) throw new YulianError('DEVICE_NOT_FOUND', `The virtual factory has no accelerometer on ${id}; the rotating machines are ${[...machines.keys()].join(', ')}.`);
    return m;
  };

  const sensorIds = sensors?.info.devices.map((d) => d.id) ?? [];
  const machine = (id: string): SimDeviceServer => {
    const m = id === paintLine.id ? paintLine : machines.get(id);
    if (!m) throw new YulianError('DEVICE_NOT_FOUND', `The virtual factory has no machine ${id}; it has ${[...machines.keys(), paintLine.id, ...sensorIds].join(', ')}.`);
    return m;
  };
  const sensor = (id: string): SimEnergySensors | undefined => (sensors?.has(id) ? sensors : undefined);
  const loopback = (h: string): string => (h === '::' ? '::1' : h === '0.0.0.0' ? '127.0.0.1' : h);
  const endpointUrl = opcuaEndpointUrl(host, paintLine.port);
  const sparkplug = sensors ? { groupId: sensors.info.groupId, edgeNodeId: sensors.info.edgeNodeId } : undefined;
  log?.info({ seed, factory: factoryName.en, devices: [...machines.values()].map((m) => `${m.spec.id}@${m.port}`), opcua: endpointUrl, sparkplug }, 'virtual factory started');

  return {
    seed,
    now: () => clock.now(),
    devices: () =>
      [...machines.values()].map((m) => ({
        id: m.spec.id,
        name: { ...m.spec.name },
        kind: m.spec.kind,
        protocol: 'modbus-tcp',
        host: m.host,
        port: m.port,
        points: m.spec.points.map((p) => ({ ...p, modbus: { ...p.modbus } })),
      })),
    deviceConfigs: (reachAt) => [...machines.values()].map((m) => modbusDeviceConfig(m.spec.id, { host: reachAt ?? loopback(m.host), port: m.port })),
    opcuaEndpointUrl: endpointUrl,
    opcuaDeviceConfigs: (reachAt) => [paintLineDeviceConfig(reachAt ? opcuaEndpointUrl(reachAt, paintLine.port) : endpointUrl)],
    sparkplug: sensors?.info,
    mqttConnectionConfigs: (hostId = 'yulian') => (mqtt && sensors ? [energySensorsConnection(mqtt, sensors.info, hostId)] : []),
    values: (id) => sensor(id)?.values(id) ?? machine(id).values(),
    // async, so that an unknown machine rejects like every other refusal instead of throwing.
    injectFault: async (id, fault) => sensor(id)?.inject(id, fault, clock.now()) ?? machine(id).inject(fault, clock.now()),
    async clearFault(id, kind) {
      const s = sensor(id);
      if (s) s.clear(id, kind);
      else await machine(id).clear(kind);
    },
    faults: () => [...[...machines.values(), paintLine].flatMap((m) => m.faults()), ...(sensors?.faults() ?? [])],
    step: (ms) => clock.step(ms),
    onBurst(listener) {
      burstListeners.add(listener);
      return () => void burstListeners.delete(listener);
    },
    measureVibration(id) {
      return burstOf(rotatingMachine(id), clock.now());
    },
    vibrationProfile: (id) => {
      const m = rotatingMachine(id);
      return vibrationProfileOf(m.spec.kind, String(m.values().model ?? ''));
    },
    async close() {
      clock.stop();
      await Promise.all([...[...machines.values()].map((m) => m.close()), paintLine.close(), sensors?.close()]);
      log?.info('virtual factory stopped');
    },
  };
}

/** The gateway's MQTT connection for the sensors: a Sparkplug host subscribed to their group. */
function energySensorsConnection(mqtt: NonNullable<VirtualFactoryOptions['mqtt']>, info: EnergySensorsInfo, hostId: string): MqttConnectionConfigInput {
  return {
    id: `sim-${info.edgeNodeId}`.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64),
    name: `${factoryName.zh} 能源与环境传感器 Energy and environment sensors`,
    protocol: 'mqtt',
    url: mqtt.url,
    ...(mqtt.username !== undefined ? { username: mqtt.username } : {}),
    ...(mqtt.password !== undefined ? { password: mqtt.password } : {}),
    sparkplug: { hostId, groupIds: [info.groupId] },
  };
}
