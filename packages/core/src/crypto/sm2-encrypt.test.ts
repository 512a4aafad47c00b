import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm2Decrypt, sm2Encrypt } from './sm2-encrypt.js';
import { sm2GenerateKeyPair, sm2PublicKeyFromPrivate } from './sm2-keys.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('SM2 encryption (GB/T 32918.4, C1C3C2)', () => {
  const { privateKey, publicKey } = sm2GenerateKeyPair();

  it('round-trips messages of any length, 97 bytes of overhead, with either public key form', () => {
    for (const length of [0, 1, 16, 32, 33, 100, 1000]) {
      const message = randomBytes(length);
      const ciphertext = sm2Encrypt(length % 2 ? publicKey : sm2PublicKeyFromPrivate(privateKey, { compressed: true }), message);
      expect(ciphertext.length).toBe(length + 97);
      expect(ciphertext[0]).toBe(0x04);
      expect(sm2Decrypt(privateKey, ciphertext)).toEqual(message);
    }
  });

  it('detects a flipped bit in C3 or C2 and a wrong private key', () => {
    const ciphertext = sm2Encrypt(publicKey, 'an SM4 key, say');
    for (const at of [65, 96, 97, ciphertext.length - 1]) {
      const tampered = Buffer.from(ciphertext);
      tampered[at] = (tampered[at] ?? 0) ^ 0x80;
      expect(() => sm2Decrypt(privateKey, tampered)).toThrow(code('CRYPTO_TAG_INVALID'));
    }
    expect(() => sm2Decrypt(sm2GenerateKeyPair().privateKey, ciphertext)).toThrow(code('CRYPTO_TAG_INVALID'));
  });

  it('refuses a C1 off the curve, a missing prefix and truncated input as malformed', () => {
    const ciphertext = sm2Encrypt(publicKey, 'x');
    const offCurve = Buffer.from(ciphertext);
    offCurve[64] = (offCurve[64] ?? 0) ^ 0x01;
    for (const bad of [offCurve, ciphertext.subarray(1), ciphertext.subarray(0, 96), Buffer.alloc(0)]) {
      expect(() => sm2Decrypt(privateKey, bad)).toThrow(code('CRYPTO_INPUT_INVALID'));
    }
  });
});
