import { type AmplitudeSpectrum, amplitudeSpectrum } from './fft.js';

/** Acceleration units a burst can arrive in. */
export type AccelerationUnit = 'g' | 'm/s2';

/** Standard gravity (CGPM 1901), m/s² per g. */
export const STANDARD_GRAVITY_M_PER_S2 = 9.80665;

/** Time-domain statistics of a waveform, in the waveform's own unit. All are taken about the mean. */
export interface WaveformStatistics {
  mean: number;
  /** Root mean square about the mean (AC RMS: accelerometers are AC-coupled). */
  rms: number;
  /** Largest |x − mean|. */
  peak: number;
  /** max − min. */
  peakToPeak: number;
  /** peak / rms: √2 ≈ 1.414 for a sine, ≈ 3–4 for Gaussian noise, higher for impacts. */
  crestFactor: number;
  /** Pearson (non-excess) kurtosis m4 / m2²: 3 for Gaussian, 1.5 for a sine, as ISO/CM practice reads it. */
  kurtosis: number;
  /** m3 / m2^1.5: 0 for symmetric signals. */
  skewness: number;
}

/**
 * RMS, peak, peak-to-peak, crest factor, kurtosis (non-excess: 3 for Gaussian) and skewness.
 * @example waveformStatistics(samples).kurtosis // ≈ 3 for a healthy machine's broadband noise
 */
export function waveformStatistics(samples: Float64Array): WaveformStatistics {
  const n = samples.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = samples[i]!;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = n > 0 ? sum / n : 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = samples[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= Math.max(n, 1);
  m3 /= Math.max(n, 1);
  m4 /= Math.max(n, 1);
  const rms = Math.sqrt(m2);
  const peak = n > 0 ? Math.max(max - mean, mean - min) : 0;
  return {
    mean,
    rms,
    peak,
    peakToPeak: n > 0 ? max - min : 0,
    crestFactor: rms > 0 ? peak / rms : 0,
    kurtosis: m2 > 0 ? m4 / (m2 * m2) : 0,
    skewness: m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0,
  };
}

/** Factor from `unit` to m/s². */
export const toMetresPerSecondSquared = (unit: AccelerationUnit): number => (unit === 'g' ? STANDARD_GRAVITY_M_PER_S2 : 1);

/** Options of {@link velocityRmsMmPerS}. */
export interface VelocityRmsOptions {
  sampleRate: number;
  unit: AccelerationUnit;
  /** Integration band in Hz; default [10, 1000] as ISO 10816-3 / 20816-1 measure broadband velocity. */
  bandHz?: readonly [number, number];
  /** A Hann spectrum of the same samples, when the caller has one already (saves an FFT). */
  spectrum?: AmplitudeSpectrum;
}

/** The default velocity band of ISO 10816-3 (machines above 600 rpm). */
export const ISO_VELOCITY_BAND_HZ = [10, 1000] as const;

/**
 * Velocity RMS in mm/s from an acceleration burst, integrated in the frequency domain: each bin's
 * acceleration divided by 2πf, power summed over the band (Parseval, with the Hann window's power
 * normalisation Σw²), so out-of-band content (DC drift, bearing resonances) does not count.
 * @example velocityRmsMmPerS(samples, { sampleRate: 25_600, unit: 'g' }) // 1 g at 100 Hz → 11.04
 */
export function velocityRmsMmPerS(samples: Float64Array, options: VelocityRmsOptions): number {
  const spectrum = options.spectrum ?? amplitudeSpectrum(samples, options.sampleRate);
  const [lo, hi] = options.bandHz ?? ISO_VELOCITY_BAND_HZ;
  const { re, im, fftLength } = spectrum.half;
  const last = re.length - 1;
  let power = 0;
  for (let k = Math.max(1, Math.ceil(lo / spectrum.binWidthHz)); k <= Math.min(last, Math.floor(hi / spectrum.binWidthHz)); k++) {
    const omega = 2 * Math.PI * k * spectrum.binWidthHz;
    const p = (re[k]! * re[k]! + im[k]! * im[k]!) / (omega * omega);
    power += k === last ? p : 2 * p;
  }
  const meanSquare = power / (fftLength * spectrum.windowPowerSum);
  return Math.sqrt(meanSquare) * toMetresPerSecondSquared(options.unit) * 1000;
}

/** ISO 10816-3 evaluation zone: A new, B unrestricted long-term, C restricted, D damage. */
export type IsoZone = 'A' | 'B' | 'C' | 'D';

/**
 * Zone boundaries A/B, B/C, C/D in mm/s RMS. Default: ISO 10816-3 group 2 (medium machines,
 * 15–300 kW), rigid foundation: 1.4, 2.8, 4.5 mm/s.
 */
export const ISO_10816_3_GROUP2_RIGID_MM_PER_S = [1.4, 2.8, 4.5] as const;

/** The ISO 10816-3 zone of a velocity RMS. */
export function isoZone(velocityRmsMmPerS: number, boundariesMmPerS: readonly [number, number, number] = ISO_10816_3_GROUP2_RIGID_MM_PER_S): IsoZone {
  const [ab, bc, cd] = boundariesMmPerS;
  if (velocityRmsMmPerS < ab) return 'A';
  if (velocityRmsMmPerS < bc) return 'B';
  if (velocityRmsMmPerS < cd) return 'C';
  return 'D';
}
