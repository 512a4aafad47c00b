/**
 * Signed identifier records (GB/T 32918 SM2 over SM3): an `HS_SIGNATURE` value that carries, for each
 * signed value, the SM3 digest of its canonical encoding, and an SM2 signature by the registering
 * enterprise's key (an `HS_PUBKEY` value at its prefix handle) over the canonical encoding of those
 * digests. Digests per value, as Handle.Net 9's `HS_SIGNATURE` does, so a resolution filtered by type or
 * index still verifies the values it got.
 */
import { SM2_DEFAULT_ID, sm2Sign, sm2SignatureFromRaw, sm2SignatureToRaw, sm2Verify, sm3 } from '@yulian/core';
import type { SignatureReport } from '@yulian/contracts';
import { type HandleValue, WireWriter, handleValue, naPrefix } from '@yulian/protocols';
import { isUnder, parsePrefix, prefixProblem, tryParseIdentifier } from '../syntax.js';

/** The value type of a record's signature. */
export const signatureType = 'HS_SIGNATURE';
/** Where a signature goes when the record has none yet (Handle.Net's convention for HS_SIGNATURE). */
export const signatureIndex = 400;
/** The algorithm name written in the signature: SM2 signature (default ID) over SM3 digests. */
export const signatureAlgorithm = 'SM2-SM3';
/** Tag opening the signed bytes, so a record signature can never be taken for another SM2-signed message. */
const domain = 'yulian-handle-signature/1';

export type { SignatureReport } from '@yulian/contracts';

/** The key a signature names: an `HS_PUBKEY` value, `index:handle` as Handle.Net writes admin references. */
export interface SignerRef {
  handle: string;
  index: number;
}

/** What an `HS_SIGNATURE` value holds (its data is this as UTF-8 JSON). */
export interface RecordSignature {
  alg: typeof signatureAlgorithm;
  /** The identifier signed (normalised). */
  sub: string;
  /** The key, `300:0.NA/88.100.1`. */
  signer: string;
  /** Seconds since the epoch. */
  iat: number;
  /** SM3 (hex) of each signed value's canonical encoding, by index, ascending. */
  digests: Array<{ index: number; digest: string }>;
  /** The SM2 signature, r ‖ s (64 bytes), hex. */
  sig: string;
}

export const signerText = (s: SignerRef): string => `${s.index}:${s.handle}`;

/** `300:0.NA/88.100.1` → its parts, or undefined. */
export function parseSignerRef(text: string): SignerRef | undefined {
  const m = /^(\d{1,10}):(.+)$/.exec(text);
  if (!m) return undefined;
  const index = Number(m[1]);
  return index <= 0xffffffff ? { index, handle: m[2]! } : undefined;
}

/**
 * The SM3 digest of a value's canonical encoding: index, type, data, permissions, TTL type, TTL and
 * references as the Handle wire writes them — everything but the timestamp, which a store may restamp.
 */
export function valueDigest(v: HandleValue): Buffer {
  const w = new WireWriter(64 + v.data.length);
  w.u32(v.index).string(v.type).bytes(v.data).u8(v.permissions).u8(v.ttlType).u32(v.ttl).u32(v.references.length);
  for (const r of v.references) w.string(r.handle).u32(r.index);
  return sm3(w.finish());
}

/** The bytes the SM2 signature covers: domain tag, algorithm, subject, signer, time and the digests in order. */
export function signedBytes(s: Omit<RecordSignature, 'sig'>): Buffer {
  const w = new WireWriter(128 + s.digests.length * 40);
  w.string(domain).string(s.alg).string(s.sub).string(s.signer).u32(s.iat).u32(s.digests.length);
  for (const d of s.digests) w.u32(d.index).bytes(Buffer.from(d.digest, 'hex'));
  return w.finish();
}

const isSignature = (v: HandleValue): boolean => v.type === signatureType;

/**
 * The record's values with a fresh signature over every other value (an earlier signature is replaced, at
 * its index; else at {@link signatureIndex} or the first free index above it).
 * @example signRecord('88.100.1/p-1', values, { privateKey, signer: { handle: '0.NA/88.100.1', index: 300 } })
 */
export function signRecord(handle: string, values: readonly HandleValue[], key: { privateKey: Uint8Array; signer: SignerRef; now?: number }): HandleValue[] {
  const signed = values.filter((v) => !isSignature(v)).sort((a, b) => a.index - b.index);
  const iat = Math.floor((key.now ?? Date.now()) / 1000);
  const body: Omit<RecordSignature, 'sig'> = {
    alg: signatureAlgorithm,
    sub: handle,
    signer: signerText(key.signer),
    iat,
    digests: signed.map((v) => ({ index: v.index, digest: valueDigest(v).toString('hex') })),
  };
  const sig = sm2SignatureToRaw(sm2Sign(key.privateKey, signedBytes(body))).toString('hex');
  const taken = new Set(signed.map((v) => v.index));
  let index = values.find(isSignature)?.index ?? signatureIndex;
  while (taken.has(index)) index++;
  const json: RecordSignature = { ...body, sig };
  return [...signed, handleValue(index, signatureType, JSON.stringify(json), { timestamp: iat })].sort((a, b) => a.index - b.index);
}

