import { describe, expect, it } from 'vitest';
import { fillBuckets } from './situation-format';

const hour = 3_600_000;
const day = 24 * hour;

describe('fillBuckets', () => {
  it('fills the hours without events of a one-day range with zeros, keeping the server’s buckets', () => {
    const until = Date.UTC(2026, 10, 29, 12, 30);
    const at = Date.UTC(2026, 10, 29, 10);
    const filled = fillBuckets([{ start: at, count: 4, maxLevel: 12 }], until - day, until);
    expect(filled).toHaveLength(25);
    expect(filled.filter((b) => b.count > 0)).toEqual([{ start: at, count: 4, maxLevel: 12 }]);
    expect(filled[1]!.start - filled[0]!.start).toBe(hour);
  });

  it('uses days lined up with China’s midnight for a week, also when no bucket came back', () => {
    const until = Date.UTC(2026, 10, 29, 12);
    const filled = fillBuckets([], until - 7 * day, until);
    expect(filled.length).toBeGreaterThanOrEqual(7);
    expect(filled.every((b) => (b.start + 8 * hour) % day === 0 && b.count === 0)).toBe(true);
  });
});
