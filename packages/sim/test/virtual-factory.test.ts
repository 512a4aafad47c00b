import { afterEach, describe, expect, it } from 'vitest';
import { modbusDeviceSchema } from '@yulian/gateway';
import { type VirtualFactory, factoryLayout, modbusDeviceConfig, startVirtualFactory } from '@yulian/sim';
import { modbusPoints, readDevice, writeDevicePoint } from './read-device.js';

const started: VirtualFactory[] = [];
const factory = async (seed: number): Promise<VirtualFactory> => {
  const f = await startVirtualFactory({ seed, host: '::1', realTime: false });
  started.push(f);
  return f;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close()));
});

/** Plausible ranges of a healthy plant, tighter than the points' engineering ranges. */
const plausible: Record<'cnc' | 'compressor', Record<string, [number, number]>> = {
  cnc: { spindle_temp: [15, 60], coolant_temp: [15, 40], vibration_rms: [0.05, 4], power: [0.3, 30] },
  compressor: {
    discharge_pressure: [6, 8.5],
    discharge_temp: [50, 100],
    motor_current: [0, 160],
    run_hours: [10_000, 40_000],
    energy: [100_000, 700_000],
    vibration_rms: [1, 3],
    power: [0, 90],
  },
};

describe('virtual factory over Modbus TCP', () => {
  it('serves six CNC machines and two compressors whose every point reads good and plausible over IPv6', async () => {
    const f = await factory(7);
    f.step(5 * 60_000);
    const configs = f.deviceConfigs();
    expect(configs.map((c) => c.id)).toEqual(['cnc-01', 'cnc-02', 'cnc-03', 'cnc-04', 'cnc-05', 'cnc-06', 'compressor-01', 'compressor-02']);
    expect(f.devices().every((d) => d.host === '::1' && d.port > 0 && d.name.zh.length > 0 && d.name.en.length > 0)).toBe(true);
    for (const config of configs) {
      expect(config.host).toBe('::1');
      const readings = await readDevice(config);
      const inRegisters = f.values(config.id);
      for (const p of modbusPoints(config)) {
        const r = readings.get(p.key);
        expect(r, `${config.id}.${p.key}`).toMatchObject({ quality: 'good' });
        // Every byte order decodes over the wire to what the simulation stored.
        expect(r?.value, `${config.id}.${p.key}`).toEqual(inRegisters[p.key]);
        if (typeof r?.value !== 'number') continue;
        if (p.min !== undefined) expect(r.value, `${config.id}.${p.key}`).toBeGreaterThanOrEqual(p.min);
        if (p.max !== undefined) expect(r.value, `${config.id}.${p.key}`).toBeLessThanOrEqual(p.max);
        const [lo, hi] = plausible[config.id.startsWith('cnc') ? 'cnc' : 'compressor'][p.key] ?? [-Infinity, Infinity];
        expect(r.value, `${config.id}.${p.key}`).toBeGreaterThanOrEqual(lo);
        expect(r.value, `${config.id}.${p.key}`).toBeLessThanOrEqual(hi);
      }
      expect(readings.get('model')?.value).toMatch(/^YL-/);
      expect(readings.get('alarm_word')?.value).toBe(0);
      expect(readings.get('enabled')?.value).toBe(true);
    }
  });

  it('exports gateway configs built from the same register map the machines serve', () => {
    for (const spec of factoryLayout) {
      const config = modbusDeviceSchema.parse(modbusDeviceConfig(spec.id, { host: '192.0.2.10', port: 1502 }));
      expect(config).toMatchObject({ id: spec.id, host: '192.0.2.10', port: 1502, unitId: 1 });
      expect(config.points).toEqual(spec.points);
    }
    expect(factoryLayout.find((m) => m.id === 'cnc-02')?.points.find((p) => p.key === 'vibration_rms')?.modbus.byteOrder).toBe('CDAB');
    expect(() => modbusDeviceConfig('press-01', { host: '::1', port: 502 })).toThrow(/no machine press-01/);
  });

  it('gives identical registers for the same seed and steps, and different ones for another seed', async () => {
    const [a, b, c] = await Promise.all([factory(42), factory(42), factory(43)]);
    for (const ms of [100, 250, 1_000, 30_000, 7, 600_000]) for (const f of [a, b, c]) f.step(ms);
    for (const spec of factoryLayout) expect(b.values(spec.id), spec.id).toEqual(a.values(spec.id));
    const differing = factoryLayout.filter((spec) => JSON.stringify(a.values(spec.id)) !== JSON.stringify(c.values(spec.id)));
    expect(differing.length).toBe(factoryLayout.length);
    // And over the wire: the same seed reads the same.
    const [ra, rb] = await Promise.all([readDevice(a.deviceConfigs()[1]!), readDevice(b.deviceConfigs()[1]!)]);
    expect([...rb.values()]).toEqual([...ra.values()]);
  });

  it('runs machining cycles that count parts, with idle gaps between them', async () => {
    const f = await factory(3);
    const states = new Set<unknown>();
    const before = f.values('cnc-04')['part_count'] as number;
    for (let i = 0; i < 60; i++) {
      f.step(30_000);
      states.add(f.values('cnc-04')['run_state']);
    }
    expect(states).toEqual(new Set([1, 2]));
    const made = (f.values('cnc-04')['part_count'] as number) - before;
    expect(made).toBeGreaterThanOrEqual(3); // 30 simulated minutes of 1–4 min cycles and ½–¾ min gaps
    expect(made).toBeLessThanOrEqual(25);
  });

  it('obeys a spindle speed setpoint and feed override written over Modbus within a few steps', async () => {
    const f = await factory(11);
    const config = f.deviceConfigs()[0]!;
    for (let i = 0; i < 300 && f.values('cnc-01')['run_state'] !== 2; i++) f.step(1_000);
    f.step(3_000);
    expect((await readDevice(config)).get('spindle_speed')?.value).toBe(8000);
    await writeDevicePoint(config, 'spindle_speed_sp', 6000);
    await writeDevicePoint(config, 'feed_override', 50);
    for (let i = 0; i < 3; i++) f.step(1_000);
    const after = await readDevice(config);
    expect(after.get('spindle_speed_sp')?.value).toBe(6000);
    expect(after.get('feed_override')?.value).toBe(50);
    expect(after.get('spindle_speed')?.value).toBe(6000);
    // Switching the machine off over its coil stops the spindle.
    await writeDevicePoint(config, 'enabled', false);
    for (let i = 0; i < 5; i++) f.step(1_000);
    expect((await readDevice(config)).get('spindle_speed')?.value).toBe(0);
    expect(f.values('cnc-01')['run_state']).toBe(0);
  });

  it('keeps a compressor between its load and unload pressures and follows a new pressure setpoint', async () => {
    const f = await factory(5);
    const config = f.deviceConfigs()[6]!;
    await writeDevicePoint(config, 'pressure_sp', 8.5);
    const pressures: number[] = [];
    const states = new Set<unknown>();
    for (let i = 0; i < 120; i++) {
      f.step(5_000);
      pressures.push(f.values('compressor-01')['discharge_pressure'] as number);
      states.add(f.values('compressor-01')['load_state']);
    }
    const settled = pressures.slice(40);
    expect(Math.max(...settled)).toBeLessThanOrEqual(8.6);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(7.7);
    expect(states).toEqual(new Set([1, 2]));
  });

  it('advances on its own from the wall clock when started in real time', async () => {
    const f = await startVirtualFactory({ seed: 2, host: '::1', start: Date.UTC(2025, 2, 3, 2) });
    started.push(f);
    const config = f.deviceConfigs()[7]!;
    const first = await readDevice(config);
    await new Promise((r) => setTimeout(r, 350));
    const second = await readDevice(config);
    expect(f.now() - Date.UTC(2025, 2, 3, 2)).toBeGreaterThanOrEqual(300);
    expect(second.get('energy')?.value).toBeGreaterThan(first.get('energy')?.value as number);
  });
});
