import { describe, expect, it } from 'vitest';
import { energySensorDevices } from '../src/energy-sensors-devices.js';
import { type EnergyReadings, createEnergySensorsSim } from '../src/energy-sensors-model.js';

const minute = 60_000;
const hour = 60 * minute;
const start = Date.UTC(2025, 2, 3, 0, 0); // Monday 08:00 in Chongqing
const powerMeters = ['meter-cnc-line', 'meter-compressors', 'meter-paint-oven'];

/** Plausible ranges of a working day, tighter than the metrics' engineering ranges. */
const plausible: Record<string, [number, number]> = {
  'Power/Factor': [0.7, 0.999],
  'Voltage/LineToLine': [380, 400],
  'Air/Temperature': [15, 45],
  'Air/Humidity': [25, 99],
  'Air/PM2.5': [3, 150],
  'Noise/Level': [45, 95],
  'Air/Pressure': [5.5, 8.5],
  'Air/Flow': [0, 20],
  'Water/Flow': [0.5, 12],
};

/** Steps the model through `hours` a second at a time (its sampling rate), handing each minute's readings to `visit`. */
function simulate(seed: number, hours: number, visit: (r: EnergyReadings, now: number) => void): void {
  const sim = createEnergySensorsSim(seed, start);
  for (let now = start; now < start + hours * hour; ) {
    for (let i = 0; i < 60; i++) sim.tick((now += 1000), 1000);
    visit(sim.readings(), now);
  }
}

const read = (r: EnergyReadings, device: string, metric: string): number => r[device]?.[metric] ?? Number.NaN;

describe('energy and environment sensor model', () => {
  it('gives every metric of every sensor a plausible reading through a whole day', () => {
    const range = new Map<string, [number, number]>();
    simulate(3, 24, (r) => {
      for (const d of energySensorDevices) {
        for (const m of d.metrics.filter((x) => !x.writable)) {
          const v = read(r, d.id, m.name);
          const [lo, hi] = range.get(`${d.id} ${m.name}`) ?? [Infinity, -Infinity];
          // NaN (a missing reading) fails below: Math.min/max carry it through.
          range.set(`${d.id} ${m.name}`, [Math.min(lo, v), Math.max(hi, v)]);
        }
      }
    });
    for (const d of energySensorDevices) {
      for (const m of d.metrics.filter((x) => !x.writable)) {
        const [lo, hi] = range.get(`${d.id} ${m.name}`) ?? [Number.NaN, Number.NaN];
        const [plausibleLo, plausibleHi] = plausible[m.name] ?? [m.min, m.max];
        expect(lo, `${d.id} ${m.name}`).toBeGreaterThanOrEqual(Math.max(m.min, plausibleLo));
        expect(hi, `${d.id} ${m.name}`).toBeLessThanOrEqual(Math.min(m.max, plausibleHi));
      }
    }
  });

  it('keeps the main incomer above the sub-meters together, in power and in energy, with counters that only rise', () => {
    let last: EnergyReadings | undefined;
    simulate(5, 24, (r) => {
      const sum = (metric: string): number => powerMeters.reduce((s, id) => s + read(r, id, metric), 0);
      expect(read(r, 'meter-plant-main', 'Power/Active')).toBeGreaterThan(sum('Power/Active') + 5);
      expect(read(r, 'meter-plant-main', 'Energy/Total')).toBeGreaterThan(sum('Energy/Total'));
      for (const [id, metric] of [...[...powerMeters, 'meter-plant-main'].map((id) => [id, 'Energy/Total']), ['flow-air-machining', 'Air/Total'], ['flow-air-paint', 'Air/Total'], ['water-main', 'Water/Total']] as const) {
        if (last) expect(read(r, id, metric), `${id} ${metric}`).toBeGreaterThan(read(last, id, metric));
      }
      // Current follows power, voltage and power factor as a three-phase load's does.
      const kw = read(r, 'meter-cnc-line', 'Power/Active');
      const expected = (kw * 1000) / (Math.sqrt(3) * read(r, 'meter-cnc-line', 'Voltage/LineToLine') * read(r, 'meter-cnc-line', 'Power/Factor'));
      expect(read(r, 'meter-cnc-line', 'Current/Average')).toBeCloseTo(expected, 6);
      last = structuredClone(r);
    });
  });

  it('follows the shifts: the CNC line, compressed air and water run higher by day than at night, and the machining hall is louder', () => {
    const byHour = new Map<number, EnergyReadings>();
    simulate(11, 24, (r, now) => {
      const h = Math.round((now - start) / hour);
      if (Math.abs(now - start - h * hour) < minute / 2) byHour.set(h, structuredClone(r));
    });
    const day = byHour.get(3)!; // 11:00
    const night = byHour.get(20)!; // 04:00
    expect(read(day, 'meter-cnc-line', 'Power/Active')).toBeGreaterThan(1.4 * read(night, 'meter-cnc-line', 'Power/Active'));
    expect(read(day, 'meter-plant-main', 'Power/Active')).toBeGreaterThan(read(night, 'meter-plant-main', 'Power/Active') + 50);
    expect(read(day, 'flow-air-machining', 'Air/Flow')).toBeGreaterThan(1.5 * read(night, 'flow-air-machining', 'Air/Flow'));
    expect(read(day, 'water-main', 'Water/Flow')).toBeGreaterThan(read(night, 'water-main', 'Water/Flow') + 1);
    expect(read(day, 'env-machining', 'Noise/Level')).toBeGreaterThan(read(night, 'env-machining', 'Noise/Level') + 2);
  });

  it('measures the factory machines it is given', () => {
    const loads = { cncKw: 30, compressorKw: 120, compressorsLoaded: 0.5, airPressureBar: 7.2, paintLineRunning: true };
    const sim = createEnergySensorsSim(1, start, loads);
    for (let i = 1; i <= 600; i++) sim.tick(start + i * 100, 100, { ...loads, cncKw: 60 });
    const r = sim.readings();
    // The line meter sees the machines plus the line's conveyors, coolant and lighting (4–14 kW).
    expect(read(r, 'meter-cnc-line', 'Power/Active')).toBeGreaterThan(60 + 4);
    expect(read(r, 'meter-cnc-line', 'Power/Active')).toBeLessThan(60 + 16);
    expect(read(r, 'meter-compressors', 'Power/Active')).toBeCloseTo(124.3, 0);
    expect(read(r, 'flow-air-machining', 'Air/Pressure')).toBeLessThan(7.2);
    expect(read(r, 'flow-air-machining', 'Air/Pressure')).toBeGreaterThan(6.8);
  });
});
