import { type SimBurst, type VirtualFactory, burstLength, burstSampleRate, simBearings, startVirtualFactory, synthesiseBurst, vibrationProfileOf } from '@yulian/sim';
import { afterEach, describe, expect, it } from 'vitest';

const started: VirtualFactory[] = [];
const factory = async (seed: number, burstIntervalMs?: number): Promise<VirtualFactory> => {
  const f = await startVirtualFactory({ seed, host: '::1', realTime: false, ...(burstIntervalMs === undefined ? {} : { burstIntervalMs }) });
  started.push(f);
  return f;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close()));
});

const rms = (x: Float32Array): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
const kurtosis = (x: Float32Array): number => {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  let m2 = 0;
  let m4 = 0;
  for (const v of x) {
    const d = (v - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  return (m4 / x.length) / (m2 / x.length) ** 2;
};

describe('accelerometer bursts of the virtual factory', () => {
  const compressor = vibrationProfileOf('compressor', 'YL-SA75');

  it('synthesises the same burst for the same seed, and another for another seed', () => {
    const a = synthesiseBurst({ profile: compressor, shaftRpm: 2970, impactG: 0, seed: 11 });
    const b = synthesiseBurst({ profile: compressor, shaftRpm: 2970, impactG: 0, seed: 11 });
    const c = synthesiseBurst({ profile: compressor, shaftRpm: 2970, impactG: 0, seed: 12 });
    expect(a).toHaveLength(burstLength);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('gives a healthy machine Gaussian-like noise and a worn bearing impacts that grow with wear', () => {
    const healthy = synthesiseBurst({ profile: compressor, shaftRpm: 2970, impactG: 0, seed: 3 });
    expect(kurtosis(healthy)).toBeGreaterThan(2.7);
    expect(kurtosis(healthy)).toBeLessThan(3.3);
    const worn = synthesiseBurst({ profile: compressor, shaftRpm: 2970, impactG: 0.3, seed: 3 });
    const worse = synthesiseBurst({ profile: compressor, shaftRpm: 2970, impactG: 1.2, seed: 3 });
    expect(kurtosis(worn)).toBeGreaterThan(kurtosis(healthy));
    expect(rms(worse)).toBeGreaterThan(rms(worn));
    expect(kurtosis(worse)).toBeGreaterThan(4);
  });

  it('gives each machine kind its bearing and sensor', () => {
    expect(vibrationProfileOf('cnc', 'YL-VMC850').bearing).toEqual(simBearings['6205-2RS']);
    expect(vibrationProfileOf('cnc', 'YL-CK6150').bearing).toEqual(simBearings['6203-2RS']);
    expect(compressor).toMatchObject({ point: 'motor-de', bearing: simBearings['ZA-2115'] });
  });

  it('emits a burst per rotating machine every simulated minute, deterministic for a seed', async () => {
    const takeAll = async (seed: number): Promise<SimBurst[]> => {
      const f = await factory(seed);
      const bursts: SimBurst[] = [];
      f.onBurst((b) => bursts.push(b));
      f.step(3 * 60_000);
      return bursts;
    };
    const first = await takeAll(5);
    const compressorBursts = first.filter((b) => b.device === 'compressor-01');
    // Due 5 s after start, then every 60 s: 3 in 3 minutes.
    expect(compressorBursts).toHaveLength(3);
    expect(compressorBursts[1]!.ts - compressorBursts[0]!.ts).toBeGreaterThanOrEqual(60_000);
    for (const b of first) {
      expect(b).toMatchObject({ sampleRate: burstSampleRate, unit: 'g' });
      expect(b.samples).toHaveLength(burstLength);
      expect(b.shaftRpm).toBeGreaterThanOrEqual(1200);
    }
    const again = await takeAll(5);
    expect(again.map((b) => `${b.device}@${b.ts}`)).toEqual(first.map((b) => `${b.device}@${b.ts}`));
    expect(Buffer.from(again[0]!.samples.buffer).equals(Buffer.from(first[0]!.samples.buffer))).toBe(true);
  });

  it('measures on demand with the injected bearing wear, and refuses a device without an accelerometer', async () => {
    const f = await factory(9, 0);
    f.step(10_000);
    const healthy = f.measureVibration('compressor-02')!;
    expect(healthy.shaftRpm).toBeGreaterThan(2900);
    await f.injectFault('compressor-02', { kind: 'bearing-wear', severity: 1 });
    f.step(2 * 3_600_000);
    const worn = f.measureVibration('compressor-02')!;
    expect(kurtosis(worn.samples)).toBeGreaterThan(kurtosis(healthy.samples) + 1);
    expect(f.vibrationProfile('compressor-02').bearing.name).toBe('ZA-2115');
    expect(() => f.measureVibration('paint-line')).toThrow(/no accelerometer/);
  });
});
