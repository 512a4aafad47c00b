import { invalidInput } from './input-error.js';

/** Rolling-element bearing geometry. */
export interface BearingGeometry {
  /** Designation, e.g. "6205-2RS". */
  name?: string;
  /** Number of rolling elements n. */
  rollingElements: number;
  /** Rolling element (ball) diameter d, mm. */
  ballDiameterMm: number;
  /** Pitch diameter D, mm. */
  pitchDiameterMm: number;
  /** Contact angle θ, degrees (0 for deep-groove ball bearings under radial load). */
  contactAngleDeg: number;
}

/** Bearing defect frequencies in Hz, for a rotating inner ring and a fixed outer ring. */
export interface BearingFrequencies {
  /** Shaft speed the frequencies were computed for, Hz. */
  shaftHz: number;
  /** Ball pass frequency, outer race. */
  bpfoHz: number;
  /** Ball pass frequency, inner race. */
  bpfiHz: number;
  /** Ball spin frequency (a ball defect strikes both races, so it shows at 2 × BSF). */
  bsfHz: number;
  /** Fundamental train (cage) frequency. */
  ftfHz: number;
}

/**
 * The standard kinematic formulas (no slip), with r = (d / D) cos θ and f the shaft frequency:
 * FTF = f/2 (1 − r), BPFO = n f/2 (1 − r), BPFI = n f/2 (1 + r), BSF = D/(2d) f (1 − r²).
 * Give the speed as `{ shaftHz }` or `{ rpm }`.
 * @example bearingFrequencies(BEARINGS['6205-2RS'], { rpm: 1797 }).bpfoHz // ≈ 107.4
 */
export function bearingFrequencies(bearing: BearingGeometry, speed: { shaftHz: number } | { rpm: number }): BearingFrequencies {
  const shaftHz = 'shaftHz' in speed ? speed.shaftHz : speed.rpm / 60;
  validateGeometry(bearing);
  if (!(Number.isFinite(shaftHz) && shaftHz > 0)) throw invalidInput(`Shaft speed must be a positive number of Hz or rpm, got ${shaftHz} Hz.`);
  const n = bearing.rollingElements;
  const r = (bearing.ballDiameterMm / bearing.pitchDiameterMm) * Math.cos((bearing.contactAngleDeg * Math.PI) / 180);
  return {
    shaftHz,
    ftfHz: (shaftHz / 2) * (1 - r),
    bpfoHz: ((n * shaftHz) / 2) * (1 - r),
    bpfiHz: ((n * shaftHz) / 2) * (1 + r),
    bsfHz: (bearing.pitchDiameterMm / (2 * bearing.ballDiameterMm)) * shaftHz * (1 - r * r),
  };
}

function validateGeometry(b: BearingGeometry): void {
  const ok =
    Number.isInteger(b.rollingElements) &&
    b.rollingElements >= 3 &&
    b.ballDiameterMm > 0 &&
    b.pitchDiameterMm > b.ballDiameterMm &&
    Number.isFinite(b.pitchDiameterMm) &&
    Number.isFinite(b.contactAngleDeg) &&
    b.contactAngleDeg >= 0 &&
    b.contactAngleDeg < 90;
  if (!ok) {
    throw invalidInput(
      'Bearing geometry is invalid: rollingElements must be an integer ≥ 3, 0 < ballDiameterMm < pitchDiameterMm, and 0 ≤ contactAngleDeg < 90.',
      { bearing: b },
    );
  }
}

/**
 * Common bearings. Sources:
 * - 6205-2RS JEM SKF and 6203-2RS JEM SKF: Case Western Reserve University Bearing Data Center,
 *   "Bearing information" page (drive-end and fan-end bearings; dimensions in inches, converted here).
 *   Published defect frequencies as multiples of running speed — 6205: BPFI 5.4152, BPFO 3.5848,
 *   FTF 0.39828, ball 4.7135 (= 2 × BSF); 6203: BPFI 4.9469, BPFO 3.0530, FTF 0.3817, ball 3.9874.
 * - Rexnord ZA-2115: the IMS/NASA bearing run-to-failure data set (Qiu et al., J. Sound Vib. 289, 2006):
 *   16 rollers, d 0.331 in, D 2.815 in, 15.17°; at 2000 rpm BPFO 236.4 Hz, BPFI 296.9 Hz, BSF 139.9 Hz,
 *   FTF 14.8 Hz.
 */
export const BEARINGS = {
  '6205-2RS': { name: '6205-2RS', rollingElements: 9, ballDiameterMm: 7.94, pitchDiameterMm: 39.04, contactAngleDeg: 0 },
  '6203-2RS': { name: '6203-2RS', rollingElements: 8, ballDiameterMm: 6.746, pitchDiameterMm: 28.499, contactAngleDeg: 0 },
  'ZA-2115': { name: 'ZA-2115', rollingElements: 16, ballDiameterMm: 8.407, pitchDiameterMm: 71.501, contactAngleDeg: 15.17 },
} as const satisfies Record<string, BearingGeometry>;
