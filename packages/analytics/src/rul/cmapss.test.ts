import { isYulianError } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import { groupUnits, parseCmapss, parseRulFile } from './cmapss.js';

const row = (unit: number, cycle: number): string => `${unit} ${cycle} -0.0007 -0.0004 100.0 ${Array.from({ length: 21 }, (_, i) => (500 + i).toFixed(2)).join(' ')}  `;

const errorOf = (fn: () => unknown): { code: string; message: string; details: Record<string, unknown> | undefined } => {
  try {
    fn();
  } catch (e) {
    if (isYulianError(e)) return { code: e.code, message: e.message, details: e.details };
    throw e;
  }
  throw new Error('expected a YulianError');
};

describe('C-MAPSS parser', () => {
  it('reads units, cycles, settings and 21 sensors, ignoring trailing spaces and blank lines', () => {
    const rows = parseCmapss(`${row(1, 1)}\n${row(1, 2)}\n\n${row(2, 1)}\n`);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ unit: 1, cycle: 1, settings: [-0.0007, -0.0004, 100] });
    expect(rows[0]?.sensors).toHaveLength(21);
    expect(rows[0]?.sensors[20]).toBe(520);
    expect(groupUnits(rows).map((u) => [u.unit, u.rows.length])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('rejects a line with too few columns, naming the line', () => {
    const e = errorOf(() => parseCmapss(`${row(1, 1)}\n1 2 0.1 0.2\n`, 'train.txt'));
    expect(e.code).toBe('TRAINING_DATA_INVALID');
    expect(e.message).toBe('train.txt line 2: expected 26 columns, found 4');
    expect(e.details).toMatchObject({ line: 2 });
  });

  it('rejects a value that is not a number, naming the column', () => {
    const bad = row(1, 2).replace('500.00', '5OO.00');
    expect(errorOf(() => parseCmapss(`${row(1, 1)}\n${bad}`)).message).toBe('C-MAPSS data line 2: column 6 is not a number: "5OO.00"');
  });

  it('rejects a fractional unit and a cycle that goes backwards', () => {
    expect(errorOf(() => parseCmapss(row(1, 1).replace(/^1 /, '1.5 '))).message).toMatch(/line 1: unit must be a positive integer/);
    expect(errorOf(() => parseCmapss(`${row(1, 1)}\n${row(1, 3)}\n${row(1, 2)}`)).message).toMatch(/line 3: cycle 2 of unit 1 does not follow cycle 3/);
  });

  it('rejects an empty file', () => {
    expect(errorOf(() => parseCmapss('\n\n')).message).toMatch(/no data rows/);
  });

  it('reads an RUL file and rejects a line that is not a non-negative integer', () => {
    expect(parseRulFile('112 \n98\n69\n')).toEqual([112, 98, 69]);
    expect(errorOf(() => parseRulFile('112\n-3\n', 'RUL_FD001.txt')).message).toBe('RUL_FD001.txt line 2: expected one non-negative integer, found "-3"');
    expect(errorOf(() => parseRulFile('112\n9 8\n')).message).toMatch(/line 2/);
  });
});
