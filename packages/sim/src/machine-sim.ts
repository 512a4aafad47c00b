import type { ActiveFault, FaultEffects, FaultKind, FaultSpecInput } from './faults.js';

/** An engineering value of a simulated point. */
export type SimValue = number | boolean | string;

/**
 * The physical model of one machine, free of Modbus: the factory ticks it, publishes `values()` into the
 * registers and hands it clients' setpoint writes. All randomness is drawn in `tick`, so that reading
 * values never changes what comes next.
 */
export interface MachineSim {
  /** Advances the state by `dtMs` (at most 100 ms) ending at simulation time `now` (epoch ms). */
  tick(now: number, dtMs: number, effects: FaultEffects): void;
  /** Every point's engineering value by point key. */
  values(): Record<string, SimValue>;
  /** A client wrote a writable point; the model takes it as its new setpoint (clamped to the range). */
  setpoint(key: string, value: SimValue): void;
}

/** Run states shared by the machines' `run_state` registers. */
export const runStates = { stopped: 0, idle: 1, running: 2, alarm: 3 } as const;

/** A simulated device as the factory runs it: its model, the server clients reach it on, and its faults. */
export interface SimDeviceServer {
  /** Address the server listens on (kept while a comm-loss has it closed). */
  readonly host: string;
  readonly port: number;
  /** Advances the physical model by `dtMs` ending at `now`. */
  tick(now: number, dtMs: number): void;
  /** Copies the model's values into what clients read (registers, variables), through the sensor faults. */
  publish(now: number): void;
  /** What clients read now, by point key. */
  values(): Record<string, SimValue>;
  inject(spec: FaultSpecInput, now: number): Promise<ActiveFault>;
  clear(kind: FaultKind | undefined): Promise<void>;
  faults(): ActiveFault[];
  close(): Promise<void>;
}
