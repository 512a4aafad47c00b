import { describe, expect, it } from 'vitest';
import { type SimLabelledSeries, generateSimFaultCorpus, simFaultPlan } from '../src/bench/anomaly.js';

/**
 * `yulian bench anomaly` scores the detectors on faults injected into the virtual factory. The corpus must
 * carry those faults where it labels them: run at a small size with and without the injections, every
 * labelled window holds readings the fault changed, and nothing changes before a series' first label or on
 * a series without one (so no label is late and no effect goes unlabelled).
 */
describe('the virtual-factory anomaly corpus', () => {
  const length = 300;
  let faulted: SimLabelledSeries[];
  let clean: SimLabelledSeries[];

  it('generates every planned point of every machine, labelled at the planned minutes', { timeout: 180_000 }, async () => {
    faulted = await generateSimFaultCorpus({ length });
    clean = await generateSimFaultCorpus({ length, injectFaults: false });
    const planned = simFaultPlan.flatMap((m) => Object.keys(m.points).map((p) => `${m.device}.${p}`));
    expect(faulted.map((s) => `${s.device}.${s.point}`)).toEqual(planned);
    expect(clean.map((s) => s.name)).toEqual(faulted.map((s) => s.name));
    for (const s of faulted) {
      expect(s.values, s.name).toHaveLength(length);
      expect(s.values.every(Number.isFinite), s.name).toBe(true);
      expect(s.windows, s.name).toHaveLength(s.faults.length);
    }
    expect(faulted.reduce((n, s) => n + s.windows.length, 0)).toBe(14);
    expect(faulted.filter((s) => s.faults.length === 0)).toHaveLength(4);
  });

  it('holds the injected fault\'s effect inside each labelled window, and none before it', () => {
    expect(faulted).toBeDefined();
    faulted.forEach((s, k) => {
      const twin = clean[k]!;
      const differs = s.values.map((v, i) => v !== twin.values[i]);
      const first = differs.indexOf(true);
      if (s.faults.length === 0) {
        expect(first, `${s.name}: no fault labelled, yet it differs from the run without faults`).toBe(-1);
        return;
      }
      expect(first, `${s.name}: changed before its first label`).toBeGreaterThanOrEqual(Math.min(...s.faults.map((f) => f.at)));
      for (const f of s.faults) {
        const w = s.windows.find((x) => x.start <= f.at && f.at <= x.end);
        expect(w, `${s.name}: ${f.kind}@${f.at} has no window`).toBeDefined();
        const changed = differs.slice(f.at, w!.end + 1).filter(Boolean).length;
        expect(changed, `${s.name}: ${f.kind}@${f.at} changes nothing in its window ${w!.start}–${w!.end}`).toBeGreaterThan(0);
      }
    });
  });

  it('freezes a stuck transmitter exactly and drifts a drifting one upward', () => {
    const stuck = faulted.find((s) => s.device === 'compressor-02' && s.point === 'discharge_pressure')!;
    const at = stuck.faults[0]!.at;
    expect(new Set(stuck.values.slice(at - 1, at + 10)).size).toBe(1);
    const drift = faulted.find((s) => s.device === 'cnc-04' && s.point === 'spindle_temp')!;
    const twin = clean.find((s) => s.name === drift.name)!;
    const offset = (i: number): number => drift.values[i]! - twin.values[i]!;
    expect(offset(length - 1)).toBeGreaterThan(offset(drift.faults[0]!.at + 10));
    expect(offset(length - 1)).toBeGreaterThan(0.5);
  });
});
