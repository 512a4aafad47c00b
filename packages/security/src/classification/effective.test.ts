import { dataCatalogue, dataCategories } from '@yulian/contracts';
import { describe, expect, it } from 'vitest';
import { effectiveDataset, effectivePoint, isOverride, pointDefault } from './effective.js';

describe('classification defaults and overrides', () => {
  it('gives writable points process parameters, alarm words control information, the rest operating conditions', () => {
    expect(pointDefault({ key: 'spindle_speed_sp', access: 'read-write' })).toEqual({ category: 'production.process', level: 2, source: 'default' });
    expect(pointDefault({ key: 'alarm_word' })).toEqual({ category: 'production.control', level: 2, source: 'default' });
    expect(pointDefault({ key: 'spindle_temp', name: '主轴温度' })).toEqual({ category: 'production.condition', level: 1, source: 'default' });
  });

  it('takes a device configuration’s data class over the defaults, and a recorded override over both', () => {
    expect(pointDefault({ key: 'recipe', dataClass: { category: 'rd' } })).toEqual({ category: 'rd', level: 2, source: 'config' });
    expect(pointDefault({ key: 'x', dataClass: { level: 3 } })).toEqual({ category: 'production.condition', level: 3, source: 'config' });
    const e = effectivePoint({ key: 'limit' }, { category: 'production.process', level: 3, reason: '联锁', setBy: 'a', setAt: 1 });
    expect(e).toMatchObject({ category: 'production.process', level: 3, defaultCategory: 'production.condition', defaultLevel: 1, source: 'override' });
  });

  it('never defaults anything to level 3, and covers every code device points carry', () => {
    expect(dataCatalogue.every((c) => c.defaultLevel < 3)).toBe(true);
    for (const code of dataCategories) expect(dataCatalogue.some((c) => c.code === code)).toBe(true);
  });

  it('keeps a telemetry dataset at least as high as its most sensitive point', () => {
    expect(effectiveDataset('telemetry:cnc-01', undefined, 3)).toMatchObject({ category: 'platform.iot', level: 3, source: 'default' });
    expect(effectiveDataset('telemetry:cnc-01', { category: 'platform.iot', level: 1, reason: 'r', setBy: null, setAt: 1 }, 2).level).toBe(2);
    expect(effectiveDataset('audit-log', undefined)).toMatchObject({ category: 'production.log', level: 1 });
  });

  it('asks for a reason only off the default', () => {
    expect(isOverride({ category: 'production.condition', level: 1 }, { category: 'production.condition', level: 1 })).toBe(false);
    expect(isOverride({ category: 'production.condition', level: 2 }, { category: 'production.condition', level: 1 })).toBe(true);
  });
});
