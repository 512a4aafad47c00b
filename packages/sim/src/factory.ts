import type { Point } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import type { ModbusDeviceConfigInput } from '@yulian/gateway';
import type { ActiveFault, FaultKind, FaultSpecInput } from './faults.js';
import { type MachineKind, factoryLayout, factoryName, modbusDeviceConfig } from './layout.js';
import { type SimMachine, startMachine } from './machine.js';
import type { SimValue } from './machine-sim.js';

/** Options of `startVirtualFactory`. */
export interface VirtualFactoryOptions {
  /** Seed of every random signal; default 1. The same seed stepped the same way gives the same registers. */
  seed?: number;
  /** Address the Modbus servers listen on; default `'::'` (IPv6 and IPv4). */
  host?: string;
  /** Port of the first machine, the others follow in layout order; default 0, a free port each. */
  basePort?: number;
  /**
   * Advance the simulation from the wall clock every 100 ms; default true. Tests pass false and call
   * `step(ms)`, so that nothing depends on real time.
   */
  realTime?: boolean;
  /** Simulation time at start, epoch ms; default now when real-time, else 2025-03-03 08:00 China time. */
  start?: number;
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
  /** Gateway configurations for every machine; `host` is where the gateway reaches them (default: loopback). */
  deviceConfigs(host?: string): ModbusDeviceConfigInput[];
  /** What a machine's registers hold now, by point key (no Modbus round trip). @throws YulianError DEVICE_NOT_FOUND */
  values(deviceId: string): Record<string, SimValue>;
  /** Injects a fault, replacing one of the same kind. @throws YulianError DEVICE_NOT_FOUND, VALIDATION_FAILED */
  injectFault(deviceId: string, fault: FaultSpecInput): Promise<ActiveFault>;
  /** Clears one kind of fault, or all of a machine's faults. @throws YulianError DEVICE_NOT_FOUND */
  clearFault(deviceId: string, kind?: FaultKind): Promise<void>;
  /** Every fault in effect. */
  faults(): ActiveFault[];
  /** Advances the simulation by `ms` in 100 ms ticks and updates the registers. */
  step(ms: number): void;
  /** Stops the clock and every Modbus server. */
  close(): Promise<void>;
}

const tickMs = 100;
// After a long stall (a suspended laptop) the factory does not replay hours of simulation at once.
const maxCatchUpMs = 10_000;
const defaultStart = Date.UTC(2025, 2, 3, 0, 0); // Monday 08:00 in Chongqing, the start of the day shift

/**
 * Starts 重庆渝联示范工厂: six CNC machines and two air compressors, each a Modbus TCP server (unit 1)
 * with the register map of `factoryLayout`.
 * @example const f = await startVirtualFactory({ seed: 7, host: '::1', realTime: false }); f.step(60_000)
 * @throws YulianError CONFIG_INVALID for a bad seed or base port; the listen error (e.g. EADDRINUSE)
 */
export async function startVirtualFactory(options: VirtualFactoryOptions = {}): Promise<VirtualFactory> {
  const { seed = 1, host = '::', basePort = 0, realTime = true, logger } = options;
  if (!Number.isSafeInteger(seed)) throw new YulianError('CONFIG_INVALID', `Virtual factory seed ${seed}: pass an integer.`);
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + factoryLayout.length - 1 > 65535) {
    throw new YulianError('CONFIG_INVALID', `Virtual factory basePort ${basePort}: pass 0 (free ports) or 1–${65536 - factoryLayout.length}, one port per machine from there.`);
  }
  let now = options.start ?? (realTime ? Date.now() : defaultStart);
  const log = logger?.child({ component: 'virtual-factory' });
  const machines = new Map<string, SimMachine>();
  try {
    for (const [i, spec] of factoryLayout.entries()) {
      machines.set(spec.id, await startMachine(spec, { seed, host, port: basePort ? basePort + i : 0, start: now, logger }));
    }
  } catch (error) {
    await Promise.all([...machines.values()].map((m) => m.close()));
    throw error;
  }
  for (const m of machines.values()) m.publish(now);

  let pending = 0; // simulated ms not yet ticked, below one tick
  const advance = (ms: number): void => {
    pending += ms;
    while (pending >= tickMs) {
      pending -= tickMs;
      now += tickMs;
      for (const m of machines.values()) m.tick(now, tickMs);
    }
    for (const m of machines.values()) m.publish(now);
  };

  let timer: NodeJS.Timeout | undefined;
  if (realTime) {
    let last = Date.now();
    timer = setInterval(() => {
      const t = Date.now();
      advance(Math.min(maxCatchUpMs, Math.max(0, t - last)));
      last = t;
    }, tickMs);
    // The servers keep the process alive; the clock alone should not.
    timer.unref();
  }

  const machine = (id: string): SimMachine => {
    const m = machines.get(id);
    if (!m) throw new YulianError('DEVICE_NOT_FOUND', `The virtual factory has no machine ${id}; it has ${[...machines.keys()].join(', ')}.`);
    return m;
  };
  const loopback = (h: string): string => (h === '::' ? '::1' : h === '0.0.0.0' ? '127.0.0.1' : h);
  log?.info({ seed, factory: factoryName.en, devices: [...machines.values()].map((m) => `${m.spec.id}@${m.port}`) }, 'virtual factory started');

  return {
    seed,
    now: () => now,
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
    values: (id) => machine(id).values(),
    // async, so that an unknown machine rejects like every other refusal instead of throwing.
    injectFault: async (id, fault) => machine(id).inject(fault, now),
    clearFault: async (id, kind) => machine(id).clear(kind),
    faults: () => [...machines.values()].flatMap((m) => m.faults()),
    step(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new YulianError('VALIDATION_FAILED', `step(${ms}): pass a duration of 0 or more milliseconds.`);
      advance(ms);
    },
    async close() {
      if (timer) clearInterval(timer);
      await Promise.all([...machines.values()].map((m) => m.close()));
      log?.info('virtual factory stopped');
    },
  };
}
