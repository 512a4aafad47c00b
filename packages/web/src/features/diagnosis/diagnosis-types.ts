/** What `GET /api/v1/devices/{id}/vibration/diagnosis` answers, as far as the console reads it. */

/** A stored burst without its samples. */
export interface BurstInfo {
  id: string;
  device: string;
  point: string;
  ts: string;
  sampleRate: number;
  shaftRpm: number;
  unit: 'g' | 'm/s2';
  sampleCount: number;
  source: 'sim' | 'api';
}

/** A spectrum reduced for display: each point the maximum of its bucket. */
export interface DisplaySpectrum {
  frequencyHz: number[];
  amplitude: number[];
  binWidthHz: number;
  sourceBins: number;
}

/** Which family a marked frequency belongs to. */
export type MarkFamily = 'shaft' | 'bpfo' | 'bpfi' | 'bsf' | 'ftf' | 'bpfi-sideband';

/** A marked frequency and what was found there (null margin: nothing at all). */
export interface MarkedFrequency {
  label: string;
  family: MarkFamily;
  harmonic: number;
  spectrum: 'acceleration' | 'envelope';
  expectedHz: number;
  foundHz: number;
  amplitude: number | null;
  floor: number | null;
  marginDb: number | null;
  toleranceHz: number;
}

/** What a finding says. */
export type FindingKind = 'imbalance' | 'misalignment' | 'bearing-outer-race' | 'bearing-inner-race' | 'bearing-ball' | 'bearing-cage' | 'normal';

/** One conclusion with the numbers it was decided on. */
export interface Finding {
  kind: FindingKind;
  severity: 'info' | 'warning' | 'minor' | 'major' | 'critical';
  summary: string;
  evidence: Record<string, number | string | boolean | null>;
}

/** The bearing's defect frequencies at the burst's shaft speed, Hz. */
export interface BearingFrequencies {
  shaftHz: number;
  bpfoHz: number;
  bpfiHz: number;
  bsfHz: number;
  ftfHz: number;
}

/** The diagnosis report. */
export interface DiagnosisReport {
  unit: 'g' | 'm/s2';
  sampleRate: number;
  sampleCount: number;
  durationS: number;
  resolutionHz: number;
  shaftHz: number;
  features: {
    rms: number | null;
    peak: number | null;
    crestFactor: number | null;
    kurtosis: number | null;
    velocityRmsMmPerS: number | null;
    isoZone: 'A' | 'B' | 'C' | 'D';
  };
  isoZonesMmPerS: [number, number, number];
  spectrum: DisplaySpectrum;
  envelope: { bandHz: [number, number]; spectralKurtosis: number | null; spectrum: DisplaySpectrum };
  bearing: { geometry: { name?: string; rollingElements: number; ballDiameterMm: number; pitchDiameterMm: number; contactAngleDeg: number }; frequencies: BearingFrequencies } | null;
  marks: MarkedFrequency[];
  findings: Finding[];
}

/** The whole answer: the burst and its report. */
export interface Diagnosis {
  burst: BurstInfo;
  report: DiagnosisReport;
}
