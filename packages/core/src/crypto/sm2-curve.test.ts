import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { G, N, P, isOnCurve, multiplyBase, multiplyBaseAndAdd, multiplySecret } from './sm2-curve.js';

const scalar = (): bigint => (BigInt(`0x${randomBytes(32).toString('hex')}`) % (N - 1n)) + 1n;
const be32 = (v: bigint): Buffer => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');

describe('SM2 curve arithmetic', () => {
  it('puts G on the curve and gives G, 2G and −G for 1, 2 and n − 1', () => {
    expect(isOnCurve(G)).toBe(true);
    expect(multiplyBase(1n)).toEqual(G);
    expect(multiplyBase(N - 1n)).toEqual({ x: G.x, y: P - G.y });
    expect(multiplySecret(2n, G)).toEqual(multiplyBase(2n));
    expect(() => multiplyBase(0n)).toThrow(RangeError);
    expect(() => multiplyBase(N)).toThrow(RangeError);
  });

  it('agrees across the comb, the fixed window, wNAF and OpenSSL for random and edge scalars', () => {
    const ecdh = createECDH('SM2');
    for (const k of [1n, 2n, 3n, 63n, 64n, 1n << 255n, N - 2n, N - 1n, ...Array.from({ length: 8 }, scalar)]) {
      const viaComb = multiplyBase(k);
      ecdh.setPrivateKey(be32(k));
      expect(Buffer.concat([Buffer.from([4]), be32(viaComb.x), be32(viaComb.y)])).toEqual(ecdh.getPublicKey());
      expect(multiplySecret(k, G)).toEqual(viaComb);
      expect(multiplyBaseAndAdd(0n, k, G)).toEqual(viaComb);
      const split = scalar();
      expect(multiplyBaseAndAdd((k - split + N) % N, split, G)).toEqual(viaComb);
    }
  });

  it('handles sums that double or cancel inside the joint multiplication', () => {
    const q = multiplyBase(5n);
    expect(multiplyBaseAndAdd(5n, 1n, q)).toEqual(multiplyBase(10n)); // the final addition doubles
    expect(multiplyBaseAndAdd(N - 5n, 1n, q)).toBeNull(); // and here cancels to infinity
    expect(multiplyBaseAndAdd(0n, 0n, q)).toBeNull();
    expect(multiplySecret(N, q)).toBeNull();
  });
});
