/**
 * Synthetic accelerometer signals with known content, for tests and demos: seeded, so every run is the
 * same. Not part of the diagnosis; exported from this folder only.
 */
import { createRandom } from '@yulian/core';

/** A seeded uniform PRNG in [0, 1) (core's mulberry32). */
export const seededRandom = createRandom;

/** Standard normal variates from a uniform PRNG (Box–Muller). */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/** A tone: amplitude, frequency (Hz) and phase (rad). */
export interface Tone {
  amplitude: number;
  frequencyHz: number;
  phase?: number;
}

/** Options of {@link synthesise}. */
export interface SynthOptions {
  sampleRate: number;
  length: number;
  seed: number;
  tones?: readonly Tone[];
  /** Standard deviation of white Gaussian noise. */
  noiseRms?: number;
  /** Periodic impacts ringing a resonance: a bearing defect. */
  impacts?: {
    rateHz: number;
    amplitude: number;
    resonanceHz: number;
    /** Damping ratio of the resonance (default 0.05). */
    damping?: number;
    /** Random timing jitter as a fraction of the period (default 0.005): slip. */
    jitter?: number;
    /** Amplitude modulation (1 + depth · cos 2π f t), e.g. an inner-race defect through the load zone. */
    modulation?: { frequencyHz: number; depth: number };
  };
}

/** Builds a signal from tones, Gaussian noise and impacts. */
export function synthesise(o: SynthOptions): Float64Array {
  const x = new Float64Array(o.length);
  const random = seededRandom(o.seed);
  const normal = gaussian(random);
  for (const tone of o.tones ?? []) {
    const w = (2 * Math.PI * tone.frequencyHz) / o.sampleRate;
    for (let i = 0; i < o.length; i++) x[i]! += tone.amplitude * Math.sin(w * i + (tone.phase ?? 0));
  }
  if (o.noiseRms !== undefined) for (let i = 0; i < o.length; i++) x[i]! += o.noiseRms * normal();
  const imp = o.impacts;
  if (imp !== undefined) {
    const period = 1 / imp.rateHz;
    const decay = (imp.damping ?? 0.05) * 2 * Math.PI * imp.resonanceHz;
    const ring = Math.ceil((8 / decay) * o.sampleRate);
    const duration = o.length / o.sampleRate;
    for (let n = 0; n * period < duration; n++) {
      const t0 = n * period + (random() - 0.5) * 2 * (imp.jitter ?? 0.005) * period;
      const gain = imp.modulation === undefined ? 1 : 1 + imp.modulation.depth * Math.cos(2 * Math.PI * imp.modulation.frequencyHz * t0);
      const first = Math.max(0, Math.ceil(t0 * o.sampleRate));
      for (let i = first; i < Math.min(o.length, first + ring); i++) {
        const t = i / o.sampleRate - t0;
        x[i]! += imp.amplitude * gain * Math.exp(-decay * t) * Math.sin(2 * Math.PI * imp.resonanceHz * t);
      }
    }
  }
  return x;
}
