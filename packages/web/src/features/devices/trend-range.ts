/** The time ranges the trend chart offers, newest data at the right edge. */
export const rangePresets = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
/** A preset range. */
export type RangePreset = (typeof rangePresets)[number];

const presetMs: Record<RangePreset, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** A time range in epoch ms. */
export interface TimeRange {
  from: number;
  to: number;
}

/** The length of a preset in ms. */
export const presetLengthMs = (preset: RangePreset): number => presetMs[preset];

/** The range a preset covers, ending `now`. */
export const presetRange = (preset: RangePreset, now: number): TimeRange => ({ from: now - presetMs[preset], to: now });

/** The fewest and most points a series may ask the server for. */
export const pointsBounds = { min: 60, max: 4000 } as const;

/**
 * How many points to ask for, per series: about one per pixel of the plot's width, since more cannot be
 * drawn; the server buckets the rest (avg with min/max), so a 30-day range costs no more than an hour.
 * @example maxPointsFor(1180) // 1180
 */
export function maxPointsFor(widthPx: number): number {
  if (!Number.isFinite(widthPx) || widthPx <= 0) return 600;
  return Math.max(pointsBounds.min, Math.min(pointsBounds.max, Math.round(widthPx)));
}

/**
 * The time window a zoom leaves visible, from the slider's percentages of `range` (rounded to whole
 * seconds, so nearby zooms share a request).
 * @example visibleRange({ from: 0, to: 100_000 }, 25, 50) // { from: 25_000, to: 50_000 }
 */
export function visibleRange(range: TimeRange, startPct: number, endPct: number): TimeRange {
  const span = range.to - range.from;
  const clamp = (pct: number) => Math.min(100, Math.max(0, pct));
  const from = range.from + (span * clamp(Math.min(startPct, endPct))) / 100;
  const to = range.from + (span * clamp(Math.max(startPct, endPct))) / 100;
  return { from: Math.floor(from / 1000) * 1000, to: Math.ceil(to / 1000) * 1000 };
}

/**
 * Whether a zoomed window is narrow enough to deserve its own, more detailed query: when it shows less
 * than 80 % of the range (anything wider is drawn well enough by the overview's buckets).
 */
export const needsDetail = (range: TimeRange, window: TimeRange): boolean => window.to - window.from < 0.8 * (range.to - range.from);

/**
 * Puts the detailed points of a zoomed window in place of the overview's points inside it, so the chart
 * keeps the whole range around the window while the window shows fine detail. Both lists are by time.
 */
export function mergeDetail<P extends { ts: number }>(overview: readonly P[], detail: readonly P[], window: TimeRange): P[] {
  if (detail.length === 0) return [...overview];
  const before = overview.filter((p) => p.ts < window.from);
  const after = overview.filter((p) => p.ts > window.to);
  return [...before, ...detail, ...after];
}

/** A custom range from two `datetime-local` inputs, or undefined when either is empty or they are reversed. */
export function customRange(fromLocal: string, toLocal: string): TimeRange | undefined {
  const from = Date.parse(fromLocal);
  const to = Date.parse(toLocal);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return undefined;
  return { from, to };
}

/** A time as a `datetime-local` input's value, in local time to the minute. */
export function toLocalInput(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
