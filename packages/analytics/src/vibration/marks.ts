import type { BearingFrequencies } from './bearing.js';
import { type AmplitudeSpectrum, findPeak } from './fft.js';

/** Which line a mark stands for. */
export type MarkFamily = 'shaft' | 'bpfo' | 'bpfi' | 'bsf' | 'ftf' | 'bpfi-sideband';

/** A marked frequency with what was found there. */
export interface MarkedFrequency {
  /** Display label: '1×', '2×BPFO', 'BPFI−1×' … */
  label: string;
  family: MarkFamily;
  /** Harmonic number within the family (for sidebands: −1 below, +1 above). */
  harmonic: number;
  /** Shaft marks are read in the acceleration spectrum, bearing marks in the envelope spectrum. */
  spectrum: 'acceleration' | 'envelope';
  /** Kinematic frequency, Hz. */
  expectedHz: number;
  /** Interpolated frequency of the largest line in the search window, Hz. */
  foundHz: number;
  /** Its amplitude (Hann-corrected), in the burst's unit. */
  amplitude: number;
  /** The reference level it is compared with (see `marginDb`), same unit. */
  floor: number;
  /** 20·log10(amplitude / floor). */
  marginDb: number;
  /** Half-width of the search window, Hz. */
  toleranceHz: number;
}

/** Median of values (copied, not mutated). */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median amplitude of the bins between loHz and hiHz (at least bin 1: DC is never the floor). */
export function bandMedian(spectrum: AmplitudeSpectrum, loHz: number, hiHz: number): number {
  const from = Math.max(1, Math.ceil(loHz / spectrum.binWidthHz));
  const to = Math.min(spectrum.amplitude.length - 1, Math.floor(hiHz / spectrum.binWidthHz));
  return to >= from ? median(spectrum.amplitude.subarray(from, to + 1)) : 0;
}

/**
 * The envelope spectrum's local noise floor at a frequency: the median of ±64 resolution bins. Local,
 * because the envelope spectrum of band-limited noise slopes; a median, because the lines of a fault are
 * few among 128 bins and do not move it.
 */
export const LOCAL_FLOOR_HALF_WIDTH_BINS = 64;

/** Local median floor at `hz` (bins below 2 resolution bins excluded: the envelope's DC leakage). */
export function localFloor(spectrum: AmplitudeSpectrum, hz: number): number {
  const half = LOCAL_FLOOR_HALF_WIDTH_BINS * spectrum.resolutionHz;
  return bandMedian(spectrum, Math.max(hz - half, 2 * spectrum.resolutionHz), hz + half);
}

const marginDb = (amplitude: number, floor: number): number => (floor > 0 && amplitude > 0 ? 20 * Math.log10(amplitude / floor) : amplitude > 0 ? Infinity : -Infinity);

interface MarkRequest {
  label: string;
  family: MarkFamily;
  harmonic: number;
  expectedHz: number;
  /** Where to search (defaults to expectedHz). */
  centreHz?: number;
  toleranceHz: number;
}

function mark(spectrum: AmplitudeSpectrum, kind: 'acceleration' | 'envelope', floorAt: (hz: number) => number, r: MarkRequest): MarkedFrequency | undefined {
  const centre = r.centreHz ?? r.expectedHz;
  if (centre + r.toleranceHz >= spectrum.sampleRate / 2) return undefined;
  const peak = findPeak(spectrum, centre, r.toleranceHz);
  if (peak === undefined) return undefined;
  const floor = floorAt(centre);
  const tol = Math.max(r.toleranceHz, spectrum.resolutionHz);
  // The margin compares the raw bin with the (raw) median: the scalloping correction would lift noise
  // peaks too, by up to 1.42 dB, and inflate the false-call rate.
  const margin = marginDb(peak.binAmplitude, floor);
  return { label: r.label, family: r.family, harmonic: r.harmonic, spectrum: kind, expectedHz: r.expectedHz, foundHz: peak.frequencyHz, amplitude: peak.amplitude, floor, marginDb: margin, toleranceHz: tol };
}

