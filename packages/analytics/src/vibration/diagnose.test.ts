import { isYulianError } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import { BEARINGS, bearingFrequencies } from './bearing.js';
import { type DiagnosisReport, type MachineInfo, diagnose } from './diagnose.js';
import { type SynthOptions, synthesise } from './synthetic.js';

const FS = 25_600;
const N = 2 ** 16;
const SHAFT = 29.95;
const machine: MachineInfo = { shaftHz: SHAFT, bearing: BEARINGS['6205-2RS'] };
const freqs = bearingFrequencies(BEARINGS['6205-2RS'], { shaftHz: SHAFT });

// A healthy machine: a little 1× and 2× (zone A), broadband noise.
const healthy = (seed: number): Pick<SynthOptions, 'tones' | 'noiseRms'> => ({
  tones: [
    { amplitude: 0.01, frequencyHz: SHAFT, phase: seed },
    { amplitude: 0.003, frequencyHz: 2 * SHAFT, phase: 2 * seed },
  ],
  noiseRms: 0.05,
});

const run = (o: Partial<SynthOptions>, seed = 1, m: MachineInfo = machine): DiagnosisReport =>
  diagnose({ samples: synthesise({ sampleRate: FS, length: N, seed, ...o }), sampleRate: FS, unit: 'g' }, m);

const kinds = (r: DiagnosisReport): string[] => r.findings.map((f) => f.kind).sort();

