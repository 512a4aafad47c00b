import type { IsoZone } from './features.js';
import type { MarkFamily, MarkedFrequency } from './marks.js';

/** What a finding says. */
export type FindingKind = 'imbalance' | 'misalignment' | 'bearing-outer-race' | 'bearing-inner-race' | 'bearing-ball' | 'bearing-cage' | 'normal';

/** Severities as the alarm rules use them, plus 'info' for the normal finding. */
export type FindingSeverity = 'info' | 'warning' | 'minor' | 'major' | 'critical';

/** One conclusion with the numbers it was decided on. */
export interface Finding {
  kind: FindingKind;
  severity: FindingSeverity;
  summary: string;
  evidence: Record<string, number | string | boolean>;
}

/**
 * Decision thresholds, with why:
 * - `lineProminenceDb` 20: a shaft harmonic counts as a line when it stands 20 dB (10×) above the median
 *   of the acceleration spectrum in 10–1000 Hz. Noise bins are Rayleigh-distributed; one exceeds 10× its
 *   median with probability exp(−100 ln 2) ≈ 1e−30, so only real lines pass.
 * - `misalignment2xRatio` 0.5 and `misalignment3xRatio` 0.4: the usual charts call 2× above 50 % of 1×
 *   (in velocity) misalignment, with 3× rising next; below both, 1× dominates.
 * - `imbalance1xShare` 0.5: 1× carries at least half of the 10–1000 Hz velocity power.
 * - Imbalance and misalignment are reported only outside ISO 10816-3 zone A: every machine has some 1×;
 *   it matters when the machine vibrates. Zone B → warning, C → major, D → critical.
 * - `bearingFundamentalDb` 12 and `bearingHarmonicDb` 8: in the envelope spectrum the key line (searched
 *   within ±1 % slip) must stand 12 dB above its local median and a harmonic (or, for the inner race, a
 *   1× sideband; searched ±1 bin where the key line predicts it) 8 dB — for a ball, the FTF line of its
 *   cage modulation counts too. If noise bins were Rayleigh, 12 dB
 *   would be passed with probability exp(−10^1.2 · ln 2) ≈ 2e−5 per bin; measured on 400 synthetic
 *   healthy bursts the largest noise key line was 10.9 dB and 10 dB let 0.75 % through, hence 12. Real
 *   defects in the tests stand 25–32 dB. Severity: ≥ 20 dB with both harmonics → major, ≥ 15 dB →
 *   minor, else warning; critical when the machine is also in zone D.
 */
export const DIAGNOSIS_THRESHOLDS = {
  lineProminenceDb: 20,
  misalignment2xRatio: 0.5,
  misalignment3xRatio: 0.4,
  imbalance1xShare: 0.5,
  bearingFundamentalDb: 12,
  bearingHarmonicDb: 8,
  bearingMinorDb: 15,
  bearingMajorDb: 20,
} as const;

/** The inputs of the rules. */
export interface FindingInputs {
  marks: readonly MarkedFrequency[];
  shaftHz: number;
  velocityRmsMmPerS: number;
  isoZone: IsoZone;
}

const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);
const zoneSeverity = (zone: IsoZone): FindingSeverity => (zone === 'D' ? 'critical' : zone === 'C' ? 'major' : 'warning');

/** Velocity amplitude (unit·s) of an acceleration line: a / 2πf — ratios of shaft lines are taken in velocity. */
const velocityOf = (m: MarkedFrequency | undefined): number => (m === undefined ? 0 : m.amplitude / (2 * Math.PI * m.foundHz));

