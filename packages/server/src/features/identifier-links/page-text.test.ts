import { describe, expect, it } from 'vitest';
import { pageText, pickLanguage } from './page-text.js';
import { identifierPath } from './public-url.js';

describe('the public page’s language and paths', () => {
  it('answers Chinese unless ?lang or Accept-Language asks for English', () => {
    expect(pickLanguage(undefined, undefined)).toBe('zh');
    expect(pickLanguage(undefined, 'fr-FR,fr;q=0.9')).toBe('zh');
    expect(pickLanguage(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(pickLanguage(undefined, 'en;q=0.4, zh-CN')).toBe('zh');
    expect(pickLanguage(undefined, 'zh-CN;q=0.2, en-GB;q=0.8')).toBe('en');
    expect(pickLanguage('en', 'zh-CN')).toBe('en');
    expect(pickLanguage('zh', 'en')).toBe('zh');
    expect(pickLanguage('de', 'en')).toBe('en');
  });

  it('fills placeholders and keeps unknown ones', () => {
    expect(pageText('en', 'chainIntro', { depth: 3 })).toBe('Links followed both ways, up to 3 levels.');
    expect(pageText('zh', 'resolvedBy')).toContain('{prefix}');
  });

  it('keeps an identifier’s slashes in its path and encodes everything a URL would misread', () => {
    expect(identifierPath('88.100.1/dev.cnc-01')).toBe('88.100.1/dev.cnc-01');
    expect(identifierPath('88.100.1/批次 1#2?x')).toBe('88.100.1/%E6%89%B9%E6%AC%A1%201%232%3Fx');
    expect(identifierPath('88.100.1/a/b')).toBe('88.100.1/a/b');
  });
});
