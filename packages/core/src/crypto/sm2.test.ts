import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { N } from './sm2-curve.js';
import { sm2GenerateKeyPair, sm2PublicKeyFromPrivate } from './sm2-keys.js';
import {
  type Sm2Signature,
  sm2Sign,
  sm2SignatureFromDer,
  sm2SignatureFromRaw,
  sm2SignatureToDer,
  sm2SignatureToRaw,
  sm2UserIdDigest,
  sm2Verify,
} from './sm2.js';
import { sm3 } from './sm3.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const code = (c: string) => expect.objectContaining({ code: c });

// GB/T 32918 (recommended curve), from /work/shared/reference/security.md; the public key, Z and e are
// the intermediate values printed in GB/T 32918.5's example for the same d.
const vector = {
  d: hex('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8'),
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  message: 'message digest',
  r: 0xf5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3n,
  s: 0xb1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aan,
  publicKey: hex(
    '04' + '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' + 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  ),
  z: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
};

const flipBit = (b: Uint8Array, at: number, bit = 0): Buffer => {
  const out = Buffer.from(b);
  out[at] = (out[at] ?? 0) ^ (1 << bit);
  return out;
};

describe('SM2 signatures against the GB/T 32918 vector', () => {
  it('derives the public key, Z and e of the example', () => {
    const publicKey = sm2PublicKeyFromPrivate(vector.d);
    expect(publicKey).toEqual(vector.publicKey);
    const z = sm2UserIdDigest(publicKey, '1234567812345678');
    expect(z.toString('hex')).toBe(vector.z);
    expect(sm2UserIdDigest(publicKey)).toEqual(z);
    expect(sm3(Buffer.concat([z, Buffer.from(vector.message)])).toString('hex')).toBe(vector.e);
  });

  it('signs "message digest" with the given k to the expected r and s, byte for byte', () => {
    const sig = sm2Sign(vector.d, vector.message, { id: '1234567812345678', k: vector.k });
    expect(sig).toEqual({ r: vector.r, s: vector.s });
    expect(sm2SignatureToRaw(sig).toString('hex').toUpperCase()).toBe(
      'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
    );
  });

  it('verifies the expected signature and refuses it for another message or ID', () => {
    const sig = { r: vector.r, s: vector.s };
    expect(sm2Verify(vector.publicKey, vector.message, sig)).toBe(true);
    expect(sm2Verify(vector.publicKey, Buffer.from(vector.message), sig, { id: Buffer.from('1234567812345678') })).toBe(true);
    expect(sm2Verify(vector.publicKey, 'message digesu', sig)).toBe(false);
    expect(sm2Verify(vector.publicKey, vector.message, sig, { id: 'ALICE123@YAHOO.COM' })).toBe(false);
  });

  it('refuses a test k outside [1, n − 1]', () => {
    expect(() => sm2Sign(vector.d, 'm', { k: 0n })).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm2Sign(vector.d, 'm', { k: N })).toThrow(code('CRYPTO_INPUT_INVALID'));
  });
});

