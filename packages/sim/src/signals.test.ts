import { describe, expect, it } from 'vitest';
import { ambientC, createRandom, deriveSeed, gaussian, lag } from './signals.js';

describe('simulation signals', () => {
  it('draws the same numbers from the same seed and different ones from another', () => {
    const draw = (seed: number): number[] => Array.from({ length: 5 }, createRandom(seed));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(1).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('gives each machine its own stream from one factory seed', () => {
    expect(deriveSeed(1, 'cnc-01')).toBe(deriveSeed(1, 'cnc-01'));
    expect(deriveSeed(1, 'cnc-01')).not.toBe(deriveSeed(1, 'cnc-02'));
    expect(deriveSeed(1, 'cnc-01')).not.toBe(deriveSeed(2, 'cnc-01'));
  });

  it('makes gaussian noise with about the standard deviation asked for', () => {
    const rnd = createRandom(5);
    const xs = Array.from({ length: 20_000 }, () => gaussian(rnd, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('settles a first-order lag to the same value whatever the step size', () => {
    let fine = 20;
    for (let i = 0; i < 600; i++) fine = lag(fine, 60, 60_000, 100);
    expect(lag(20, 60, 60_000, 60_000)).toBeCloseTo(fine, 9);
    expect(fine).toBeCloseTo(60 - 40 * Math.exp(-1), 9);
  });

  it('keeps the workshop warmest in the afternoon and coolest before dawn, China time', () => {
    const at = (hourCst: number): number => ambientC(Date.UTC(2025, 6, 1, hourCst - 8));
    expect(at(15)).toBeGreaterThan(at(9));
    expect(at(3)).toBeLessThan(at(9));
    expect(at(15)).toBeCloseTo(29, 5);
  });
});
