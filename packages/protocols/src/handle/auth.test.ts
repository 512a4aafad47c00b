import { createHash, createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { sm2GenerateKeyPair, sm2SignatureFromDer, sm2SignatureToRaw, sm2Verify } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import {
  type Challenge, AuthType, SecretKeyHash, answerChallenge, checkChallengeAnswer, decodeChallenge, decodeChallengeAnswer, decodePubkeySignature, encodeChallenge,
  encodeChallengeAnswer, encodePubkeySignature,
} from './auth.js';
import { HashType } from './constants.js';
import { encodePublicKey, publicKeyFromKeyObject } from './pubkey.js';
import { HandleDecodeError } from './wire.js';

const challenge: Challenge = { digestType: HashType.SHA256, digest: Buffer.alloc(32, 0xd1), nonce: Buffer.alloc(16, 0x0e) };
const signed = Buffer.concat([challenge.nonce, challenge.digest]);

describe('challenge-response codecs', () => {
  it('writes a challenge as digest type, digest, then the nonce length-prefixed (RFC 3652 §3.5.1)', () => {
    const body = encodeChallenge(challenge);
    expect(body.toString('hex')).toBe('03' + 'd1'.repeat(32) + '00000010' + '0e'.repeat(16));
    expect(decodeChallenge(body)).toEqual(challenge);
    expect(() => decodeChallenge(Buffer.concat([Buffer.from([9]), body.subarray(1)]))).toThrow(HandleDecodeError);
  });

  it('writes an answer as auth type, key handle, key index, signed response (RFC 3652 §3.5.2)', () => {
    const a = { authType: 'HS_SECKEY', keyHandle: '0.NA/88', keyIndex: 300, signedResponse: Buffer.from([2, 1]) };
    const body = encodeChallengeAnswer(a);
    expect(body.toString('hex')).toBe('00000009' + Buffer.from('HS_SECKEY').toString('hex') + '00000007' + Buffer.from('0.NA/88').toString('hex') + '0000012c' + '000000020201');
    expect(decodeChallengeAnswer(body)).toEqual(a);
    expect(() => decodeChallengeAnswer(body.subarray(0, body.length - 1))).toThrow(HandleDecodeError);
  });
});

describe('signing and checking challenge answers', () => {
  it('signs nonce ‖ digest with SM2 (SM3withSM2, DER) and checks it against the HS_PUBKEY value', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const a = answerChallenge({ handle: '0.NA/88', index: 300, sm2PrivateKey: privateKey }, challenge);
    expect(a.authType).toBe(AuthType.PUBKEY);
    const { algorithm, signature } = decodePubkeySignature(a.signedResponse);
    expect(algorithm).toBe('SM3withSM2');
    expect(sm2Verify(publicKey, signed, sm2SignatureFromDer(signature))).toBe(true);
    const key = { type: 'HS_PUBKEY', data: encodePublicKey({ type: 'SM2', point: publicKey }) };
    expect(checkChallengeAnswer(a, key, challenge)).toEqual({ ok: true });
    // Raw r‖s is taken too; another nonce is not.
    const raw = { ...a, signedResponse: encodePubkeySignature('SM3withSM2', sm2SignatureToRaw(sm2SignatureFromDer(signature))) };
    expect(checkChallengeAnswer(raw, key, challenge)).toEqual({ ok: true });
    expect(checkChallengeAnswer(a, key, { ...challenge, nonce: Buffer.alloc(16, 1) })).toMatchObject({ ok: false, why: 'BAD_SIGNATURE' });
  });

  it('signs with RSA as SHA256withRSA by default and accepts SHA1withRSA', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key = { type: 'HS_PUBKEY', data: encodePublicKey(publicKeyFromKeyObject(publicKey)) };
    const a = answerChallenge({ handle: 'h/k', index: 1, rsaPrivateKey: privateKey }, challenge);
    const { algorithm, signature } = decodePubkeySignature(a.signedResponse);
    expect(algorithm).toBe('SHA256withRSA');
    expect(verify('sha256', signed, publicKey, signature)).toBe(true);
    expect(checkChallengeAnswer(a, key, challenge)).toEqual({ ok: true });
    const sha1 = answerChallenge({ handle: 'h/k', index: 1, rsaPrivateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), rsaHash: 'SHA1' }, challenge);
    expect(decodePubkeySignature(sha1.signedResponse).algorithm).toBe('SHA1withRSA');
    expect(checkChallengeAnswer(sha1, key, challenge)).toEqual({ ok: true });
    const md2 = { ...a, signedResponse: encodePubkeySignature('MD2withRSA', signature) };
    expect(checkChallengeAnswer(md2, key, challenge)).toMatchObject({ ok: false, why: 'UNSUPPORTED' });
  });

  it('answers with a secret key as Handle.Net: hash type byte, then the MAC of key ‖ nonce ‖ digest ‖ key (or HMAC)', () => {
    const secret = Buffer.from('s3cret');
    const key = { type: 'HS_SECKEY', data: secret };
    const sha1 = answerChallenge({ handle: 'h/k', index: 2, secretKey: 's3cret' }, challenge);
    expect(sha1.authType).toBe(AuthType.SECKEY);
    expect(sha1.signedResponse.toString('hex')).toBe('02' + createHash('sha1').update(Buffer.concat([secret, signed, secret])).digest('hex'));
    const hmac = answerChallenge({ handle: 'h/k', index: 2, secretKey: secret, secretKeyHash: SecretKeyHash.HMAC_SHA256 }, challenge);
    expect(hmac.signedResponse.toString('hex')).toBe('13' + createHmac('sha256', secret).update(signed).digest('hex'));
    for (const hash of Object.values(SecretKeyHash)) {
      expect(checkChallengeAnswer(answerChallenge({ handle: 'h/k', index: 2, secretKey: secret, secretKeyHash: hash }, challenge), key, challenge)).toEqual({ ok: true });
    }
    expect(checkChallengeAnswer(answerChallenge({ handle: 'h/k', index: 2, secretKey: 'other' }, challenge), key, challenge)).toMatchObject({ ok: false, why: 'BAD_SIGNATURE' });
    expect(checkChallengeAnswer({ ...sha1, signedResponse: Buffer.from([0x22, 1, 2]) }, key, challenge)).toMatchObject({ ok: false, why: 'UNSUPPORTED' });
    expect(checkChallengeAnswer(sha1, { type: 'HS_PUBKEY', data: secret }, challenge)).toMatchObject({ ok: false, why: 'UNSUPPORTED' });
  });
});
