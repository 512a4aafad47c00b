/**
 * Challenge-response authentication (RFC 3652 §3.5, as Handle.Net does it). A server answers an
 * administration request with RC 402 and a challenge body — the request digest (hash-type byte +
 * digest of the request's header and body) then a length-prefixed nonce — and the RRDG flag. The client
 * answers with opcode 200 (same request id): auth type (`HS_PUBKEY` / `HS_SECKEY`), key handle, key
 * index, signed response. What is signed is `nonce ‖ digest` (the digest without its hash-type byte):
 * - HS_PUBKEY: the signed response is the signature algorithm's Java name (`SHA256withRSA`,
 *   `SHA1withRSA`, `SM3withSM2`) and the signature bytes, both length-prefixed. RSA is PKCS#1 v1.5; SM2
 *   is GB/T 32918 with the default ID 1234567812345678, DER-encoded (raw r‖s is accepted).
 * - HS_SECKEY: a hash-type byte and the MAC: 0x02 SHA-1 of `key ‖ nonce ‖ digest ‖ key` (Handle.Net's
 *   for protocol 2.1–2.6, the default here), 0x01 MD5 and 0x03 SHA-256 likewise, 0x12 HMAC-SHA1 and
 *   0x13 HMAC-SHA256 keyed by the secret.
 */
import { type KeyObject, createHash, createHmac, createPrivateKey, sign, timingSafeEqual, verify } from 'node:crypto';
import { sm2PublicKeyFromPrivate, sm2Sign, sm2SignatureFromDer, sm2SignatureFromRaw, sm2SignatureToDer, sm2Verify } from '@yulian/core';
import { HashType } from './constants.js';
import { digestLength } from './message.js';
import { decodePublicKey, publicKeyToKeyObject } from './pubkey.js';
import { HandleDecodeError, WireReader, WireWriter } from './wire.js';

/** The auth types of a challenge answer. */
export const AuthType = { PUBKEY: 'HS_PUBKEY', SECKEY: 'HS_SECKEY' } as const;

/** Hash-type bytes of an HS_SECKEY answer. */
export const SecretKeyHash = { MD5: 0x01, SHA1: 0x02, SHA256: 0x03, HMAC_SHA1: 0x12, HMAC_SHA256: 0x13 } as const;

/** Nonce length Handle.Net uses (Common.CHALLENGE_NONCE_SIZE). */
export const challengeNonceSize = 16;

/** What a server's RC 402 answer carries. */
export interface Challenge {
  /** {@link HashType} of the digest. */
  digestType: number;
  /** The digest of the request's header and body (without the hash-type byte). */
  digest: Buffer;
  nonce: Buffer;
}

/** The body of an RC 402 answer: digest type, digest, length-prefixed nonce. */
export function encodeChallenge(c: Challenge): Buffer {
  return Buffer.from(new WireWriter(64).u8(c.digestType).raw(c.digest).bytes(c.nonce).finish());
}

/** Reads an RC 402 body. @throws HandleDecodeError */
export function decodeChallenge(body: Buffer): Challenge {
  const r = new WireReader(body);
  const digestType = r.u8('digest type');
  const n = digestLength[digestType];
  if (n === undefined) throw new HandleDecodeError('FIELD_INVALID', `digest type ${digestType} unknown`);
  const digest = Buffer.from(r.raw(n, 'digest'));
  const nonce = Buffer.from(r.bytes('nonce'));
  r.done('challenge');
  return { digestType, digest, nonce };
}

/** A challenge answer (opcode 200). */
export interface ChallengeAnswer {
  authType: string;
  keyHandle: string;
  keyIndex: number;
  signedResponse: Buffer;
}

export function encodeChallengeAnswer(a: ChallengeAnswer): Buffer {
  return Buffer.from(new WireWriter(128).string(a.authType).string(a.keyHandle).u32(a.keyIndex).bytes(a.signedResponse).finish());
}

