import { type BearingFrequencies, type BearingGeometry, bearingFrequencies } from './bearing.js';
import { burstSpectrum, selectEnvelopeBand, spectrumOfEnvelope } from './envelope.js';
import { type AccelerationUnit, ISO_VELOCITY_BAND_HZ, type IsoZone, type WaveformStatistics, isoZone, toMetresPerSecondSquared, velocityRmsMmPerS, waveformStatistics } from './features.js';
import { type AmplitudeSpectrum, amplitudeSpectrum } from './fft.js';
import { type Finding, decideFindings } from './findings.js';
import { invalidInput } from './input-error.js';
import { type MarkedFrequency, bandMedian, bearingMarks, shaftMarks } from './marks.js';

/** An accelerometer burst. */
export interface VibrationBurst {
  samples: Float64Array;
  /** Samples per second, Hz. */
  sampleRate: number;
  unit: AccelerationUnit;
}

/** What the diagnosis needs to know about the machine. */
export interface MachineInfo {
  /** Shaft speed, Hz (rpm / 60). */
  shaftHz: number;
  /** The bearing next to the sensor; without it no bearing defect is looked for. */
  bearing?: BearingGeometry;
  /** ISO 10816-3 zone boundaries A/B, B/C, C/D in mm/s RMS (default group 2, rigid: 1.4, 2.8, 4.5). */
  isoZoneBoundariesMmPerS?: readonly [number, number, number];
  /** Tolerance for rolling-element slip when searching bearing lines, as a fraction (default 0.01). */
  bearingSlipFraction?: number;
}

/** A spectrum reduced for display: plain arrays (JSON-friendly), each point the maximum of its bucket. */
export interface DisplaySpectrum {
  frequencyHz: number[];
  amplitude: number[];
  /** Bin width of the underlying spectrum, Hz. */
  binWidthHz: number;
  /** How many bins the display points summarise. */
  sourceBins: number;
}

/** The result of {@link diagnose}. */
export interface DiagnosisReport {
  unit: AccelerationUnit;
  sampleRate: number;
  sampleCount: number;
  durationS: number;
  /** Frequency resolution: sampleRate / sampleCount, Hz. */
  resolutionHz: number;
  shaftHz: number;
  features: WaveformStatistics & { velocityRmsMmPerS: number; isoZone: IsoZone };
  /** Median acceleration amplitude over 10–1000 Hz: the reference of the shaft-line margins. */
  spectrumFloor: number;
  spectrum: DisplaySpectrum;
  envelope: { bandHz: readonly [number, number]; spectralKurtosis: number; spectrum: DisplaySpectrum };
  bearing?: { geometry: BearingGeometry; frequencies: BearingFrequencies };
  marks: MarkedFrequency[];
  findings: Finding[];
}

/** At most this many points per displayed spectrum. */
export const DISPLAY_POINTS = 2048;
/** A burst must span this many shaft revolutions (and 4 cage revolutions), so 1× and FTF are resolved. */
export const MIN_REVOLUTIONS = 10;
/** Bursts longer than this are refused (2^22 samples, 32 MiB of Float64). */
export const MAX_SAMPLES = 2 ** 22;

/**
 * Max-per-bucket decimation up to maxHz: a peak is never averaged away.
 * @example decimateForDisplay(spectrum, 2048, 5000)
 */
export function decimateForDisplay(spectrum: AmplitudeSpectrum, maxPoints = DISPLAY_POINTS, maxHz = spectrum.sampleRate / 2): DisplaySpectrum {
  const bins = Math.min(spectrum.amplitude.length, Math.floor(maxHz / spectrum.binWidthHz) + 1);
  const per = Math.max(1, Math.ceil(bins / maxPoints));
  const frequencyHz: number[] = [];
  const amplitude: number[] = [];
  for (let start = 0; start < bins; start += per) {
    let best = start;
    for (let k = start + 1; k < Math.min(bins, start + per); k++) if (spectrum.amplitude[k]! > spectrum.amplitude[best]!) best = k;
    frequencyHz.push(spectrum.frequencyHz[best]!);
    amplitude.push(spectrum.amplitude[best]!);
  }
  return { frequencyHz, amplitude, binWidthHz: spectrum.binWidthHz, sourceBins: bins };
}