function shaftFindings(inputs: FindingInputs, unitToMmPerS: number): Finding[] {
  const t = DIAGNOSIS_THRESHOLDS;
  const at = (h: number): MarkedFrequency | undefined => inputs.marks.find((m) => m.family === 'shaft' && m.harmonic === h);
  const [m1, m2, m3] = [at(1), at(2), at(3)];
  const prominent = (m: MarkedFrequency | undefined): boolean => m !== undefined && m.marginDb >= t.lineProminenceDb;
  const [v1, v2, v3] = [velocityOf(m1), velocityOf(m2), velocityOf(m3)];
  const r2 = v1 > 0 ? v2 / v1 : Infinity;
  const r3 = v1 > 0 ? v3 / v1 : Infinity;
  // Share of the band's velocity power in the 1× line: (v1/√2)² over v_rms², both in mm/s.
  const v1RmsMmPerS = (v1 / Math.SQRT2) * unitToMmPerS;
  const share = inputs.velocityRmsMmPerS > 0 ? (v1RmsMmPerS / inputs.velocityRmsMmPerS) ** 2 : 0;
  if (inputs.isoZone === 'A') return [];
  const evidence = {
    shaftHz: round(inputs.shaftHz),
    velocityRmsMmPerS: round(inputs.velocityRmsMmPerS),
    isoZone: inputs.isoZone,
    amplitude1x: round(m1?.amplitude ?? 0, 5),
    margin1xDb: round(m1?.marginDb ?? -Infinity, 1),
    margin2xDb: round(m2?.marginDb ?? -Infinity, 1),
    margin3xDb: round(m3?.marginDb ?? -Infinity, 1),
    velocityRatio2xTo1x: round(r2),
    velocityRatio3xTo1x: round(r3),
    velocityShare1x: round(share),
  };
  const misaligned = (prominent(m2) && r2 >= t.misalignment2xRatio) || (prominent(m3) && r3 >= t.misalignment3xRatio);
  if (misaligned) {
    return [{ kind: 'misalignment', severity: zoneSeverity(inputs.isoZone), summary: `2×/3× high relative to 1× (2×/1× ${round(r2, 2)}, 3×/1× ${round(r3, 2)} in velocity), zone ${inputs.isoZone}.`, evidence }];
  }
  if (prominent(m1) && share >= t.imbalance1xShare) {
    return [{ kind: 'imbalance', severity: zoneSeverity(inputs.isoZone), summary: `1× dominates (${Math.round(share * 100)} % of velocity power), zone ${inputs.isoZone}.`, evidence }];
  }
  return [];
}

const BEARING_KINDS: Partial<Record<MarkFamily, { kind: FindingKind; name: string }>> = {
  bpfo: { kind: 'bearing-outer-race', name: 'outer race (BPFO)' },
  bpfi: { kind: 'bearing-inner-race', name: 'inner race (BPFI)' },
  bsf: { kind: 'bearing-ball', name: 'rolling element (BSF)' },
  ftf: { kind: 'bearing-cage', name: 'cage (FTF)' },
};

