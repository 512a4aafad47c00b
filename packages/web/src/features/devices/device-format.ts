import { useMemo } from 'react';
import { useI18n } from '../../i18n';

/** How often the device pages ask the server again, in ms. */
export const refreshIntervalMs = 2_000;

/**
 * A device counts as online while its newest sample is younger than this. Gateways report every
 * second or so; 10 s spans several missed reports and several of our refreshes, so one slow poll does
 * not make a device flicker offline.
 */
export const onlineWithinMs = 10_000;

/** True when a device whose newest sample is from `lastTs` counts as online at `now` (both epoch ms). */
export const isOnline = (lastTs: number, now: number): boolean => now - lastTs <= onlineWithinMs;

/** What {@link useDeviceFormat} hands back. */
export interface DeviceFormat {
  /** "3 秒前" / "3 s ago"; a time in the future (clocks apart) reads "just now". */
  ago: (ts: number, now: number) => string;
  /** A time of day to the second; with the date when it is not today. */
  time: (ts: number) => string;
  /** The full timestamp with milliseconds, for tooltips. */
  exact: (ts: number) => string;
  /** A point's value: numbers with up to 3 decimals, text as it is, no value as "—". */
  value: (value: number | string | boolean | null) => string;
}

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** Formatters for times and point values in the current language. */
export function useDeviceFormat(): DeviceFormat {
  const { lang, t } = useI18n();
  return useMemo(() => {
    const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    const dated = new Intl.DateTimeFormat(lang, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 3 });
    const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();
    return {
      ago: (ts, now) => {
        const elapsed = now - ts;
        if (elapsed < second) return t('time.justNow');
        if (elapsed < minute) return t('time.secondsAgo', { n: Math.floor(elapsed / second) });
        if (elapsed < hour) return t('time.minutesAgo', { n: Math.floor(elapsed / minute) });
        if (elapsed < day) return t('time.hoursAgo', { n: Math.floor(elapsed / hour) });
        return t('time.daysAgo', { n: Math.floor(elapsed / day) });
      },
      time: (ts) => {
        const date = new Date(ts);
        return sameDay(date, new Date()) ? clock.format(date) : dated.format(date);
      },
      exact: (ts) => new Date(ts).toISOString(),
      value: (value) => {
        if (value === null) return t('common.none');
        if (typeof value === 'number') return number.format(value);
        return String(value);
      },
    };
  }, [lang, t]);
}
