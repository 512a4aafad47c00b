/**
 * Seeded randomness for simulations, synthetic test signals and training runs: the same seed gives the
 * same numbers on every run and platform. Not for anything secret (use node:crypto for that).
 */

/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit generator, good enough for simulated noise and reproducible everywhere.
 * @example const rnd = createRandom(42); rnd() // 0.6011…
 */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian noise with standard deviation `sd` (Box–Muller; one of the pair is dropped for simplicity). */
export function gaussian(rnd: Random, sd = 1): number {
  const u = Math.max(rnd(), 1e-12);
  return sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}
