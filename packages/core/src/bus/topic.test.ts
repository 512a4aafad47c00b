import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTopic, parsePattern, patternCovers, publishSubject, subjectMatches } from './topic.js';

const tokens = (s: string) => s.split('.');

describe('topic patterns', () => {
  it('matches concrete subjects against * and > the way NATS does', () => {
    expect(subjectMatches(tokens('a.*.c'), tokens('a.b.c'))).toBe(true);
    expect(subjectMatches(tokens('a.*.c'), tokens('a.b.d'))).toBe(false);
    expect(subjectMatches(tokens('a.*'), tokens('a.b.c'))).toBe(false);
    expect(subjectMatches(tokens('a.>'), tokens('a.b.c'))).toBe(true);
    expect(subjectMatches(tokens('a.>'), tokens('a'))).toBe(false);
  });

  it('tells whether one pattern lies within another', () => {
    expect(patternCovers(tokens('y.tel.*.*'), tokens('y.tel.t1.*'))).toBe(true);
    expect(patternCovers(tokens('y.tel.*.*'), tokens('y.tel.>'))).toBe(false);
    expect(patternCovers(tokens('y.>'), tokens('y.tel.*'))).toBe(true);
    expect(patternCovers(tokens('y.tel.t1.*'), tokens('y.tel.*.*'))).toBe(false);
  });

  it('rejects malformed patterns with BAD_REQUEST', () => {
    for (const bad of ['', 'a..b', 'a.>.b', 'a b', 'a.b*']) {
      expect(() => parsePattern(bad, 'pattern')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    }
    expect(() => defineTopic('a.>.b', z.unknown())).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('publishes a topic without wildcards on its own pattern', () => {
    const topic = defineTopic('yulian.alarm', z.unknown());
    expect(publishSubject(topic, undefined)).toBe('yulian.alarm');
    expect(() => publishSubject(topic, 'yulian.other')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
