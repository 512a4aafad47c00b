import { describe, expect, it } from 'vitest';
import { envelopeSpectrum } from './envelope.js';
import { findPeak } from './fft.js';
import { synthesise } from './synthetic.js';

const FS = 25_600;
const N = 2 ** 16;

describe('envelope spectrum', () => {
  it('demodulates a 3 kHz carrier modulated at 100 Hz: a line at 100 Hz with the modulation amplitude', () => {
    const x = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const t = i / FS;
      x[i] = 2 * (1 + 0.5 * Math.cos(2 * Math.PI * 100 * t)) * Math.sin(2 * Math.PI * 3000 * t);
    }
    const { envelope, spectrum } = envelopeSpectrum(x, FS, { bandHz: [2000, 4000] });
    expect(envelope.sampleRate).toBeLessThan(FS);
    const peak = findPeak(spectrum, 100)!;
    expect(Math.abs(peak.frequencyHz - 100)).toBeLessThan(spectrum.resolutionHz);
    expect(peak.amplitude).toBeCloseTo(1, 2); // 2 × 0.5
    expect(spectrum.amplitude[0]).toBeLessThan(1e-3); // DC removed
  });

  it('picks the band of the ringing resonance by spectral kurtosis', () => {
    const x = synthesise({ sampleRate: FS, length: N, seed: 7, noiseRms: 0.3, impacts: { rateHz: 107.36, amplitude: 1, resonanceHz: 5000 } });
    const { envelope, spectrum } = envelopeSpectrum(x, FS, { selection: { lowHz: 600, highHz: 11_520, minBandwidthHz: 1200 } });
    expect(envelope.bandHz[0]).toBeLessThan(5000);
    expect(envelope.bandHz[1]).toBeGreaterThan(5000);
    expect(envelope.spectralKurtosis).toBeGreaterThan(0.5);
    const peak = findPeak(spectrum, 107.36)!;
    expect(Math.abs(peak.frequencyHz - 107.36)).toBeLessThan(spectrum.resolutionHz);
  });
});