/** 1×, 2×, 3× shaft in the acceleration spectrum, ±1 resolution bin, against one floor level. */
export function shaftMarks(spectrum: AmplitudeSpectrum, shaftHz: number, floor: number): MarkedFrequency[] {
  const out: MarkedFrequency[] = [];
  for (const h of [1, 2, 3]) {
    const m = mark(spectrum, 'acceleration', () => floor, { label: `${h}×`, family: 'shaft', harmonic: h, expectedHz: h * shaftHz, toleranceHz: spectrum.resolutionHz });
    if (m !== undefined) out.push(m);
  }
  return out;
}

const FAMILY_LABEL = { bpfo: 'BPFO', bpfi: 'BPFI', bsf: 'BSF', ftf: 'FTF' } as const;

/**
 * A family's key line (the fundamental; for BSF also 2 × BSF, the ball-defect line) is searched within
 * ±max(1 bin, slip · f) (rolling elements slip 1–2 %); once it is found clearly (≥ 6 dB), the other
 * members are searched within ±1 bin of where the key line predicts them, since slip scales them alike —
 * narrow windows keep noise from posing as harmonics.
 */
export function bearingMarks(spectrum: AmplitudeSpectrum, frequencies: BearingFrequencies, slipFraction: number): MarkedFrequency[] {
  const floorAt = (hz: number): number => localFloor(spectrum, hz);
  const out: MarkedFrequency[] = [];
  const families = [
    ['bpfo', frequencies.bpfoHz, [1]],
    ['bpfi', frequencies.bpfiHz, [1]],
    ['bsf', frequencies.bsfHz, [1, 2]],
    ['ftf', frequencies.ftfHz, [1]],
  ] as const;
  for (const [family, f, keyHarmonics] of families) {
    const name = FAMILY_LABEL[family];
    const label = (h: number): string => (h === 1 ? name : `${h}×${name}`);
    const members = new Map<number, MarkedFrequency>();
    for (const h of keyHarmonics) {
      const m = mark(spectrum, 'envelope', floorAt, { label: label(h), family, harmonic: h, expectedHz: h * f, toleranceHz: slipFraction * h * f });
      if (m !== undefined) members.set(h, m);
    }
    const key = [...members.values()].reduce<MarkedFrequency | undefined>((a, m) => (a === undefined || m.marginDb > a.marginDb ? m : a), undefined);
    if (key === undefined) continue;
    const anchored = key.marginDb >= 6;
    const predicted = (h: number): number => (anchored ? (h * key.foundHz) / key.harmonic : h * f);
    for (const h of [1, 2, 3]) {
      if (members.has(h)) continue;
      const m = mark(spectrum, 'envelope', floorAt, {
        label: label(h),
        family,
        harmonic: h,
        expectedHz: h * f,
        centreHz: predicted(h),
        toleranceHz: anchored ? spectrum.resolutionHz : slipFraction * h * f,
      });
      if (m !== undefined) members.set(h, m);
    }
    out.push(...[...members.values()].sort((a, b) => a.harmonic - b.harmonic));
    if (family === 'bpfi') {
      // An inner-race defect turns with the shaft through the load zone: its impacts are modulated at 1×.
      for (const side of [-1, 1]) {
        const m = mark(spectrum, 'envelope', floorAt, {
          label: `BPFI${side < 0 ? '−' : '+'}1×`,
          family: 'bpfi-sideband',
          harmonic: side,
          expectedHz: f + side * frequencies.shaftHz,
          centreHz: predicted(1) + side * frequencies.shaftHz,
          toleranceHz: anchored ? spectrum.resolutionHz : slipFraction * f,
        });
        if (m !== undefined) out.push(m);
      }
    }
  }
  return out;
}
