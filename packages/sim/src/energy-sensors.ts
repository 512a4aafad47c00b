import type { Logger } from '@yulian/core';
import { createSimClock } from './sim-clock.js';
import { type EnergySensorDevice, copyEnergySensorDevice } from './energy-sensors-devices.js';
import { type EnergySensorsInfo, startEnergySensorNode } from './energy-sensors-node.js';
import type { ActiveFault, FaultKind, FaultSpecInput } from './faults.js';

/** Options of {@link startEnergySensors}. */
export interface EnergySensorsOptions {
  /** Broker URL: mqtt://, mqtts://, ws:// or wss://. */
  url: string;
  username?: string;
  password?: string;
  /** Sparkplug group id; default `yulian-demo`. */
  groupId?: string;
  /** Sparkplug edge node id; default `energy-gw`. */
  edgeNodeId?: string;
  /** Seed of every reading; the same seed stepped the same way publishes the same values. */
  seed: number;
  /**
   * Advance the simulation from the wall clock every 100 ms; default true. Tests pass false and call
   * `step(ms)`, so that nothing depends on real time — as for `startVirtualFactory`.
   */
  realTime?: boolean;
  /** Simulation time at start, epoch ms; default now when real-time, else 2025-03-03 08:00 China time. */
  start?: number;
  /** How long to wait for the broker to accept the edge node; default 10 000 ms. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

/** Running energy and environment sensors publishing Sparkplug B. */
export interface EnergySensors {
  /** Group, edge node and the ten devices with their metrics. */
  readonly sparkplug: EnergySensorsInfo;
  /** Simulation time, epoch ms. */
  now(): number;
  devices(): EnergySensorDevice[];
  /** What a sensor shows now (as it reports it), by metric name. @throws YulianError DEVICE_NOT_FOUND */
  values(deviceId: string): Record<string, number>;
  /** Injects sensor-drift, stuck-value or comm-loss, replacing one of the same kind. @throws YulianError DEVICE_NOT_FOUND, VALIDATION_FAILED */
  injectFault(deviceId: string, fault: FaultSpecInput): Promise<ActiveFault>;
  /** Clears one kind of fault, or all of a sensor's faults. @throws YulianError DEVICE_NOT_FOUND */
  clearFault(deviceId: string, kind?: FaultKind): Promise<void>;
  faults(): ActiveFault[];
  /** Advances the simulation by `ms` in 100 ms ticks and reports the sensors that are due. */
  step(ms: number): void;
  /** Stops the clock, publishes NDEATH and disconnects. */
  stop(): Promise<void>;
  /** Stops the clock and drops the connection as a crash would: the broker publishes the NDEATH will. */
  abort(): void;
}

/**
 * Starts the plant's ten energy/environment sensors as one Sparkplug B edge node (`energySensorDevices`):
 * NBIRTH and ten DBIRTHs with units, then DDATA with the metrics that changed, every second (each power
 * meter at its writable `Config/ReportIntervalS`). Resolves once the births are out.
 * @example const s = await startEnergySensors({ url: 'mqtt://127.0.0.1:1883', seed: 7, realTime: false }); s.step(5_000)
 * @throws YulianError CONFIG_INVALID for a bad url, id or seed; MQTT_UNAVAILABLE when the broker does not accept the node in time
 */
export async function startEnergySensors(options: EnergySensorsOptions): Promise<EnergySensors> {
  const { realTime = true, groupId = 'yulian-demo', edgeNodeId = 'energy-gw', connectTimeoutMs = 10_000 } = options;
  const clock = createSimClock({ start: options.start, realTime });
  const sensors = await startEnergySensorNode({
    url: options.url,
    groupId,
    edgeNodeId,
    seed: options.seed,
    start: clock.now(),
    clock: () => clock.now(),
    connectTimeoutMs,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });

  clock.drive({ tick: (now, dtMs) => sensors.tick(now, dtMs), publish: (now) => sensors.publish(now) });

  return {
    sparkplug: sensors.info,
    now: () => clock.now(),
    devices: () => sensors.info.devices.map(copyEnergySensorDevice),
    values: (id) => sensors.values(id),
    injectFault: async (id, fault) => sensors.inject(id, fault, clock.now()),
    clearFault: async (id, kind) => sensors.clear(id, kind),
    faults: () => sensors.faults(),
    step: (ms) => clock.step(ms),
    async stop() {
      clock.stop();
      await sensors.close();
    },
    abort() {
      clock.stop();
      sensors.abort();
    },
  };
}
