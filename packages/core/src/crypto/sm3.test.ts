import { describe, expect, it } from 'vitest';
import { hmacSm3, sm3 } from './sm3.js';

/** RFC 2104 spelled out over SM3 (64-byte blocks), as an independent definition of HMAC-SM3. */
function hmacByHand(key: Buffer, data: Buffer): Buffer {
  const block = Buffer.alloc(64);
  (key.length > 64 ? sm3(key) : key).copy(block);
  const pad = (byte: number): Buffer => Buffer.from(block.map((b) => b ^ byte));
  return sm3(Buffer.concat([pad(0x5c), sm3(Buffer.concat([pad(0x36), data]))]));
}

describe('SM3', () => {
  it('hashes "abc" to the GB/T 32905 vector', () => {
    expect(sm3('abc').toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('hashes "abcd" × 16 to the GB/T 32905 vector', () => {
    expect(sm3('abcd'.repeat(16)).toString('hex')).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('reads strings as UTF-8 and accepts any Uint8Array view', () => {
    const bytes = new TextEncoder().encode('标识解析');
    expect(sm3('标识解析')).toEqual(sm3(bytes));
    const view = new Uint8Array(Buffer.from('xxabcxx').buffer, Buffer.from('xxabcxx').byteOffset + 2, 3);
    expect(sm3(view)).toEqual(sm3('abc'));
  });

  it('computes HMAC-SM3 as RFC 2104 defines it, for short and long keys', () => {
    for (const key of [Buffer.from('key'), Buffer.alloc(64, 7), Buffer.alloc(100, 9)]) {
      const data = Buffer.from('The quick brown fox jumps over the lazy dog');
      expect(hmacSm3(key, data)).toEqual(hmacByHand(key, data));
    }
    expect(hmacSm3('k1', 'm')).not.toEqual(hmacSm3('k2', 'm'));
  });
});
