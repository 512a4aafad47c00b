/**
 * Handle protocol messages (RFC 3652 §2): Envelope (20 bytes) + Header (24 bytes) + Body + Credential
 * (u32 length, 0 = none). Over TCP one envelope precedes the whole message; over UDP each datagram has
 * its own envelope and at most 492 bytes of the message ({@link splitForUdp}, {@link UdpReassembler}).
 */
import { createHash } from 'node:crypto';
import { EnvelopeFlag, HashType, OpFlag, envelopeSize, headerSize, maxMessageLength, protocolVersion, udpPayloadSize } from './constants.js';
import { type HandleValue, readValueList, writeValue } from './values.js';
import { HandleDecodeError, WireReader, WireWriter } from './wire.js';

/** The envelope of a message or of one UDP packet of it. */
export interface Envelope {
  major: number;
  minor: number;
  /** Compressed, encrypted, truncated bits ({@link EnvelopeFlag}). */
  flags: number;
  suggestedMajor: number;
  suggestedMinor: number;
  sessionId: number;
  requestId: number;
  sequence: number;
  /** Length of the whole message (not of this packet). */
  messageLength: number;
}

/** The message header. */
export interface Header {
  opCode: number;
  responseCode: number;
  opFlag: number;
  /** -1 when none (0xffff on the wire). */
  siteInfoSerial: number;
  recursionCount: number;
  /** Epoch seconds after which the message is void. */
  expiration: number;
}

/** A decoded message: what a node acts on. */
export interface HandleMessage {
  envelope: Envelope;
  header: Header;
  body: Buffer;
  credential: Buffer;
}

export function encodeEnvelope(w: WireWriter, e: Omit<Envelope, 'major' | 'minor' | 'suggestedMajor' | 'suggestedMinor'> & Partial<Envelope>): void {
  w.u8(e.major ?? protocolVersion.major)
    .u8(e.minor ?? protocolVersion.minor)
    .u8((e.flags & 0xe0) | ((e.suggestedMajor ?? protocolVersion.suggestedMajor) & 0x03))
    .u8(e.suggestedMinor ?? protocolVersion.suggestedMinor)
    .u32(e.sessionId)
    .u32(e.requestId)
    .u32(e.sequence)
    .u32(e.messageLength);
}

/**
 * Writes an envelope into the first 20 bytes of `buf` from `offset` (a packet whose message was written
 * after room left for it), as {@link encodeEnvelope} writes one.
 */
export function writeEnvelope(buf: Buffer, e: Omit<Envelope, 'major' | 'minor' | 'suggestedMajor' | 'suggestedMinor'> & Partial<Envelope>, offset = 0): void {
  buf[offset] = (e.major ?? protocolVersion.major) & 0xff;
  buf[offset + 1] = (e.minor ?? protocolVersion.minor) & 0xff;
  buf[offset + 2] = (e.flags & 0xe0) | ((e.suggestedMajor ?? protocolVersion.suggestedMajor) & 0x03);
  buf[offset + 3] = (e.suggestedMinor ?? protocolVersion.suggestedMinor) & 0xff;
  buf.writeUInt32BE(e.sessionId >>> 0, offset + 4);
  buf.writeUInt32BE(e.requestId >>> 0, offset + 8);
  buf.writeUInt32BE(e.sequence >>> 0, offset + 12);
  buf.writeUInt32BE(e.messageLength >>> 0, offset + 16);
}

