import { createHash, createHmac } from 'node:crypto';

/** Bytes, or a string taken as UTF-8. */
export type BytesLike = Uint8Array | string;

/** The bytes of `data`, reading a string as UTF-8. */
export const toBytes = (data: BytesLike): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * The SM3 hash (GB/T 32905) of `data`: 32 bytes. Node's OpenSSL implements SM3 natively.
 * @example sm3('abc').toString('hex') // '66c7f0f4…8f4ba8e0'
 */
export const sm3 = (data: BytesLike): Buffer => createHash('sm3').update(toBytes(data)).digest();

/**
 * HMAC-SM3 (RFC 2104 over SM3) of `data` under `key`: 32 bytes.
 * @example hmacSm3(key, 'payload')
 */
export const hmacSm3 = (key: BytesLike, data: BytesLike): Buffer => createHmac('sm3', toBytes(key)).update(toBytes(data)).digest();
