import { describe, expect, it } from 'vitest';
import { chartMarks, evidenceOf, fixed } from './diagnosis-format';
import type { DiagnosisReport, MarkedFrequency } from './diagnosis-types';

const mark = (label: string, family: MarkedFrequency['family'], harmonic: number, marginDb: number | null, spectrum: MarkedFrequency['spectrum'] = 'envelope'): MarkedFrequency => ({
  label,
  family,
  harmonic,
  spectrum,
  expectedHz: 100 * harmonic,
  foundHz: 100 * harmonic + 0.5,
  amplitude: 0.01,
  floor: 0.001,
  marginDb,
  toleranceHz: 1,
});

describe('diagnosis format', () => {
  it('marks fundamentals always and harmonics or sidebands only where a line stands out', () => {
    const report = {
      marks: [
        mark('1×', 'shaft', 1, 3, 'acceleration'),
        mark('BPFO', 'bpfo', 1, 30),
        mark('2×BPFO', 'bpfo', 2, 20),
        mark('BPFI', 'bpfi', 1, 2),
        mark('2×BPFI', 'bpfi', 2, 4),
        mark('BPFI−1×', 'bpfi-sideband', -1, null),
      ],
    } as unknown as DiagnosisReport;
    expect(chartMarks(report, 'envelope')).toEqual([
      { label: 'BPFO', family: 'bpfo', hz: 100.5 },
      { label: '2×BPFO', family: 'bpfo', hz: 200.5 },
      { label: 'BPFI', family: 'bpfi', hz: 100 },
    ]);
    expect(chartMarks(report, 'acceleration')).toEqual([{ label: '1×', family: 'shaft', hz: 100 }]);
  });

  it('turns a bearing finding’s evidence into the localised sentence’s values', () => {
    const e = evidenceOf({ kind: 'bearing-outer-race', severity: 'major', summary: '', evidence: { foundHz: 352.838, expectedHz: 352.83, marginDb: 39.2, harmonicsAboveThreshold: '2×BPFO, 3×BPFO', sidebandsAboveThreshold: '' } });
    expect(e).toEqual({ key: 'diagnosis.evidence.bearingWith', vars: { found: '352.84', expected: '352.83', margin: '39.2', others: '2×BPFO, 3×BPFO' } });
    expect(evidenceOf({ kind: 'normal', severity: 'info', summary: '', evidence: { velocityRmsMmPerS: 0.3, isoZone: 'A' } })).toEqual({ key: 'diagnosis.evidence.normal', vars: { velocity: '0.30', zone: 'A' } });
    expect(fixed(null, 2)).toBe('—');
  });
});