/** Reads an envelope; refuses a major version other than 2 and lengths beyond 256 KiB. */
export function decodeEnvelope(buf: Buffer, offset = 0): Envelope {
  if (buf.length - offset < envelopeSize) throw new HandleDecodeError('TRUNCATED', `envelope: needs ${envelopeSize} bytes, ${buf.length - offset} given`);
  const major = buf[offset]!;
  const minor = buf[offset + 1]!;
  const flagsByte = buf[offset + 2]!;
  if (major !== 2) throw new HandleDecodeError('VERSION_UNSUPPORTED', `protocol version ${major}.${minor} unsupported (2.x spoken)`);
  const messageLength = buf.readUInt32BE(offset + 16);
  if (messageLength > maxMessageLength) throw new HandleDecodeError('TOO_LONG', `message length ${messageLength} beyond ${maxMessageLength}`);
  if (messageLength < headerSize + 4) throw new HandleDecodeError('LENGTH_INVALID', `message length ${messageLength} shorter than a header and credential`);
  return {
    major,
    minor,
    flags: flagsByte & 0xe0,
    suggestedMajor: flagsByte & 0x03,
    suggestedMinor: buf[offset + 3]!,
    sessionId: buf.readUInt32BE(offset + 4),
    requestId: buf.readUInt32BE(offset + 8),
    sequence: buf.readUInt32BE(offset + 12),
    messageLength,
  };
}

/**
 * Header + body + credential: the message as the envelope's length counts it. (Here and below, each
 * writer is the function's own: its bytes are returned as they are, not copied again.)
 */
export function encodeMessageBody(header: Header, body: Uint8Array, credential: Uint8Array = Buffer.alloc(0)): Buffer {
  const w = new WireWriter(headerSize + body.length + 4 + credential.length);
  writeHeader(w, header, body.length);
  w.raw(body).bytes(credential);
  return w.finish();
}

function writeHeader(w: WireWriter, h: Header, bodyLength: number): void {
  w.u32(h.opCode).u32(h.responseCode).u32(h.opFlag).u16(h.siteInfoSerial < 0 ? 0xffff : h.siteInfoSerial).u8(h.recursionCount).u8(0).u32(h.expiration).u32(bodyLength);
}

/** A whole message with one envelope (TCP, or a UDP message that fits one packet). */
export function encodeMessage(envelope: { requestId: number; sessionId?: number; flags?: number }, header: Header, body: Uint8Array, credential?: Uint8Array): Buffer {
  const message = encodeMessageBody(header, body, credential);
  const w = new WireWriter(envelopeSize + message.length);
  encodeEnvelope(w, { flags: envelope.flags ?? 0, sessionId: envelope.sessionId ?? 0, requestId: envelope.requestId, sequence: 0, messageLength: message.length });
  w.raw(message);
  return w.finish();
}

/** Decodes header, body and credential of a whole message (the bytes after the envelope). */
export function decodeMessage(envelope: Envelope, message: Buffer): HandleMessage {
  if (message.length !== envelope.messageLength) throw new HandleDecodeError('LENGTH_INVALID', `message is ${message.length} bytes, its envelope says ${envelope.messageLength}`);
  const r = new WireReader(message);
  const opCode = r.u32('opcode');
  const responseCode = r.u32('response code');
  const opFlag = r.u32('op flag');
  const serial = r.u16('site info serial');
  const recursionCount = r.u8('recursion count');
  r.u8('reserved');
  const expiration = r.u32('expiration');
  const bodyLength = r.u32('body length');
  if (bodyLength > r.remaining - 4) throw new HandleDecodeError('LENGTH_INVALID', `body length ${bodyLength} beyond the ${r.remaining - 4} bytes before the credential`);
  const body = r.raw(bodyLength, 'body');
  const credential = r.bytes('credential');
  r.done('message');
  return { envelope, header: { opCode, responseCode, opFlag, siteInfoSerial: serial === 0xffff ? -1 : serial, recursionCount, expiration }, body, credential };
}

/** Decodes a TCP frame or a single-packet UDP message (envelope + whole message). */
export function decodeFrame(frame: Buffer): HandleMessage {
  const envelope = decodeEnvelope(frame);
  if (envelope.flags & EnvelopeFlag.COMPRESSED || envelope.flags & EnvelopeFlag.ENCRYPTED) throw new HandleDecodeError('FIELD_INVALID', 'compressed or encrypted messages are not supported');
  return decodeMessage(envelope, frame.subarray(envelopeSize));
}

// ---- bodies ----

/** A resolution request (opcode 1): the handle and the index and type filters. */
export interface ResolutionRequest {
  handle: Buffer;
  indexes: number[];
  types: string[];
}

