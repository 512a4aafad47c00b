/**
 * HS_PUBKEY value data as Handle.Net writes it (`Util.getBytesFromPublicKey`): the key type as a
 * length-prefixed string, a u16 of flags (reserved, 0), then the key's fields as length-prefixed byte
 * arrays — RSA `RSA_PUB_KEY` exponent, modulus; DSA `DSA_PUB_KEY` q, p, g, y (big integers as Java's
 * `BigInteger.toByteArray()`, a 0x00 in front when the top bit is set).
 *
 * SM2 (the national extension) is `SM2_PUB_KEY`, flags, then one byte array: the key's X.509
 * SubjectPublicKeyInfo DER (id-ecPublicKey, curve 1.2.156.10197.1.301), as the national nodes' Java SDK
 * writes it (`PublicKey.getEncoded()`). Decoding also accepts a bare point (65-byte `04‖x‖y`, 33-byte
 * compressed, or 64-byte `x‖y`) in that array, which some tools write.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { sm2DecompressPublicKey, sm2PublicKeyFromPem, sm2PublicKeyToPem } from '@yulian/core';
import { HandleDecodeError, WireReader, WireWriter } from './wire.js';

/** Key-type strings of HS_PUBKEY data. */
export const PublicKeyType = { RSA: 'RSA_PUB_KEY', DSA: 'DSA_PUB_KEY', DH: 'DH_PUB_KEY', SM2: 'SM2_PUB_KEY' } as const;

/** A public key held in an HS_PUBKEY value. Integers are unsigned big-endian (a leading 0x00 allowed). */
export type HandlePublicKey =
  | { type: 'SM2'; /** 65-byte uncompressed `04‖x‖y`. */ point: Buffer }
  | { type: 'RSA'; exponent: Buffer; modulus: Buffer }
  | { type: 'DSA'; q: Buffer; p: Buffer; g: Buffer; y: Buffer }
  /** A key type this code does not use (DH, SM9, …): its type string and the bytes after the flags. */
  | { type: 'OTHER'; keyType: string; fields: Buffer };

const pemBody = (pem: string): Buffer => Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
const derToPem = (der: Buffer): string => `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;

/**
 * The HS_PUBKEY data of a key.
 * @example encodePublicKey({ type: 'SM2', point }) // a value of type HS_PUBKEY carries this
 */
export function encodePublicKey(k: HandlePublicKey): Buffer {
  const w = new WireWriter(64);
  switch (k.type) {
    case 'SM2':
      w.string(PublicKeyType.SM2).u16(0).bytes(pemBody(sm2PublicKeyToPem(k.point)));
      break;
    case 'RSA':
      w.string(PublicKeyType.RSA).u16(0).bytes(k.exponent).bytes(k.modulus);
      break;
    case 'DSA':
      w.string(PublicKeyType.DSA).u16(0).bytes(k.q).bytes(k.p).bytes(k.g).bytes(k.y);
      break;
    case 'OTHER':
      w.string(k.keyType).u16(0).raw(k.fields);
      break;
  }
  return Buffer.from(w.finish());
}

/** The SM2 point inside an SM2_PUB_KEY byte array: SPKI DER, or a bare point. */
function sm2Point(data: Buffer): Buffer {
  try {
    if (data[0] === 0x30) return sm2PublicKeyFromPem(derToPem(data));
    if (data.length === 64) return sm2DecompressPublicKey(Buffer.concat([Buffer.from([4]), data]));
    return sm2DecompressPublicKey(data);
  } catch {
    throw new HandleDecodeError('FIELD_INVALID', 'SM2_PUB_KEY: not an SM2 public key (SPKI DER or a point on the curve)');
  }
}

/**
 * Reads HS_PUBKEY data. @throws HandleDecodeError when the bytes are not a public key of a known layout
 * @example decodePublicKey(value.data).type // 'SM2' | 'RSA' | 'DSA' | 'OTHER'
 */
export function decodePublicKey(data: Buffer): HandlePublicKey {
  const r = new WireReader(data);
  const keyType = r.string('key type');
  r.u16('key flags');
  let key: HandlePublicKey;
  switch (keyType) {
    case PublicKeyType.SM2:
      key = { type: 'SM2', point: sm2Point(r.bytes('SM2 key')) };
      break;
    case PublicKeyType.RSA:
      key = { type: 'RSA', exponent: Buffer.from(r.bytes('RSA exponent')), modulus: Buffer.from(r.bytes('RSA modulus')) };
      break;
    case PublicKeyType.DSA:
      key = { type: 'DSA', q: Buffer.from(r.bytes('DSA q')), p: Buffer.from(r.bytes('DSA p')), g: Buffer.from(r.bytes('DSA g')), y: Buffer.from(r.bytes('DSA y')) };
      break;
    default:
      return { type: 'OTHER', keyType, fields: Buffer.from(r.raw(r.remaining, 'key fields')) };
  }
  r.done('HS_PUBKEY');
  return key;
}

const unsigned = (b: Buffer): Buffer => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};
/** As Java's BigInteger.toByteArray() writes a positive number: a 0x00 in front when the top bit is set. */
const javaPositive = (b: Buffer): Buffer => {
  const u = unsigned(b);
  return u[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), u]) : u;
};

/**
 * A HandlePublicKey from a Node public key: RSA, or an EC key on the SM2 curve (for SM2 keys held as
 * bytes use `{ type: 'SM2', point }` or {@link publicKeyFromSm2}).
 * @throws Error for other key types
 */
export function publicKeyFromKeyObject(key: KeyObject): HandlePublicKey {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType === 'rsa') {
    const jwk = pub.export({ format: 'jwk' });
    return { type: 'RSA', exponent: javaPositive(Buffer.from(jwk.e!, 'base64url')), modulus: javaPositive(Buffer.from(jwk.n!, 'base64url')) };
  }
  if (pub.asymmetricKeyType === 'ec' || (pub.asymmetricKeyType as string | undefined) === 'sm2') {
    return publicKeyFromSm2(sm2PublicKeyFromPem(pub.export({ format: 'pem', type: 'spki' }).toString()));
  }
  throw new Error(`a ${pub.asymmetricKeyType ?? 'secret'} key cannot go into HS_PUBKEY here; pass an RSA key or an SM2 public key`);
}

/** A HandlePublicKey from an SM2 public key as core holds it (65-byte `04‖x‖y`, or 33-byte compressed). */
export function publicKeyFromSm2(publicKey: Uint8Array): HandlePublicKey {
  return { type: 'SM2', point: sm2DecompressPublicKey(publicKey) };
}

/** The Node KeyObject of an RSA HandlePublicKey (for `crypto.verify`). @throws Error for other types */
export function publicKeyToKeyObject(k: HandlePublicKey): KeyObject {
  if (k.type !== 'RSA') throw new Error(`only RSA keys convert to a KeyObject here (this one is ${k.type}); SM2 keys are used as points with core's sm2Verify`);
  return createPublicKey({ format: 'jwk', key: { kty: 'RSA', n: unsigned(k.modulus).toString('base64url'), e: unsigned(k.exponent).toString('base64url') } });
}

/** The 65-byte SM2 public key of an SM2 HandlePublicKey (for core's `sm2Verify`). @throws Error for other types */
export function publicKeyToSm2(k: HandlePublicKey): Buffer {
  if (k.type !== 'SM2') throw new Error(`not an SM2 key (this one is ${k.type})`);
  return k.point;
}
