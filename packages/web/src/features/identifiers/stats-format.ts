import type { StatsCounters, StatsRow } from './identifier-types';

/**
 * A share of a target in percent, readable however small: two decimals from 0.01 %, else two
 * significant digits (a demo stands at millionths of a percent), and exactly 0 as 0.
 *
 * @example formatPercent(0.0000005, 'en') // '0.0000005%'
 */
export function formatPercent(percent: number, locale: string): string {
  const options: Intl.NumberFormatOptions =
    percent === 0 || percent >= 0.01
      ? { maximumFractionDigits: percent >= 10 ? 1 : 2 }
      : { maximumSignificantDigits: 2, maximumFractionDigits: 20 };
  return `${new Intl.NumberFormat(locale, options).format(percent)}%`;
}

/**
 * A large count in the language's own words: 200亿 / 20B, 3,000 as it is.
 * @example formatLarge(20_000_000_000, 'zh-CN') // '200亿'
 */
export function formatLarge(value: number, locale: string): string {
  if (Math.abs(value) < 100_000) return new Intl.NumberFormat(locale).format(value);
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 2 }).format(value);
}

/** The width a progress bar shows for a share: at least a sliver for anything above 0, at most 100 %. */
export const barWidth = (percent: number): number => (percent <= 0 ? 0 : Math.min(100, Math.max(0.5, percent)));

const dayMs = 86_400_000;

/** Every UTC day from `from` to `to` (`YYYY-MM-DD`), both included. */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return [];
  const days: string[] = [];
  for (let t = start; t <= end; t += dayMs) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Per-day sums over prefixes, one entry for every day of the range (0 where nothing was counted). */
export function dailySeries(rows: readonly StatsRow[], from: string, to: string): { days: string[]; registrations: number[]; resolutions: number[] } {
  const days = daysBetween(from, to);
  const at = new Map(days.map((d, i) => [d, i]));
  const registrations = days.map(() => 0);
  const resolutions = days.map(() => 0);
  for (const r of rows) {
    const i = at.get(r.day);
    if (i === undefined) continue;
    registrations[i]! += r.registrations;
    resolutions[i]! += r.resolutions;
  }
  return { days, registrations, resolutions };
}

/** One prefix's totals over the range. */
export interface PrefixTotals extends StatsCounters {
  prefix: string;
}

/** Totals per prefix over the range, most registrations first (then most resolutions, then by name). */
export function prefixTotals(rows: readonly StatsRow[]): PrefixTotals[] {
  const by = new Map<string, PrefixTotals>();
  for (const r of rows) {
    const t = by.get(r.prefix) ?? { prefix: r.prefix, registrations: 0, resolutions: 0, resolved: 0, notFound: 0, invalid: 0 };
    t.registrations += r.registrations;
    t.resolutions += r.resolutions;
    t.resolved += r.resolved;
    t.notFound += r.notFound;
    t.invalid += r.invalid;
    by.set(r.prefix, t);
  }
  return [...by.values()].sort((a, b) => b.registrations - a.registrations || b.resolutions - a.resolutions || a.prefix.localeCompare(b.prefix));
}

/** The UTC day `days` before the day of `now` (0: today), `YYYY-MM-DD`. */
export const utcDayBefore = (now: number, days: number): string => new Date(now - days * dayMs).toISOString().slice(0, 10);
