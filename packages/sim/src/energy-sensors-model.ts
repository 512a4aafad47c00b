import type { SimValue } from './machine-sim.js';
import { type Random, ambientC, createRandom, deriveSeed, gaussian, lag, uniform } from './signals.js';

/** What the plant's machines draw and do at one instant: the sensors measure it. */
export interface PlantLoads {
  /** Active power of the six CNC machines together, kW. */
  cncKw: number;
  /** Active power of the two compressors together, kW. */
  compressorKw: number;
  /** Share of the compressors running loaded, 0–1. */
  compressorsLoaded: number;
  /** Pressure in the compressed-air header, bar. */
  airPressureBar: number;
  paintLineRunning: boolean;
}

/** The readings of every sensor, by device id and metric name (the writable config aside). */
export type EnergyReadings = Record<string, Record<string, number>>;

/** The sensors' physical model: ticked like a machine, free of MQTT. */
export interface EnergySensorsSim {
  /**
   * Advances by `dtMs` ending at `now`, sampling once a simulated second. `loads` are the factory
   * machines' when the sensors run with the factory; without them the model runs a plant of its own.
   */
  tick(now: number, dtMs: number, loads?: PlantLoads): void;
  /** What each sensor measured at its last sample (once a simulated second), unrounded; a copy. */
  readings(): EnergyReadings;
}

const hourMs = 3_600_000;
const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));
const hourOfDay = (now: number): number => (((now / hourMs + 8) % 24) + 24) % 24; // China Standard Time

/**
 * How busy the plant is by the clock: two shifts 08–24 h with meal breaks at 12:00 and 18:00, a
 * skeleton night shift; 1 is a full shift.
 */
export function shiftActivity(now: number): number {
  const h = hourOfDay(now);
  if (h < 8) return 0.3;
  if ((h >= 12 && h < 12.75) || (h >= 18 && h < 18.75)) return 0.55;
  return h >= 18.75 ? 0.95 : 1;
}

/** A bounded random walk: slow wandering of a quantity (demand, the grid, the weather). */
const walk = (rnd: Random, v: number, sdPerS: number, limit: number, dtMs: number): number => clamp(v + gaussian(rnd, sdPerS * Math.sqrt(dtMs / 1000)), -limit, limit);

/** Three-phase line current, A, of `kw` at line voltage `v` and power factor `pf`. */
const currentA = (kw: number, v: number, pf: number): number => (kw * 1000) / (Math.sqrt(3) * v * pf);
/** Reactive power, kvar, of `kw` at power factor `pf`. */
const kvar = (kw: number, pf: number): number => kw * Math.tan(Math.acos(pf));

/**
 * The plant the sensors measure when they run without the factory: six CNC machines whose load follows
 * the shifts, and two compressors on a cascade (the lead loads below 7.0 bar and unloads at 7.5, the lag
 * machine at 6.8/7.3) against the air demand.
 */
function createStandInPlant(rnd: Random): { tick(dtMs: number, activity: number, airDemandM3Min: number): PlantLoads } {
  const bands = [
    [7.0, 7.5],
    [6.8, 7.3],
  ] as const;
  const s = { cncWalk: 0, cncKw: 0, pressure: uniform(rnd, 7, 7.4), loaded: [true, false], kw: [79, 30] };
  return {
    tick(dtMs, activity, demand) {
      s.cncWalk = walk(rnd, s.cncWalk, 0.01, 0.15, dtMs);
      s.cncKw = lag(s.cncKw || 15 + 25 * activity, (15 + 25 * activity) * (1 + s.cncWalk), 20_000, dtMs);
      bands.forEach(([low, high], i) => {
        if (s.pressure <= low) s.loaded[i] = true;
        else if (s.pressure >= high) s.loaded[i] = false;
        // 79 kW loaded, 30 kW unloaded: a 75 kW screw compressor at 380 V.
        s.kw[i] = lag(s.kw[i] ?? 0, s.loaded[i] ? 79 : 30, 1_000, dtMs);
      });
      const supply = 13.5 * s.loaded.filter(Boolean).length;
      s.pressure = clamp(s.pressure + ((supply - demand) / 60 / 3) * (dtMs / 1000), 5, 9);
      return {
        cncKw: Math.max(0.4 * 6, s.cncKw + gaussian(rnd, 0.8)),
        compressorKw: (s.kw[0] ?? 0) + (s.kw[1] ?? 0),
        compressorsLoaded: s.loaded.filter(Boolean).length / 2,
        airPressureBar: s.pressure,
        paintLineRunning: activity > 0.5,
      };
    },
  };
}

/** The model updates once per simulated second, the sensors' sampling rate; ticks in between add up. */
const sampleMs = 1000;

/**
 * The energy and environment sensors' model, deterministic from the seed: power meters on the CNC line,
 * the compressor station, the paint line and the main incomer (which also feeds offices, lighting,
 * HVAC and assembly, plus feeder losses, so it always reads more than the others together, in power
 * and in energy); workshop climate following Chongqing's day and the machines' heat, dust and noise;
 * compressed-air consumption by shift; the plant's water. `loads` are the plant's at `start`, as for `tick`.
 */