/** Reads an opcode-200 body. @throws HandleDecodeError */
export function decodeChallengeAnswer(body: Buffer): ChallengeAnswer {
  const r = new WireReader(body);
  const a = { authType: r.string('auth type'), keyHandle: r.string('key handle'), keyIndex: r.u32('key index'), signedResponse: Buffer.from(r.bytes('signed response')) };
  r.done('challenge answer');
  return a;
}

/** An HS_PUBKEY signed response: algorithm name and signature. */
export function encodePubkeySignature(algorithm: string, signature: Buffer): Buffer {
  return Buffer.from(new WireWriter(64 + signature.length).string(algorithm).bytes(signature).finish());
}

/** @throws HandleDecodeError */
export function decodePubkeySignature(data: Buffer): { algorithm: string; signature: Buffer } {
  const r = new WireReader(data);
  const s = { algorithm: r.string('signature algorithm'), signature: Buffer.from(r.bytes('signature')) };
  r.done('signed response');
  return s;
}

/** Who authenticates, and with what key (an SM2 private key as 32 bytes, an RSA key, or a secret). */
export type AdminCredential = { handle: string; index: number } & (
  | { sm2PrivateKey: Uint8Array }
  | { rsaPrivateKey: KeyObject | string; /** Default SHA256, as Handle.Net 9. */ rsaHash?: 'SHA256' | 'SHA1' }
  | { secretKey: Uint8Array | string; /** Default {@link SecretKeyHash.SHA1}. */ secretKeyHash?: number }
);

const signedData = (c: Challenge): Buffer => Buffer.concat([c.nonce, c.digest]);

function secretMac(hash: number, secret: Buffer, data: Buffer): Buffer | undefined {
  switch (hash) {
    case SecretKeyHash.MD5:
      return createHash('md5').update(secret).update(data).update(secret).digest();
    case SecretKeyHash.SHA1:
      return createHash('sha1').update(secret).update(data).update(secret).digest();
    case SecretKeyHash.SHA256:
      return createHash('sha256').update(secret).update(data).update(secret).digest();
    case SecretKeyHash.HMAC_SHA1:
      return createHmac('sha1', secret).update(data).digest();
    case SecretKeyHash.HMAC_SHA256:
      return createHmac('sha256', secret).update(data).digest();
    default:
      return undefined;
  }
}

const bytesOf = (s: Uint8Array | string): Buffer => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));

/**
 * The answer to a challenge with a credential.
 * @example encodeChallengeAnswer(answerChallenge({ handle: '0.NA/88.100', index: 300, sm2PrivateKey }, challenge))
 */
export function answerChallenge(cred: AdminCredential, challenge: Challenge): ChallengeAnswer {
  const data = signedData(challenge);
  const who = { keyHandle: cred.handle, keyIndex: cred.index };
  if ('sm2PrivateKey' in cred) {
    const sig = sm2Sign(cred.sm2PrivateKey, data);
    return { authType: AuthType.PUBKEY, ...who, signedResponse: encodePubkeySignature('SM3withSM2', sm2SignatureToDer(sig)) };
  }
  if ('rsaPrivateKey' in cred) {
    const key = typeof cred.rsaPrivateKey === 'string' ? createPrivateKey(cred.rsaPrivateKey) : cred.rsaPrivateKey;
    const hash = cred.rsaHash ?? 'SHA256';
    return { authType: AuthType.PUBKEY, ...who, signedResponse: encodePubkeySignature(`${hash}withRSA`, sign(hash.toLowerCase(), data, key)) };
  }
  const hash = cred.secretKeyHash ?? SecretKeyHash.SHA1;
  const mac = secretMac(hash, bytesOf(cred.secretKey), data);
  if (!mac) throw new Error(`secret-key hash type 0x${hash.toString(16)} is not one of ${Object.keys(SecretKeyHash).join(', ')}`);
  return { authType: AuthType.SECKEY, ...who, signedResponse: Buffer.concat([Buffer.from([hash]), mac]) };
}

/** The outcome of checking an answer against the key value it names. */
export type AnswerCheck = { ok: true } | { ok: false; why: 'BAD_SIGNATURE' | 'UNSUPPORTED' | 'MALFORMED'; message: string };

