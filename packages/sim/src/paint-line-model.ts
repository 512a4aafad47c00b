import { type Point, type PointInput, pointSchema } from '@yulian/contracts';
import type { FaultEffects } from './faults.js';
import type { SimValue } from './machine-sim.js';
import { type Random, ambientC, gaussian, lag, ramp, uniform } from './signals.js';

/** The paint line's device id. */
export const paintLineId = 'paint-line-1';
/** The paint line's name. */
export const paintLineName = { zh: '涂装线', en: 'Paint line' } as const;
/** Namespace URI of the paint line's nodes; index 2 on its server (0 is OPC UA's, 1 the server's own). */
export const paintLineNamespaceUri = 'urn:yulian:sim:paint-line';
const ns = 2;

/** Alarm word bits of the paint line (PaintLine.AlarmWord). */
export const paintLineAlarmBits = { zone1OverTemperature: 0, zone2OverTemperature: 1, zone3OverTemperature: 2, zone4OverTemperature: 3, boothHumidity: 4, lineTripped: 5 } as const;

/**
 * Limits behind the alarm bits: a zone above `zoneHighC` trips the line (the conveyor stops, so parts do
 * not burn) until every zone is back below `zoneResetC` and its burner control works again; booth
 * humidity outside `humidityPct` spoils the finish.
 */
export const paintLineLimits = { zoneHighC: 230, zoneResetC: 222, humidityPct: [40, 80] } as const;

const zones = [1, 2, 3, 4] as const;
/** Default zone setpoints, °C: flash-off, two cure zones, then holding before cool-down. */
const defaultSetpointsC = [165, 185, 195, 175] as const;

const zonePoints = zones.flatMap((n): PointInput[] => [
  { key: `zone${n}_temp`, name: `${n}区炉温 Oven zone ${n} temperature`, unit: '°C', dataType: 'float32', min: 0, max: 300, opcua: { nodeId: `ns=${ns};s=PaintLine.Oven.Zone${n}.Temperature` } },
  { key: `zone${n}_sp`, name: `${n}区温度设定 Oven zone ${n} setpoint`, unit: '°C', dataType: 'float32', access: 'read-write', min: 120, max: 220, opcua: { nodeId: `ns=${ns};s=PaintLine.Oven.Zone${n}.Setpoint` } },
]);

/**
 * The paint line's points, each with the NodeId its OPC UA server serves it under: oven zones 1–4
 * (temperature and writable setpoint), conveyor speed (actual and writable setpoint, m/min), booth
 * humidity and temperature, the run command/state (writable), the painted-parts counter and the alarm word.
 */
export const paintLinePoints: readonly Point[] = [
  ...zonePoints,
  { key: 'conveyor_speed', name: '输送链速度 Conveyor speed', unit: 'm/min', dataType: 'float32', min: 0, max: 8, opcua: { nodeId: `ns=${ns};s=PaintLine.Conveyor.Speed` } },
  { key: 'conveyor_speed_sp', name: '输送链速度设定 Conveyor speed setpoint', unit: 'm/min', dataType: 'float32', access: 'read-write', min: 0.5, max: 6, opcua: { nodeId: `ns=${ns};s=PaintLine.Conveyor.SpeedSetpoint` } },
  { key: 'booth_humidity', name: '喷房湿度 Booth humidity', unit: '%RH', dataType: 'float32', min: 0, max: 100, opcua: { nodeId: `ns=${ns};s=PaintLine.Booth.Humidity` } },
  { key: 'booth_temp', name: '喷房温度 Booth temperature', unit: '°C', dataType: 'float32', min: 0, max: 50, opcua: { nodeId: `ns=${ns};s=PaintLine.Booth.Temperature` } },
  { key: 'running', name: '运行 Running (write to start/stop)', dataType: 'bool', access: 'read-write', opcua: { nodeId: `ns=${ns};s=PaintLine.Running` } },
  { key: 'parts_painted', name: '涂装件数 Parts painted', unit: 'pcs', dataType: 'uint32', min: 0, max: 4294967295, opcua: { nodeId: `ns=${ns};s=PaintLine.PartsPainted` } },
  { key: 'alarm_word', name: '报警字 Alarm word', dataType: 'uint16', min: 0, max: 65535, opcua: { nodeId: `ns=${ns};s=PaintLine.AlarmWord` } },
].map((p) => pointSchema.parse(p));

/** What the paint line's faults do at one instant: the machines' effects, and which zone runs hot. */
export interface PaintLineEffects extends FaultEffects {
  /** Zone (1–4) whose burner control failed; its extra heat is `extraHeatC`. */
  hotZone: number;
}

/** The paint line's physical model: ticked by the factory, free of OPC UA. */
export interface PaintLineSim {
  tick(now: number, dtMs: number, effects: PaintLineEffects): void;
  values(): Record<string, SimValue>;
  /** A client wrote a writable point; the line takes it as its new setpoint, clamped to the range. */
  setpoint(key: string, value: SimValue): void;
}

