/** Vibration diagnosis (issue 6, item 7): spectra, envelope analysis, bearing frequencies, findings. */
export { BEARINGS, type BearingFrequencies, type BearingGeometry, bearingFrequencies } from './bearing.js';
export { DISPLAY_POINTS, type DiagnosisReport, type DisplaySpectrum, MAX_SAMPLES, MIN_REVOLUTIONS, type MachineInfo, type VibrationBurst, decimateForDisplay, diagnose } from './diagnose.js';
export { type BandSelectionOptions, type BurstSpectrum, type Envelope, bandEnvelope, burstSpectrum, envelopeSpectrum, selectEnvelopeBand, spectrumOfEnvelope } from './envelope.js';
export {
  type AccelerationUnit,
  ISO_10816_3_GROUP2_RIGID_MM_PER_S,
  ISO_VELOCITY_BAND_HZ,
  type IsoZone,
  STANDARD_GRAVITY_M_PER_S2,
  type VelocityRmsOptions,
  type WaveformStatistics,
  isoZone,
  toMetresPerSecondSquared,
  velocityRmsMmPerS,
  waveformStatistics,
} from './features.js';
export {
  type AmplitudeSpectrum,
  type AmplitudeSpectrumOptions,
  type HalfSpectrum,
  type SpectralPeak,
  amplitudeSpectrum,
  fftInPlace,
  findPeak,
  hannWindow,
  interpolatePeak,
  isPowerOfTwo,
  nextPowerOfTwo,
  realFft,
} from './fft.js';
export { DIAGNOSIS_THRESHOLDS, type Finding, type FindingKind, type FindingSeverity } from './findings.js';
export { type MarkFamily, type MarkedFrequency } from './marks.js';
