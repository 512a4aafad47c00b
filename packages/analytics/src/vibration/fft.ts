import { invalidInput } from './input-error.js';

/** True when `n` is 1, 2, 4, 8, … */
export const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;

/** The smallest power of two ≥ `n` (1 for n ≤ 1). */
export const nextPowerOfTwo = (n: number): number => {
  let p = 1;
  while (p < n) p *= 2;
  return p;
};

// Twiddles per size: cos/sin of 2πj/n for j < n/2. Sizes are powers of two, so at most ~30 entries.
const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

const twiddles = (n: number): { cos: Float64Array; sin: Float64Array } => {
  let t = twiddleCache.get(n);
  if (t === undefined) {
    const half = n >> 1;
    t = { cos: new Float64Array(half), sin: new Float64Array(half) };
    for (let j = 0; j < half; j++) {
      t.cos[j] = Math.cos((2 * Math.PI * j) / n);
      t.sin[j] = Math.sin((2 * Math.PI * j) / n);
    }
    twiddleCache.set(n, t);
  }
  return t;
};

const requirePowerOfTwo = (n: number, what: string): void => {
  if (!isPowerOfTwo(n)) {
    throw invalidInput(
      `${what} length ${n} is not a power of two; pass ${nextPowerOfTwo(n)} values (zero-pad) or use amplitudeSpectrum(), which pads for you.`,
      { length: n },
    );
  }
};

/**
 * In-place iterative radix-2 complex FFT. `inverse` uses e^{+iωt} and does NOT divide by n.
 * @example fftInPlace(re, im) // re, im: Float64Array of length 1024
 */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  requirePowerOfTwo(n, 'FFT');
  if (im.length !== n) throw invalidInput(`FFT real and imaginary parts differ in length (${n} and ${im.length}).`);
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  const { cos, sin } = twiddles(n);
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        const a = start + k;
        const b = a + half;
        const br = re[b]!;
        const bi = im[b]!;
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/** The non-negative-frequency half of a real signal's DFT: bins 0 … n/2 (n/2 + 1 values). */
export interface HalfSpectrum {
  re: Float64Array;
  im: Float64Array;
  /** The FFT length n. */
  fftLength: number;
}

/**
 * FFT of a real signal whose length is a power of two (≥ 2), by the half-length complex FFT packing
 * trick (even samples as real part, odd as imaginary), so it costs about half a complex FFT.
 * @example const { re, im } = realFft(new Float64Array(4096))
 */
export function realFft(x: Float64Array): HalfSpectrum {
  const n = x.length;
  requirePowerOfTwo(n, 'Real FFT');
  if (n < 2) throw invalidInput('Real FFT needs at least 2 samples.', { length: n });
  const m = n >> 1;
  const zr = new Float64Array(m);
  const zi = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    zr[i] = x[2 * i]!;
    zi[i] = x[2 * i + 1]!;
  }
  fftInPlace(zr, zi);
  const re = new Float64Array(m + 1);
  const im = new Float64Array(m + 1);
  const { cos, sin } = twiddles(n);
  for (let k = 0; k <= m; k++) {
    const a = zr[k % m]!;
    const b = zi[k % m]!;
    const c = zr[(m - k) % m]!;
    const d = zi[(m - k) % m]!;
    // Even part (Z[k] + conj Z[m−k]) / 2 and odd part (Z[k] − conj Z[m−k]) / 2i.
    const er = (a + c) / 2;
    const ei = (b - d) / 2;
    const or = (b + d) / 2;
    const oi = -(a - c) / 2;
    // Twiddle e^{−2πik/n}; for k = m it is −1 (cos index wraps).
    const wr = k < m ? cos[k]! : -1;
    const wi = k < m ? -sin[k]! : 0;
    re[k] = er + (or * wr - oi * wi);
    im[k] = ei + (or * wi + oi * wr);
  }
  return { re, im, fftLength: n };
}

/** A symmetric-periodic Hann window of length n (the DFT-even form used for spectral analysis). */
export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** A one-sided amplitude spectrum with its frequency axis. */
export interface AmplitudeSpectrum {
  /** Frequency of each bin in Hz: k · binWidthHz. */
  frequencyHz: Float64Array;
  /** Peak amplitude of a sinusoid at each bin, in the signal's unit (Hann amplitude-corrected). */
  amplitude: Float64Array;
  /** Bin spacing: sampleRate / fftLength. */
  binWidthHz: number;
  /** True resolution: sampleRate / sampleCount (equals binWidthHz unless zero-padded). */
  resolutionHz: number;
  sampleRate: number;
  sampleCount: number;
  fftLength: number;
  /** The raw FFT of the windowed, padded signal (for power sums such as velocity RMS). */
  half: HalfSpectrum;
  /** Σ w² over the real samples: the window's power normalisation. */
  windowPowerSum: number;
}

/** Options of {@link amplitudeSpectrum}. */
export interface AmplitudeSpectrumOptions {
  /** 'zero-pad' (default) pads to the next power of two; 'refuse' throws on other lengths. */
  padding?: 'zero-pad' | 'refuse';
  /** Subtract the mean first (default true): the DC bin then holds no leakage into 1×. */
  removeMean?: boolean;
}

