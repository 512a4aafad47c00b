import { isYulianError } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import { amplitudeSpectrum, fftInPlace, findPeak, realFft } from './fft.js';
import { seededRandom, synthesise } from './synthetic.js';

const FS = 25_600;
const N = 2 ** 16;

describe('fft', () => {
  it('computes the same real FFT as a direct DFT', () => {
    const random = seededRandom(1);
    const x = Float64Array.from({ length: 64 }, () => random() - 0.5);
    const { re, im } = realFft(x);
    for (let k = 0; k <= 32; k++) {
      let sr = 0;
      let si = 0;
      for (let n = 0; n < 64; n++) {
        sr += x[n]! * Math.cos((2 * Math.PI * k * n) / 64);
        si -= x[n]! * Math.sin((2 * Math.PI * k * n) / 64);
      }
      expect(re[k]).toBeCloseTo(sr, 10);
      expect(im[k]).toBeCloseTo(si, 10);
    }
  });

  it('returns the input after a forward and an inverse complex FFT divided by n', () => {
    const random = seededRandom(2);
    const re = Float64Array.from({ length: 256 }, () => random());
    const im = Float64Array.from({ length: 256 }, () => random());
    const [re0, im0] = [re.slice(), im.slice()];
    fftInPlace(re, im);
    fftInPlace(re, im, true);
    for (let i = 0; i < 256; i++) {
      expect(re[i]! / 256).toBeCloseTo(re0[i]!, 12);
      expect(im[i]! / 256).toBeCloseTo(im0[i]!, 12);
    }
  });

  it('refuses a length that is not a power of two with a sentence saying what to pass', () => {
    let caught: unknown;
    try {
      realFft(new Float64Array(1000));
    } catch (e) {
      caught = e;
    }
    expect(isYulianError(caught, 'DIAGNOSIS_INPUT_INVALID')).toBe(true);
    expect((caught as Error).message).toMatch(/1000 is not a power of two; pass 1024/);
    expect(() => amplitudeSpectrum(new Float64Array(1000), FS, { padding: 'refuse' })).toThrow(/power of two/);
  });

  it('reads a bin-centred tone at its bin with its amplitude (Hann correction)', () => {
    const f = 1000 * (FS / N); // 390.625 Hz, bin 1000
    const s = amplitudeSpectrum(synthesise({ sampleRate: FS, length: N, seed: 3, tones: [{ amplitude: 2.5, frequencyHz: f, phase: 0.3 }] }), FS);
    expect(s.binWidthHz).toBe(FS / N);
    expect(s.frequencyHz[1000]).toBe(f);
    expect(s.amplitude[1000]).toBeCloseTo(2.5, 3);
    const peak = findPeak(s, f)!;
    expect(peak.bin).toBe(1000);
    expect(peak.amplitude).toBeCloseTo(2.5, 3);
  });

  it('finds a tone between bins within one bin, with the amplitude restored from the scalloping loss', () => {
    const f = 1234.567; // 3160.49 bins: neither centred nor half-way
    const x = synthesise({ sampleRate: FS, length: N, seed: 4, tones: [{ amplitude: 1.7, frequencyHz: f }], noiseRms: 0.01 });
    const s = amplitudeSpectrum(x, FS);
    const peak = findPeak(s, 1230, 10)!;
    expect(Math.abs(peak.bin * s.binWidthHz - f)).toBeLessThanOrEqual(s.binWidthHz);
    expect(peak.binAmplitude).toBeGreaterThan(1.7 * 0.84); // Hann scalloping loss ≤ 1.42 dB
    expect(peak.binAmplitude).toBeLessThan(1.7 * 0.99);
    expect(Math.abs(peak.frequencyHz - f)).toBeLessThan(0.05 * s.binWidthHz);
    expect(peak.amplitude).toBeCloseTo(1.7, 2);
  });

  it('zero-pads a burst of 50,000 samples and still reads an off-bin tone within one resolution bin', () => {
    const f = 777.7;
    const x = synthesise({ sampleRate: FS, length: 50_000, seed: 5, tones: [{ amplitude: 0.8, frequencyHz: f }] });
    const s = amplitudeSpectrum(x, FS);
    expect(s.fftLength).toBe(N);
    expect(s.resolutionHz).toBeCloseTo(FS / 50_000, 12);
    const peak = findPeak(s, f, 2)!;
    expect(Math.abs(peak.frequencyHz - f)).toBeLessThan(s.resolutionHz);
    expect(peak.amplitude).toBeGreaterThan(0.8 * 0.99);
    expect(peak.amplitude).toBeLessThan(0.8 * 1.01);
  });
});
