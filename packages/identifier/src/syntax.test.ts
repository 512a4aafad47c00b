import { describe, expect, it } from 'vitest';
import { type IdentifierProblem, IdentifierSyntaxError, isUnder, parseIdentifier, parsePrefix, prefixChain, tryParseIdentifier } from './syntax.js';

const problemOf = (input: string | Uint8Array): IdentifierProblem | undefined => {
  try {
    parseIdentifier(input);
    return undefined;
  } catch (e) {
    return (e as IdentifierSyntaxError).problem;
  }
};

describe('identifier syntax', () => {
  it('parses the national shape and normalises the prefix to upper case, keeping the suffix as written', () => {
    expect(parseIdentifier('88.118.8/JXDY2106023')).toEqual({ prefix: '88.118.8', suffix: 'JXDY2106023', handle: '88.118.8/JXDY2106023' });
    expect(parseIdentifier('0.na/88.100').handle).toBe('0.NA/88.100');
    expect(parseIdentifier('88.100.abc/Mixed-Case').handle).toBe('88.100.ABC/Mixed-Case');
    // A suffix may hold slashes, spaces inside and any script; it is compared in NFC.
    expect(parseIdentifier('88.100.1/01/09506000134352/10/AB 1').suffix).toBe('01/09506000134352/10/AB 1');
    expect(parseIdentifier('88.100.1/轴承-批次-2021').suffix).toBe('轴承-批次-2021');
    expect(parseIdentifier('88.100.1/Cafe\u0301').suffix).toBe('Caf\u00e9');
    expect(parseIdentifier(new TextEncoder().encode('88.100.1/序列号')).handle).toBe('88.100.1/序列号');
    // A prefix or suffix spelled like a problem code is just text.
    expect(parseIdentifier('id_empty/x').handle).toBe('ID_EMPTY/x');
    expect(parseIdentifier('88/ID_NO_SUFFIX').suffix).toBe('ID_NO_SUFFIX');
  });

  it('names each way an identifier can be wrong with its own code', () => {
    const cases: Array<[string | Uint8Array, IdentifierProblem]> = [
      ['', 'ID_EMPTY'],
      ['88.100.1', 'ID_NO_SUFFIX'],
      ['/abc', 'ID_PREFIX_EMPTY'],
      ['88..1/abc', 'ID_PREFIX_SEGMENT_EMPTY'],
      ['.88/abc', 'ID_PREFIX_SEGMENT_EMPTY'],
      ['88.100./abc', 'ID_PREFIX_SEGMENT_EMPTY'],
      ['88.1 00/abc', 'ID_PREFIX_CHARACTER'],
      ['88.标识/abc', 'ID_PREFIX_CHARACTER'],
      [`${'8'.repeat(65)}/abc`, 'ID_PREFIX_TOO_LONG'],
      [`${Array.from({ length: 17 }, () => '1').join('.')}/abc`, 'ID_PREFIX_TOO_LONG'],
      ['88.100.1/', 'ID_SUFFIX_EMPTY'],
      ['88.100.1/a\tb', 'ID_SUFFIX_CHARACTER'],
      ['88.100.1/a\nb', 'ID_SUFFIX_CHARACTER'],
      ['88.100.1/a\u0000b', 'ID_SUFFIX_CHARACTER'],
      ['88.100.1/a\u0085b', 'ID_SUFFIX_CHARACTER'],
      ['88.100.1/ abc', 'ID_SUFFIX_CHARACTER'],
      ['88.100.1/abc ', 'ID_SUFFIX_CHARACTER'],
      ['88.100.1/a\ud800b', 'ID_SUFFIX_CHARACTER'],
      [`88.100.1/${'字'.repeat(86)}`, 'ID_SUFFIX_TOO_LONG'],
      [new Uint8Array([0x38, 0x38, 0x2f, 0xff, 0xfe]), 'ID_NOT_UTF8'],
      [`${'8'.repeat(60)}/${'a'.repeat(300)}`, 'ID_TOO_LONG'],
    ];
    for (const [input, problem] of cases) expect({ input, problem: problemOf(input) }).toEqual({ input, problem });
    expect(tryParseIdentifier('88.100.1')).toBe('ID_NO_SUFFIX');
    // At the limits exactly: accepted.
    expect(problemOf(`${'8'.repeat(64)}/${'a'.repeat(256)}`)).toBeUndefined();
    expect(problemOf(`88.100.1/${'字'.repeat(85)}`)).toBeUndefined();
  });

  it('parses prefixes alone and walks a prefix from the most general for delegation', () => {
    expect(parsePrefix('88.100.abc')).toBe('88.100.ABC');
    expect(() => parsePrefix('88..1')).toThrow(IdentifierSyntaxError);
    expect(prefixChain('88.100.1')).toEqual(['88', '88.100', '88.100.1']);
    expect(isUnder('88.100.1', '88.100')).toBe(true);
    expect(isUnder('88.100', '88.100')).toBe(true);
    expect(isUnder('88.1001', '88.100')).toBe(false);
  });
});
