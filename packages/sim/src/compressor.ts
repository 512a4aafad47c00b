import type { ByteOrder } from '@yulian/contracts';
import type { FaultEffects } from './faults.js';
import { type MachineSim, type SimValue, runStates } from './machine-sim.js';
import { type SimPoint, definePoints } from './registers.js';
import { type Random, ambientC, gaussian, lag, uniform } from './signals.js';

/** What distinguishes one air compressor from another. */
export interface CompressorVariant {
  /** Model string in the `model` registers (ASCII, at most 16 characters). */
  model: string;
  /** Free air delivery when loaded, m³/min. */
  capacityM3Min: number;
  /** Motor current when loaded, A (380 V). */
  loadedA: number;
  /** Layout of the float64 energy registers. */
  energyOrder: ByteOrder;
}

/** Alarm word bits of an air compressor (input register 6). */
export const compressorAlarmBits = { dischargeOverTemperature: 0, overPressure: 1, motorOverload: 2, vibrationHigh: 3 } as const;

/** Limits behind the alarm bits; over-temperature trips the compressor until it cools below the reset. */
export const compressorLimits = { dischargeTempC: 110, dischargeTempResetC: 95, overPressureBar: 1, vibrationMmS: 7.1 } as const;

/**
 * The register map of a screw air compressor (unit 1). Input registers: 0 discharge pressure bar (uint16
 * ×0.01), 1 discharge temperature °C (int16 ×0.1), 2 motor current A (uint16 ×0.1), 3–4 run hours h
 * (uint32 ×0.1), 5 load state (0 stopped, 1 unloaded, 2 loaded, 3 alarm), 6 alarm word (bits in
 * `compressorAlarmBits`), 8–11 energy kWh (float64, variant's byte order), 12–13 vibration RMS mm/s
 * (float32), 14–15 power kW (float32), 20–27 model (string). Holding register 0: pressure setpoint bar
 * (uint16 ×0.01, read-write; it unloads there and loads again 0.7 bar below). Coil 0 enabled
 * (read-write); discrete input 0 loaded.
 */
export function compressorPoints(variant: CompressorVariant): SimPoint[] {
  return definePoints([
    { key: 'discharge_pressure', name: '排气压力 Discharge pressure', unit: 'bar', dataType: 'uint16', multiplier: 0.01, min: 0, max: 16, modbus: { table: 'input', address: 0 } },
    { key: 'discharge_temp', name: '排气温度 Discharge temperature', unit: '°C', dataType: 'int16', multiplier: 0.1, min: -20, max: 150, modbus: { table: 'input', address: 1 } },
    { key: 'motor_current', name: '电机电流 Motor current', unit: 'A', dataType: 'uint16', multiplier: 0.1, min: 0, max: 2 * variant.loadedA, modbus: { table: 'input', address: 2 } },
    { key: 'run_hours', name: '累计运行时间 Run hours', unit: 'h', dataType: 'uint32', multiplier: 0.1, min: 0, max: 429496729.5, modbus: { table: 'input', address: 3 } },
    { key: 'load_state', name: '加载状态 Load state (0 停机 stopped, 1 卸载 unloaded, 2 加载 loaded, 3 报警 alarm)', dataType: 'uint16', min: 0, max: 3, modbus: { table: 'input', address: 5 } },
    { key: 'alarm_word', name: '报警字 Alarm word', dataType: 'uint16', min: 0, max: 65535, modbus: { table: 'input', address: 6 } },
    { key: 'energy', name: '累计电能 Energy', unit: 'kWh', dataType: 'float64', min: 0, modbus: { table: 'input', address: 8, byteOrder: variant.energyOrder } },
    { key: 'vibration_rms', name: '振动有效值 Vibration RMS', unit: 'mm/s', dataType: 'float32', min: 0, max: 50, modbus: { table: 'input', address: 12 } },
    { key: 'power', name: '有功功率 Power', unit: 'kW', dataType: 'float32', min: 0, max: 200, modbus: { table: 'input', address: 14 } },
    { key: 'model', name: '型号 Model', dataType: 'string', modbus: { table: 'input', address: 20, length: 8 } },
    { key: 'pressure_sp', name: '压力设定 Pressure setpoint', unit: 'bar', dataType: 'uint16', multiplier: 0.01, access: 'read-write', min: 5, max: 10, modbus: { table: 'holding', address: 0 } },
    { key: 'enabled', name: '启用 Enabled', dataType: 'bool', access: 'read-write', modbus: { table: 'coil', address: 0 } },
    { key: 'loaded', name: '加载中 Loaded', dataType: 'bool', modbus: { table: 'discrete', address: 0 } },
  ]);
}

const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));
const hourMs = 3_600_000;
const band = 0.7; // load/unload hysteresis, bar
// Receiver and network volume, m³: sets how fast pressure moves, so a load/unload cycle takes about a minute.
const receiverM3 = 3;