describe('diagnose', () => {
  it('calls a strong 1× imbalance, with the numbers it decided on', () => {
    const r = run({ tones: [{ amplitude: 0.1, frequencyHz: SHAFT }, { amplitude: 0.005, frequencyHz: 2 * SHAFT }], noiseRms: 0.05 });
    expect(kinds(r)).toEqual(['imbalance']);
    const f = r.findings[0]!;
    expect(f.severity).toBe('major'); // 0.1 g at 29.95 Hz ≈ 3.7 mm/s: zone C
    expect(f.evidence.isoZone).toBe('C');
    expect(f.evidence.velocityShare1x).toBeGreaterThan(0.9);
    expect(f.evidence.margin1xDb).toBeGreaterThan(20);
    const m1 = r.marks.find((m) => m.label === '1×')!;
    expect(Math.abs(m1.foundHz - SHAFT)).toBeLessThan(r.resolutionHz);
    expect(m1.amplitude).toBeCloseTo(0.1, 2);
  });

  it('calls misalignment when 2× and 3× are high relative to 1×', () => {
    const r = run({ tones: [{ amplitude: 0.05, frequencyHz: SHAFT }, { amplitude: 0.12, frequencyHz: 2 * SHAFT }, { amplitude: 0.08, frequencyHz: 3 * SHAFT }], noiseRms: 0.05 });
    expect(kinds(r)).toEqual(['misalignment']);
    expect(r.findings[0]!.evidence.velocityRatio2xTo1x).toBeGreaterThan(1);
    expect(r.findings[0]!.evidence.velocityRatio3xTo1x).toBeGreaterThan(0.4);
  });

  it('finds an outer-race fault buried in noise: an envelope line at BPFO within one bin, with harmonics', () => {
    const r = run({ ...healthy(3), noiseRms: 0.5, impacts: { rateHz: freqs.bpfoHz, amplitude: 1, resonanceHz: 3000 } }, 3);
    expect(r.features.kurtosis).toBeLessThan(4); // buried: the waveform alone hardly shows it
    const bpfo = r.marks.find((m) => m.label === 'BPFO')!;
    expect(Math.abs(bpfo.foundHz - freqs.bpfoHz)).toBeLessThanOrEqual(r.resolutionHz);
    expect(bpfo.marginDb).toBeGreaterThan(10);
    expect(r.envelope.bandHz[0]).toBeLessThan(3000);
    expect(r.envelope.bandHz[1]).toBeGreaterThan(3000);
    expect(kinds(r)).toEqual(['bearing-outer-race']);
    expect(r.findings[0]!.evidence.harmonicsAboveThreshold).toContain('2×BPFO');
  });

  it('finds an inner-race fault modulated at shaft speed: BPFI with 1× sidebands', () => {
    const r = run(
      { ...healthy(4), noiseRms: 0.4, impacts: { rateHz: freqs.bpfiHz, amplitude: 1, resonanceHz: 3000, modulation: { frequencyHz: SHAFT, depth: 0.7 } } },
      4,
    );
    const bpfi = r.marks.find((m) => m.label === 'BPFI')!;
    expect(Math.abs(bpfi.foundHz - freqs.bpfiHz)).toBeLessThanOrEqual(r.resolutionHz);
    expect(kinds(r)).toEqual(['bearing-inner-race']);
    const f = r.findings[0]!;
    expect(f.evidence.sidebandsAboveThreshold).toBe('BPFI−1×, BPFI+1×');
    for (const label of ['BPFI−1×', 'BPFI+1×']) {
      const sb = r.marks.find((m) => m.label === label)!;
      expect(Math.abs(sb.foundHz - sb.expectedHz)).toBeLessThanOrEqual(r.resolutionHz);
    }
  });

  it('finds a fault whose impacts slip 1 % off the kinematic BPFO', () => {
    const r = run({ ...healthy(5), noiseRms: 0.3, impacts: { rateHz: freqs.bpfoHz * 0.99, amplitude: 1, resonanceHz: 4000 } }, 5);
    expect(kinds(r)).toEqual(['bearing-outer-race']);
    const bpfo = r.marks.find((m) => m.label === 'BPFO')!;
    expect(Math.abs(bpfo.foundHz - freqs.bpfoHz * 0.99)).toBeLessThanOrEqual(r.resolutionHz);
  });

  it('calls a healthy machine normal, with no false finding over 20 seeds', () => {
    for (let seed = 100; seed < 120; seed++) {
      const r = run(healthy(seed), seed);
      expect(kinds(r), `seed ${seed}`).toEqual(['normal']);
      expect(r.findings[0]!.severity).toBe('info');
      expect(r.features.isoZone).toBe('A');
    }
  });

  it('keeps the display spectra within 2,048 points with the peaks kept', () => {
    const r = run({ tones: [{ amplitude: 0.1, frequencyHz: SHAFT }], noiseRms: 0.05 });
    expect(r.spectrum.frequencyHz.length).toBeLessThanOrEqual(2048);
    expect(r.envelope.spectrum.frequencyHz.length).toBeLessThanOrEqual(2048);
    expect(Math.max(...r.spectrum.amplitude)).toBeGreaterThan(0.09);
    expect(JSON.parse(JSON.stringify(r)).spectrum.amplitude).toHaveLength(r.spectrum.amplitude.length);
  });

  it('accepts a burst whose length is not a power of two', () => {
    const samples = synthesise({ sampleRate: FS, length: 50_000, seed: 6, tones: [{ amplitude: 0.1, frequencyHz: SHAFT }], noiseRms: 0.05 });
    const r = diagnose({ samples, sampleRate: FS, unit: 'g' }, machine);
    expect(kinds(r)).toEqual(['imbalance']);
  });

  it('diagnoses a 2^16-sample burst in well under 100 ms', () => {
    const samples = synthesise({ sampleRate: FS, length: N, seed: 7, ...healthy(7) });
    diagnose({ samples, sampleRate: FS, unit: 'g' }, machine); // warm-up (JIT)
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      diagnose({ samples, sampleRate: FS, unit: 'g' }, machine);
      times.push(performance.now() - t0);
    }
    expect(Math.min(...times)).toBeLessThan(100);
  });

  it.each([
    ['empty', { samples: new Float64Array(0), sampleRate: FS, unit: 'g' as const }, machine, /no samples/],
    ['NaN', { samples: Float64Array.from({ length: N }, (_, i) => (i === 5 ? NaN : 0)), sampleRate: FS, unit: 'g' as const }, machine, /Sample 5 is NaN/],
    ['sample rate 0', { samples: new Float64Array(N), sampleRate: 0, unit: 'g' as const }, machine, /sampleRate must be a positive/],
    ['shaft above Nyquist', { samples: new Float64Array(N), sampleRate: 1000, unit: 'g' as const }, { shaftHz: 600 }, /above the Nyquist/],
    ['too short', { samples: new Float64Array(2048), sampleRate: FS, unit: 'g' as const }, machine, /send at least \d+ samples/],
    ['sample rate too low for the bearing', { samples: new Float64Array(N), sampleRate: 2000, unit: 'g' as const }, machine, /sample at \d+ Hz or more/],
  ])('refuses bad input (%s) with DIAGNOSIS_INPUT_INVALID', (_name, burst, m, message) => {
    let caught: unknown;
    try {
      diagnose(burst, m);
    } catch (e) {
      caught = e;
    }
    expect(isYulianError(caught, 'DIAGNOSIS_INPUT_INVALID')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
