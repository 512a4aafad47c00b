import { describe, expect, it } from 'vitest';
import { SparkplugSeqTracker, nextSparkplugSeq } from './seq.js';

describe('Sparkplug seq tracking', () => {
  it('wraps from 255 to 0', () => {
    expect(nextSparkplugSeq(0)).toBe(1);
    expect(nextSparkplugSeq(254)).toBe(255);
    expect(nextSparkplugSeq(255)).toBe(0);
  });

  it('accepts consecutive seqs across the wrap and counts one gap once', () => {
    const t = new SparkplugSeqTracker();
    t.reset(0);
    const seen = [];
    for (let s = 1; s < 300; s++) seen.push(t.check(s & 0xff));
    expect(seen.every((c) => c === 'ok')).toBe(true);
    expect(t.check(50)).toBe('gap');
    expect(t.check(51)).toBe('ok');
    expect(t.check(undefined)).toBe('missing');
  });

  it('starts over at a birth', () => {
    const t = new SparkplugSeqTracker();
    t.reset(0);
    expect(t.check(1)).toBe('ok');
    t.reset(0);
    expect(t.check(1)).toBe('ok');
    expect(t.check(1)).toBe('gap');
  });
});
