import { randomBytes } from 'node:crypto';
import { sm2 as reference } from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { sm2Decrypt, sm2Encrypt } from './sm2-encrypt.js';
import { sm2GenerateKeyPair } from './sm2-keys.js';
import { sm2Sign, sm2SignatureFromDer, sm2SignatureFromRaw, sm2SignatureToDer, sm2SignatureToRaw, sm2Verify } from './sm2.js';

// sm-crypto (MIT, devDependency only) is an independent SM2 implementation on jsbn: signatures and
// ciphertexts must cross between it and ours in both directions.

const keys = Array.from({ length: 20 }, (_, i) =>
  i % 2 === 0 ? sm2GenerateKeyPair() : (() => {
    const pair = reference.generateKeyPairHex();
    return { privateKey: Buffer.from(pair.privateKey.padStart(64, '0'), 'hex'), publicKey: Buffer.from(pair.publicKey, 'hex') };
  })(),
);

describe('SM2 against sm-crypto', () => {
  it('makes signatures sm-crypto verifies, for 20 keys, random messages and identifiers', () => {
    keys.forEach(({ privateKey, publicKey }, i) => {
      const message = randomBytes(1 + i * 13);
      const userId = i % 3 === 0 ? '1234567812345678' : `device-${i}@88.100.1`;
      const sig = sm2Sign(privateKey, message, { id: userId });
      const options = { hash: true, userId };
      expect(reference.doVerifySignature(Array.from(message), sm2SignatureToRaw(sig).toString('hex'), publicKey.toString('hex'), options)).toBe(true);
      expect(reference.doVerifySignature(Array.from(message), sm2SignatureToDer(sig).toString('hex'), publicKey.toString('hex'), { ...options, der: true })).toBe(true);
    });
  });

  it('verifies signatures sm-crypto makes, for 20 keys, and refuses them for another message', () => {
    keys.forEach(({ privateKey, publicKey }, i) => {
      const message = `标识记录 ${i} ${randomBytes(8).toString('hex')}`;
      const options = { hash: true, publicKey: publicKey.toString('hex'), userId: '1234567812345678' };
      const raw = sm2SignatureFromRaw(Buffer.from(reference.doSignature(message, privateKey.toString('hex'), options), 'hex'));
      const der = sm2SignatureFromDer(Buffer.from(reference.doSignature(message, privateKey.toString('hex'), { ...options, der: true }), 'hex'));
      expect(sm2Verify(publicKey, message, raw)).toBe(true);
      expect(sm2Verify(publicKey, message, der)).toBe(true);
      expect(sm2Verify(publicKey, `${message}.`, raw)).toBe(false);
    });
  });

  it('exchanges C1C3C2 ciphertexts with sm-crypto in both directions', () => {
    keys.slice(0, 6).forEach(({ privateKey, publicKey }, i) => {
      const message = randomBytes(i * 23 + 1);
      // sm-crypto writes and reads C1 without its 04 prefix.
      const ours = sm2Encrypt(publicKey, message);
      expect(Buffer.from(reference.doDecrypt(ours.subarray(1).toString('hex'), privateKey.toString('hex'), 1, { output: 'array' }))).toEqual(message);
      const theirs = Buffer.from(`04${reference.doEncrypt(Array.from(message), publicKey.toString('hex'), 1)}`, 'hex');
      expect(sm2Decrypt(privateKey, theirs)).toEqual(message);
    });
  });
});
