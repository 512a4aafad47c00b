import { createRandom, gaussian } from '@yulian/core';
import { type NabWindow, nabWindows } from './nab-scorer.js';

/**
 * A labelled corpus for scoring anomaly detectors: seeded generators of the virtual factory's signals
 * with known faults. `@yulian/sim` runs its machines behind Modbus/OPC UA servers and is not a dependency
 * of analytics, so the signals are rebuilt here after its models (`sim/src/signals.ts`, `cnc.ts`,
 * `compressor.ts`, `faults.ts`): the same mulberry32 generator, Chongqing's daily ambient swing, thermal
 * lags, machining load changes, a compressor's load/unload cycle, and its fault kinds (overheating,
 * bearing wear, sensor drift, stuck value) plus sensor spikes and a variance change.
 */

/** The signals the corpus imitates. */
export type FaultSignalKind = 'spindle-temp' | 'vibration-rms' | 'air-pressure';
/** The faults it injects; each is labelled at its onset. */
export type InjectedFaultKind = 'spike' | 'overheating' | 'bearing-wear' | 'sensor-drift' | 'stuck-value' | 'variance-change';

/** One fault in a series. */
export interface InjectedFault {
  kind: InjectedFaultKind;
  /** Record index where it starts: the NAB label. */
  at: number;
}

/** One labelled series. */
export interface LabelledSeries {
  name: string;
  signal: FaultSignalKind;
  timestamps: number[];
  values: number[];
  faults: InjectedFault[];
  /** NAB windows around the fault onsets. */
  windows: NabWindow[];
}

/** Description of one series to generate. */
export interface FaultSeriesSpec {
  signal: FaultSignalKind;
  seed: number;
  faults: InjectedFault[];
  /** Records; default 3000 (one a minute, about two days). */
  length?: number;
}

const minuteMs = 60_000;
/** 2026-11-29 00:00 in Chongqing (UTC+8). */
const corpusStart = Date.UTC(2026, 10, 28, 16);


/** Workshop air, as the simulator has it: 24 °C ± 5, warmest mid-afternoon. */
const ambientC = (ms: number): number => {
  const hour = ((ms + 8 * 3_600_000) % 86_400_000) / 3_600_000;
  return 24 + 5 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
};

/** The healthy signal and its noise σ per record, with a load that changes programme now and then. */
interface Healthy {
  base: number[];
  sigma: number;
  /** Quantum of the register the value is read through. */
  quantum: number;
}

function healthy(signal: FaultSignalKind, n: number, rnd: () => number): Healthy {
  const base: number[] = [];
  let load = 0.8;
  let target = 0.8;
  let temp = ambientC(corpusStart) + 22;
  for (let i = 0; i < n; i++) {
    const t = corpusStart + i * minuteMs;
    // A new part programme every 2–5 hours changes the spindle load a little, ramped over ~20 min.
    if (rnd() < 1 / 200) target = 0.7 + 0.25 * rnd();
    load += Math.max(-0.01, Math.min(0.01, target - load));
    if (signal === 'spindle-temp') {
      // First-order thermal lag (τ 15 min) toward ambient plus load heat.
      temp += (ambientC(t) + 10 + 15 * load - temp) * (1 - Math.exp(-1 / 15));
      base.push(temp);
    } else if (signal === 'vibration-rms') base.push(1.1 + 1.2 * load);
    else base.push(7.0 + 0.25 * (((i % 12) / 12) - 0.5)); // load/unload sawtooth of a screw compressor
  }
  const spec = { 'spindle-temp': [0.12, 0.1], 'vibration-rms': [0.06, 0.01], 'air-pressure': [0.03, 0.01] }[signal];
  return { base, sigma: spec[0] ?? 0.1, quantum: spec[1] ?? 0.01 };
}

