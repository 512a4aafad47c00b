import type { AdminRequest, Header } from '@yulian/protocols';
import { describe, expect, it } from 'vitest';
import { ChallengeTable } from './admin-challenges.js';

const entry = (n: number) => ({
  challenge: { digestType: 3, digest: Buffer.alloc(32), nonce: Buffer.alloc(16, n) },
  request: { op: 'delete', handle: `88.100/${n}` } as AdminRequest,
  header: { opCode: 101, responseCode: 0, opFlag: 0, siteInfoSerial: -1, recursionCount: 0, expiration: 0 } as Header,
});

describe('pending challenges', () => {
  it('gives each challenge once, and refuses one answered after its lifetime', () => {
    let now = 1_000;
    const t = new ChallengeTable({ lifetimeMs: 100, now: () => now });
    t.put('a|1', entry(1));
    t.put('a|2', entry(2));
    expect(t.take('a|1')).toMatchObject({ request: { handle: '88.100/1' }, expires: 1_100 });
    expect(t.take('a|1')).toBeUndefined();
    now = 1_101;
    expect(t.take('a|2')).toBe('EXPIRED');
    expect(t.take('b|9')).toBeUndefined();
  });

  it('stays within its bound, dropping the oldest first, and sweeps expired entries', () => {
    let now = 0;
    const t = new ChallengeTable({ lifetimeMs: 1_000, maxPending: 3, now: () => now });
    for (let i = 0; i < 5; i++) t.put(`p|${i}`, entry(i));
    expect(t.size).toBe(3);
    expect(t.take('p|0')).toBeUndefined();
    expect(t.take('p|4')).toMatchObject({ request: { handle: '88.100/4' } });
    now = 5_000;
    t.put('p|9', entry(9));
    expect(t.size).toBe(1);
    expect(() => new ChallengeTable({ lifetimeMs: 0 })).toThrow(/lifetimeMs/);
  });
});
