import { describe, expect, it } from 'vitest';
import type { LatestValueDto } from '@yulian/contracts';
import { parseCommandValue, rangeText } from './command-value';
import type { PointMeta } from './device-points';
import { mergeLatest } from './latest-values';

const point = (patch: Partial<PointMeta>): PointMeta => ({ key: 'p', name: '', unit: 'rpm', dataType: 'uint16', min: 100, max: 10000, writable: true, critical: false, ...patch });

describe('command values', () => {
  it('accepts a number inside the point’s range and refuses one outside, a blank or a non-number', () => {
    expect(parseCommandValue(point({}), '6500')).toEqual({ value: 6500 });
    expect(parseCommandValue(point({}), '50')).toEqual({ error: 'command.valueRange' });
    expect(parseCommandValue(point({}), '10001')).toEqual({ error: 'command.valueRange' });
    expect(parseCommandValue(point({}), ' ')).toEqual({ error: 'command.valueRequired' });
    expect(parseCommandValue(point({}), '12a')).toEqual({ error: 'command.valueNumber' });
    expect(parseCommandValue(point({ min: undefined, max: undefined }), '-5.5')).toEqual({ value: -5.5 });
  });

  it('takes true/false for a bool point and any text for a string point', () => {
    expect(parseCommandValue(point({ dataType: 'bool' }), 'false')).toEqual({ value: false });
    expect(parseCommandValue(point({ dataType: 'bool' }), 'maybe')).toEqual({ error: 'command.valueRequired' });
    expect(parseCommandValue(point({ dataType: 'string' }), 'A-12')).toEqual({ value: 'A-12' });
  });

  it('states the range with the unit, or one bound, or nothing', () => {
    expect(rangeText({ min: 100, max: 10000, unit: 'rpm' })).toBe('100 – 10000 rpm');
    expect(rangeText({ min: 0, max: undefined, unit: '%' })).toBe('≥ 0 %');
    expect(rangeText({ min: undefined, max: 5, unit: '' })).toBe('≤ 5');
    expect(rangeText({ min: undefined, max: undefined, unit: 'bar' })).toBe('');
  });
});

describe('latest values', () => {
  const polled: LatestValueDto[] = [
    { point: 'a', ts: 1000, receivedTs: 1010, value: 1, quality: 'good', reason: null },
    { point: 'b', ts: 1000, receivedTs: 1010, value: null, quality: 'bad', reason: 'MODBUS_TIMEOUT' },
  ];

  it('lets a newer pushed value overtake the snapshot, keeps an older one out, and appends new points', () => {
    const pushed = new Map([
      ['a', { ts: 2000, value: 2, quality: 'good', receivedTs: 2005 }],
      ['b', { ts: 900, value: 7, quality: 'good', receivedTs: 905 }],
      ['c', { ts: 2000, value: true, quality: 'good', receivedTs: 2005 }],
    ]);
    expect(mergeLatest(polled, pushed).map((v) => [v.point, v.value, v.reason])).toEqual([
      ['a', 2, null],
      ['b', null, 'MODBUS_TIMEOUT'],
      ['c', 1, null],
    ]);
    expect(mergeLatest(polled, undefined)).toEqual(polled);
  });
});