const rsaHashes: Record<string, string> = { SHA256WITHRSA: 'sha256', SHA1WITHRSA: 'sha1', MD5WITHRSA: 'md5' };

function sm2SignatureOf(sig: Buffer): ReturnType<typeof sm2SignatureFromDer> {
  return sig.length === 64 ? sm2SignatureFromRaw(sig) : sm2SignatureFromDer(sig);
}

/**
 * Checks a challenge answer against the key value at the handle and index it names (an HS_PUBKEY or
 * HS_SECKEY value's type and data).
 */
export function checkChallengeAnswer(answer: ChallengeAnswer, key: { type: string; data: Buffer }, challenge: Challenge): AnswerCheck {
  const data = signedData(challenge);
  const bad = (message: string): AnswerCheck => ({ ok: false, why: 'BAD_SIGNATURE', message });
  if (answer.authType === AuthType.SECKEY) {
    if (key.type !== 'HS_SECKEY') return { ok: false, why: 'UNSUPPORTED', message: `the value at index ${answer.keyIndex} is ${key.type}, not HS_SECKEY` };
    const hash = answer.signedResponse[0];
    const mac = hash === undefined ? undefined : secretMac(hash, key.data, data);
    if (!mac) return { ok: false, why: 'UNSUPPORTED', message: `secret-key hash type ${hash ?? 'missing'} not supported (0x01, 0x02, 0x03, 0x12, 0x13 are)` };
    const given = answer.signedResponse.subarray(1);
    return given.length === mac.length && timingSafeEqual(given, mac) ? { ok: true } : bad('the secret-key answer does not match');
  }
  if (answer.authType !== AuthType.PUBKEY) return { ok: false, why: 'UNSUPPORTED', message: `auth type ${answer.authType} not supported (HS_PUBKEY, HS_SECKEY are)` };
  if (key.type !== 'HS_PUBKEY') return { ok: false, why: 'UNSUPPORTED', message: `the value at index ${answer.keyIndex} is ${key.type}, not HS_PUBKEY` };
  let sig: { algorithm: string; signature: Buffer };
  let pub;
  try {
    sig = decodePubkeySignature(answer.signedResponse);
    pub = decodePublicKey(key.data);
  } catch (e) {
    return { ok: false, why: 'MALFORMED', message: (e as Error).message };
  }
  const alg = sig.algorithm.toUpperCase();
  if (pub.type === 'SM2') {
    if (alg !== 'SM3WITHSM2') return { ok: false, why: 'UNSUPPORTED', message: `an SM2 key signs with SM3withSM2, not ${sig.algorithm}` };
    try {
      return sm2Verify(pub.point, data, sm2SignatureOf(sig.signature)) ? { ok: true } : bad('the SM2 signature does not verify');
    } catch {
      return bad('the SM2 signature is not a valid signature encoding');
    }
  }
  if (pub.type === 'RSA') {
    const hash = rsaHashes[alg];
    if (!hash) return { ok: false, why: 'UNSUPPORTED', message: `an RSA key signs with SHA256withRSA or SHA1withRSA, not ${sig.algorithm}` };
    try {
      return verify(hash, data, publicKeyToKeyObject(pub), sig.signature) ? { ok: true } : bad('the RSA signature does not verify');
    } catch {
      return { ok: false, why: 'MALFORMED', message: 'the RSA key or signature cannot be used' };
    }
  }
  return { ok: false, why: 'UNSUPPORTED', message: `${pub.type === 'OTHER' ? pub.keyType : pub.type} keys are not supported (SM2, RSA are)` };
}

/** The 65-byte SM2 public key of a 32-byte private key (to put into HS_PUBKEY with `{ type: 'SM2', point }`). */
export const sm2PublicPoint = (privateKey: Uint8Array): Buffer => sm2PublicKeyFromPrivate(privateKey);

/** The hash-type byte Yulian's nodes put in front of challenge digests. */
export const challengeDigestType = HashType.SHA256;
