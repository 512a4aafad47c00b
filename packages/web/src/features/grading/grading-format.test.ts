import { describe, expect, it } from 'vitest';
import type { Questionnaire } from '@yulian/contracts';
import { previewScore, textOf } from './grading-format';

const q: Questionnaire = {
  kind: 'industrial',
  version: 't',
  zh: '测试',
  en: 'Test',
  maxScore: 20,
  thresholds: { level2: 8, level3: 15 },
  sections: [
    {
      id: 's',
      zh: '节',
      en: 'Section',
      items: [
        { id: 'a', zh: '甲', en: 'A', options: [{ id: 'lo', zh: '低', en: 'Low', score: 0 }, { id: 'hi', zh: '高', en: 'High', score: 10 }] },
        { id: 'b', zh: '乙', en: 'B', options: [{ id: 'lo', zh: '低', en: 'Low', score: 0 }, { id: 'core', zh: '核心', en: 'Core', score: 10, minLevel: 3 }] },
      ],
    },
  ],
};

describe('grading score preview', () => {
  it('proposes no level until every item is answered, then the level of the score', () => {
    expect(previewScore(q, { a: { option: 'hi', evidence: '' } })).toEqual({ score: 10, level: null, answered: 1, total: 2 });
    expect(previewScore(q, { a: { option: 'hi', evidence: '' }, b: { option: 'lo', evidence: '' } }).level).toBe(2);
    expect(previewScore(q, { a: { option: 'lo', evidence: '' }, b: { option: 'lo', evidence: '' } }).level).toBe(1);
  });

  it('raises the level to the floor an answer sets', () => {
    expect(previewScore(q, { a: { option: 'lo', evidence: '' }, b: { option: 'core', evidence: '' } })).toMatchObject({ score: 10, level: 3 });
  });

  it('shows Chinese or English text by the console language', () => {
    expect(textOf('zh-CN', q)).toBe('测试');
    expect(textOf('en', q)).toBe('Test');
  });
});