function bearingFindings(inputs: FindingInputs): Finding[] {
  const t = DIAGNOSIS_THRESHOLDS;
  const out: Finding[] = [];
  for (const [family, about] of Object.entries(BEARING_KINDS) as [MarkFamily, { kind: FindingKind; name: string }][]) {
    const members = inputs.marks.filter((m) => m.family === family);
    // A ball defect strikes both races per spin, so its line is often 2 × BSF: either may be the key line.
    const keys = members.filter((m) => m.harmonic === 1 || (family === 'bsf' && m.harmonic === 2));
    const key = keys.reduce<MarkedFrequency | undefined>((a, m) => (a === undefined || m.marginDb > a.marginDb ? m : a), undefined);
    if (key === undefined || key.marginDb < t.bearingFundamentalDb) continue;
    const harmonics = members.filter((m) => m !== key && m.marginDb >= t.bearingHarmonicDb);
    // Besides harmonics, the modulation a defect picks up passing through the load zone confirms it: an
    // inner-race defect's at 1× (its sidebands), a ball's at the cage's speed (FTF itself in the envelope;
    // the 2 × BSF line's own harmonics, 4× and 6× BSF, are not searched).
    const modulation = family === 'bpfi' ? (m: MarkedFrequency) => m.family === 'bpfi-sideband' : family === 'bsf' ? (m: MarkedFrequency) => m.family === 'ftf' && m.harmonic === 1 : () => false;
    const sidebands = inputs.marks.filter((m) => modulation(m) && m.marginDb >= t.bearingHarmonicDb);
    if (harmonics.length + sidebands.length === 0) continue;
    const allHarmonics = harmonics.length >= 2;
    const severity: FindingSeverity =
      inputs.isoZone === 'D' ? 'critical' : key.marginDb >= t.bearingMajorDb && allHarmonics ? 'major' : key.marginDb >= t.bearingMinorDb ? 'minor' : 'warning';
    const evidence: Record<string, number | string | boolean> = {
      expectedHz: round(key.expectedHz),
      foundHz: round(key.foundHz),
      amplitude: round(key.amplitude, 5),
      floor: round(key.floor, 5),
      marginDb: round(key.marginDb, 1),
      harmonicsAboveThreshold: harmonics.map((m) => m.label).join(', '),
      sidebandsAboveThreshold: sidebands.map((m) => m.label).join(', '),
    };
    for (const m of [...members, ...sidebands]) evidence[`${m.label} marginDb`] = round(m.marginDb, 1);
    out.push({
      kind: about.kind,
      severity,
      summary: `Bearing ${about.name} defect: envelope line at ${round(key.foundHz, 2)} Hz, ${round(key.marginDb, 1)} dB above its floor, with ${[...harmonics, ...sidebands].map((m) => m.label).join(', ')}.`,
      evidence,
    });
  }
  return withoutCageComb(out, inputs.marks);
}

/**
 * A cage defect's impacts recur at FTF, so its envelope spectrum is a comb of FTF multiples — and
 * BPFO = n · FTF exactly, while other lines (2 × BSF near 12 · FTF on a 6205) may fall on a tooth too. With
 * a cage finding, another bearing finding whose key line sits on a tooth (within one bin; the tooth spacing
 * is taken from the highest FTF harmonic found, which interpolates to a small fraction of a bin) is
 * explained by the cage and dropped. A second defect whose line happens to sit on a tooth is then reported
 * as the cage alone: the envelope spectrum cannot tell the two apart.
 */
function withoutCageComb(findings: Finding[], marks: readonly MarkedFrequency[]): Finding[] {
  if (!findings.some((f) => f.kind === 'bearing-cage')) return findings;
  const ftf = marks.filter((m) => m.family === 'ftf' && m.marginDb >= DIAGNOSIS_THRESHOLDS.bearingHarmonicDb);
  // The highest harmonic found gives the finest estimate of the tooth spacing.
  const top = ftf.reduce<MarkedFrequency | undefined>((a, m) => (a === undefined || m.harmonic > a.harmonic ? m : a), undefined);
  if (top === undefined) return findings;
  const spacing = top.foundHz / top.harmonic;
  const bin = Math.min(...ftf.map((m) => m.toleranceHz));
  const onComb = (hz: number): boolean => {
    const n = Math.round(hz / spacing);
    return n >= 1 && Math.abs(hz - n * spacing) <= bin;
  };
  return findings.filter((f) => f.kind === 'bearing-cage' || !f.kind.startsWith('bearing-') || !onComb(Number(f.evidence.foundHz)));
}

/**
 * Applies the rules in {@link DIAGNOSIS_THRESHOLDS}; returns one 'normal' finding when none fires.
 * `unitToMmPerS` converts the burst's unit·s (velocity from a / 2πf) to mm/s.
 */
export function decideFindings(inputs: FindingInputs, unitToMmPerS: number): Finding[] {
  const findings = [...shaftFindings(inputs, unitToMmPerS), ...bearingFindings(inputs)];
  if (findings.length > 0) return findings;
  return [
    {
      kind: 'normal',
      severity: 'info',
      summary: `Nothing stands out: velocity ${round(inputs.velocityRmsMmPerS, 2)} mm/s RMS (zone ${inputs.isoZone}), no bearing defect line.`,
      evidence: { velocityRmsMmPerS: round(inputs.velocityRmsMmPerS), isoZone: inputs.isoZone },
    },
  ];
}