export function encodeResolutionRequest(handle: string | Buffer, indexes: readonly number[] = [], types: readonly string[] = []): Buffer {
  const w = new WireWriter(64);
  w.bytes(typeof handle === 'string' ? Buffer.from(handle, 'utf8') : handle).u32(indexes.length);
  for (const i of indexes) w.u32(i);
  w.u32(types.length);
  for (const t of types) w.string(t);
  return w.finish();
}

/** Most filters a request may carry (more is a protocol error, not a memory bill). */
export const maxFilters = 64;

export function decodeResolutionRequest(body: Buffer): ResolutionRequest {
  const r = new WireReader(body);
  const handle = r.bytes('handle');
  const ni = r.count('index count', 4);
  if (ni > maxFilters) throw new HandleDecodeError('LENGTH_INVALID', `${ni} index filters (at most ${maxFilters})`);
  const indexes: number[] = [];
  for (let i = 0; i < ni; i++) indexes.push(r.u32('index'));
  const nt = r.count('type count', 4);
  if (nt > maxFilters) throw new HandleDecodeError('LENGTH_INVALID', `${nt} type filters (at most ${maxFilters})`);
  const types: string[] = [];
  for (let i = 0; i < nt; i++) types.push(r.string('type'));
  r.done('resolution request');
  return { handle, indexes, types };
}

/** The digest of a request a response carries when the request asked (RRDG): hash-type byte + digest of its header and body. */
export function requestDigest(requestMessage: Buffer, hashType: number = HashType.SHA256): Buffer {
  const alg = hashType === HashType.MD5 ? 'md5' : hashType === HashType.SHA1 ? 'sha1' : hashType === HashType.SM3 ? 'sm3' : 'sha256';
  const bodyEnd = headerSize + requestMessage.readUInt32BE(20);
  return Buffer.concat([Buffer.from([hashType]), createHash(alg).update(requestMessage.subarray(0, bodyEnd)).digest()]);
}

/** A resolution response body: [request digest], the handle, its values (already encoded as a value list, or values). */
export function encodeResolutionResponse(handle: Buffer | string, values: Buffer | readonly HandleValue[], digest?: Buffer): Buffer {
  const w = new WireWriter(128);
  if (digest) w.raw(digest);
  w.bytes(typeof handle === 'string' ? Buffer.from(handle, 'utf8') : handle);
  if (Buffer.isBuffer(values)) w.raw(values);
  else {
    w.u32(values.length);
    for (const v of values) writeValue(w, v);
  }
  return w.finish();
}

/** Digest bytes per hash type (the hash-type byte not counted). */
export const digestLength: Record<number, number> = { [HashType.MD5]: 16, [HashType.SHA1]: 20, [HashType.SHA256]: 32, [HashType.SM3]: 32 };

/** Skips a request digest at the start of a response body when the response says it carries one. */
export function skipRequestDigest(r: WireReader, opFlag: number): void {
  if (!(opFlag & OpFlag.RRDG)) return;
  const type = r.u8('digest type');
  const n = digestLength[type];
  if (n === undefined) throw new HandleDecodeError('FIELD_INVALID', `digest type ${type} unknown`);
  r.raw(n, 'digest');
}

export function decodeResolutionResponse(body: Buffer, opFlag: number): { handle: string; values: HandleValue[] } {
  const r = new WireReader(body);
  skipRequestDigest(r, opFlag);
  const handle = r.string('handle');
  const values = readValueList(r);
  r.done('resolution response');
  return { handle, values };
}

/** An error response body: [request digest] and a UTF-8 message. */
export function encodeErrorBody(message: string, digest?: Buffer): Buffer {
  const w = new WireWriter(64);
  if (digest) w.raw(digest);
  return w.string(message).finish();
}

export function decodeErrorBody(body: Buffer, opFlag: number): string {
  if (body.length === 0) return '';
  const r = new WireReader(body);
  skipRequestDigest(r, opFlag);
  return r.remaining ? r.string('error message') : '';
}

// ---- UDP ----