describe('SM2 sign and verify', () => {
  it('round-trips random keys and messages of many lengths, including empty ones', () => {
    for (let i = 0; i < 12; i++) {
      const { privateKey, publicKey } = sm2GenerateKeyPair();
      const message = randomBytes(i * 37);
      const sig = sm2Sign(privateKey, message);
      expect(sm2Verify(publicKey, message, sig)).toBe(true);
      expect(sm2Verify(sm2PublicKeyFromPrivate(privateKey, { compressed: true }), message, sig)).toBe(true);
    }
  });

  it('uses a fresh k each time, so two signatures of one message differ and both verify', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const a = sm2Sign(privateKey, 'same');
    const b = sm2Sign(privateKey, 'same');
    expect(a.r).not.toBe(b.r);
    expect(sm2Verify(publicKey, 'same', a) && sm2Verify(publicKey, 'same', b)).toBe(true);
  });

  it('refuses a flipped bit in the message, r, s or the public key, and another ID', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const message = randomBytes(64);
    const sig = sm2Sign(privateKey, message, { id: 'device-7@88.100.1' });
    expect(sm2Verify(publicKey, message, sig, { id: 'device-7@88.100.1' })).toBe(true);
    expect(sm2Verify(publicKey, message, sig)).toBe(false);
    expect(sm2Verify(publicKey, message, sig, { id: 'device-8@88.100.1' })).toBe(false);
    for (const at of [0, 31, 63]) expect(sm2Verify(publicKey, flipBit(message, at, at % 8), sig, { id: 'device-7@88.100.1' })).toBe(false);
    for (const bit of [0n, 100n, 255n]) {
      expect(sm2Verify(publicKey, message, { r: sig.r ^ (1n << bit), s: sig.s }, { id: 'device-7@88.100.1' })).toBe(false);
      expect(sm2Verify(publicKey, message, { r: sig.r, s: sig.s ^ (1n << bit) }, { id: 'device-7@88.100.1' })).toBe(false);
    }
    // Another valid key: flipping the compression parity negates the point.
    const negated = sm2PublicKeyFromPrivate(privateKey, { compressed: true });
    negated[0] = negated[0] === 0x02 ? 0x03 : 0x02;
    expect(sm2Verify(negated, message, sig, { id: 'device-7@88.100.1' })).toBe(false);
    expect(sm2Verify(sm2GenerateKeyPair().publicKey, message, sig, { id: 'device-7@88.100.1' })).toBe(false);
  });

  it('refuses r or s equal to 0 or at least n, and r + s = n, without throwing', () => {
    const { privateKey, publicKey } = sm2GenerateKeyPair();
    const { r, s } = sm2Sign(privateKey, 'm');
    const bad: Sm2Signature[] = [
      { r: 0n, s },
      { r, s: 0n },
      { r: N, s },
      { r, s: N },
      { r: r + N, s },
      { r, s: s + N },
      { r: -r, s },
      { r: N - s, s },
      { r: 1n << 256n, s },
    ];
    for (const sig of bad) expect(sm2Verify(publicKey, 'm', sig)).toBe(false);
  });

  it('throws CRYPTO_INPUT_INVALID for a malformed key, never for a bad signature', () => {
    const { publicKey } = sm2GenerateKeyPair();
    const sig = { r: 1n, s: 1n };
    expect(sm2Verify(publicKey, 'm', sig)).toBe(false);
    expect(() => sm2Verify(publicKey.subarray(0, 64), 'm', sig)).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm2Verify(flipBit(publicKey, 64), 'm', sig)).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm2Sign(Buffer.alloc(32), 'm')).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm2Sign(Buffer.from((N - 1n).toString(16), 'hex'), 'm')).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm2Sign(randomBytes(31), 'm')).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm2Verify(publicKey, 'm', sig, { id: Buffer.alloc(8192) })).toThrow(code('CRYPTO_INPUT_INVALID'));
  });

  it('accepts the largest private key, n − 2', () => {
    const privateKey = Buffer.from((N - 2n).toString(16), 'hex');
    expect(sm2Verify(sm2PublicKeyFromPrivate(privateKey), 'm', sm2Sign(privateKey, 'm'))).toBe(true);
  });
});

describe('SM2 signature encodings', () => {
  it('round-trips DER and raw encodings', () => {
    const { privateKey } = sm2GenerateKeyPair();
    for (let i = 0; i < 10; i++) {
      const sig = sm2Sign(privateKey, `m${i}`);
      const der = sm2SignatureToDer(sig);
      expect(der[0]).toBe(0x30);
      expect(sm2SignatureFromDer(der)).toEqual(sig);
      expect(sm2SignatureToRaw(sig).length).toBe(64);
      expect(sm2SignatureFromRaw(sm2SignatureToRaw(sig))).toEqual(sig);
    }
  });

  it('encodes small and high-bit integers minimally', () => {
    expect(sm2SignatureToDer({ r: 1n, s: 0x80n }).toString('hex')).toBe('3007020101020200' + '80');
    expect(sm2SignatureToRaw({ r: 1n, s: 2n }).toString('hex')).toBe('00'.repeat(31) + '01' + '00'.repeat(31) + '02');
  });

  it('refuses malformed DER and raw signatures', () => {
    const good = sm2SignatureToDer({ r: 5n, s: 7n });
    const bad = [
      Buffer.concat([good, Buffer.from([0])]), // trailing byte
      good.subarray(0, good.length - 1), // truncated
      Buffer.from('300702020005020107', 'hex'), // non-minimal INTEGER
      Buffer.from('3006020185020107', 'hex'), // negative INTEGER
      Buffer.from('3003020105', 'hex'), // one INTEGER
      Buffer.from('3006020105040107', 'hex'), // s not an INTEGER
      Buffer.from('3106020105020107', 'hex'), // SET, not SEQUENCE
      Buffer.from('308106020105020107', 'hex'), // non-minimal length
    ];
    for (const der of bad) expect(() => sm2SignatureFromDer(der)).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm2SignatureFromRaw(randomBytes(63))).toThrow(code('CRYPTO_INPUT_INVALID'));
    expect(() => sm2SignatureToRaw({ r: 1n << 256n, s: 1n })).toThrow(code('CRYPTO_INPUT_INVALID'));
  });
});