/** The signature a value holds, or why it cannot be read. */
export function readSignature(v: HandleValue): RecordSignature | string {
  let j: unknown;
  try {
    j = JSON.parse(v.data.toString('utf8'));
  } catch {
    return 'the HS_SIGNATURE value is not JSON';
  }
  if (typeof j !== 'object' || j === null) return 'the HS_SIGNATURE value is not a JSON object';
  const s = j as Partial<RecordSignature>;
  if (s.alg !== signatureAlgorithm) return `unsupported signature algorithm ${JSON.stringify(s.alg)} (supported: ${signatureAlgorithm})`;
  if (typeof s.sub !== 'string' || typeof s.signer !== 'string' || !parseSignerRef(s.signer)) return 'the signature names no subject or signer';
  if (typeof s.iat !== 'number' || !Number.isInteger(s.iat) || s.iat < 0 || s.iat > 0xffffffff) return 'the signature has no valid time';
  if (typeof s.sig !== 'string' || !/^[0-9a-f]{128}$/i.test(s.sig)) return 'the signature is not 64 bytes of hex';
  if (!Array.isArray(s.digests)) return 'the signature lists no digests';
  for (const d of s.digests as unknown[]) {
    const e = d as { index?: unknown; digest?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.index !== 'number' || !Number.isInteger(e.index) || e.index < 0 || e.index > 0xffffffff || typeof e.digest !== 'string' || !/^[0-9a-f]{64}$/i.test(e.digest)) {
      return 'a digest entry is malformed';
    }
  }
  return s as RecordSignature;
}

/**
 * Whether a signer may sign an identifier: its key must sit at the prefix handle of the identifier's
 * prefix or of a prefix above it (the enterprise's `0.NA/88.100.1`, or the secondary node's `0.NA/88.100`
 * signing for enterprises it hosts).
 */
export function signerCovers(signer: SignerRef, handle: string): boolean {
  if (!signer.handle.toUpperCase().startsWith(`${naPrefix}/`)) return false;
  const id = tryParseIdentifier(handle);
  const above = signer.handle.slice(naPrefix.length + 1);
  return typeof id !== 'string' && prefixProblem(above) === undefined && isUnder(id.prefix, parsePrefix(above));
}

/**
 * SM2 verifications already done (key, signature and signed bytes → result): a resolver answering the same
 * record again checks its values' digests (SM3, microseconds) but not the signature (~1 ms) again. Bounded.
 */
export class VerifiedSignatures {
  private readonly results = new Map<string, boolean>();
  constructor(private readonly limit = 10_000) {}
  get(key: string): boolean | undefined {
    return this.results.get(key);
  }
  set(key: string, ok: boolean): void {
    if (this.results.size >= this.limit) this.results.delete(this.results.keys().next().value!);
    this.results.set(key, ok);
  }
}

/** The SM2 public key (uncompressed point) of a signer, or undefined when it cannot be found. */
export type SignerKeyLookup = (signer: SignerRef) => Promise<Uint8Array | undefined>;

/**
 * Checks the signature of the values a resolution answered (all of the record's, or those the filters
 * kept): each answered value must match its digest, and the SM2 signature must hold under the signer's key.
 */
export async function verifyRecord(handle: string, values: readonly HandleValue[], keyOf: SignerKeyLookup, options: { verified?: VerifiedSignatures } = {}): Promise<SignatureReport> {
  const sigValue = values.find(isSignature);
  if (!sigValue) return { status: 'unsigned' };
  const s = readSignature(sigValue);
  if (typeof s === 'string') return { status: 'invalid', reason: s };
  const base = { signer: s.signer, signedAt: new Date(s.iat * 1000).toISOString() };
  if (s.sub !== handle) return { ...base, status: 'invalid', reason: `the signature is for ${s.sub}, not ${handle}` };
  const signer = parseSignerRef(s.signer)!;
  if (!signerCovers(signer, handle)) return { ...base, status: 'invalid', reason: `signer ${s.signer} is not the prefix handle of ${handle} or of a prefix above it` };
  let key: Uint8Array | undefined;
  try {
    key = await keyOf(signer);
  } catch (e) {
    return { ...base, status: 'unverifiable', reason: `the signer's key could not be read: ${(e as Error).message}` };
  }
  if (!key) return { ...base, status: 'unverifiable', reason: `no SM2 HS_PUBKEY at ${s.signer}` };
  const bytes = signedBytes(s);
  const memo = options.verified && `${Buffer.from(key).toString('hex')}:${s.sig}:${sm3(bytes).toString('hex')}`;
  let ok = memo ? options.verified!.get(memo) : undefined;
  if (ok === undefined) {
    try {
      ok = sm2Verify(key, bytes, sm2SignatureFromRaw(Buffer.from(s.sig, 'hex')), { id: SM2_DEFAULT_ID });
    } catch (e) {
      return { ...base, status: 'unverifiable', reason: `the signer's key is not a valid SM2 key: ${(e as Error).message}` };
    }
    if (memo) options.verified!.set(memo, ok);
  }
  if (!ok) return { ...base, status: 'invalid', reason: 'the SM2 signature does not verify under the signer’s key' };
  const digests = new Map(s.digests.map((d) => [d.index, d.digest.toLowerCase()]));
  const verified: number[] = [];
  const unsigned: number[] = [];
  for (const v of values) {
    if (v === sigValue) continue;
    const want = digests.get(v.index);
    if (want === undefined) unsigned.push(v.index);
    else if (valueDigest(v).toString('hex') !== want) return { ...base, status: 'invalid', reason: `value ${v.index} (${v.type}) was changed after signing` };
    else verified.push(v.index);
  }
  return unsigned.length ? { ...base, status: 'partial', verified, unsigned, reason: `values ${unsigned.join(', ')} are not signed` } : { ...base, status: 'valid', verified };
}
