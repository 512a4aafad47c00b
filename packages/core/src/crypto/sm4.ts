import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { YulianError } from '../errors/index.js';
import { type BytesLike, hmacSm3, toBytes } from './sm3.js';

// SM4 (GB/T 32907) through Node's native OpenSSL ciphers. OpenSSL has no SM4-GCM in Node 20, so the
// authenticated mode below is encrypt-then-MAC: SM4-CTR, then HMAC-SM3 over everything that matters.

/** SM4's block and key size in bytes. */
export const SM4_BLOCK_BYTES = 16;

const SEAL_VERSION = 0x01;
const IV_BYTES = 16;
const TAG_BYTES = 32;
const SEAL_OVERHEAD = 1 + IV_BYTES + TAG_BYTES;

const invalid = (message: string): YulianError => new YulianError('CRYPTO_INPUT_INVALID', message);

function checkKey(key: Uint8Array): void {
  if (key.length !== SM4_BLOCK_BYTES) throw invalid(`An SM4 key is 16 bytes; got ${key.length}.`);
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== SM4_BLOCK_BYTES) throw invalid(`An SM4 IV or counter block is 16 bytes; got ${iv.length}.`);
}

/** One native SM4 operation; only CBC pads (PKCS#7). */
interface Sm4Op {
  mode: 'ecb' | 'cbc' | 'ctr';
  decrypt?: boolean;
}

