import type { ByteOrder } from '@yulian/contracts';
import type { FaultEffects } from './faults.js';
import { type MachineSim, type SimValue, runStates } from './machine-sim.js';
import { type SimPoint, definePoints } from './registers.js';
import { type Random, ambientC, gaussian, lag, ramp, uniform } from './signals.js';

/** What distinguishes one CNC machine model from another. */
export interface CncVariant {
  /** Model string in the `model` registers (ASCII, at most 16 characters). */
  model: string;
  maxRpm: number;
  defaultRpm: number;
  /** Spindle motor rating, kW. */
  ratedKw: number;
  /** Layout of the float32 vibration register pair; some controllers swap words (CDAB). */
  vibrationOrder: ByteOrder;
}

/** Alarm word bits of a CNC machine (input register 9). */
export const cncAlarmBits = { spindleOverTemperature: 0, vibrationHigh: 1, coolantOverTemperature: 2, spindleOverload: 3 } as const;

/** Limits behind the alarm bits; over-temperature trips the machine (run state 3) until it cools below the reset. */
export const cncLimits = { spindleTempC: 70, spindleTempResetC: 65, vibrationMmS: 7.1, coolantTempC: 40, loadPct: 120 } as const;

/**
 * The register map of a CNC machine (unit 1). Input registers: 0 spindle speed rpm (uint16), 1 spindle
 * load % (uint16 ×0.1), 2 spindle temperature °C (int16 ×0.1), 3 coolant temperature °C (int16 ×0.1),
 * 4–5 vibration RMS mm/s (float32, variant's byte order), 6–7 power kW (float32), 8 run state (0 stopped,
 * 1 idle, 2 running, 3 alarm), 9 alarm word (bits in `cncAlarmBits`), 10–11 part counter (uint32),
 * 20–27 model (string). Holding registers: 0 spindle speed setpoint rpm, 1 feed override % (both
 * read-write). Coil 0 enabled (read-write, critical: a command needs a second confirmation); discrete
 * input 0 cutting.
 */
export function cncPoints(variant: CncVariant): SimPoint[] {
  return definePoints([
    { key: 'spindle_speed', name: '主轴转速 Spindle speed', unit: 'rpm', dataType: 'uint16', min: 0, max: variant.maxRpm, modbus: { table: 'input', address: 0 } },
    { key: 'spindle_load', name: '主轴负载 Spindle load', unit: '%', dataType: 'uint16', multiplier: 0.1, min: 0, max: 150, modbus: { table: 'input', address: 1 } },
    { key: 'spindle_temp', name: '主轴温度 Spindle temperature', unit: '°C', dataType: 'int16', multiplier: 0.1, min: -20, max: 120, modbus: { table: 'input', address: 2 } },
    { key: 'coolant_temp', name: '冷却液温度 Coolant temperature', unit: '°C', dataType: 'int16', multiplier: 0.1, min: -20, max: 80, modbus: { table: 'input', address: 3 } },
    { key: 'vibration_rms', name: '振动有效值 Vibration RMS', unit: 'mm/s', dataType: 'float32', min: 0, max: 50, modbus: { table: 'input', address: 4, byteOrder: variant.vibrationOrder } },
    { key: 'power', name: '有功功率 Power', unit: 'kW', dataType: 'float32', min: 0, max: 2 * variant.ratedKw, modbus: { table: 'input', address: 6 } },
    { key: 'run_state', name: '运行状态 Run state (0 停机 stopped, 1 待机 idle, 2 运行 running, 3 报警 alarm)', dataType: 'uint16', min: 0, max: 3, modbus: { table: 'input', address: 8 } },
    { key: 'alarm_word', name: '报警字 Alarm word', dataType: 'uint16', min: 0, max: 65535, modbus: { table: 'input', address: 9 } },
    { key: 'part_count', name: '加工件数 Part counter', unit: 'pcs', dataType: 'uint32', min: 0, max: 4294967295, modbus: { table: 'input', address: 10 } },
    { key: 'model', name: '型号 Model', dataType: 'string', modbus: { table: 'input', address: 20, length: 8 } },
    { key: 'spindle_speed_sp', name: '主轴转速设定 Spindle speed setpoint', unit: 'rpm', dataType: 'uint16', access: 'read-write', min: 100, max: variant.maxRpm, modbus: { table: 'holding', address: 0 } },
    { key: 'feed_override', name: '进给倍率 Feed override', unit: '%', dataType: 'uint16', access: 'read-write', min: 0, max: 150, modbus: { table: 'holding', address: 1 } },
    { key: 'enabled', name: '启用 Enabled', dataType: 'bool', access: 'read-write', critical: true, modbus: { table: 'coil', address: 0 } },
    { key: 'cutting', name: '切削中 Cutting', dataType: 'bool', modbus: { table: 'discrete', address: 0 } },
  ]);
}

const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));

/**
 * A CNC machine running a machining programme: idle gaps (loading parts), then a cycle in which the
 * spindle ramps to its setpoint, cuts with a varying load and stops; each finished cycle counts a part.
 */
