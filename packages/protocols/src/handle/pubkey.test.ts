import { generateKeyPairSync } from 'node:crypto';
import { sm2GenerateKeyPair, sm2CompressPublicKey } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import { decodePublicKey, encodePublicKey, publicKeyFromKeyObject, publicKeyFromSm2, publicKeyToKeyObject } from './pubkey.js';
import { HandleDecodeError } from './wire.js';

describe('HS_PUBKEY codec', () => {
  it('writes an RSA key as Handle.Net does: type, flags, exponent, modulus', () => {
    const data = encodePublicKey({ type: 'RSA', exponent: Buffer.from([1, 0, 1]), modulus: Buffer.from([0, 0xc1, 0x02]) });
    expect(data.toString('hex')).toBe('0000000b' + Buffer.from('RSA_PUB_KEY').toString('hex') + '0000' + '00000003010001' + '0000000300c102');
    expect(decodePublicKey(data)).toEqual({ type: 'RSA', exponent: Buffer.from([1, 0, 1]), modulus: Buffer.from([0, 0xc1, 0x02]) });
  });

  it('round-trips an SM2 key through SPKI DER and reads a bare point too', () => {
    const { publicKey } = sm2GenerateKeyPair();
    const k = publicKeyFromSm2(sm2CompressPublicKey(publicKey));
    const data = encodePublicKey(k);
    expect(data.subarray(4, 15).toString()).toBe('SM2_PUB_KEY');
    expect(data[21]).toBe(0x30); // SubjectPublicKeyInfo SEQUENCE after type, flags and the array length
    expect(decodePublicKey(data)).toEqual({ type: 'SM2', point: Buffer.from(publicKey) });
    const bare = Buffer.concat([Buffer.from('0000000b', 'hex'), Buffer.from('SM2_PUB_KEY'), Buffer.from([0, 0, 0, 0, 0, 65]), publicKey]);
    expect(decodePublicKey(bare)).toEqual({ type: 'SM2', point: Buffer.from(publicKey) });
  });

  it('converts Node RSA keys both ways with Java-style positive integers', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const k = publicKeyFromKeyObject(publicKey);
    if (k.type !== 'RSA') throw new Error('expected RSA');
    expect(k.modulus[0]).toBe(0); // top bit of a 1024-bit modulus is set
    expect(k.modulus.length).toBe(129);
    const back = publicKeyToKeyObject(decodePublicKey(encodePublicKey(k)));
    expect(back.export({ format: 'pem', type: 'spki' })).toBe(publicKey.export({ format: 'pem', type: 'spki' }));
  });

  it('keeps unknown key types and refuses truncated or off-curve data', () => {
    const dh = Buffer.concat([Buffer.from('0000000a', 'hex'), Buffer.from('DH_PUB_KEY'), Buffer.from('0000000000010a', 'hex')]);
    expect(decodePublicKey(dh)).toMatchObject({ type: 'OTHER', keyType: 'DH_PUB_KEY' });
    expect(() => decodePublicKey(Buffer.from('0000000b52', 'hex'))).toThrow(HandleDecodeError);
    const offCurve = Buffer.concat([Buffer.from('0000000b', 'hex'), Buffer.from('SM2_PUB_KEY'), Buffer.from([0, 0, 0, 0, 0, 65, 4]), Buffer.alloc(64, 1)]);
    expect(() => decodePublicKey(offCurve)).toThrow(HandleDecodeError);
  });
});
