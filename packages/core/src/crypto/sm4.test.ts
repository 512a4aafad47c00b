import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm4Ctr, sm4DecryptCbc, sm4DecryptEcb, sm4EncryptCbc, sm4EncryptEcb, sm4Open, sm4Seal } from './sm4.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const key = hex('0123456789abcdeffedcba9876543210');
const code = (c: string) => expect.objectContaining({ code: c });

describe('SM4 block cipher', () => {
  it('encrypts the GB/T 32907 single block and decrypts it back', () => {
    const cipher = sm4EncryptEcb(key, key);
    expect(cipher.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(sm4DecryptEcb(key, cipher)).toEqual(key);
  });

  it('reaches the GB/T 32907 vector after encrypting 1,000,000 times', () => {
    // The native cipher the helper wraps, kept open (1,000,000 helper calls spend seconds on set-up);
    // the first 1000 steps are checked against the helper.
    const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    let block = Buffer.from(key);
    let viaHelper: Buffer = Buffer.from(key);
    for (let i = 0; i < 1000; i++) viaHelper = sm4EncryptEcb(key, viaHelper);
    for (let i = 0; i < 1_000_000; i++) {
      block = cipher.update(block);
      if (i === 999) expect(block).toEqual(viaHelper);
    }
    expect(block.toString('hex')).toBe('595298c7c6fd271f0402f804c33d3f66');
  });

  it('pads CBC with PKCS#7 and chains blocks through the IV', () => {
    const iv = randomBytes(16);
    for (const length of [0, 1, 15, 16, 17, 100]) {
      const plaintext = randomBytes(length);
      const ciphertext = sm4EncryptCbc(key, iv, plaintext);
      expect(ciphertext.length).toBe((Math.floor(length / 16) + 1) * 16);
      expect(sm4DecryptCbc(key, iv, ciphertext)).toEqual(plaintext);
    }
    const block = randomBytes(16);
    const first = sm4EncryptCbc(key, iv, block).subarray(0, 16);
    expect(first).toEqual(sm4EncryptEcb(key, Buffer.from(block.map((b, i) => b ^ (iv[i] ?? 0)))));
  });

  it('runs CTR as a keystream of encrypted counter blocks, the same call both ways', () => {
    const iv = Buffer.alloc(16, 0);
    iv[15] = 0xff; // the counter carries into the next byte
    const keystream = sm4EncryptEcb(key, Buffer.concat([iv, hex('00000000000000000000000000000100')]));
    const plaintext = randomBytes(32);
    const ciphertext = sm4Ctr(key, iv, plaintext);
    expect(ciphertext).toEqual(Buffer.from(plaintext.map((b, i) => b ^ (keystream[i] ?? 0))));
    expect(sm4Ctr(key, iv, ciphertext)).toEqual(plaintext);
  });

  it('refuses wrong key and IV lengths, partial ECB blocks and bad CBC padding', () => {
    expect(() => sm4EncryptEcb(randomBytes(15), key)).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm4EncryptCbc(key, randomBytes(8), 'x')).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm4EncryptEcb(key, randomBytes(17))).toThrow(code('CRYPTO_INPUT_INVALID'));
    // A block that decrypts to zeros ends in a 0x00 pad byte, which PKCS#7 never produces.
    const iv = randomBytes(16);
    const zerosBlock = sm4EncryptEcb(key, iv);
    expect(() => sm4DecryptCbc(key, iv, zerosBlock)).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm4DecryptCbc(key, iv, zerosBlock.subarray(0, 15))).toThrow(code('CRYPTO_INPUT_INVALID'));
  });
});

describe('sm4Seal / sm4Open', () => {
  const sealKey = randomBytes(16);

  it('round-trips data of any length, with and without associated data', () => {
    for (const length of [0, 1, 16, 33, 4096]) {
      const plaintext = randomBytes(length);
      const sealed = sm4Seal(sealKey, plaintext, 'device:42');
      expect(sealed.length).toBe(length + 49);
      expect(sealed[0]).toBe(0x01);
      expect(sm4Open(sealKey, sealed, 'device:42')).toEqual(plaintext);
    }
    expect(sm4Open(sealKey, sm4Seal(sealKey, '明文')).toString('utf8')).toBe('明文');
  });

  it('uses a fresh IV each time, so equal plaintexts seal differently', () => {
    const a = sm4Seal(sealKey, 'same');
    const b = sm4Seal(sealKey, 'same');
    expect(a.subarray(1, 17)).not.toEqual(b.subarray(1, 17));
    expect(a).not.toEqual(b);
  });

  it('detects a flipped bit in the IV, the ciphertext and the tag', () => {
    const sealed = sm4Seal(sealKey, 'record body', 'aad');
    for (const at of [1, 16, 17, 20, sealed.length - 32, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at] = (tampered[at] ?? 0) ^ 0x01;
      expect(() => sm4Open(sealKey, tampered, 'aad')).toThrow(code('CRYPTO_TAG_INVALID'));
    }
  });

  it('refuses an unknown version byte', () => {
    const sealed = sm4Seal(sealKey, 'record body');
    sealed[0] = 0x02;
    expect(() => sm4Open(sealKey, sealed)).toThrow(code('CRYPTO_INPUT_INVALID'));
  });

  it('refuses other associated data and a wrong key', () => {
    const sealed = sm4Seal(sealKey, 'record body', 'device:42');
    expect(() => sm4Open(sealKey, sealed, 'device:43')).toThrow(code('CRYPTO_TAG_INVALID'));
    expect(() => sm4Open(sealKey, sealed)).toThrow(code('CRYPTO_TAG_INVALID'));
    expect(() => sm4Open(randomBytes(16), sealed, 'device:42')).toThrow(code('CRYPTO_TAG_INVALID'));
  });

  it('refuses truncated and extended input', () => {
    const sealed = sm4Seal(sealKey, 'record body');
    expect(() => sm4Open(sealKey, sealed.subarray(0, sealed.length - 1))).toThrow(code('CRYPTO_TAG_INVALID'));
    expect(() => sm4Open(sealKey, Buffer.concat([sealed, Buffer.from([0])]))).toThrow(code('CRYPTO_TAG_INVALID'));
    expect(() => sm4Open(sealKey, sealed.subarray(0, 48))).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm4Open(sealKey, Buffer.alloc(0))).toThrow(code('CRYPTO_INPUT_INVALID'));
  });

  it('refuses a key that is not 16 bytes', () => {
    expect(() => sm4Seal(randomBytes(32), 'x')).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm4Open(randomBytes(8), sm4Seal(sealKey, 'x'))).toThrow(code('CRYPTO_INPUT_INVALID'));
  });
});
