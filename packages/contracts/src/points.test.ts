import { describe, expect, it } from 'vitest';
import { dataClassOf, defaultLevelOf, pointSchema } from './points.js';

describe('point data class (MIIT industrial data classification and grading)', () => {
  it('classes writable points as control information at level 3 and read-only ones as operating conditions at level 2', () => {
    expect(dataClassOf(pointSchema.parse({ key: 'speed_sp', dataType: 'uint16', access: 'read-write' }))).toEqual({ category: 'production.control', level: 3 });
    expect(dataClassOf(pointSchema.parse({ key: 'temp', dataType: 'float32' }))).toEqual({ category: 'production.condition', level: 2 });
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
