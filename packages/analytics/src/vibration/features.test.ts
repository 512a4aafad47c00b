import { describe, expect, it } from 'vitest';
import { isoZone, velocityRmsMmPerS, waveformStatistics } from './features.js';
import { synthesise } from './synthetic.js';

const FS = 25_600;
const N = 2 ** 16;

describe('waveform statistics', () => {
  it('gives a sine of amplitude A RMS A/√2, crest factor √2, kurtosis 1.5 and skewness 0', () => {
    const s = waveformStatistics(synthesise({ sampleRate: FS, length: N, seed: 1, tones: [{ amplitude: 3, frequencyHz: 100 * (FS / N) }] }));
    expect(s.rms).toBeCloseTo(3 / Math.SQRT2, 6);
    expect(s.peak).toBeCloseTo(3, 4);
    expect(s.peakToPeak).toBeCloseTo(6, 4);
    expect(s.crestFactor).toBeCloseTo(Math.SQRT2, 4);
    expect(s.kurtosis).toBeCloseTo(1.5, 6);
    expect(s.skewness).toBeCloseTo(0, 6);
  });

  it('gives Gaussian noise RMS σ, non-excess kurtosis 3 and skewness 0', () => {
    const s = waveformStatistics(synthesise({ sampleRate: FS, length: N, seed: 2, noiseRms: 0.7 }));
    expect(s.rms / 0.7).toBeGreaterThan(0.99);
    expect(s.rms / 0.7).toBeLessThan(1.01);
    expect(Math.abs(s.kurtosis - 3)).toBeLessThan(0.1); // sd of the estimate ≈ √(24/N) ≈ 0.02
    expect(Math.abs(s.skewness)).toBeLessThan(0.05);
    expect(s.crestFactor).toBeGreaterThan(3.5);
    expect(s.crestFactor).toBeLessThan(5.5);
  });

  it('shows impacts in kurtosis and crest factor', () => {
    const s = waveformStatistics(synthesise({ sampleRate: FS, length: N, seed: 3, noiseRms: 0.05, impacts: { rateHz: 50, amplitude: 1, resonanceHz: 3000 } }));
    expect(s.kurtosis).toBeGreaterThan(6);
    expect(s.crestFactor).toBeGreaterThan(5);
  });
});

describe('velocity RMS', () => {
  it('integrates 1 g at 100 Hz to 9.80665 / (2π·100) / √2 = 11.04 mm/s', () => {
    const x = synthesise({ sampleRate: FS, length: N, seed: 4, tones: [{ amplitude: 1, frequencyHz: 100.3 }] });
    const expected = (9.80665 / (2 * Math.PI * 100.3) / Math.SQRT2) * 1000;
    expect(velocityRmsMmPerS(x, { sampleRate: FS, unit: 'g' }) / expected).toBeCloseTo(1, 2);
    const inMetres = x.map((v) => v * 9.80665);
    expect(velocityRmsMmPerS(inMetres, { sampleRate: FS, unit: 'm/s2' })).toBeCloseTo(velocityRmsMmPerS(x, { sampleRate: FS, unit: 'g' }), 6);
  });

  it('ignores content outside the 10–1000 Hz band', () => {
    const x = synthesise({ sampleRate: FS, length: N, seed: 5, tones: [{ amplitude: 1, frequencyHz: 3 }, { amplitude: 1, frequencyHz: 3000 }] });
    expect(velocityRmsMmPerS(x, { sampleRate: FS, unit: 'g' })).toBeLessThan(0.1);
  });

  it('places velocities in ISO 10816-3 group 2 rigid zones', () => {
    expect([0.5, 1.4, 3, 4.5].map((v) => isoZone(v))).toEqual(['A', 'B', 'C', 'D']);
  });
});
