import type { MessageKey, MessageVars } from '../../i18n';
import type { ChartMark } from './spectrum-chart';
import type { DiagnosisReport, Finding, FindingKind, MarkedFrequency } from './diagnosis-types';

/** Title of each finding kind. */
export const findingTitle: Record<FindingKind, MessageKey> = {
  imbalance: 'diagnosis.kind.imbalance',
  misalignment: 'diagnosis.kind.misalignment',
  'bearing-outer-race': 'diagnosis.kind.bearing-outer-race',
  'bearing-inner-race': 'diagnosis.kind.bearing-inner-race',
  'bearing-ball': 'diagnosis.kind.bearing-ball',
  'bearing-cage': 'diagnosis.kind.bearing-cage',
  normal: 'diagnosis.kind.normal',
};

/** Badge class and label of each finding severity. */
export const severityLook: Record<Finding['severity'], { className: string; label: MessageKey }> = {
  info: { className: 'badge badge-on', label: 'diagnosis.severity.info' },
  warning: { className: 'badge badge-warn', label: 'diagnosis.severity.warning' },
  minor: { className: 'badge badge-warn', label: 'diagnosis.severity.minor' },
  major: { className: 'badge badge-alert', label: 'diagnosis.severity.major' },
  critical: { className: 'badge badge-alert', label: 'diagnosis.severity.critical' },
};

/** A figure with `digits` decimals, or — for a missing one. */
export const fixed = (value: number | null | undefined, digits: number): string => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—');

const num = (e: Finding['evidence'], key: string): number | null => (typeof e[key] === 'number' ? (e[key] as number) : null);

/**
 * The evidence of a finding as a localised sentence (the server's `summary` is English): the message key
 * and its values.
 */
export function evidenceOf(f: Finding): { key: MessageKey; vars: MessageVars } {
  const e = f.evidence;
  const zone = String(e.isoZone ?? '—');
  const velocity = fixed(num(e, 'velocityRmsMmPerS'), 2);
  switch (f.kind) {
    case 'imbalance':
      return { key: 'diagnosis.evidence.imbalance', vars: { share: fixed((num(e, 'velocityShare1x') ?? 0) * 100, 0), velocity, zone } };
    case 'misalignment':
      return { key: 'diagnosis.evidence.misalignment', vars: { r2: fixed(num(e, 'velocityRatio2xTo1x'), 2), r3: fixed(num(e, 'velocityRatio3xTo1x'), 2), zone } };
    case 'normal':
      return { key: 'diagnosis.evidence.normal', vars: { velocity, zone } };
    default: {
      const others = [e.harmonicsAboveThreshold, e.sidebandsAboveThreshold].filter((s) => typeof s === 'string' && s.length > 0).join(', ');
      return {
        key: others ? 'diagnosis.evidence.bearingWith' : 'diagnosis.evidence.bearing',
        vars: { found: fixed(num(e, 'foundHz'), 2), expected: fixed(num(e, 'expectedHz'), 2), margin: fixed(num(e, 'marginDb'), 1), others },
      };
    }
  }
}

/** A harmonic or sideband is drawn when its line stands this far above the floor (the diagnosis' harmonic threshold). */
export const standingOutDb = 8;

/**
 * The marks of one spectrum for the chart. Shaft marks (1×, 2×, 3×) and the bearing fundamentals (BPFO,
 * BPFI, BSF, FTF) always, at their kinematic frequency; harmonics and sidebands only where a line stands
 * out, at the line — four families of three lines each would hide the spectrum behind their labels.
 */
export function chartMarks(report: DiagnosisReport, spectrum: MarkedFrequency['spectrum']): ChartMark[] {
  return report.marks
    .filter((m) => m.spectrum === spectrum)
    .filter((m) => m.family === 'shaft' || (m.harmonic === 1 && m.family !== 'bpfi-sideband') || (m.marginDb ?? -Infinity) >= standingOutDb)
    .map((m) => {
      const fundamental = m.family === 'shaft' || (m.harmonic === 1 && m.family !== 'bpfi-sideband');
      return { label: m.label, family: m.family, hz: fundamental && (m.marginDb ?? -Infinity) < standingOutDb ? m.expectedHz : m.foundHz };
    });
}

/** Highest frequency worth showing first in the acceleration spectrum: 12 × shaft, at least 500 Hz. */
export const accelerationViewHz = (report: DiagnosisReport): number => Math.max(500, 12 * report.shaftHz);