/** The plant's air demand, m³/min: two shifts (08–24 h) use most, the night shift a little. */
const demandBase = (now: number, capacity: number): number => {
  const hour = ((now / hourMs + 8) % 24 + 24) % 24;
  return capacity * (hour >= 8 ? 0.62 : 0.3);
};

/**
 * A load/unload screw compressor feeding the plant's air network: it loads below setpoint − 0.7 bar and
 * unloads at the setpoint; current, temperature and energy follow the load.
 */
export function createCompressorSim(variant: CompressorVariant, rnd: Random, start: number): MachineSim {
  const s = {
    enabled: true,
    setBar: 7.5,
    pressure: 7.5 - uniform(rnd, 0, band),
    loaded: true,
    tempC: ambientC(start) + uniform(rnd, 45, 55),
    currentA: variant.loadedA,
    hours: uniform(rnd, 12_000, 30_000),
    energyKWh: uniform(rnd, 200_000, 600_000),
    vibration: 1.8,
    demandWalk: 0,
    tripped: false,
  };

  const state = (): number => (!s.enabled ? runStates.stopped : s.tripped ? runStates.alarm : s.loaded ? runStates.running : runStates.idle);

  return {
    tick(now, dtMs, effects: FaultEffects) {
      const running = s.enabled && !s.tripped;
      if (!running) s.loaded = false;
      else if (s.pressure >= s.setBar) s.loaded = false;
      else if (s.pressure <= s.setBar - band) s.loaded = true;
      // Demand wanders slowly (machines starting and stopping) around the shift's base.
      s.demandWalk = clamp(s.demandWalk + gaussian(rnd, 0.02 * Math.sqrt(dtMs / 100)), -0.15, 0.15);
      const demand = Math.max(0, demandBase(now, variant.capacityM3Min) * (1 + s.demandWalk)) * (s.pressure / 7);
      const supply = s.loaded ? variant.capacityM3Min : 0;
      // Free air in minus out over the volume, at roughly atmospheric density: bar per second.
      s.pressure = clamp(s.pressure + ((supply - demand) / 60 / receiverM3) * (dtMs / 1000), 0, 16);
      const currentTarget = !running ? 0 : s.loaded ? variant.loadedA : 0.38 * variant.loadedA;
      s.currentA = Math.max(0, lag(s.currentA, currentTarget, 1_000, dtMs) + (running ? gaussian(rnd, 0.5) : 0));
      const tempTarget = ambientC(now) + (!running ? 0 : s.loaded ? 60 : 45) + effects.extraHeatC;
      s.tempC = lag(s.tempC, tempTarget, 3 * 60_000, dtMs);
      s.vibration = Math.max(0.01, (running ? 1.8 * effects.vibrationFactor : 0.1) * (1 + gaussian(rnd, 0.03)));
      if (running) s.hours += dtMs / hourMs;
      s.energyKWh += (powerKw(s.currentA) * dtMs) / hourMs;
      // A trip holds until the compressor has cooled below the reset limit and its cooling works again:
      // the controller inhibits the restart rather than cycling a machine with a failed cooler.
      if (s.tempC > compressorLimits.dischargeTempC) s.tripped = true;
      else if (s.tripped && s.tempC < compressorLimits.dischargeTempResetC && effects.extraHeatC === 0) s.tripped = false;
    },
    values(): Record<string, SimValue> {
      const alarm =
        (s.tempC > compressorLimits.dischargeTempC || s.tripped ? 1 << compressorAlarmBits.dischargeOverTemperature : 0) |
        (s.pressure > s.setBar + compressorLimits.overPressureBar ? 1 << compressorAlarmBits.overPressure : 0) |
        (s.currentA > 1.2 * variant.loadedA ? 1 << compressorAlarmBits.motorOverload : 0) |
        (s.vibration > compressorLimits.vibrationMmS ? 1 << compressorAlarmBits.vibrationHigh : 0);
      return {
        discharge_pressure: s.pressure,
        discharge_temp: s.tempC,
        motor_current: s.currentA,
        run_hours: s.hours,
        load_state: state(),
        alarm_word: alarm,
        energy: s.energyKWh,
        vibration_rms: s.vibration,
        power: powerKw(s.currentA),
        model: variant.model,
        pressure_sp: s.setBar,
        enabled: s.enabled,
        loaded: s.loaded,
      };
    },
    setpoint(key, value) {
      if (key === 'pressure_sp') s.setBar = clamp(Number(value), 5, 10);
      else if (key === 'enabled') s.enabled = Boolean(value);
    },
  };
}

/** Three-phase 380 V at a power factor of 0.86. */
const powerKw = (currentA: number): number => (Math.sqrt(3) * 380 * currentA * 0.86) / 1000;