/** Generates one labelled series from its spec; the same spec always gives the same series. */
export function generateFaultSeries(spec: FaultSeriesSpec): LabelledSeries {
  const n = spec.length ?? 3000;
  const rnd = createRandom(spec.seed);
  const { base, sigma, quantum } = healthy(spec.signal, n, rnd);
  const scale = base.reduce((s, v) => s + Math.abs(v), 0) / n;
  const values: number[] = [];
  let frozen: number | undefined;
  for (let i = 0; i < n; i++) {
    let noise = sigma;
    let v = base[i] ?? 0;
    let stuck = false;
    for (const f of spec.faults) {
      const d = i - f.at;
      if (d < 0) continue;
      switch (f.kind) {
        case 'spike': // a glitch on the line: one reading far off
          if (d === 0) v += (rnd() < 0.5 ? -1 : 1) * 12 * sigma;
          break;
        case 'overheating': // a failing cooler: +6 K through the thermal lag (τ 15 min), kept
          v += (spec.signal === 'spindle-temp' ? 6 : 0.25 * scale) * (1 - Math.exp(-d / 15));
          break;
        case 'bearing-wear': // vibration growing with running time, +1 %/10 min
          v *= 1 + 0.001 * d;
          break;
        case 'sensor-drift': // an ageing transmitter: offset growing by 0.5 % of the level per hour
          v += (0.005 * scale * d) / 60;
          break;
        case 'stuck-value': // a frozen transmitter for three hours
          if (d < 180) stuck = true;
          break;
        case 'variance-change': // a loose mount: five times the noise for two hours
          if (d < 120) noise *= 5;
          break;
      }
    }
    v += noise * gaussian(rnd);
    v = Math.round(v / quantum) * quantum;
    if (stuck) v = frozen ??= values[i - 1] ?? v;
    else frozen = undefined;
    values.push(v);
  }
  const name = `${spec.signal}:${spec.faults.map((f) => `${f.kind}@${f.at}`).join('+') || 'clean'}:${spec.seed}`;
  const timestamps = Array.from({ length: n }, (_, i) => corpusStart + i * minuteMs);
  return { name, signal: spec.signal, timestamps, values, faults: spec.faults, windows: nabWindows(n, spec.faults.map((f) => f.at)) };
}

/**
 * The corpus the benchmark scores: 14 series of 3,000 one-minute records — 12 with one or two faults
 * (20 labelled windows, every fault kind on a plausible signal) and 2 clean ones that can only cost
 * false positives. Onsets sit after NAB's probationary 15 %.
 */
export function labelledFaultCorpus(): LabelledSeries[] {
  const specs: FaultSeriesSpec[] = [
    { signal: 'spindle-temp', seed: 11, faults: [{ kind: 'spike', at: 900 }, { kind: 'overheating', at: 2100 }] },
    { signal: 'spindle-temp', seed: 12, faults: [{ kind: 'sensor-drift', at: 1500 }] },
    { signal: 'spindle-temp', seed: 13, faults: [{ kind: 'stuck-value', at: 1000 }, { kind: 'spike', at: 2300 }] },
    { signal: 'spindle-temp', seed: 14, faults: [{ kind: 'variance-change', at: 1200 }, { kind: 'overheating', at: 2400 }] },
    { signal: 'vibration-rms', seed: 21, faults: [{ kind: 'bearing-wear', at: 1800 }] },
    { signal: 'vibration-rms', seed: 22, faults: [{ kind: 'spike', at: 1100 }, { kind: 'bearing-wear', at: 2200 }] },
    { signal: 'vibration-rms', seed: 23, faults: [{ kind: 'variance-change', at: 1300 }, { kind: 'spike', at: 2500 }] },
    { signal: 'vibration-rms', seed: 24, faults: [{ kind: 'stuck-value', at: 1600 }] },
    { signal: 'air-pressure', seed: 31, faults: [{ kind: 'spike', at: 800 }, { kind: 'sensor-drift', at: 2000 }] },
    { signal: 'air-pressure', seed: 32, faults: [{ kind: 'stuck-value', at: 1400 }, { kind: 'overheating', at: 2500 }] },
    { signal: 'air-pressure', seed: 33, faults: [{ kind: 'variance-change', at: 1700 }] },
    { signal: 'air-pressure', seed: 34, faults: [{ kind: 'spike', at: 1000 }, { kind: 'stuck-value', at: 2200 }] },
    { signal: 'spindle-temp', seed: 15, faults: [] },
    { signal: 'vibration-rms', seed: 25, faults: [] },
  ];
  return specs.map(generateFaultSeries);
}
