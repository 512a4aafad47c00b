import type { InspectionSchedule } from '@yulian/contracts';

const hour = 3_600_000;
const day = 24 * hour;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const shanghaiOffsetMs = 8 * hour;

/**
 * The first round start of a schedule at or after `from` (epoch ms). Interval schedules start at
 * `startAt` + k × every; daily ones at each listed time of day in Asia/Shanghai.
 * @example nextStart({ kind: 'daily', times: ['08:00'] }, Date.UTC(2026, 0, 1, 0, 0)) // 2026-01-01T00:00Z = 08:00 in Shanghai
 */
export function nextStart(schedule: InspectionSchedule, from: number): number {
  if (schedule.kind === 'interval') {
    const start = Date.parse(schedule.startAt);
    const step = schedule.every * (schedule.unit === 'hours' ? hour : day);
    if (from <= start) return start;
    return start + Math.ceil((from - start) / step) * step;
  }
  const minutes = schedule.times.map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5))).sort((a, b) => a - b);
  // Midnight of `from`'s day in Shanghai, as UTC epoch ms.
  const localMidnight = Math.floor((from + shanghaiOffsetMs) / day) * day - shanghaiOffsetMs;
  for (let d = 0; d < 2; d++) {
    for (const m of minutes) {
      const at = localMidnight + d * day + m * 60_000;
      if (at >= from) return at;
    }
  }
  return localMidnight + 2 * day + minutes[0]! * 60_000;
}

/** Great-circle distance in metres between two WGS 84 points (haversine, mean Earth radius). */
export function distanceMeters(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The identifier a scanned QR code (or typed label) names: the part after `/r/` of an identifier page URL
 * (decoded, without query or fragment), else the text itself, trimmed.
 */
export function scannedIdentifier(scanned: string): string {
  const text = scanned.trim();
  const at = text.indexOf('/r/');
  if (at < 0) return text;
  const path = text.slice(at + 3).split(/[?#]/)[0]!;
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return path;
  }
}
