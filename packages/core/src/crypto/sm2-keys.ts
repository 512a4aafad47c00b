import { randomBytes } from 'node:crypto';
import { YulianError } from '../errors/index.js';
import { type AffinePoint, N, isOnCurve, liftX, multiplyBase } from './sm2-curve.js';

/** An SM2 key pair: a 32-byte private key and the 65-byte uncompressed public key `04 ‖ x ‖ y`. */
export interface Sm2KeyPair {
  privateKey: Buffer;
  publicKey: Buffer;
}

const invalid = (message: string): YulianError => new YulianError('CRYPTO_INPUT_INVALID', message);

/** A big-endian unsigned integer as exactly `bytes` bytes. */
export const bigintToBytes = (value: bigint, bytes = 32): Buffer => Buffer.from(value.toString(16).padStart(bytes * 2, '0'), 'hex');

/** A big-endian unsigned integer from bytes. */
export const bytesToBigint = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`));

/** A uniformly random integer in [1, max] by rejection sampling over 32 random bytes. */
export function randomScalar(max: bigint): bigint {
  for (;;) {
    const v = bytesToBigint(randomBytes(32));
    if (v >= 1n && v <= max) return v;
  }
}

/** The scalar d of a 32-byte private key; GB/T 32918 requires 1 ≤ d ≤ n − 2 (1 + d must be invertible). */
export function parsePrivateKey(privateKey: Uint8Array): bigint {
  if (privateKey.length !== 32) throw invalid(`An SM2 private key is 32 bytes; got ${privateKey.length}.`);
  const d = bytesToBigint(privateKey);
  if (d < 1n || d > N - 2n) throw invalid('An SM2 private key must lie in [1, n − 2].');
  return d;
}

/** Encodes a point as `04 ‖ x ‖ y` (65 bytes) or, compressed, `02|03 ‖ x` (33 bytes). */
export function encodePoint(point: AffinePoint, compressed = false): Buffer {
  if (compressed) return Buffer.concat([Buffer.from([point.y & 1n ? 0x03 : 0x02]), bigintToBytes(point.x)]);
  return Buffer.concat([Buffer.from([0x04]), bigintToBytes(point.x), bigintToBytes(point.y)]);
}

/** Decodes and validates a public key, uncompressed (65 bytes) or compressed (33 bytes). */
export function parsePublicKey(publicKey: Uint8Array): AffinePoint {
  const bytes = Buffer.from(publicKey);
  const prefix = bytes[0];
  if (prefix === 0x04 && bytes.length === 65) {
    const point = { x: bytesToBigint(bytes.subarray(1, 33)), y: bytesToBigint(bytes.subarray(33)) };
    if (!isOnCurve(point)) throw invalid('The SM2 public key is not a point on the curve.');
    return point; // cofactor 1: every finite curve point has order n
  }
  if ((prefix === 0x02 || prefix === 0x03) && bytes.length === 33) {
    const point = liftX(bytesToBigint(bytes.subarray(1)), prefix === 0x03 ? 1 : 0);
    if (!point) throw invalid('The compressed SM2 public key has no point on the curve.');
    return point;
  }
  throw invalid(`An SM2 public key is 04 ‖ x ‖ y (65 bytes) or 02/03 ‖ x (33 bytes); got ${bytes.length} bytes starting 0x${(prefix ?? 0).toString(16).padStart(2, '0')}.`);
}

/**
 * A fresh SM2 key pair, d drawn uniformly from [1, n − 2] with `crypto.randomBytes`.
 * @example const { privateKey, publicKey } = sm2GenerateKeyPair() // 32 and 65 bytes
 */
export function sm2GenerateKeyPair(): Sm2KeyPair {
  const d = randomScalar(N - 2n);
  return { privateKey: bigintToBytes(d), publicKey: encodePoint(multiplyBase(d)) };
}

/**
 * The public key of a 32-byte private key: `04 ‖ x ‖ y`, or `02|03 ‖ x` with `{ compressed: true }`.
 * @example sm2PublicKeyFromPrivate(privateKey, { compressed: true }) // 33 bytes
 */
export function sm2PublicKeyFromPrivate(privateKey: Uint8Array, options: { compressed?: boolean } = {}): Buffer {
  return encodePoint(multiplyBase(parsePrivateKey(privateKey)), options.compressed ?? false);
}

/**
 * The 33-byte compressed form `02|03 ‖ x` of a valid public key in either form.
 * @example sm2CompressPublicKey(publicKey)[0] // 0x02 or 0x03
 */
export const sm2CompressPublicKey = (publicKey: Uint8Array): Buffer => encodePoint(parsePublicKey(publicKey), true);

/**
 * The 65-byte uncompressed form `04 ‖ x ‖ y` of a valid public key in either form (checks it is on the curve).
 * @example sm2DecompressPublicKey(compressed).length // 65
 */
export const sm2DecompressPublicKey = (publicKey: Uint8Array): Buffer => encodePoint(parsePublicKey(publicKey), false);
