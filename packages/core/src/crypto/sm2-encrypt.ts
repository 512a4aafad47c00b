import { timingSafeEqual } from 'node:crypto';
import { YulianError } from '../errors/index.js';
import { N, multiplyBase, multiplySecret } from './sm2-curve.js';
import { bigintToBytes, encodePoint, parsePrivateKey, parsePublicKey, randomScalar } from './sm2-keys.js';
import { type BytesLike, sm3, toBytes } from './sm3.js';

// SM2 public-key encryption (GB/T 32918.4) in the C1 ‖ C3 ‖ C2 order of the 2016 standard:
// C1 = k·G (65 bytes, 04 ‖ x ‖ y), C3 = SM3(x2 ‖ M ‖ y2) (32 bytes), C2 = M ⊕ KDF(x2 ‖ y2, len(M)).
// For bulk data, encrypt an SM4 key with this and the data with `sm4Seal`.

const C1_BYTES = 65;
const C3_BYTES = 32;

/** The SM3-based key derivation function of GB/T 32918.4, section 5.4.3. */
function kdf(z: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let ct = 1; blocks.length * 32 < length; ct++) {
    counter.writeUInt32BE(ct);
    blocks.push(sm3(Buffer.concat([z, counter])));
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((v, i) => v ^ (b[i] ?? 0)));
const allZero = (b: Buffer): boolean => b.length > 0 && b.every((v) => v === 0);

/**
 * Encrypts `plaintext` to an SM2 public key; the result is C1 ‖ C3 ‖ C2, 97 bytes longer than the input.
 * @example const c = sm2Encrypt(publicKey, sm4Key); sm2Decrypt(privateKey, c).equals(sm4Key) // true
 */
export function sm2Encrypt(publicKey: Uint8Array, plaintext: BytesLike): Buffer {
  const point = parsePublicKey(publicKey);
  const message = toBytes(plaintext);
  for (;;) {
    const k = randomScalar(N - 1n);
    const shared = multiplySecret(k, point);
    if (!shared) continue; // unreachable for a valid key: its order is n
    const z = Buffer.concat([bigintToBytes(shared.x), bigintToBytes(shared.y)]);
    const t = kdf(z, message.length);
    if (allZero(t)) continue;
    const c3 = sm3(Buffer.concat([z.subarray(0, 32), message, z.subarray(32)]));
    return Buffer.concat([encodePoint(multiplyBase(k)), c3, xor(message, t)]);
  }
}

/**
 * Decrypts what `sm2Encrypt` (or another GB/T 32918.4 implementation in C1C3C2 order) produced.
 * @throws YulianError CRYPTO_INPUT_INVALID (malformed, C1 not on the curve) or CRYPTO_TAG_INVALID (wrong key, altered)
 */
export function sm2Decrypt(privateKey: Uint8Array, ciphertext: Uint8Array): Buffer {
  const d = parsePrivateKey(privateKey);
  const data = toBytes(ciphertext);
  if (data.length < C1_BYTES + C3_BYTES || data[0] !== 0x04) {
    throw new YulianError('CRYPTO_INPUT_INVALID', 'SM2 ciphertext is C1 (04 ‖ x ‖ y, 65 bytes) ‖ C3 (32 bytes) ‖ C2.');
  }
  const c1 = parsePublicKey(data.subarray(0, C1_BYTES));
  const shared = multiplySecret(d, c1);
  if (!shared) throw new YulianError('CRYPTO_INPUT_INVALID', 'SM2 ciphertext C1 is not a valid point.');
  const z = Buffer.concat([bigintToBytes(shared.x), bigintToBytes(shared.y)]);
  const c2 = data.subarray(C1_BYTES + C3_BYTES);
  const t = kdf(z, c2.length);
  const message = xor(c2, t);
  const c3 = sm3(Buffer.concat([z.subarray(0, 32), message, z.subarray(32)]));
  if (allZero(t) || !timingSafeEqual(c3, data.subarray(C1_BYTES, C1_BYTES + C3_BYTES))) throw new YulianError('CRYPTO_TAG_INVALID', 'The SM2 ciphertext does not check out: wrong key, or it was altered.');
  return message;
}
