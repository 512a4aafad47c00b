import { describe, expect, it } from 'vitest';
import { markPosition, positionOf } from './expression-position';

describe('the expression position marker', () => {
  it('marks the character the server names, with a caret under it', () => {
    const marked = markPosition('spindle_temp > > 80', 15);
    expect(marked).toEqual({ before: 'spindle_temp > ', at: '>', after: ' 80', line: 1, column: 16, caret: '               ^' });
  });

  it('marks the end of the text when something is missing there', () => {
    expect(markPosition('temperature > ', 14)).toMatchObject({ before: 'temperature > ', at: ' ', after: '', column: 15 });
    expect(markPosition('', 0)).toMatchObject({ before: '', at: ' ', after: '', line: 1, column: 1, caret: '^' });
  });

  it('clamps a position outside the text', () => {
    expect(markPosition('a > 1', 99)).toMatchObject({ before: 'a > 1', at: ' ', column: 6 });
    expect(markPosition('a > 1', -4)).toMatchObject({ before: '', at: 'a', column: 1 });
  });

  it('shows only the line of the mistake in a text of several lines', () => {
    const text = 'a > 1\nand b >> 2\nor c';
    const marked = markPosition(text, text.indexOf('>>') + 1);
    expect(marked).toEqual({ before: 'and b >', at: '>', after: ' 2', line: 2, column: 8, caret: '       ^' });
  });

  it('keeps the caret under the character after wide characters and tabs', () => {
    expect(markPosition('温度 >> 1', 4).caret).toBe('\u3000\u3000  ^');
    expect(markPosition('\ta # 1', 3).caret).toBe('\t  ^');
  });

  it('reads details.position only when it is a character index', () => {
    expect(positionOf({ field: 'condition.expression', position: 15 })).toBe(15);
    expect(positionOf({ field: 'condition.expression' })).toBeUndefined();
    expect(positionOf({ position: '15' })).toBeUndefined();
    expect(positionOf({ position: -1 })).toBeUndefined();
    expect(positionOf(undefined)).toBeUndefined();
  });
});