const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));
const heatTauMs = 6 * 60_000; // an oven's thermal mass: about 3 K/min towards a setpoint 20 K away
const coolTauMs = 10 * 60_000; // cooling only through the exhaust, slower
const hangerPitchM = 0.8; // one part per hanger

/**
 * A powder-coating line: four gas-fired oven zones that the burner control pulls towards their setpoints
 * (a first-order lag, heating faster than cooling), cold parts entering zone 1 pulling it down a little
 * with conveyor speed; a conveyor ramping to its setpoint while running; a climate-controlled booth that
 * Chongqing's humid air pushes around; a part counted per hanger that leaves the oven.
 */
export function createPaintLineSim(rnd: Random, start: number): PaintLineSim {
  const s = {
    command: true,
    tripped: false,
    setpointsC: [...defaultSetpointsC] as number[],
    // The shift is under way: the ovens are at temperature.
    tempsC: defaultSetpointsC.map((sp) => sp + uniform(rnd, -1.5, 1.5)),
    measuredC: [] as number[],
    speedSp: 3,
    speed: 3,
    measuredSpeed: 3,
    distanceM: 0,
    parts: Math.floor(uniform(rnd, 100_000, 400_000)),
    humidityWalk: uniform(rnd, -4, 4),
    humidity: 62,
    measuredHumidity: 62,
    boothC: 23 + 0.25 * (ambientC(start) - 24),
  };
  s.measuredC = [...s.tempsC];

  return {
    tick(now, dtMs, effects) {
      const running = s.command && !s.tripped;
      s.speed = ramp(s.speed, running ? s.speedSp : 0, 1, dtMs);
      s.measuredSpeed = s.speed > 0.01 ? s.speed + gaussian(rnd, 0.01) : 0;
      s.distanceM += (s.speed * dtMs) / 60_000;
      while (s.distanceM >= hangerPitchM) {
        s.distanceM -= hangerPitchM;
        s.parts = (s.parts + 1) % 2 ** 32;
      }
      for (const [i, temp] of s.tempsC.entries()) {
        const load = i === 0 ? 0.5 * s.speed : 0;
        const target = (s.setpointsC[i] ?? 0) - load + (effects.hotZone === i + 1 ? effects.extraHeatC : 0);
        s.tempsC[i] = lag(temp, target, target > temp ? heatTauMs : coolTauMs, dtMs);
        s.measuredC[i] = (s.tempsC[i] ?? 0) + gaussian(rnd, 0.15);
      }
      s.humidityWalk = clamp(s.humidityWalk + gaussian(rnd, 0.05 * Math.sqrt(dtMs / 100)), -8, 8);
      s.humidity = lag(s.humidity, 62 + s.humidityWalk, 5 * 60_000, dtMs);
      s.measuredHumidity = clamp(s.humidity + gaussian(rnd, 0.2), 0, 100);
      // The booth's air handling holds about 23 °C; the workshop's day still shows through a little.
      s.boothC = lag(s.boothC, 23 + 0.25 * (ambientC(now) - 24), 10 * 60_000, dtMs);
      if (s.tempsC.some((t) => t > paintLineLimits.zoneHighC)) s.tripped = true;
      else if (s.tripped && s.tempsC.every((t) => t < paintLineLimits.zoneResetC) && effects.extraHeatC === 0) s.tripped = false;
    },
    values() {
      let alarm = 0;
      s.tempsC.forEach((t, i) => {
        if (t > paintLineLimits.zoneHighC) alarm |= 1 << i;
      });
      const [low, high] = paintLineLimits.humidityPct;
      if (s.measuredHumidity < low || s.measuredHumidity > high) alarm |= 1 << paintLineAlarmBits.boothHumidity;
      if (s.tripped) alarm |= 1 << paintLineAlarmBits.lineTripped;
      const out: Record<string, SimValue> = {};
      for (const n of zones) {
        out[`zone${n}_temp`] = s.measuredC[n - 1] ?? 0;
        out[`zone${n}_sp`] = s.setpointsC[n - 1] ?? 0;
      }
      return {
        ...out,
        conveyor_speed: s.measuredSpeed,
        conveyor_speed_sp: s.speedSp,
        booth_humidity: s.measuredHumidity,
        booth_temp: s.boothC,
        running: s.command && !s.tripped,
        parts_painted: s.parts,
        alarm_word: alarm,
      };
    },
    setpoint(key, value) {
      const zone = /^zone([1-4])_sp$/.exec(key);
      if (zone) s.setpointsC[Number(zone[1]) - 1] = clamp(Number(value), 120, 220);
      else if (key === 'conveyor_speed_sp') s.speedSp = clamp(Number(value), 0.5, 6);
      else if (key === 'running') s.command = Boolean(value);
    },
  };
}