export function createEnergySensorsSim(seed: number, start: number, loads?: PlantLoads): EnergySensorsSim {
  const rnd = createRandom(deriveSeed(seed, 'energy-gw'));
  const standIn = createStandInPlant(createRandom(deriveSeed(seed, 'energy-gw/stand-in')));
  const p = {
    activity: shiftActivity(start),
    restWalk: 0,
    gridWalk: uniform(rnd, -1.5, 1.5),
    pmOutdoor: uniform(rnd, 35, 60),
    humidityWalk: uniform(rnd, -4, 4),
    airWalk: [0, 0] as [number, number],
    paintKw: 58,
    temps: { machining: ambientC(start) + 3, paint: ambientC(start) + 3, compressors: ambientC(start) + 10 },
    energy: { cnc: uniform(rnd, 1.2e6, 1.8e6), compressors: uniform(rnd, 2.5e6, 3.5e6), paint: uniform(rnd, 0.8e6, 1.2e6), rest: uniform(rnd, 1.5e6, 2.5e6) },
    airTotal: [uniform(rnd, 2e6, 5e6), uniform(rnd, 1e6, 3e6)] as [number, number],
    waterTotal: uniform(rnd, 80_000, 150_000),
  };
  // Filled in place each sample: a day of samples should not be a day of garbage.
  const out: EnergyReadings = {};
  const set = (device: string, metric: string, v: number): void => void ((out[device] ??= {})[metric] = v);
  // Chongqing's damp air: about the same water content all day, so relative humidity falls as it warms.
  const rh = (t: number): number => clamp(78 + p.humidityWalk - 2.5 * (t - 22) + gaussian(rnd, 0.3), 25, 99);
  const environment = (device: string, tempC: number, pm: number, db: number): void => {
    set(device, 'Air/Temperature', tempC + gaussian(rnd, 0.05));
    set(device, 'Air/Humidity', rh(tempC));
    set(device, 'Air/PM2.5', Math.max(0, pm + gaussian(rnd, 1.5)));
    set(device, 'Noise/Level', db + gaussian(rnd, 0.6));
  };
  const airMeter = (device: string, flow: number, pressure: number, total: number): void => {
    set(device, 'Air/Flow', flow);
    set(device, 'Air/Pressure', pressure + gaussian(rnd, 0.005));
    set(device, 'Air/Total', total);
  };

  const sample = (now: number, dtMs: number, given: PlantLoads | undefined): void => {
    p.activity = lag(p.activity, shiftActivity(now), 10 * 60_000, dtMs);
    const a = p.activity;
    p.airWalk = [walk(rnd, p.airWalk[0], 0.004, 0.12, dtMs), walk(rnd, p.airWalk[1], 0.004, 0.12, dtMs)];
    const running = given?.paintLineRunning ?? a > 0.5;
    const airMachining = Math.max(0, (2.5 + 7.5 * a) * (1 + p.airWalk[0]) + gaussian(rnd, 0.05));
    const airPaint = Math.max(0, (running ? 4.2 * (1 + p.airWalk[1]) : 0.25) + gaussian(rnd, 0.03));
    const airOther = 1.5 + 1.5 * a; // assembly, blow-off guns, leaks: metered by no one
    const loads = given ?? standIn.tick(dtMs, a, airMachining + airPaint + airOther);
    powerMeters(dtMs, loads);
    const ambient = ambientC(now);
    p.humidityWalk = walk(rnd, p.humidityWalk, 0.02, 8, dtMs);
    p.pmOutdoor = clamp(p.pmOutdoor + gaussian(rnd, 0.05 * Math.sqrt(dtMs / 1000)), 15, 110);
    const t = p.temps;
    t.machining = lag(t.machining, ambient + 0.5 + 0.04 * loads.cncKw, 15 * 60_000, dtMs);
    t.paint = lag(t.paint, ambient + (running ? 3.5 : 1), 20 * 60_000, dtMs);
    t.compressors = lag(t.compressors, ambient + 5 + 0.05 * loads.compressorKw, 10 * 60_000, dtMs);
    environment('env-machining', t.machining, 0.6 * p.pmOutdoor + 20 * a + 0.3 * loads.cncKw, 62 + 11 * Math.log10(1 + loads.cncKw / 1.5));
    environment('env-paint-shop', t.paint, running ? 8 + 0.15 * p.pmOutdoor : 0.4 * p.pmOutdoor, running ? 71 : 55);
    environment('env-compressor-room', t.compressors, 0.9 * p.pmOutdoor, 70 + 10 * Math.log10(1 + loads.compressorKw / 8));
    p.airTotal[0] += (airMachining * dtMs) / 60_000;
    p.airTotal[1] += (airPaint * dtMs) / 60_000;
    airMeter('flow-air-machining', airMachining, loads.airPressureBar - 0.15 - 0.01 * airMachining, p.airTotal[0]);
    airMeter('flow-air-paint', airPaint, loads.airPressureBar - 0.25 - 0.02 * airPaint, p.airTotal[1]);
    // Paint pretreatment rinses, cooling-tower make-up (more on a warm afternoon), canteens and washrooms.
    const water = Math.max(0, (running ? 2.8 : 0.2) + 0.8 + 0.06 * (ambient - 20) + 0.3 + 1.4 * a + gaussian(rnd, 0.05));
    p.waterTotal += (water * dtMs) / hourMs;
    set('water-main', 'Water/Flow', water);
    set('water-main', 'Water/Total', p.waterTotal);
  };

  const meter = (device: string, kw: number, pf: number, v: number, kwh: number): void => {
    const volts = clamp(v + gaussian(rnd, 0.15), 380, 400);
    const pfm = clamp(pf + gaussian(rnd, 0.002), 0.5, 0.999);
    set(device, 'Power/Active', kw);
    set(device, 'Power/Factor', pfm);
    set(device, 'Voltage/LineToLine', volts);
    set(device, 'Current/Average', currentA(kw, volts, pfm));
    set(device, 'Energy/Total', kwh);
  };

  /** The four power meters: feeders off one 400 V bus whose voltage sags with the plant's load. */
  function powerMeters(dtMs: number, loads: PlantLoads): void {
    const a = p.activity;
    p.restWalk = walk(rnd, p.restWalk, 0.3, 4, dtMs);
    p.gridWalk = walk(rnd, p.gridWalk, 0.03, 2.5, dtMs);
    // The paint line's fans, conveyor, booth air handling and pretreatment pumps (the oven burns gas).
    p.paintKw = lag(p.paintKw, loads.paintLineRunning ? 58 : 6.5, 20_000, dtMs);
    const cnc = Math.max(0.5, loads.cncKw + 4 + 10 * a + gaussian(rnd, 0.3)); // + conveyors, coolant, lighting
    const compressors = Math.max(0.5, loads.compressorKw + 4.3 + gaussian(rnd, 0.1)); // + the air dryer
    const paint = Math.max(0.5, p.paintKw + gaussian(rnd, 0.4));
    const rest = Math.max(0.5, 12 + 38 * a + p.restWalk);
    const pf = { cnc: 0.74 + 0.12 * Math.min(1, cnc / 60), compressors: 0.72 + 0.14 * loads.compressorsLoaded, paint: loads.paintLineRunning ? 0.93 : 0.8, rest: 0.88 };
    const mainKw = 1.012 * (cnc + compressors + paint + rest); // + feeder losses
    const h = dtMs / hourMs;
    p.energy.cnc += cnc * h;
    p.energy.compressors += compressors * h;
    p.energy.paint += paint * h;
    p.energy.rest += rest * h;
    const busV = clamp(401 - 0.02 * mainKw + p.gridWalk, 381, 400);
    // The incomer's automatic capacitor bank switches 20 kvar steps to hold about 0.97.
    const q = kvar(cnc, pf.cnc) + kvar(compressors, pf.compressors) + kvar(paint, pf.paint) + kvar(rest, pf.rest);
    const steps = clamp(Math.round((q - kvar(mainKw, 0.97)) / 20), 0, 12);
    const mainPf = mainKw / Math.hypot(mainKw, q - 20 * steps);
    meter('meter-cnc-line', cnc, pf.cnc, busV - 0.025 * cnc, p.energy.cnc);
    meter('meter-compressors', compressors, pf.compressors, busV - 0.025 * compressors, p.energy.compressors);
    meter('meter-paint-oven', paint, pf.paint, busV - 0.025 * paint, p.energy.paint);
    // Losses are about 1.2 % of the energy too; the sub-meters' counters plus the rest stay below it.
    const e = p.energy;
    meter('meter-plant-main', mainKw, mainPf, busV, 1.012 * (e.cnc + e.compressors + e.paint + e.rest));
  }

  sample(start, 0, loads);
  let pendingMs = 0;
  return {
    tick(now, dtMs, given) {
      pendingMs += dtMs;
      if (pendingMs < sampleMs) return;
      sample(now, pendingMs, given);
      pendingMs = 0;
    },
    readings: () => Object.fromEntries(Object.entries(out).map(([id, r]) => [id, { ...r }])),
  };
}

/**
 * The plant's loads as the factory's machines report them: the CNCs' and compressors' `power`, the
 * compressors' `loaded` and `discharge_pressure` (the header pressure is their mean), the paint line's
 * `running`.
 */
export function plantLoadsFrom(machines: readonly { kind: 'cnc' | 'compressor'; values: Record<string, SimValue> }[], paintLine: Record<string, SimValue>): PlantLoads {
  const num = (v: SimValue | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const compressors = machines.filter((m) => m.kind === 'compressor');
  return {
    cncKw: machines.filter((m) => m.kind === 'cnc').reduce((sum, m) => sum + num(m.values['power']), 0),
    compressorKw: compressors.reduce((sum, m) => sum + num(m.values['power']), 0),
    compressorsLoaded: compressors.length ? compressors.filter((m) => m.values['loaded'] === true).length / compressors.length : 0,
    airPressureBar: compressors.length ? compressors.reduce((sum, m) => sum + num(m.values['discharge_pressure']), 0) / compressors.length : 7,
    paintLineRunning: paintLine['running'] === true,
  };
}
