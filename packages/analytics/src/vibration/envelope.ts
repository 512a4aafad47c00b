import { type AmplitudeSpectrum, type HalfSpectrum, amplitudeSpectrum, fftInPlace, nextPowerOfTwo, realFft } from './fft.js';
import { invalidInput } from './input-error.js';

/** The envelope of a band of a signal: |analytic signal|, at a reduced sample rate. */
export interface Envelope {
  /** Envelope samples (magnitude of the band-passed analytic signal, DC included). */
  samples: Float64Array;
  sampleRate: number;
  bandHz: readonly [number, number];
  /** Spectral kurtosis of the band, E|z|⁴ / (E|z|²)² − 2: 0 for Gaussian noise, large for impacts. */
  spectralKurtosis: number;
}

/** The unwindowed, mean-removed, zero-padded FFT of a burst: the input of envelope analysis. */
export interface BurstSpectrum {
  half: HalfSpectrum;
  sampleRate: number;
  sampleCount: number;
}

/** FFT of a burst (mean removed, zero-padded to a power of two, no window) for envelope analysis. */
export function burstSpectrum(samples: Float64Array, sampleRate: number): BurstSpectrum {
  const n = nextPowerOfTwo(samples.length);
  let mean = 0;
  for (const x of samples) mean += x;
  mean /= samples.length;
  const x = new Float64Array(n);
  for (let i = 0; i < samples.length; i++) x[i] = samples[i]! - mean;
  return { half: realFft(x), sampleRate, sampleCount: samples.length };
}

/**
 * Band-pass in the frequency domain and Hilbert transform in one step: keep the positive-frequency bins
 * of the band, doubled (the analytic signal has no negative frequencies), shift them to baseband (the
 * magnitude does not change) and inverse-FFT at the smallest size that holds twice the band, so the
 * envelope comes out decimated, without aliasing, and cheaply. `oversample` false halves that size: the
 * samples of z are still exact (enough for the kurtosis), only the spectrum of |z| would alias.
 */
export function bandEnvelope(spectrum: BurstSpectrum, bandHz: readonly [number, number], oversample = true): Envelope {
  const { half, sampleRate, sampleCount } = spectrum;
  const n = half.fftLength;
  const binWidth = sampleRate / n;
  const kLo = Math.max(1, Math.ceil(bandHz[0] / binWidth - 1e-9));
  const kHi = Math.min(half.re.length - 1, Math.floor(bandHz[1] / binWidth + 1e-9));
  if (kHi - kLo < 2) throw invalidInput(`The envelope band ${bandHz[0]}–${bandHz[1]} Hz holds fewer than 3 bins at ${binWidth.toFixed(3)} Hz per bin.`);
  const m = Math.min(n, (oversample ? 2 : 1) * nextPowerOfTwo(kHi - kLo + 1));
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let k = kLo; k <= kHi; k++) {
    re[k - kLo] = half.re[k]!;
    im[k - kLo] = half.im[k]!;
  }
  fftInPlace(re, im, true);
  const decimation = n / m;
  const length = Math.max(2, Math.min(m, Math.ceil(sampleCount / decimation)));
  const samples = new Float64Array(length);
  let p2 = 0;
  let p4 = 0;
  for (let i = 0; i < length; i++) {
    const power = (re[i]! * re[i]! + im[i]! * im[i]!) * (4 / (n * n));
    samples[i] = Math.sqrt(power);
    p2 += power;
    p4 += power * power;
  }
  p2 /= length;
  p4 /= length;
  return { samples, sampleRate: sampleRate / decimation, bandHz: [kLo * binWidth, kHi * binWidth], spectralKurtosis: p2 > 0 ? p4 / (p2 * p2) - 2 : 0 };
}

/** Options of {@link selectEnvelopeBand}. */
export interface BandSelectionOptions {
  /** Lowest frequency a band may start at (keep shaft harmonics out), Hz. */
  lowHz: number;
  /** Highest frequency a band may reach (below the anti-alias filter), Hz. */
  highHz: number;
  /** Narrowest band: at least twice the highest envelope frequency of interest, Hz. */
  minBandwidthHz: number;
  /** Halvings of the full range to try (default 3: widths range, range/2, range/4, range/8). */
  levels?: number;
}

/**
 * Picks the band to demodulate by a coarse kurtogram (after Antoni 2006): bands of width range / 2^j,
 * stepped by half a width, and the one whose envelope has the highest spectral kurtosis wins — impacts
 * ring a structural resonance, which is the most impulsive band.
 */
export function selectEnvelopeBand(spectrum: BurstSpectrum, options: BandSelectionOptions): Envelope {
  const range = options.highHz - options.lowHz;
  if (!(range > 0)) throw invalidInput(`No band is left for envelope analysis between ${options.lowHz} and ${options.highHz} Hz; sample faster.`);
  let best: Envelope | undefined;
  for (let level = 0; level <= (options.levels ?? 3); level++) {
    const width = range / 2 ** level;
    if (level > 0 && width < options.minBandwidthHz) break;
    for (let start = options.lowHz; start + width <= options.highHz + 1e-9; start += width / 2) {
      const env = bandEnvelope(spectrum, [start, start + width], false);
      if (best === undefined || env.spectralKurtosis > best.spectralKurtosis) best = env;
    }
  }
  return bandEnvelope(spectrum, best!.bandHz);
}

/** Envelope spectrum: a Hann amplitude spectrum of the envelope with its DC removed. */
export function spectrumOfEnvelope(envelope: Envelope): AmplitudeSpectrum {
  return amplitudeSpectrum(envelope.samples, envelope.sampleRate, { removeMean: true });
}

/**
 * Envelope spectrum of a burst in a given band (or the most impulsive band when none is given).
 * @example envelopeSpectrum(samples, 25_600, { bandHz: [2000, 4000] }).spectrum // peaks at BPFO for an outer-race fault
 */
export function envelopeSpectrum(
  samples: Float64Array,
  sampleRate: number,
  options: { bandHz?: readonly [number, number]; selection?: BandSelectionOptions } = {},
): { envelope: Envelope; spectrum: AmplitudeSpectrum } {
  const burst = burstSpectrum(samples, sampleRate);
  const envelope =
    options.bandHz !== undefined
      ? bandEnvelope(burst, options.bandHz)
      : selectEnvelopeBand(burst, options.selection ?? { lowHz: sampleRate * 0.05, highHz: sampleRate * 0.45, minBandwidthHz: sampleRate * 0.05 });
  return { envelope, spectrum: spectrumOfEnvelope(envelope) };
}