function validate(burst: VibrationBurst, machine: MachineInfo): BearingFrequencies | undefined {
  const { samples, sampleRate, unit } = burst;
  if (!(samples instanceof Float64Array) || samples.length === 0) throw invalidInput('The burst holds no samples; send a Float64Array of accelerations.');
  if (samples.length > MAX_SAMPLES) throw invalidInput(`The burst holds ${samples.length} samples; at most ${MAX_SAMPLES} are diagnosed at once.`);
  const bad = samples.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw invalidInput(`Sample ${bad} is ${samples[bad]}; every sample must be a finite number.`, { index: bad });
  if (!(Number.isFinite(sampleRate) && sampleRate > 0)) throw invalidInput(`sampleRate must be a positive number of Hz, got ${sampleRate}.`);
  if (unit !== 'g' && unit !== 'm/s2') throw invalidInput(`unit must be 'g' or 'm/s2', got ${String(unit)}.`);
  const { shaftHz } = machine;
  if (!(Number.isFinite(shaftHz) && shaftHz > 0)) throw invalidInput(`shaftHz must be a positive number of Hz (rpm / 60), got ${shaftHz}.`);
  if (shaftHz >= sampleRate / 2) throw invalidInput(`Shaft speed ${shaftHz} Hz is at or above the Nyquist frequency ${sampleRate / 2} Hz; sample faster than ${2 * shaftHz} Hz.`);
  const frequencies = machine.bearing === undefined ? undefined : bearingFrequencies(machine.bearing, { shaftHz });
  const slowestHz = frequencies === undefined ? shaftHz / MIN_REVOLUTIONS : Math.min(shaftHz / MIN_REVOLUTIONS, frequencies.ftfHz / 4);
  const needed = Math.ceil(sampleRate / slowestHz);
  if (samples.length < needed) {
    throw invalidInput(
      `The burst lasts ${(samples.length / sampleRate).toFixed(3)} s (bins ${(sampleRate / samples.length).toFixed(2)} Hz wide); resolving ${shaftHz} Hz shaft lines needs ${(needed / sampleRate).toFixed(3)} s: send at least ${needed} samples at ${sampleRate} Hz.`,
      { samples: samples.length, needed },
    );
  }
  return frequencies;
}

// Highest envelope frequency of interest: 3rd harmonics of the defect lines plus a 1× sideband, 10 % spare.
const maxEnvelopeHzOf = (shaftHz: number, f: BearingFrequencies | undefined): number =>
  f === undefined ? 10 * shaftHz : 1.1 * (3 * Math.max(f.bpfiHz, f.bpfoHz, 2 * f.bsfHz) + shaftHz);

/**
 * Diagnoses an accelerometer burst: statistics, velocity RMS and ISO zone, spectrum, envelope spectrum,
 * shaft and bearing marks, and findings (imbalance, misalignment, bearing defects, or normal).
 * @example diagnose({ samples, sampleRate: 25_600, unit: 'g' }, { shaftHz: 29.95, bearing: BEARINGS['6205-2RS'] })
 */
export function diagnose(burst: VibrationBurst, machine: MachineInfo): DiagnosisReport {
  const frequencies = validate(burst, machine);
  const { samples, sampleRate, unit } = burst;
  const { shaftHz } = machine;
  const spectrum = amplitudeSpectrum(samples, sampleRate);
  const velocity = velocityRmsMmPerS(samples, { sampleRate, unit, spectrum });
  const zone = isoZone(velocity, machine.isoZoneBoundariesMmPerS);
  const spectrumFloor = bandMedian(spectrum, ISO_VELOCITY_BAND_HZ[0], ISO_VELOCITY_BAND_HZ[1]);

  const maxEnvelopeHz = maxEnvelopeHzOf(shaftHz, frequencies);
  const highHz = 0.45 * sampleRate; // below a typical anti-alias filter's roll-off
  const lowHz = Math.min(Math.max(500, 20 * shaftHz, maxEnvelopeHz), highHz / 2);
  if (frequencies !== undefined && highHz - lowHz < 2 * maxEnvelopeHz) {
    throw invalidInput(
      `Sample rate ${sampleRate} Hz leaves no band wide enough to demodulate bearing lines up to ${maxEnvelopeHz.toFixed(0)} Hz; sample at ${Math.ceil((3 * maxEnvelopeHz) / 0.45)} Hz or more.`,
    );
  }
  const envelope = selectEnvelopeBand(burstSpectrum(samples, sampleRate), { lowHz, highHz, minBandwidthHz: 2 * maxEnvelopeHz });
  const envSpectrum = spectrumOfEnvelope(envelope);

  const marks = [...shaftMarks(spectrum, shaftHz, spectrumFloor), ...(frequencies === undefined ? [] : bearingMarks(envSpectrum, frequencies, machine.bearingSlipFraction ?? 0.01))];
  const unitToMmPerS = toMetresPerSecondSquared(unit) * 1000;
  const findings = decideFindings({ marks, shaftHz, velocityRmsMmPerS: velocity, isoZone: zone }, unitToMmPerS);
  return {
    unit,
    sampleRate,
    sampleCount: samples.length,
    durationS: samples.length / sampleRate,
    resolutionHz: sampleRate / samples.length,
    shaftHz,
    features: { ...waveformStatistics(samples), velocityRmsMmPerS: velocity, isoZone: zone },
    spectrumFloor,
    spectrum: decimateForDisplay(spectrum),
    envelope: { bandHz: envelope.bandHz, spectralKurtosis: envelope.spectralKurtosis, spectrum: decimateForDisplay(envSpectrum, DISPLAY_POINTS, maxEnvelopeHz) },
    ...(frequencies !== undefined && machine.bearing !== undefined ? { bearing: { geometry: machine.bearing, frequencies } } : {}),
    marks,
    findings,
  };
}
