import { describe, expect, it } from 'vitest';
import { ExpressionError, type PointValue, compileExpression, expressionLimits } from './expression.js';

const run = (src: string, values: Record<string, PointValue> = {}) => compileExpression(src).evaluate((p) => values[p]);

/** The refusal of an expression: its problem and position. */
function refusal(src: string): { problem: string; position: number; message: string } {
  try {
    compileExpression(src);
  } catch (e) {
    if (e instanceof ExpressionError) return { problem: e.problem, position: e.position, message: e.message };
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(src)} to be refused`);
}

describe('rule expressions', () => {
  it('computes arithmetic with the usual precedence and a right-associative power', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('2 ^ 3 ^ 2')).toBe(512);
    expect(run('-2 ^ 2')).toBe(-4);
    expect(run('10 % 4 - -1')).toBe(3);
    expect(run('1.5e2 / 3')).toBe(50);
    expect(run('.5 + 1')).toBe(1.5);
  });

  it('compares and combines conditions over points, with functions', () => {
    const v = { temperature: 85, pressure: 1.2, running: true, bearing_de: 6.9, bearing_nde: 7.3 };
    expect(run('temperature > 80 and pressure < 2', v)).toBe(true);
    expect(run('temperature > 90 or not running', v)).toBe(false);
    expect(run('temperature > 90 || !running', v)).toBe(false);
    expect(run('max(bearing_de, bearing_nde) >= 7.1 && running', v)).toBe(true);
    expect(run('between(pressure, 1, 1.5)', v)).toBe(true);
    expect(run('round(avg(bearing_de, bearing_nde), 1)', v)).toBe(7.1);
    expect(run('abs(pressure - 2) == 0.5', { pressure: 2.5 })).toBe(true);
    expect(run('running == true', v)).toBe(true);
    expect(run('`主轴 温度` - ambient > 40', { '主轴 温度': 75, ambient: 30 })).toBe(true);
    expect(run('line1.temp > 3', { 'line1.temp': 4 })).toBe(true);
    expect(compileExpression('a + b * max(a, c) > 1 and a < 9').points).toEqual(['a', 'b', 'c']);
  });

  it('is unknown (null), not false, when a point it needs has no value — and decides when the rest does (Kleene logic)', () => {
    expect(run('temperature > 80', {})).toBeNull();
    expect(run('temperature > 80 and pressure < 2', { pressure: 3 })).toBe(false);
    expect(run('temperature > 80 or pressure < 2', { pressure: 1 })).toBe(true);
    expect(run('temperature > 80 or pressure < 2', { pressure: 3 })).toBeNull();
    expect(run('x / y', { x: 1, y: 0 })).toBeNull();
    expect(run('x > 1', { x: Number.NaN })).toBeNull();
    expect(run('sqrt(x)', { x: -1 })).toBeNull();
  });

  it('refuses each kind of mistake with its position and reason', () => {
    expect(refusal('')).toMatchObject({ problem: 'EMPTY', position: 0 });
    expect(refusal('temperature > ')).toMatchObject({ problem: 'UNEXPECTED_END', position: 14 });
    expect(refusal('temperature >> 80')).toMatchObject({ problem: 'UNEXPECTED_TOKEN', position: 13 });
    expect(refusal('(a + b')).toMatchObject({ problem: 'UNCLOSED_PARENTHESIS', position: 0 });
    expect(refusal('a + b)')).toMatchObject({ problem: 'UNEXPECTED_TOKEN', position: 5, message: expect.stringContaining('closes nothing') });
    expect(refusal('max(a, b')).toMatchObject({ problem: 'UNCLOSED_PARENTHESIS', position: 3 });
    expect(refusal('a = 1')).toMatchObject({ problem: 'UNEXPECTED_CHARACTER', position: 2, message: expect.stringContaining('"=="') });
    expect(refusal('a # 1')).toMatchObject({ problem: 'UNEXPECTED_CHARACTER', position: 2 });
    expect(refusal('12abc > 1')).toMatchObject({ problem: 'BAD_NUMBER', position: 0 });
    expect(refusal('`unclosed > 1')).toMatchObject({ problem: 'UNCLOSED_NAME', position: 0 });
    expect(refusal('eval(a)')).toMatchObject({ problem: 'UNKNOWN_FUNCTION', position: 0 });
    expect(refusal('constructor(a)')).toMatchObject({ problem: 'UNKNOWN_FUNCTION' });
    expect(refusal('a > 1 and clamp(a, 1)')).toMatchObject({ problem: 'WRONG_ARGUMENT_COUNT', position: 10 });
    expect(refusal('a > 1 and 5')).toMatchObject({ problem: 'TYPE_MISMATCH', position: 10 });
    expect(refusal('(a > 1) + 2')).toMatchObject({ problem: 'TYPE_MISMATCH', position: 3 });
    expect(refusal('true == 1')).toMatchObject({ problem: 'TYPE_MISMATCH', position: 5 });
    expect(refusal('a 1')).toMatchObject({ problem: 'UNEXPECTED_TOKEN', position: 2 });
    expect(refusal('and a')).toMatchObject({ problem: 'UNEXPECTED_TOKEN', position: 0 });
  });

  it('bounds length and nesting, so no input can run away with the stack', () => {
    expect(refusal('a'.repeat(expressionLimits.length + 1))).toMatchObject({ problem: 'TOO_LONG' });
    expect(refusal(`${'('.repeat(200)}a${')'.repeat(200)}`)).toMatchObject({ problem: 'TOO_DEEP' });
    expect(refusal(`${'-'.repeat(500)}1`)).toMatchObject({ problem: 'TOO_DEEP' });
    expect(run(`${'('.repeat(30)}1${')'.repeat(30)}`)).toBe(1);
  });

  it('never reads anything but the values it is given (no globals, no prototype)', () => {
    const seen: string[] = [];
    const out = compileExpression('__proto__ + toString > 1').evaluate((p) => {
      seen.push(p);
      return 1;
    });
    expect(out).toBe(true);
    expect(seen).toEqual(['__proto__', 'toString']);
  });
});
