import { describe, expect, it } from 'vitest';
import { type DataCategoryCode, categoryOf, defaultPointCategory } from './data-classification.js';
import { dataClassOf, defaultLevelOf, pointSchema } from './points.js';

describe('point data class (MIIT industrial data classification and grading)', () => {
  it('classes writable points as process parameters (level 2), alarm words as control information, the rest as operating conditions (level 1)', () => {
    expect(dataClassOf(pointSchema.parse({ key: 'speed_sp', dataType: 'uint16', access: 'read-write' }))).toEqual({ category: 'production.process', level: 2 });
    expect(dataClassOf(pointSchema.parse({ key: 'alarm_word', dataType: 'uint16' }))).toEqual({ category: 'production.control', level: 2 });
    expect(dataClassOf(pointSchema.parse({ key: 'temp', dataType: 'float32' }))).toEqual({ category: 'production.condition', level: 1 });
  });

  it('agrees with the data classification catalogue on every default', () => {
    for (const [code, level] of Object.entries(defaultLevelOf)) expect([code, categoryOf(code as DataCategoryCode).defaultLevel]).toEqual([code, level]);
    for (const p of [{ key: 'speed_sp', access: 'read-write' as const }, { key: 'alarm_word' }, { key: 'temp' }]) expect(dataClassOf(p).category).toBe(defaultPointCategory(p));
  });

  it('takes the level from a given category, and a given level over the category’s', () => {
    expect(dataClassOf(pointSchema.parse({ key: 'log', dataType: 'string', dataClass: { category: 'production.log' } }))).toEqual({ category: 'production.log', level: 1 });
    expect(dataClassOf(pointSchema.parse({ key: 'recipe', dataType: 'string', dataClass: { category: 'production.process', level: 3 } }))).toEqual({ category: 'production.process', level: 3 });
    expect(Object.values(defaultLevelOf).every((l) => l >= 1 && l <= 3)).toBe(true);
  });

  it('rejects an unknown category or a level outside 1–3, naming the field', () => {
    const bad = pointSchema.safeParse({ key: 'x', dataType: 'uint16', dataClass: { category: 'secret', level: 4 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['dataClass.category', 'dataClass.level']));
  });
});