/**
 * The UDP packets of a message: each with its envelope (same request id and message length, sequence
 * 0, 1, …) and at most 492 bytes of the message.
 */
export function splitForUdp(envelope: { requestId: number; sessionId?: number; flags?: number }, message: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  for (let seq = 0, at = 0; at < message.length || seq === 0; seq++, at += udpPayloadSize) {
    const chunk = message.subarray(at, at + udpPayloadSize);
    const w = new WireWriter(envelopeSize + chunk.length);
    encodeEnvelope(w, { flags: envelope.flags ?? 0, sessionId: envelope.sessionId ?? 0, requestId: envelope.requestId, sequence: seq, messageLength: message.length });
    w.raw(chunk);
    packets.push(w.finish());
  }
  return packets;
}

/**
 * Puts multi-packet UDP messages back together, per (source, request id), with bounds: at most
 * `maxPending` messages in assembly and `maxBytes` buffered in all; a message not complete within
 * `timeoutMs` is dropped. Single-packet messages (nearly all requests) pass straight through.
 */
export class UdpReassembler {
  private readonly pending = new Map<string, { envelope: Envelope; parts: Map<number, Buffer>; bytes: number; started: number }>();
  private buffered = 0;

  constructor(private readonly limits: { maxPending: number; maxBytes: number; timeoutMs: number } = { maxPending: 1024, maxBytes: 8 * 1024 * 1024, timeoutMs: 5_000 }) {}

  /** A whole message when this packet completes one, else undefined. @throws HandleDecodeError */
  add(source: string, packet: Buffer, now = Date.now()): HandleMessage | undefined {
    const envelope = decodeEnvelope(packet);
    const payload = packet.subarray(envelopeSize);
    if (payload.length > udpPayloadSize) throw new HandleDecodeError('LENGTH_INVALID', `UDP packet carries ${payload.length} bytes (at most ${udpPayloadSize})`);
    if (envelope.sequence === 0 && payload.length === envelope.messageLength) return decodeMessage(envelope, payload);
    const packets = Math.ceil(envelope.messageLength / udpPayloadSize);
    if (envelope.sequence >= packets) throw new HandleDecodeError('FIELD_INVALID', `sequence ${envelope.sequence} beyond the ${packets} packets of the message`);
    const expected = envelope.sequence === packets - 1 ? envelope.messageLength - envelope.sequence * udpPayloadSize : udpPayloadSize;
    if (payload.length !== expected) throw new HandleDecodeError('LENGTH_INVALID', `packet ${envelope.sequence} carries ${payload.length} bytes, ${expected} expected`);
    this.expire(now);
    const key = `${source}|${envelope.requestId}`;
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= this.limits.maxPending || this.buffered + envelope.messageLength > this.limits.maxBytes) {
        throw new HandleDecodeError('TOO_LONG', 'too many multi-packet messages in assembly');
      }
      entry = { envelope, parts: new Map(), bytes: 0, started: now };
      this.pending.set(key, entry);
    } else if (entry.envelope.messageLength !== envelope.messageLength) {
      throw new HandleDecodeError('LENGTH_INVALID', 'packets of one message disagree on its length');
    }
    if (!entry.parts.has(envelope.sequence)) {
      entry.parts.set(envelope.sequence, Buffer.from(payload));
      entry.bytes += payload.length;
      this.buffered += payload.length;
    }
    if (entry.parts.size < packets) return undefined;
    this.pending.delete(key);
    this.buffered -= entry.bytes;
    const whole = Buffer.concat(Array.from({ length: packets }, (_, i) => entry.parts.get(i)!));
    return decodeMessage({ ...entry.envelope, sequence: 0 }, whole);
  }

  /** Messages in assembly, bytes buffered. */
  stats(): { pending: number; bytes: number } {
    return { pending: this.pending.size, bytes: this.buffered };
  }

  private expire(now: number): void {
    for (const [key, e] of this.pending) {
      if (now - e.started <= this.limits.timeoutMs) break; // insertion order: the oldest first
      this.pending.delete(key);
      this.buffered -= e.bytes;
    }
  }
}
