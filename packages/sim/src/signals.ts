/**
 * Building blocks of plausible plant signals. Everything random comes from a seeded generator so that a
 * factory with the same seed, stepped the same way, produces the same registers.
 */

import { type Random, createRandom, gaussian as coreGaussian } from '@yulian/core';

export { type Random, createRandom };

/** A seed for one machine derived from the factory's seed and the machine id, so machines differ. */
export function deriveSeed(seed: number, id: string): number {
  // FNV-1a over the id, mixed with the seed: stable across runs and platforms.
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A uniform number in [min, max). */
export const uniform = (rnd: Random, min: number, max: number): number => min + (max - min) * rnd();

/** Gaussian noise with standard deviation `sd` (Box–Muller, core's). */
export const gaussian = (rnd: Random, sd: number): number => coreGaussian(rnd, sd);

/**
 * One step of a first-order lag (a thermal mass) toward `target` with time constant `tauMs`; exact for a
 * constant target over the step, so the step size does not change where the value settles.
 */
export const lag = (value: number, target: number, tauMs: number, dtMs: number): number => target + (value - target) * Math.exp(-dtMs / tauMs);

/** Moves `value` toward `target` by at most `ratePerS` per second (a spindle ramping up or down). */
export function ramp(value: number, target: number, ratePerS: number, dtMs: number): number {
  const max = (ratePerS * dtMs) / 1000;
  return value + Math.max(-max, Math.min(max, target - value));
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * Workshop air temperature in Chongqing over a simulated day: about 24 °C, warmest mid-afternoon, so
 * every temperature drifts slowly with the time of day.
 */
export function ambientC(simMs: number): number {
  // Simulation time is epoch ms; Chongqing keeps China Standard Time, UTC+8.
  const hourOfDay = ((simMs + 8 * hourMs) % dayMs) / hourMs;
  return 24 + 5 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);
}

/** Simulated hours between two simulation times. */
export const hoursBetween = (fromMs: number, toMs: number): number => (toMs - fromMs) / hourMs;
