import { YulianError } from '../errors/index.js';

// Just enough DER for SM2 signatures and keys: definite lengths, minimal encodings, nothing else.
// Anything outside that is refused rather than guessed at.

/** One DER element: its tag byte and its contents. */
export interface DerElement {
  tag: number;
  content: Buffer;
}

/** DER tag bytes used by SM2 keys and signatures. */
export const DerTag = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  context0: 0xa0,
  context1: 0xa1,
} as const;

const invalid = (what: string): YulianError => new YulianError('CRYPTO_INPUT_INVALID', `Malformed DER: ${what}.`);

/** Encodes one element. */
export function derEncode(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else if (n < 0x100) length = [0x81, n];
  else if (n < 0x10000) length = [0x82, n >> 8, n & 0xff];
  else throw invalid('element longer than 65535 bytes');
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

/** Encodes a SEQUENCE of already encoded elements. */
export const derSequence = (...items: Uint8Array[]): Buffer => derEncode(DerTag.sequence, Buffer.concat(items));

/** Encodes a non-negative INTEGER in its minimal two's-complement form. */
export function derInteger(value: bigint): Buffer {
  if (value < 0n) throw invalid('negative INTEGER');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return derEncode(DerTag.integer, bytes);
}

/** Reads the elements laid end to end in `data`, refusing trailing or truncated bytes. */
export function derReadAll(data: Uint8Array): DerElement[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: DerElement[] = [];
  let at = 0;
  while (at < buf.length) {
    const tag = buf[at];
    const first = buf[at + 1];
    if (tag === undefined || first === undefined) throw invalid('truncated header');
    if ((tag & 0x1f) === 0x1f) throw invalid('multi-byte tag');
    at += 2;
    let length = first;
    if (first & 0x80) {
      const count = first & 0x7f;
      if (count === 0 || count > 2) throw invalid('indefinite or oversized length');
      if (at + count > buf.length) throw invalid('truncated length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (buf[at + i] ?? 0);
      if (length < 0x80 || (count === 2 && length < 0x100)) throw invalid('non-minimal length');
      at += count;
    }
    if (at + length > buf.length) throw invalid('content runs past the end');
    out.push({ tag, content: buf.subarray(at, at + length) });
    at += length;
  }
  return out;
}

/** Reads exactly one element with the expected tag. */
export function derReadOne(data: Uint8Array, tag: number): DerElement {
  const all = derReadAll(data);
  const only = all[0];
  if (all.length !== 1 || only === undefined) throw invalid(`expected one element, found ${all.length}`);
  if (only.tag !== tag) throw invalid(`expected tag 0x${tag.toString(16)}, found 0x${only.tag.toString(16)}`);
  return only;
}

/** Reads the children of a SEQUENCE. */
export const derReadSequence = (data: Uint8Array): DerElement[] => derReadAll(derReadOne(data, DerTag.sequence).content);

/** Decodes a non-negative INTEGER element, refusing non-minimal or negative encodings. */
export function derToInteger(element: DerElement | undefined): bigint {
  if (element?.tag !== DerTag.integer) throw invalid('expected an INTEGER');
  const c = element.content;
  const b0 = c[0];
  if (b0 === undefined) throw invalid('empty INTEGER');
  if (b0 & 0x80) throw invalid('negative INTEGER');
  if (b0 === 0 && c.length > 1 && !((c[1] ?? 0) & 0x80)) throw invalid('non-minimal INTEGER');
  return BigInt(`0x${c.toString('hex')}`);
}

/** Encodes an OBJECT IDENTIFIER from its dotted form. */
export function derOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [a0, a1, ...rest] = arcs;
  if (a0 === undefined || a1 === undefined) throw invalid('OID with fewer than two arcs');
  const bytes: number[] = [];
  for (const arc of [a0 * 40n + a1, ...rest]) {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
    bytes.push(...groups);
  }
  return derEncode(DerTag.oid, Buffer.from(bytes));
}