/**
 * One-sided amplitude spectrum with a Hann window, amplitude-corrected (divided by Σw/2), so a
 * bin-centred sine of amplitude A reads A; bin width = sampleRate / fftLength.
 * @example const s = amplitudeSpectrum(samples, 25_600); s.amplitude[k] // at s.frequencyHz[k]
 */
export function amplitudeSpectrum(samples: Float64Array, sampleRate: number, options: AmplitudeSpectrumOptions = {}): AmplitudeSpectrum {
  const count = samples.length;
  if (count < 2) throw invalidInput(`A spectrum needs at least 2 samples, got ${count}.`, { length: count });
  if (options.padding === 'refuse') requirePowerOfTwo(count, 'Spectrum');
  const n = nextPowerOfTwo(count);
  let mean = 0;
  if (options.removeMean !== false) {
    for (let i = 0; i < count; i++) mean += samples[i]!;
    mean /= count;
  }
  const w = hannWindow(count);
  const x = new Float64Array(n);
  let windowSum = 0;
  let windowPowerSum = 0;
  for (let i = 0; i < count; i++) {
    const wi = w[i]!;
    x[i] = (samples[i]! - mean) * wi;
    windowSum += wi;
    windowPowerSum += wi * wi;
  }
  const half = realFft(x);
  const bins = (n >> 1) + 1;
  const amplitude = new Float64Array(bins);
  const frequencyHz = new Float64Array(bins);
  const binWidthHz = sampleRate / n;
  for (let k = 0; k < bins; k++) {
    const mag = Math.hypot(half.re[k]!, half.im[k]!);
    amplitude[k] = ((k === 0 || k === bins - 1 ? 1 : 2) * mag) / windowSum;
    frequencyHz[k] = k * binWidthHz;
  }
  return { frequencyHz, amplitude, binWidthHz, resolutionHz: sampleRate / count, sampleRate, sampleCount: count, fftLength: n, half, windowPowerSum };
}

// Hann window's amplitude response at x resolution bins off-centre (1 at 0, 0.5 at ±1, 0 at ±2…).
const hannResponse = (x: number): number => {
  const ax = Math.abs(x);
  if (ax < 1e-9) return 1;
  if (Math.abs(ax - 1) < 1e-9) return 0.5;
  return Math.abs(Math.sin(Math.PI * ax) / (Math.PI * ax * (1 - ax * ax)));
};

/** A spectral line: where it was found and its amplitude. */
export interface SpectralPeak {
  bin: number;
  /** Interpolated frequency (Hann-window model), in Hz. */
  frequencyHz: number;
  /** Interpolated amplitude: the peak bin corrected for the Hann scalloping loss (≤ 1.42 dB). */
  amplitude: number;
  /** The raw amplitude of the peak bin. */
  binAmplitude: number;
}

/**
 * Refines a local maximum of a Hann spectrum: from the ratio of the larger neighbour to the peak bin it
 * solves for the true offset under the Hann window's response (exact for one tone, any zero-padding)
 * and corrects the amplitude for the scalloping loss.
 */
export function interpolatePeak(spectrum: AmplitudeSpectrum, bin: number): SpectralPeak {
  const a = spectrum.amplitude;
  const peak = a[bin] ?? 0;
  const raw: SpectralPeak = { bin, frequencyHz: bin * spectrum.binWidthHz, amplitude: peak, binAmplitude: peak };
  const left = a[bin - 1];
  const right = a[bin + 1];
  if (left === undefined || right === undefined || peak <= 0 || left > peak || right > peak) return raw;
  const toRight = right >= left;
  const alpha = (toRight ? right : left) / peak;
  // s: one FFT bin in resolution bins (1 without padding). Offset δ ∈ [0, s/2] toward the larger neighbour
  // satisfies hann(s − δ) / hann(δ) = α, which rises monotonically in δ: bisect.
  const s = spectrum.sampleCount / spectrum.fftLength;
  let lo = 0;
  let hi = s / 2;
  for (let i = 0; i < 48; i++) {
    const mid = (lo + hi) / 2;
    if (hannResponse(s - mid) / hannResponse(mid) < alpha) lo = mid;
    else hi = mid;
  }
  const delta = (lo + hi) / 2;
  const offsetHz = delta * spectrum.resolutionHz * (toRight ? 1 : -1);
  return { bin, frequencyHz: bin * spectrum.binWidthHz + offsetHz, amplitude: peak / hannResponse(delta), binAmplitude: peak };
}

/**
 * The largest line within ±toleranceHz of frequencyHz (at least ±1 resolution bin), interpolated.
 * Returns undefined when the window lies outside the spectrum.
 */
export function findPeak(spectrum: AmplitudeSpectrum, frequencyHz: number, toleranceHz = 0): SpectralPeak | undefined {
  const tol = Math.max(toleranceHz, spectrum.resolutionHz);
  const last = spectrum.amplitude.length - 1;
  const from = Math.max(1, Math.floor((frequencyHz - tol) / spectrum.binWidthHz));
  const to = Math.min(last, Math.ceil((frequencyHz + tol) / spectrum.binWidthHz));
  if (from > to) return undefined;
  let best = from;
  for (let k = from + 1; k <= to; k++) if (spectrum.amplitude[k]! > spectrum.amplitude[best]!) best = k;
  return interpolatePeak(spectrum, best);
}