function run(op: Sm4Op, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Buffer {
  checkKey(key);
  if (iv !== null) checkIv(iv);
  const c = op.decrypt ? createDecipheriv(`sm4-${op.mode}`, key, iv) : createCipheriv(`sm4-${op.mode}`, key, iv);
  c.setAutoPadding(op.mode === 'cbc');
  try {
    return Buffer.concat([c.update(data), c.final()]);
  } catch (cause) {
    // OpenSSL's only complaints here are a bad length (no padding) or bad PKCS#7 padding.
    const what = `SM4-${op.mode.toUpperCase()} ${op.decrypt ? 'decryption' : 'encryption'}`;
    throw new YulianError('CRYPTO_INPUT_INVALID', `${what} failed: wrong length or padding.`, { cause });
  }
}

/**
 * SM4-ECB without padding: raw blocks, for test vectors and key wrapping of single blocks only.
 * @example sm4EncryptEcb(key, block) // 16 bytes in, 16 bytes out
 */
export const sm4EncryptEcb = (key: Uint8Array, blocks: Uint8Array): Buffer => run({ mode: 'ecb' }, key, null, blocks);

/**
 * Inverse of `sm4EncryptEcb`; the length must be a multiple of 16.
 * @example sm4DecryptEcb(key, sm4EncryptEcb(key, block)) // block
 */
export const sm4DecryptEcb = (key: Uint8Array, blocks: Uint8Array): Buffer => run({ mode: 'ecb', decrypt: true }, key, null, blocks);

/**
 * SM4-CBC with PKCS#7 padding. The IV must be unpredictable (random) for each message under a key.
 * Unauthenticated: prefer `sm4Seal` unless a peer's format demands CBC.
 * @example sm4EncryptCbc(key, randomBytes(16), 'hello')
 */
export const sm4EncryptCbc = (key: Uint8Array, iv: Uint8Array, plaintext: BytesLike): Buffer =>
  run({ mode: 'cbc' }, key, iv, toBytes(plaintext));

/**
 * Inverse of `sm4EncryptCbc`; throws CRYPTO_INPUT_INVALID on a bad length or padding.
 * @example sm4DecryptCbc(key, iv, ciphertext).toString('utf8')
 */
export const sm4DecryptCbc = (key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Buffer => run({ mode: 'cbc', decrypt: true }, key, iv, ciphertext);

/**
 * SM4-CTR (128-bit big-endian counter starting at `iv`); the same call encrypts and decrypts.
 * Never reuse a counter block under one key. Unauthenticated: prefer `sm4Seal`.
 * @example const c = sm4Ctr(key, iv, 'hello'); sm4Ctr(key, iv, c).toString() // 'hello'
 */
export const sm4Ctr = (key: Uint8Array, iv: Uint8Array, data: BytesLike): Buffer => run({ mode: 'ctr' }, key, iv, toBytes(data));

/** The encryption and MAC keys derived from one 16-byte key, so the caller manages a single secret. */
function subkeys(key: Uint8Array): { enc: Buffer; mac: Buffer } {
  checkKey(key);
  return { enc: hmacSm3(key, 'yulian/sm4-seal/v1/enc').subarray(0, SM4_BLOCK_BYTES), mac: hmacSm3(key, 'yulian/sm4-seal/v1/mac') };
}

function tagOf(macKey: Buffer, header: Buffer, ciphertext: Uint8Array, aad: Buffer): Buffer {
  const aadLength = Buffer.alloc(8);
  aadLength.writeBigUInt64BE(BigInt(aad.length));
  // version ‖ len(aad) ‖ aad ‖ iv ‖ ciphertext: the length prefix keeps aad and ciphertext from sliding.
  return hmacSm3(macKey, Buffer.concat([header.subarray(0, 1), aadLength, aad, header.subarray(1), ciphertext]));
}

/**
 * Authenticated SM4 encryption for data at rest (encrypt-then-MAC; Node has no SM4-GCM).
 *
 * Format: `version (1 byte, 0x01) ‖ iv (16 random bytes) ‖ ciphertext (as long as the plaintext) ‖ tag (32 bytes)`,
 * 49 bytes of overhead. From the one 16-byte `key`, `encKey = HMAC-SM3(key, "yulian/sm4-seal/v1/enc")[0..16)`
 * and `macKey = HMAC-SM3(key, "yulian/sm4-seal/v1/mac")`; `ciphertext = SM4-CTR(encKey, iv, plaintext)`;
 * `tag = HMAC-SM3(macKey, version ‖ uint64be(len(aad)) ‖ aad ‖ iv ‖ ciphertext)`. The `aad` (associated
 * data, e.g. a record id) is authenticated but not stored: `sm4Open` must be given the same bytes.
 * @example const sealed = sm4Seal(key, secret, `device:${id}`); sm4Open(key, sealed, `device:${id}`)
 */
export function sm4Seal(key: Uint8Array, plaintext: BytesLike, aad: BytesLike = ''): Buffer {
  const { enc, mac } = subkeys(key);
  const header = Buffer.concat([Buffer.from([SEAL_VERSION]), randomBytes(IV_BYTES)]);
  const ciphertext = run({ mode: 'ctr' }, enc, header.subarray(1), toBytes(plaintext));
  return Buffer.concat([header, ciphertext, tagOf(mac, header, ciphertext, toBytes(aad))]);
}

/**
 * Opens what `sm4Seal` made, checking the tag (in constant time) before decrypting anything.
 * @throws YulianError CRYPTO_INPUT_INVALID (too short, unknown version, bad key length) or
 *   CRYPTO_TAG_INVALID (wrong key or aad, or the data was altered or truncated)
 */
export function sm4Open(key: Uint8Array, sealed: Uint8Array, aad: BytesLike = ''): Buffer {
  const { enc, mac } = subkeys(key);
  const data = toBytes(sealed);
  if (data.length < SEAL_OVERHEAD) throw invalid(`Sealed data is at least ${SEAL_OVERHEAD} bytes; got ${data.length}.`);
  if (data[0] !== SEAL_VERSION) throw invalid(`Unknown sealed-data version 0x${(data[0] ?? 0).toString(16).padStart(2, '0')}.`);
  const header = data.subarray(0, 1 + IV_BYTES);
  const ciphertext = data.subarray(header.length, data.length - TAG_BYTES);
  const expected = tagOf(mac, header, ciphertext, toBytes(aad));
  if (!timingSafeEqual(expected, data.subarray(data.length - TAG_BYTES))) throw new YulianError('CRYPTO_TAG_INVALID');
  return run({ mode: 'ctr' }, enc, header.subarray(1), ciphertext);
}
