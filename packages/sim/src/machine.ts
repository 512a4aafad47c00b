import { type Logger, YulianError } from '@yulian/core';
import { type ModbusDataModel, type ModbusTcpServer, createModbusTcpServer } from '@yulian/protocols';
import { type ActiveFault, type FaultKind, driftedValue, faultEffects, faultSpecSchema } from './faults.js';
import type { MachineSpec } from './layout.js';
import type { MachineSim, SimDeviceServer } from './machine-sim.js';
import { dataModelFor, readValue, writeTouches, writeValue } from './registers.js';
import { createRandom, deriveSeed } from './signals.js';

/** One simulated machine: its physical model, its registers, its Modbus server and its faults. */
export interface SimMachine extends SimDeviceServer {
  readonly spec: MachineSpec;
  readonly model: ModbusDataModel;
}

/** Options of `startMachine`. */
export interface StartMachineOptions {
  seed: number;
  host: string;
  port: number;
  /** Simulation time (epoch ms) the model starts at. */
  start: number;
  logger?: Logger;
}

/** Starts one machine's Modbus server and publishes its initial state. */
export async function startMachine(spec: MachineSpec, options: StartMachineOptions): Promise<SimMachine> {
  const sim: MachineSim = spec.createSim(createRandom(deriveSeed(options.seed, spec.id)), options.start);
  const model = dataModelFor(spec.points);
  const log = options.logger?.child({ device: spec.id });
  const active = new Map<FaultKind, ActiveFault>();
  const writable = spec.points.filter((p) => p.access === 'read-write');

  model.onWrite((write) => {
    for (const p of writable) {
      if (!writeTouches(p, write)) continue;
      sim.setpoint(p.key, readValue(model, p));
      // Store what the machine accepted (clamped to its range), as a controller's readback does.
      writeValue(model, p, sim.values()[p.key] ?? 0);
      log?.info({ point: p.key, value: readValue(model, p) }, 'setpoint written');
    }
  });

  let server: ModbusTcpServer | undefined = await createModbusTcpServer({ host: options.host, port: options.port, units: { 1: model }, logger: options.logger });
  const host = server.host;
  const port = server.port;
  let closed = false;
  // Comm-loss changes run one after the other, so a quick inject-then-clear cannot race two servers;
  // a failed restart (the port taken meanwhile) fails its caller but not the changes after it.
  let serverChange: Promise<void> = Promise.resolve();
  const changeServer = (online: boolean): Promise<void> => {
    const next = serverChange.then(async () => {
      if (!online && server) {
        const closing = server;
        server = undefined;
        await closing.close();
      } else if (online && !server && !closed) {
        server = await createModbusTcpServer({ host, port, units: { 1: model }, logger: options.logger });
      }
    });
    serverChange = next.catch(() => undefined);
    return next;
  };

  const publish = (now: number): void => {
    const values = sim.values();
    const stuck = active.get('stuck-value');
    const drift = active.get('sensor-drift');
    for (const p of spec.points) {
      if (stuck?.point === p.key) continue; // a frozen transmitter keeps showing its last value
      let v = values[p.key];
      if (v === undefined) continue;
      if (drift?.point === p.key && typeof v === 'number') v = driftedValue(drift, p, v, now);
      writeValue(model, p, v);
    }
  };

  return {
    spec,
    model,
    host,
    port,
    tick: (now, dtMs) => sim.tick(now, dtMs, faultEffects(active, now)),
    publish,
    values: () => Object.fromEntries(spec.points.map((p) => [p.key, readValue(model, p)])),
    async inject(input, now) {
      const parsed = faultSpecSchema.safeParse(input);
      if (!parsed.success) throw new YulianError('VALIDATION_FAILED', `Fault for ${spec.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`).join('; ')}.`);
      const { kind, severity } = parsed.data;
      const pointed = kind === 'sensor-drift' || kind === 'stuck-value';
      if (parsed.data.point !== undefined && !pointed) throw new YulianError('VALIDATION_FAILED', `A ${kind} fault takes no point; only sensor-drift and stuck-value do.`);
      const point = pointed ? (parsed.data.point ?? spec.defaultFaultPoint) : undefined;
      const target = spec.points.find((p) => p.key === point);
      if (pointed && (!target || target.dataType === 'string' || target.dataType === 'bool')) {
        const numeric = spec.points.filter((p) => p.dataType !== 'string' && p.dataType !== 'bool').map((p) => p.key);
        throw new YulianError('VALIDATION_FAILED', `${spec.id} has no numeric point ${String(point)}; pass one of ${numeric.join(', ')}.`);
      }
      const fault: ActiveFault = { device: spec.id, kind, severity, since: now - parsed.data.ageHours * 3_600_000, ...(point ? { point } : {}) };
      active.set(kind, fault);
      if (kind === 'comm-loss') await changeServer(false);
      log?.warn({ fault: kind, point, severity }, 'fault injected');
      return { ...fault };
    },
    async clear(kind) {
      const kinds = kind ? [kind] : [...active.keys()];
      for (const k of kinds) {
        if (!active.delete(k)) continue;
        if (k === 'comm-loss') await changeServer(true);
        log?.info({ fault: k }, 'fault cleared');
      }
    },
    faults: () => [...active.values()].map((f) => ({ ...f })),
    async close() {
      closed = true;
      await changeServer(false);
    },
  };
}
