import { describe, expect, it } from 'vitest';
import { type Gs1Problem, type Gs1SyntaxError, gs1CheckDigitOk, gs1DigitalLinkOf, parseGs1DigitalLink } from './gs1.js';

const problemOf = (uri: string): Gs1Problem | undefined => {
  try {
    parseGs1DigitalLink(uri);
    return undefined;
  } catch (e) {
    return (e as Gs1SyntaxError).problem;
  }
};

describe('GS1 Digital Link', () => {
  it('maps a GTIN with lot and serial to a canonical suffix, on any domain and path', () => {
    expect(parseGs1DigitalLink('https://id.gs1.org/01/09506000134352/10/ABC1/21/12345')).toEqual({
      key: '01', value: '09506000134352', qualifiers: [{ ai: '10', value: 'ABC1' }, { ai: '21', value: '12345' }], suffix: '01/09506000134352/10/ABC1/21/12345',
    });
    expect(parseGs1DigitalLink('https://example.com/products/01/9506000134352/21/A%2FB').suffix).toBe('01/09506000134352/21/A%2FB');
    expect(parseGs1DigitalLink('https://id.gs1.org/00/106141411234567897').suffix).toBe('00/106141411234567897');
    expect(gs1DigitalLinkOf('01/09506000134352/21/A%2FB')).toBe('https://id.gs1.org/01/09506000134352/21/A%2FB');
    expect(parseGs1DigitalLink(gs1DigitalLinkOf("01/09506000134352/10/(x)'!*")).qualifiers).toEqual([{ ai: '10', value: "(x)'!*" }]);
    expect(parseGs1DigitalLink('https://id.gs1.org/01/09506000134352/10/(x)').suffix).toBe('01/09506000134352/10/%28x%29');
  });

  it('verifies check digits and refuses what is not a Digital Link, naming why', () => {
    expect(gs1CheckDigitOk('09506000134352')).toBe(true);
    expect(gs1CheckDigitOk('09506000134353')).toBe(false);
    expect(problemOf('not a uri')).toBe('GS1_NOT_A_URI');
    expect(problemOf('ftp://id.gs1.org/01/09506000134352')).toBe('GS1_NOT_A_URI');
    expect(problemOf('https://id.gs1.org/products/42')).toBe('GS1_NO_PRIMARY_KEY');
    expect(problemOf('https://id.gs1.org/01/09506000134')).toBe('GS1_KEY_INVALID');
    expect(problemOf('https://id.gs1.org/01/09506000134353')).toBe('GS1_CHECK_DIGIT');
    expect(problemOf('https://id.gs1.org/01/09506000134352/17/261231')).toBe('GS1_QUALIFIER_INVALID');
    expect(problemOf('https://id.gs1.org/01/09506000134352/10')).toBe('GS1_QUALIFIER_INVALID');
    expect(problemOf('https://id.gs1.org/01/09506000134352/21/1/10/A')).toBe('GS1_QUALIFIER_ORDER');
    expect(problemOf(`https://id.gs1.org/01/09506000134352/10/${'A'.repeat(21)}`)).toBe('GS1_VALUE_INVALID');
    expect(problemOf('https://id.gs1.org/01/09506000134352/10/%E5%AD%97')).toBe('GS1_VALUE_INVALID');
  });
});
