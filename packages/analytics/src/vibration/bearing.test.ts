import { describe, expect, it } from 'vitest';
import { BEARINGS, bearingFrequencies } from './bearing.js';

const within = (actual: number, expected: number, fraction: number): void => {
  expect(Math.abs(actual - expected) / expected).toBeLessThan(fraction);
};

describe('bearing defect frequencies', () => {
  it('match the published CWRU multipliers of the 6205-2RS at 1797 rpm (29.95 Hz) to 0.5 %', () => {
    const f = bearingFrequencies(BEARINGS['6205-2RS'], { shaftHz: 29.95 });
    within(f.bpfoHz, 3.5848 * 29.95, 0.005); // 107.36 Hz
    within(f.bpfiHz, 5.4152 * 29.95, 0.005); // 162.19 Hz
    within(f.ftfHz, 0.39828 * 29.95, 0.005); // 11.93 Hz
    within(2 * f.bsfHz, 4.7135 * 29.95, 0.005); // CWRU lists the ball defect line, 2 × BSF
  });

  it('match the CWRU multipliers of the 6203-2RS', () => {
    const f = bearingFrequencies(BEARINGS['6203-2RS'], { shaftHz: 1 });
    within(f.bpfoHz, 3.053, 0.005);
    within(f.bpfiHz, 4.9469, 0.005);
    within(f.ftfHz, 0.3817, 0.005);
    within(2 * f.bsfHz, 3.9874, 0.005);
  });

  it('match the IMS data set’s ZA-2115 frequencies at 2000 rpm, contact angle included', () => {
    const f = bearingFrequencies(BEARINGS['ZA-2115'], { rpm: 2000 });
    within(f.bpfoHz, 236.4, 0.005);
    within(f.bpfiHz, 296.9, 0.005);
    within(f.bsfHz, 139.9, 0.005);
    within(f.ftfHz, 14.8, 0.005);
  });

  it('gives the same result for rpm and Hz, and BPFO + BPFI = n × shaft speed', () => {
    const a = bearingFrequencies(BEARINGS['6205-2RS'], { rpm: 1797 });
    const b = bearingFrequencies(BEARINGS['6205-2RS'], { shaftHz: 29.95 });
    expect(a.bpfoHz).toBeCloseTo(b.bpfoHz, 10);
    expect(a.bpfoHz + a.bpfiHz).toBeCloseTo(9 * 29.95, 10);
  });

  it('rejects impossible geometry and speeds', () => {
    expect(() => bearingFrequencies({ rollingElements: 9, ballDiameterMm: 40, pitchDiameterMm: 39, contactAngleDeg: 0 }, { shaftHz: 30 })).toThrow(/ballDiameterMm < pitchDiameterMm/);
    expect(() => bearingFrequencies(BEARINGS['6205-2RS'], { rpm: -1 })).toThrow(/positive/);
  });
});
