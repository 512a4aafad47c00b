import { isYulianError } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import { builtinRules, builtinRulesYaml } from './builtin.js';
import { unsafeRegex } from './conditions.js';
import { checkRules, parseRules } from './parser.js';

const errorsOf = (text: string, known = builtinRules()) => checkRules(text, { file: 'custom.yaml', known }).errors;

describe('rule file parser', () => {
  it('compiles the built-in rules without an error', () => {
    const { rules, errors } = checkRules(builtinRulesYaml, { file: 'builtin.yaml' });
    expect(errors).toEqual([]);
    expect(rules.length).toBeGreaterThan(30);
    const techniques = new Set(rules.flatMap((r) => r.techniques));
    for (const t of ['T0855', 'T0836', 'T0806', 'T0846', 'T0888', 'T0814', 'T0859']) expect(techniques).toContain(t);
    const r = rules.find((x) => x.id === 100402)!;
    expect(r).toMatchObject({ level: 10, frequency: 10, timeframeMs: 10_000, parents: [100101], ignoreMs: 60_000, origin: { file: 'builtin.yaml' } });
  });

  it('compiles a custom rule that correlates on a built-in parent', () => {
    const rules = parseRules(
      ['- id: 200001', '  level: 9', '  title: 对 PLC-7 的写入', '  title_en: Write to PLC-7', '  attack: [T0855]', '  if_sid: 100101', '  match: { deviceId: plc-7, address: { gte: 100, lte: 199 } }'].join('\n'),
      { file: 'custom.yaml', known: builtinRules() },
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ id: 200001, parents: [100101], origin: { file: 'custom.yaml', line: 1 } });
  });

  it('names the line, column and reason of an unknown rule field', () => {
    const text = ['- id: 200001', '  level: 5', '  title: 测试', '  title_en: Test', '  match: { kind: modbus }', '  frequncy: 5'].join('\n');
    expect(errorsOf(text)).toEqual([{ line: 6, column: 3, message: expect.stringMatching(/^unknown field "frequncy"; a rule has id, level, .*frequency/) }]);
  });

  it('rejects a level outside 0–15, a duplicate id and an unknown parent, all at once', () => {
    const text = [
      '- id: 200001', //             1
      '  level: 16', //              2
      '  title: 甲',
      '  title_en: A',
      '  match: { kind: modbus }',
      '- id: 200001', //             6
      '  level: 3',
      '  title: 乙',
      '  title_en: B',
      '  if_sid: 123', //           10
      '- id: 100201', //            11 (a built-in id)
      '  level: 3',
      '  title: 丙',
      '  title_en: C',
      '  match: { kind: platform }',
    ].join('\n');
    const errors = errorsOf(text);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'level must be a whole number from 0 to 15, not 16'],
      [6, 'duplicate rule id 200001 (also at line 1)'],
      [10, 'if_sid: no rule has id 123'],
      [11, 'duplicate rule id 100201 (also at builtin.yaml line 16)'],
    ]);
  });

  it('checks match fields against the kind, and values against the field type', () => {
    const text = [
      '- id: 200001',
      '  level: 5',
      '  title: 甲',
      '  title_en: A',
      '  match:',
      '    kind: modbus',
      '    sorce.ip: 10.0.0.1', //           7
      '    write: yes please', //            8
      '    functionCode: { gte: high }', //  9
      '    action: auth.login', //          10 (a platform field)
      '    via: wire', //                   11
    ].join('\n');
    const errors = errorsOf(text);
    expect(errors.map((e) => e.line)).toEqual([7, 8, 9, 10, 11]);
    expect(errors[0]!.message).toMatch(/^unknown field "sorce\.ip" for modbus; known: .*source\.ip/);
    expect(errors[1]!.message).toBe('write: "yes please" is not a boolean');
    expect(errors[2]!.message).toBe('functionCode: gte needs a number');
    expect(errors[3]!.message).toMatch(/^unknown field "action" for modbus/);
    expect(errors[4]!.message).toBe('via: "wire" is not one of guard, capture, gateway');
  });

  it('rejects an unsafe or invalid regex with the column of the pattern', () => {
    const text = ['- id: 200001', '  level: 5', '  title: 甲', '  title_en: A', '  match: { kind: platform, actor: { regex: "(a+)+$" } }', '- id: 200002', '  level: 5', '  title: 乙', '  title_en: B', '  match: { kind: platform, actor: { regex: "([a-z" } }'].join('\n');
    const errors = errorsOf(text);
    expect(errors).toEqual([
      { line: 5, column: 44, ruleId: 200001, message: 'actor: the regex "(a+)+$" repeats a group that repeats (nested quantifiers backtrack exponentially)' },
      { line: 10, column: 44, ruleId: 200002, message: expect.stringMatching(/^actor: the regex "\(\[a-z" is not valid: /) },
    ]);
  });

  it('requires frequency with timeframe, and with if_matched and different', () => {
    const text = [
      '- id: 200001',
      '  level: 5',
      '  title: 甲',
      '  title_en: A',
      '  if_matched: 100201',
      '  different: [target.ip]',
      '- id: 200002',
      '  level: 5',
      '  title: 乙',
      '  title_en: B',
      '  match: { kind: connection }',
      '  frequency: 5',
    ].join('\n');
    expect(errorsOf(text).map((e) => `${e.line}: ${e.message}`)).toEqual([
      '5: if_matched correlates hits of its parent: give frequency and timeframe too (or use if_sid)',
      '6: different counts distinct values in a window: give frequency and timeframe too',
      '12: frequency and timeframe go together: give both, or neither',
    ]);
  });

  it('reports YAML syntax errors and missing required fields', () => {
    expect(errorsOf('- id: 1\n  level: [3\n')[0]).toMatchObject({ line: 3, message: expect.stringMatching(/flow sequence/i) });
    expect(errorsOf('- id: 1\n  id: 2\n')[0]).toMatchObject({ line: 2, column: 3, message: 'Map keys must be unique' });
    expect(errorsOf('')[0]!.message).toMatch(/holds no rules/);
    expect(errorsOf('- id: 200001\n  level: 3\n').map((e) => e.message)).toEqual(['title is required', 'title_en is required', 'a rule needs match, if_sid or if_matched (else it would fire on everything)']);
  });

  it('rejects a cycle of parents', () => {
    const text = ['- id: 200001', '  level: 5', '  title: 甲', '  title_en: A', '  if_sid: 200002', '- id: 200002', '  level: 5', '  title: 乙', '  title_en: B', '  if_sid: 200001'].join('\n');
    expect(errorsOf(text).map((e) => e.message)).toEqual(['rule 200001 is its own ancestor through if_sid/if_matched', 'rule 200002 is its own ancestor through if_sid/if_matched']);
  });

  it('throws SECURITY_RULES_INVALID listing every error, and loads nothing', () => {
    const text = ['- id: 200001', '  level: 99', '  title: 甲', '  title_en: A', '  match: { kind: modbus, colour: red }'].join('\n');
    try {
      parseRules(text, { file: 'custom.yaml' });
      expect.unreachable();
    } catch (e) {
      expect(isYulianError(e, 'SECURITY_RULES_INVALID')).toBe(true);
      const err = e as { message: string; details: { file: string; errors: unknown[] } };
      expect(err.message).toMatch(/^custom\.yaml has 2 errors and was not loaded: line 2, column 10: level must be .*; line 5, column 26: unknown field "colour"/);
      expect(err.details.errors).toHaveLength(2);
    }
  });

  it('tells safe regexes from ones that backtrack exponentially', () => {
    expect(unsafeRegex('^auth\\.(login|token)$')).toBeNull();
    expect(unsafeRegex('(?:ab)+c')).toBeNull();
    expect(unsafeRegex('[(+)]+')).toBeNull();
    expect(unsafeRegex('(a*)*')).toMatch(/nested quantifiers/);
    expect(unsafeRegex('((ab)+c)+')).toMatch(/nested quantifiers/);
    expect(unsafeRegex('(a)\\1')).toMatch(/backreference/);
    expect(unsafeRegex('a(?=b)')).toMatch(/lookahead/);
    expect(unsafeRegex('a'.repeat(300))).toMatch(/at most 256/);
  });
});
