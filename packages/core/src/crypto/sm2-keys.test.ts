import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { N, P } from './sm2-curve.js';
import { sm2CompressPublicKey, sm2DecompressPublicKey, sm2GenerateKeyPair, sm2PublicKeyFromPrivate } from './sm2-keys.js';

const code = (c: string) => expect.objectContaining({ code: c });
const be32 = (v: bigint): string => v.toString(16).padStart(64, '0');

describe('SM2 keys', () => {
  it('generates private keys in [1, n − 2] whose public keys match OpenSSL’s point multiplication', () => {
    const ecdh = createECDH('SM2'); // native scalar multiplication, an independent check of ours
    for (let i = 0; i < 10; i++) {
      const { privateKey, publicKey } = sm2GenerateKeyPair();
      const d = BigInt(`0x${privateKey.toString('hex')}`);
      expect(privateKey.length).toBe(32);
      expect(d >= 1n && d <= N - 2n).toBe(true);
      ecdh.setPrivateKey(privateKey);
      expect(publicKey).toEqual(ecdh.getPublicKey());
      expect(sm2PublicKeyFromPrivate(privateKey, { compressed: true })).toEqual(ecdh.getPublicKey(null, 'compressed'));
    }
  });

  it('round-trips compressed and uncompressed public keys of both parities', () => {
    const parities = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const { publicKey } = sm2GenerateKeyPair();
      const compressed = sm2CompressPublicKey(publicKey);
      parities.add(compressed[0] ?? 0);
      expect(compressed.length).toBe(33);
      expect(compressed.subarray(1)).toEqual(publicKey.subarray(1, 33));
      expect(sm2DecompressPublicKey(compressed)).toEqual(publicKey);
      expect(sm2DecompressPublicKey(publicKey)).toEqual(publicKey);
      expect(sm2CompressPublicKey(compressed)).toEqual(compressed);
    }
    expect([...parities].sort()).toEqual([0x02, 0x03]);
  });

  it('refuses points off the curve, unreduced coordinates, x with no point, and other encodings', () => {
    const { publicKey } = sm2GenerateKeyPair();
    const offCurve = Buffer.from(publicKey);
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    // x = 2 gives a y² with no square root; x = 0 has a point (0, y₀), which must not pass as (p, y₀).
    const noPoint = Buffer.from(`02${be32(2n)}`, 'hex');
    const atZero = sm2DecompressPublicKey(Buffer.from(`02${be32(0n)}`, 'hex'));
    const unreduced = Buffer.concat([Buffer.from([0x04]), Buffer.from(be32(P), 'hex'), atZero.subarray(33)]);
    const bad = [
      offCurve,
      noPoint,
      unreduced,
      Buffer.concat([Buffer.from([0x02]), Buffer.from(be32(P), 'hex')]),
      Buffer.concat([Buffer.from([0x04]), Buffer.alloc(32, 0xff), Buffer.alloc(32, 0xff)]),
      Buffer.from([0x00]), // the point at infinity
      publicKey.subarray(1), // bare x ‖ y
      Buffer.concat([Buffer.from([0x06]), publicKey.subarray(1)]), // hybrid form
      publicKey.subarray(0, 33),
      Buffer.alloc(0),
    ];
    for (const [i, key] of bad.entries()) expect(() => sm2DecompressPublicKey(key), `case ${i}`).toThrow(code('CRYPTO_INPUT_INVALID'));
  });

  it('refuses private keys of the wrong length or outside [1, n − 2]', () => {
    for (const d of [Buffer.alloc(32), Buffer.from(be32(N - 1n), 'hex'), Buffer.from(be32(N), 'hex'), Buffer.alloc(33, 1), Buffer.alloc(16, 1)]) {
      expect(() => sm2PublicKeyFromPrivate(d)).toThrow(code('CRYPTO_INPUT_INVALID'));
    }
  });
});
