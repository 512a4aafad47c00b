import { afterEach, describe, expect, it } from 'vitest';
import { type VirtualFactory, cncAlarmBits, compressorAlarmBits, startVirtualFactory } from '@yulian/sim';
import { clientFor, readDevice } from './read-device.js';

const started: VirtualFactory[] = [];
const factory = async (seed = 9): Promise<VirtualFactory> => {
  const f = await startVirtualFactory({ seed, host: '::1', realTime: false });
  started.push(f);
  return f;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close()));
});

const minute = 60_000;
const hour = 60 * minute;
const configOf = (f: VirtualFactory, id: string) => f.deviceConfigs().find((c) => c.id === id)!;

describe('virtual factory fault injection', () => {
  it('raises vibration RMS steadily over simulated hours of bearing wear, up to the vibration alarm', async () => {
    const f = await factory();
    let alarms = 0;
    const hourlyMean = (): number => {
      let sum = 0;
      for (let i = 0; i < 60; i++) {
        f.step(minute);
        sum += f.values('cnc-03')['vibration_rms'] as number;
        alarms |= f.values('cnc-03')['alarm_word'] as number;
      }
      return sum / 60;
    };
    const healthy = hourlyMean();
    const fault = await f.injectFault('cnc-03', { kind: 'bearing-wear', severity: 0.5 });
    expect(fault).toMatchObject({ device: 'cnc-03', kind: 'bearing-wear', severity: 0.5, since: f.now() });
    const means = [healthy];
    for (let h = 0; h < 6; h++) means.push(hourlyMean());
    // Duty cycles make each hour's mean wobble a little; the trend must still rise hour after hour.
    for (let h = 1; h < means.length; h++) expect(means[h]!, `hour ${h}`).toBeGreaterThan(means[h - 1]! * 0.97);
    expect(means.at(-1)!).toBeGreaterThan(3 * healthy);
    expect(alarms & (1 << cncAlarmBits.vibrationHigh)).not.toBe(0);
    const readings = await readDevice(configOf(f, 'cnc-03'));
    expect(readings.get('vibration_rms')?.value).toBeGreaterThan(2 * healthy);
    // A healthy neighbour of the same model stays where it was.
    expect(f.values('cnc-01')['vibration_rms']).toBeLessThan(4);
    await f.clearFault('cnc-03', 'bearing-wear');
    expect(f.faults()).toEqual([]);
  });

  it('makes an unbalanced or misaligned shaft vibrate more at once, without growing, and backdates a bearing fault by ageHours', async () => {
    const f = await factory();
    const mean = (device: string, minutes = 30): number => {
      let sum = 0;
      for (let i = 0; i < minutes; i++) {
        f.step(minute);
        sum += f.values(device)['vibration_rms'] as number;
      }
      return sum / minutes;
    };
    const healthy = mean('compressor-01');
    await f.injectFault('compressor-01', { kind: 'imbalance', severity: 1 });
    const unbalanced = mean('compressor-01');
    expect(unbalanced).toBeGreaterThan(1.8 * healthy);
    expect(mean('compressor-01')).toBeLessThan(1.1 * unbalanced); // a shaft fault does not grow with time
    await f.clearFault('compressor-01');
    await f.injectFault('compressor-01', { kind: 'misalignment', severity: 1 });
    expect(mean('compressor-01')).toBeGreaterThan(1.6 * healthy);
    await f.clearFault('compressor-01');
    // A bearing worn for 2 hours already: 1 + 1.5 · 2 = 4 times the vibration from the first minute.
    const aged = await f.injectFault('compressor-02', { kind: 'bearing-wear', ageHours: 2 });
    expect(aged.since).toBe(f.now() - 2 * 3_600_000);
    expect(mean('compressor-02', 5)).toBeGreaterThan(3.5 * healthy);
    await expect(f.injectFault('cnc-01', { kind: 'bearing-wear', ageHours: 13 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: /ageHours/ });
  });

  it('makes an overheating CNC and compressor trip with their over-temperature alarm bits set', async () => {
    const f = await factory();
    await f.injectFault('cnc-05', { kind: 'overheating' });
    await f.injectFault('compressor-02', { kind: 'overheating', severity: 0.8 });
    for (let i = 0; i < 40; i++) f.step(minute);
    const cnc = await readDevice(configOf(f, 'cnc-05'));
    expect(cnc.get('spindle_temp')?.value).toBeGreaterThan(70);
    expect((cnc.get('alarm_word')?.value as number) & (1 << cncAlarmBits.spindleOverTemperature)).not.toBe(0);
    expect(cnc.get('run_state')?.value).toBe(3);
    expect(cnc.get('spindle_speed')?.value).toBe(0);
    const compressor = await readDevice(configOf(f, 'compressor-02'));
    expect(compressor.get('motor_current')?.value).toBe(0);
    expect((compressor.get('alarm_word')?.value as number) & (1 << compressorAlarmBits.dischargeOverTemperature)).not.toBe(0);
    expect(compressor.get('load_state')?.value).toBe(3);
    // Once the cause is gone the machines cool down and reset.
    await f.clearFault('cnc-05');
    await f.clearFault('compressor-02', 'overheating');
    for (let i = 0; i < 40; i++) f.step(minute);
    expect(f.values('cnc-05')['alarm_word']).toBe(0);
    expect(f.values('compressor-02')['load_state']).not.toBe(3);
  });

  it('freezes a stuck point while the rest of the machine moves on, until cleared', async () => {
    const f = await factory();
    await f.injectFault('compressor-01', { kind: 'stuck-value' });
    expect(f.faults()).toEqual([expect.objectContaining({ device: 'compressor-01', kind: 'stuck-value', point: 'discharge_pressure' })]);
    const frozen = new Set<unknown>();
    const energy = new Set<unknown>();
    for (let i = 0; i < 6; i++) {
      f.step(10_000);
      const r = await readDevice(configOf(f, 'compressor-01'));
      frozen.add(r.get('discharge_pressure')?.value);
      energy.add(r.get('energy')?.value);
    }
    expect(frozen.size).toBe(1);
    expect(energy.size).toBe(6);
    await f.clearFault('compressor-01', 'stuck-value');
    const after = new Set<unknown>();
    for (let i = 0; i < 6; i++) {
      f.step(10_000);
      after.add(f.values('compressor-01')['discharge_pressure']);
    }
    expect(after.size).toBeGreaterThan(1);
  });

  it('drifts one point linearly while the machine itself behaves exactly as its fault-free twin', async () => {
    const [drifting, twin] = await Promise.all([factory(21), factory(21)]);
    await drifting.injectFault('cnc-02', { kind: 'sensor-drift', point: 'coolant_temp', severity: 0.5 });
    for (let i = 0; i < 2; i++) for (const f of [drifting, twin]) f.step(hour);
    const a = drifting.values('cnc-02');
    const b = twin.values('cnc-02');
    // 0.5 × 5 % of the 100 K range per hour, for two hours; int16 ×0.1 rounds to 0.1 K.
    expect((a['coolant_temp'] as number) - (b['coolant_temp'] as number)).toBeCloseTo(5, 0);
    expect({ ...a, coolant_temp: 0 }).toEqual({ ...b, coolant_temp: 0 });
  });

  it('stops answering on comm-loss, other machines unaffected, and answers again once it is cleared', async () => {
    const f = await factory();
    const config = configOf(f, 'cnc-06');
    const client = clientFor(config);
    try {
      expect([...(await readDevice(config, client)).values()].every((r) => r.quality === 'good')).toBe(true);
      await f.injectFault('cnc-06', { kind: 'comm-loss' });
      const lost = [...(await readDevice(config, client)).values()];
      expect(lost.every((r) => r.quality === 'bad' && (r.reason === 'MODBUS_UNREACHABLE' || r.reason === 'MODBUS_TIMEOUT'))).toBe(true);
      expect([...(await readDevice(configOf(f, 'cnc-05'))).values()].every((r) => r.quality === 'good')).toBe(true);
      f.step(10_000);
      await f.clearFault('cnc-06', 'comm-loss');
      // The client that lost its connection reconnects after its back-off.
      let readings = await readDevice(config, client);
      for (let i = 0; i < 20 && [...readings.values()].some((r) => r.quality !== 'good'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        readings = await readDevice(config, client);
      }
      expect([...readings.values()].every((r) => r.quality === 'good')).toBe(true);
      expect(configOf(f, 'cnc-06').port).toBe(config.port);
    } finally {
      await client.close();
    }
  });

  it('refuses faults for unknown machines, points or severities with a sentence saying what to pass', async () => {
    const f = await factory();
    await expect(f.injectFault('press-01', { kind: 'overheating' })).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    await expect(f.injectFault('cnc-01', { kind: 'stuck-value', point: 'model' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/pass one of spindle_speed/) });
    await expect(f.injectFault('cnc-01', { kind: 'overheating', severity: 2 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(f.injectFault('cnc-01', { kind: 'comm-loss', point: 'power' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(f.injectFault('cnc-01', { kind: 'melting' as 'overheating' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(f.faults()).toEqual([]);
  });
});
