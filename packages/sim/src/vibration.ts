/**
 * Accelerometer bursts of the virtual factory's rotating machines (issue 6, item 7). Each machine has an
 * accelerometer on the drive-end bearing housing; a burst is a short waveform sampled at 25.6 kHz whose
 * content follows the machine's state and faults: a healthy machine shows a small 1× (residual
 * imbalance), a smaller 2× and broadband noise; `bearing-wear` adds impacts at the outer-race ball pass
 * frequency (BPFO) of that machine's bearing, ringing a housing resonance and growing with wear.
 * Deterministic: the same seed, machine and instant give the same samples.
 */
import { type ActiveFault } from './faults.js';
import type { MachineKind } from './layout.js';
import type { SimValue } from './machine-sim.js';
import { type Random, createRandom, deriveSeed, gaussian, hoursBetween } from './signals.js';

/** Rolling-element bearing geometry, the shape `@yulian/analytics`' `BearingGeometry` has. */
export interface SimBearing {
  name: string;
  rollingElements: number;
  ballDiameterMm: number;
  pitchDiameterMm: number;
  contactAngleDeg: number;
}

/**
 * The bearings of the plant, with the published dimensions (see `BEARINGS` in `@yulian/analytics`):
 * 6205-2RS (CWRU drive end), 6203-2RS (CWRU fan end), Rexnord ZA-2115 (IMS/NASA run-to-failure).
 */
export const simBearings = {
  '6205-2RS': { name: '6205-2RS', rollingElements: 9, ballDiameterMm: 7.94, pitchDiameterMm: 39.04, contactAngleDeg: 0 },
  '6203-2RS': { name: '6203-2RS', rollingElements: 8, ballDiameterMm: 6.746, pitchDiameterMm: 28.499, contactAngleDeg: 0 },
  'ZA-2115': { name: 'ZA-2115', rollingElements: 16, ballDiameterMm: 8.407, pitchDiameterMm: 71.501, contactAngleDeg: 15.17 },
} as const satisfies Record<string, SimBearing>;

/** How one machine's accelerometer sees it. */
export interface VibrationProfile {
  /** The measuring point (sensor) the bursts are taken at. */
  point: string;
  /** The bearing next to the sensor. */
  bearing: SimBearing;
  /** The housing resonance the bearing's impacts ring, Hz. */
  resonanceHz: number;
}

/** Samples per second of every burst. */
export const burstSampleRate = 25_600;
/** Samples per burst: 0.64 s at 25.6 kHz, bins of 1.5625 Hz. */
export const burstLength = 16_384;
/**
 * Below this shaft speed no burst is taken: 0.64 s must hold 10 shaft and 4 cage revolutions for the
 * diagnosis to resolve 1× and FTF (about 16 Hz for these bearings), so 1,200 rpm keeps a margin.
 */
export const minBurstRpm = 1_200;

/** A waveform burst as the platform stores it. */
export interface SimBurst {
  device: string;
  point: string;
  /** Simulation time the burst ends at, epoch ms. */
  ts: number;
  sampleRate: number;
  shaftRpm: number;
  unit: 'g';
  samples: Float32Array;
}

/**
 * The accelerometer of a machine: machining-centre spindles on 6205-2RS, lathe spindles on 6203-2RS,
 * compressor motors on a ZA-2115 roller bearing.
 */
export function vibrationProfileOf(kind: MachineKind, model: string): VibrationProfile {
  if (kind === 'compressor') return { point: 'motor-de', bearing: simBearings['ZA-2115'], resonanceHz: 3_600 };
  if (model.includes('VMC')) return { point: 'spindle-de', bearing: simBearings['6205-2RS'], resonanceHz: 5_200 };
  return { point: 'spindle-de', bearing: simBearings['6203-2RS'], resonanceHz: 4_300 };
}

/**
 * The shaft speed the accelerometer sees, rpm: a CNC's spindle speed register; a compressor's motor
 * turns at 2,970 rpm loaded and 2,985 rpm unloaded (a 2-pole 50 Hz motor's slip), and stands otherwise.
 */
export function shaftRpmOf(kind: MachineKind, values: Record<string, SimValue>): number {
  if (kind === 'cnc') return Number(values.spindle_speed ?? 0);
  const state = Number(values.load_state ?? 0);
  return state === 2 ? 2_970 : state === 1 ? 2_985 : 0;
}

/** Outer-race ball pass frequency, Hz: n f/2 (1 − d/D cos θ). */
export function bpfoHz(bearing: SimBearing, shaftHz: number): number {
  const r = (bearing.ballDiameterMm / bearing.pitchDiameterMm) * Math.cos((bearing.contactAngleDeg * Math.PI) / 180);
  return ((bearing.rollingElements * shaftHz) / 2) * (1 - r);
}

/**
 * Peak acceleration of one outer-race impact, g: 0.3 g at injection for severity 1, growing by 0.3 g per
 * simulated hour (the spall widens) up to 12 hours; 0 without `bearing-wear`.
 */
export function impactAmplitudeG(faults: readonly ActiveFault[], now: number): number {
  const wear = faults.find((f) => f.kind === 'bearing-wear');
  if (!wear) return 0;
  const hours = Math.min(12, Math.max(0, hoursBetween(wear.since, now)));
  return wear.severity * 0.3 * (1 + hours);
}

/** How many times 1× grows at imbalance severity 1, and 2× (relative to a healthy 1×) at misalignment severity 1. */
const imbalanceGain = 14;
const misalignmentGain = 24;

/** A machine's shaft faults, 0–1 each. */
export interface ShaftFaults {
  imbalance: number;
  misalignment: number;
}

