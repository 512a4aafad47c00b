import { describe, expect, it } from 'vitest';
import { barWidth, dailySeries, daysBetween, formatLarge, formatPercent, prefixTotals } from './stats-format';

describe('statistics against the plan’s targets', () => {
  it('writes shares readably however small, and large counts in the language’s words', () => {
    expect(formatPercent(0.0000005, 'en')).toBe('0.0000005%');
    expect(formatPercent(0.033333, 'zh-CN')).toBe('0.03%');
    expect(formatPercent(0, 'en')).toBe('0%');
    expect(formatPercent(12.345, 'en')).toBe('12.3%');
    expect(formatLarge(20_000_000_000, 'zh-CN')).toBe('200亿');
    expect(formatLarge(8_000_000_000, 'en')).toBe('8B');
    expect(formatLarge(3_000, 'en')).toBe('3,000');
    expect(barWidth(0)).toBe(0);
    expect(barWidth(0.0001)).toBe(0.5);
    expect(barWidth(150)).toBe(100);
  });

  it('fills every day of the range and sums prefixes per day and days per prefix', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    const row = (day: string, prefix: string, registrations: number, resolutions: number) => ({ day, prefix, registrations, resolutions, resolved: resolutions, notFound: 0, invalid: 0 });
    const rows = [row('2026-11-28', '88.100.1', 5, 10), row('2026-11-28', '88.100.2', 1, 0), row('2026-11-29', '88.100.2', 7, 2), row('2026-10-01', '88.100.1', 9, 9)];
    expect(dailySeries(rows, '2026-11-27', '2026-11-29')).toEqual({ days: ['2026-11-27', '2026-11-28', '2026-11-29'], registrations: [0, 6, 7], resolutions: [0, 10, 2] });
    expect(prefixTotals(rows).map((p) => [p.prefix, p.registrations, p.resolutions])).toEqual([
      ['88.100.1', 14, 19],
      ['88.100.2', 8, 2],
    ]);
  });
});
