import { YulianError } from '../errors/index.js';
import { DerTag, derInteger, derReadSequence, derSequence, derToInteger } from './der.js';
import { A, B, GX, GY, N, invert, mod, multiplyBase, multiplyBaseAndAdd } from './sm2-curve.js';
import { bigintToBytes, bytesToBigint, encodePoint, parsePrivateKey, parsePublicKey, randomScalar } from './sm2-keys.js';
import { type BytesLike, sm3, toBytes } from './sm3.js';

// SM2 digital signatures (GB/T 32918.2): e = SM3(Z ‖ M), r = (e + x(k·G)) mod n,
// s = (1 + d)⁻¹ · (k − r·d) mod n. Not ECDSA: Node's `sign()` on an SM2-curve key computes ECDSA.

/** The distinguishing identifier both parties use unless they agree on another (GB/T 35276). */
export const SM2_DEFAULT_ID = '1234567812345678';

/** An SM2 signature: two integers in [1, n − 1]. */
export interface Sm2Signature {
  r: bigint;
  s: bigint;
}

/** Options of `sm2Sign`. */
export interface Sm2SignOptions {
  /** The signer's distinguishing identifier; default `SM2_DEFAULT_ID`. */
  id?: BytesLike;
  /** The per-signature random k, for known-answer tests only: a repeated k reveals the private key. */
  k?: bigint;
}

/** Options of `sm2Verify`. */
export interface Sm2VerifyOptions {
  /** The signer's distinguishing identifier; default `SM2_DEFAULT_ID`. */
  id?: BytesLike;
}

const invalid = (message: string): YulianError => new YulianError('CRYPTO_INPUT_INVALID', message);
const curveBytes = Buffer.concat([A, B, GX, GY].map((v) => bigintToBytes(v)));

function userIdDigest(publicKey: Buffer, id: BytesLike): Buffer {
  const idBytes = toBytes(id);
  if (idBytes.length > 8191) throw invalid('An SM2 identifier is at most 8191 bytes (its bit length must fit 16 bits).');
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(idBytes.length * 8);
  return sm3(Buffer.concat([entl, idBytes, curveBytes, publicKey.subarray(1)]));
}

/**
 * Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), the digest binding a signer's identifier and public key.
 * @example sm2UserIdDigest(publicKey) // 32 bytes, with the default ID 1234567812345678
 */
export function sm2UserIdDigest(publicKey: Uint8Array, id: BytesLike = SM2_DEFAULT_ID): Buffer {
  return userIdDigest(encodePoint(parsePublicKey(publicKey)), id);
}

/** e = SM3(Z ‖ M) as an integer. */
const messageDigest = (publicKey: Buffer, message: BytesLike, id: BytesLike): bigint =>
  bytesToBigint(sm3(Buffer.concat([userIdDigest(publicKey, id), toBytes(message)])));

/**
 * Signs `message` (bytes, or a string as UTF-8) with a 32-byte private key; hashes Z ‖ M itself.
 * @example const sig = sm2Sign(privateKey, canonicalRecord); sm2SignatureToDer(sig)
 * @throws YulianError CRYPTO_INPUT_INVALID for a malformed key, identifier or test `k`
 */
export function sm2Sign(privateKey: Uint8Array, message: BytesLike, options: Sm2SignOptions = {}): Sm2Signature {
  const d = parsePrivateKey(privateKey);
  const e = messageDigest(encodePoint(multiplyBase(d)), message, options.id ?? SM2_DEFAULT_ID);
  if (options.k !== undefined && (options.k < 1n || options.k >= N)) throw invalid('The test k must lie in [1, n − 1].');
  // (1 + d)⁻¹ through a random blind b, so the inversion's running time says nothing about d.
  const blind = randomScalar(N - 1n);
  const inverse = mod(invert(mod((1n + d) * blind, N), N) * blind, N);
  for (;;) {
    const k = options.k ?? randomScalar(N - 1n);
    const x1 = multiplyBase(k).x;
    const r = mod(e + x1, N);
    const s = r === 0n || r + k === N ? 0n : mod(inverse * (k - r * d), N);
    if (s !== 0n) return { r, s };
    if (options.k !== undefined) throw invalid('The test k gives r = 0, r + k = n or s = 0; choose another.');
  }
}

/**
 * Verifies an SM2 signature. Answers false for any wrong or out-of-range signature, never throws for one.
 * @example sm2Verify(publicKey, record, sm2SignatureFromDer(der)) // true or false
 * @throws YulianError CRYPTO_INPUT_INVALID when the public key or identifier is malformed
 */
export function sm2Verify(publicKey: Uint8Array, message: BytesLike, signature: Sm2Signature, options: Sm2VerifyOptions = {}): boolean {
  const point = parsePublicKey(publicKey);
  const { r, s } = signature;
  if (typeof r !== 'bigint' || typeof s !== 'bigint') return false;
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const e = messageDigest(encodePoint(point), message, options.id ?? SM2_DEFAULT_ID);
  const t = mod(r + s, N);
  if (t === 0n) return false;
  const sum = multiplyBaseAndAdd(s, t, point);
  return sum !== null && mod(e + sum.x, N) === r;
}

/**
 * The DER encoding `SEQUENCE { INTEGER r, INTEGER s }` used by OpenSSL, X.509 and GM/T 0009.
 * @example sm2SignatureToDer(sm2Sign(privateKey, data)).toString('base64')
 */
export const sm2SignatureToDer = (signature: Sm2Signature): Buffer => derSequence(derInteger(signature.r), derInteger(signature.s));

/**
 * Decodes a DER signature strictly (minimal encodings, no trailing bytes); range checks are `sm2Verify`'s.
 * @throws YulianError CRYPTO_INPUT_INVALID
 */
export function sm2SignatureFromDer(der: Uint8Array): Sm2Signature {
  const items = derReadSequence(der);
  if (items.length !== 2 || items.some((i) => i.tag !== DerTag.integer)) throw invalid('An SM2 DER signature is a SEQUENCE of two INTEGERs.');
  return { r: derToInteger(items[0]), s: derToInteger(items[1]) };
}

/**
 * The raw 64-byte encoding `r ‖ s` (32 bytes each, big-endian), as sm-crypto and many GM devices use.
 * @example sm2SignatureToRaw(sig).toString('hex') // 128 hex digits
 */
export function sm2SignatureToRaw(signature: Sm2Signature): Buffer {
  const { r, s } = signature;
  if (r < 0n || s < 0n || r >= 1n << 256n || s >= 1n << 256n) throw invalid('r and s of an SM2 signature fit 32 bytes each.');
  return Buffer.concat([bigintToBytes(r), bigintToBytes(s)]);
}

/**
 * Decodes a raw 64-byte `r ‖ s` signature.
 * @throws YulianError CRYPTO_INPUT_INVALID when it is not 64 bytes
 */
export function sm2SignatureFromRaw(raw: Uint8Array): Sm2Signature {
  if (raw.length !== 64) throw invalid(`A raw SM2 signature is 64 bytes (r ‖ s); got ${raw.length}.`);
  return { r: bytesToBigint(raw.subarray(0, 32)), s: bytesToBigint(raw.subarray(32)) };
}