/** The severities of a machine's `imbalance` and `misalignment` faults (0 without them). */
export function shaftFaultsOf(faults: readonly ActiveFault[]): ShaftFaults {
  return { imbalance: faults.find((f) => f.kind === 'imbalance')?.severity ?? 0, misalignment: faults.find((f) => f.kind === 'misalignment')?.severity ?? 0 };
}

/** Options of {@link synthesiseBurst}. */
export interface BurstSynthesis {
  profile: VibrationProfile;
  shaftRpm: number;
  /** Peak g of the bearing's outer-race impacts (0: healthy); see {@link impactAmplitudeG}. */
  impactG: number;
  /** Shaft faults, 0–1 each: `imbalance` raises 1×, `misalignment` 2× and 3× (see {@link shaftFaultsOf}). */
  shaft?: ShaftFaults;
  seed: number;
  sampleRate?: number;
  length?: number;
}

/**
 * One burst, g: 1× (0.012 g at 50 Hz, growing with the square of speed like an imbalance force, at most 0.05 g) and 2× (a quarter of
 * it) at random phases, white noise of 0.04 g RMS, and with a worn bearing impacts at BPFO (0.5 % timing
 * jitter: the rolling elements slip) each ringing the resonance with 5 % damping.
 * @example synthesiseBurst({ profile: vibrationProfileOf('compressor', 'YL-SA75'), shaftRpm: 2970, impactG: 0.3, seed: 1 })
 */
export function synthesiseBurst(o: BurstSynthesis): Float32Array {
  const fs = o.sampleRate ?? burstSampleRate;
  const n = o.length ?? burstLength;
  const rnd: Random = createRandom(o.seed);
  const x = new Float64Array(n);
  const shaftHz = o.shaftRpm / 60;
  const a1 = Math.min(0.05, 0.012 * Math.max(0.2, (shaftHz / 50) ** 2));
  const imbalance = o.shaft?.imbalance ?? 0;
  const misalignment = o.shaft?.misalignment ?? 0;
  const tones = [
    { amplitude: a1 * (1 + imbalanceGain * imbalance), hz: shaftHz, phase: 2 * Math.PI * rnd() },
    { amplitude: a1 * (0.25 + misalignmentGain * misalignment), hz: 2 * shaftHz, phase: 2 * Math.PI * rnd() },
    { amplitude: a1 * 0.5 * misalignmentGain * misalignment, hz: 3 * shaftHz, phase: 2 * Math.PI * rnd() },
  ];
  for (const t of tones) {
    const w = (2 * Math.PI * t.hz) / fs;
    for (let i = 0; i < n; i++) x[i]! += t.amplitude * Math.sin(w * i + t.phase);
  }
  for (let i = 0; i < n; i++) x[i]! += gaussian(rnd, 0.04);
  if (o.impactG > 0) addImpacts(x, { rateHz: bpfoHz(o.profile.bearing, shaftHz), amplitude: o.impactG, resonanceHz: o.profile.resonanceHz, sampleRate: fs, rnd });
  return Float32Array.from(x);
}

function addImpacts(x: Float64Array, o: { rateHz: number; amplitude: number; resonanceHz: number; sampleRate: number; rnd: Random }): void {
  const period = 1 / o.rateHz;
  const decay = 0.05 * 2 * Math.PI * o.resonanceHz;
  const ring = Math.ceil((8 / decay) * o.sampleRate);
  const duration = x.length / o.sampleRate;
  const offset = o.rnd() * period;
  for (let k = 0; offset + k * period < duration; k++) {
    const t0 = offset + k * period + (o.rnd() - 0.5) * 0.01 * period;
    const first = Math.max(0, Math.ceil(t0 * o.sampleRate));
    for (let i = first; i < Math.min(x.length, first + ring); i++) {
      const t = i / o.sampleRate - t0;
      x[i]! += o.amplitude * Math.exp(-decay * t) * Math.sin(2 * Math.PI * o.resonanceHz * t);
    }
  }
}

/** What {@link takeBurst} needs to know about a machine at one instant. */
export interface MachineSnapshot {
  id: string;
  kind: MachineKind;
  values: Record<string, SimValue>;
  faults: readonly ActiveFault[];
}

/**
 * A burst of a machine at simulation time `now`, or undefined while its shaft turns slower than
 * {@link minBurstRpm}. The noise is seeded by the factory seed, machine and instant.
 */
export function takeBurst(factorySeed: number, m: MachineSnapshot, now: number): SimBurst | undefined {
  const shaftRpm = shaftRpmOf(m.kind, m.values);
  if (!(shaftRpm >= minBurstRpm)) return undefined;
  const profile = vibrationProfileOf(m.kind, String(m.values.model ?? ''));
  const samples = synthesiseBurst({ profile, shaftRpm, impactG: impactAmplitudeG(m.faults, now), shaft: shaftFaultsOf(m.faults), seed: deriveSeed(factorySeed, `${m.id}@${now}`) });
  return { device: m.id, point: profile.point, ts: now, sampleRate: burstSampleRate, shaftRpm, unit: 'g', samples };
}

/**
 * When each machine's next burst is due: every `intervalMs` of simulated time, the first 5 s after start
 * (staggered by a second per machine); a machine standing when due gives its burst once its shaft turns.
 */
export function createBurstSchedule(start: number, intervalMs: number): { due(id: string, index: number, now: number): boolean; taken(id: string, now: number): void } {
  const next = new Map<string, number>();
  return {
    due(id, index, now) {
      if (!(intervalMs > 0)) return false;
      const at = next.get(id) ?? start + 5_000 + index * 1_000;
      if (!next.has(id)) next.set(id, at);
      return now >= at;
    },
    taken(id, now) {
      next.set(id, now + intervalMs);
    },
  };
}