export function createCncSim(variant: CncVariant, rnd: Random, start: number): MachineSim {
  const ambient = ambientC(start);
  const s = {
    enabled: true,
    setRpm: variant.defaultRpm,
    feedPct: 100,
    phase: 'idle' as 'idle' | 'cutting',
    // Remaining time of the idle gap, or remaining nominal cutting time of the cycle.
    phaseLeftMs: uniform(rnd, 2_000, 20_000),
    cutLoadPct: 0,
    rpm: 0,
    loadPct: 0,
    spindleTempC: ambient + uniform(rnd, 8, 14), // the shift is already under way: machines are warm
    coolantTempC: ambient + uniform(rnd, 1, 3),
    vibration: 0,
    powerKw: 0,
    tripped: false,
    parts: Math.floor(uniform(rnd, 10_000, 50_000)),
    toolPathPhase: uniform(rnd, 0, 2 * Math.PI),
  };

  const runState = (): number => (!s.enabled ? runStates.stopped : s.tripped ? runStates.alarm : s.phase === 'cutting' ? runStates.running : runStates.idle);

  const advancePhase = (dtMs: number): void => {
    if (!s.enabled || s.tripped) {
      // A stop or a trip aborts the cycle; the next one starts after a fresh gap.
      if (s.phase === 'cutting') [s.phase, s.phaseLeftMs] = ['idle', uniform(rnd, 15_000, 45_000)];
      return;
    }
    if (s.phase === 'idle') {
      s.phaseLeftMs -= dtMs;
      if (s.phaseLeftMs <= 0) [s.phase, s.phaseLeftMs, s.cutLoadPct] = ['cutting', uniform(rnd, 60_000, 240_000), uniform(rnd, 35, 70)];
      return;
    }
    // The programme advances only with the spindle up to speed, and as fast as the feed override lets it.
    if (s.rpm >= 0.9 * s.setRpm) s.phaseLeftMs -= (dtMs * s.feedPct) / 100;
    if (s.phaseLeftMs <= 0) {
      s.parts = (s.parts + 1) % 2 ** 32;
      [s.phase, s.phaseLeftMs] = ['idle', uniform(rnd, 15_000, 45_000)];
    }
  };

  return {
    tick(now, dtMs, effects: FaultEffects) {
      advancePhase(dtMs);
      const cutting = s.phase === 'cutting' && s.enabled && !s.tripped;
      s.rpm = ramp(s.rpm, cutting ? s.setRpm : 0, 3000, dtMs);
      const turning = s.rpm > 1;
      const upToSpeed = cutting && s.rpm >= 0.9 * s.setRpm;
      // Cutting load follows the tool path (a slow wave) and the feed; a turning spindle alone needs little.
      s.toolPathPhase += (2 * Math.PI * dtMs) / 7_000;
      const cutLoad = upToSpeed ? s.cutLoadPct * (s.feedPct / 100) * (0.75 + 0.25 * (s.rpm / variant.maxRpm)) * (1 + 0.15 * Math.sin(s.toolPathPhase)) : 0;
      const loadTarget = turning ? 6 + cutLoad + gaussian(rnd, 1.2) : 0;
      s.loadPct = clamp(lag(s.loadPct, loadTarget, 400, dtMs), 0, 150);
      const ambient = ambientC(now);
      const spindleTarget = ambient + 6 + 0.3 * s.loadPct + (1.2 * s.rpm) / 1000 + 3 * (effects.vibrationFactor - 1) + effects.extraHeatC;
      s.spindleTempC = lag(s.spindleTempC, spindleTarget, 12 * 60_000, dtMs);
      s.coolantTempC = lag(s.coolantTempC, ambient + 1.5 + 0.06 * s.loadPct + 0.3 * effects.extraHeatC, 8 * 60_000, dtMs);
      // Rotating parts vibrate with speed and load; a standing machine only picks up the floor's 0.15 mm/s.
      const rotating = turning ? (0.4 + (0.8 * s.rpm) / variant.maxRpm + (0.6 * s.loadPct) / 100) * effects.vibrationFactor : 0;
      s.vibration = Math.max(0.01, (0.15 + rotating) * (1 + gaussian(rnd, 0.03)));
      s.powerKw = s.enabled ? Math.max(0, 2.2 + (variant.ratedKw * s.loadPct) / 100 + (0.8 * s.rpm) / variant.maxRpm + gaussian(rnd, 0.05)) : 0.4;
      // The spindle trips on over-temperature and stays tripped until it has cooled below the reset limit
      // and its cooling works again (the controller inhibits restarts while the cause persists).
      if (s.spindleTempC > cncLimits.spindleTempC) s.tripped = true;
      else if (s.tripped && s.spindleTempC < cncLimits.spindleTempResetC && effects.extraHeatC === 0) s.tripped = false;
    },
    values(): Record<string, SimValue> {
      const alarm =
        (s.spindleTempC > cncLimits.spindleTempC || s.tripped ? 1 << cncAlarmBits.spindleOverTemperature : 0) |
        (s.vibration > cncLimits.vibrationMmS ? 1 << cncAlarmBits.vibrationHigh : 0) |
        (s.coolantTempC > cncLimits.coolantTempC ? 1 << cncAlarmBits.coolantOverTemperature : 0) |
        (s.loadPct > cncLimits.loadPct ? 1 << cncAlarmBits.spindleOverload : 0);
      return {
        spindle_speed: s.rpm,
        spindle_load: s.loadPct,
        spindle_temp: s.spindleTempC,
        coolant_temp: s.coolantTempC,
        vibration_rms: s.vibration,
        power: s.powerKw,
        run_state: runState(),
        alarm_word: alarm,
        part_count: s.parts,
        model: variant.model,
        spindle_speed_sp: s.setRpm,
        feed_override: s.feedPct,
        enabled: s.enabled,
        cutting: runState() === runStates.running,
      };
    },
    setpoint(key, value) {
      if (key === 'spindle_speed_sp') s.setRpm = clamp(Number(value), 100, variant.maxRpm);
      else if (key === 'feed_override') s.feedPct = clamp(Number(value), 0, 150);
      else if (key === 'enabled') s.enabled = Boolean(value);
    },
  };
}
