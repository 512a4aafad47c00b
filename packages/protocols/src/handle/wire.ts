/**
 * Big-endian readers and writers for the Handle protocol (RFC 3651 §2.1): integers, and strings and
 * byte arrays as a u32 length followed by the bytes. The reader never reads past its end: a length
 * that does not fit is a {@link HandleDecodeError}, not an exception from Buffer.
 */

/** Why bytes are not a valid Handle message (answered as RC 4, protocol error). */
export type HandleDecodeProblem = 'TRUNCATED' | 'LENGTH_INVALID' | 'TOO_LONG' | 'VERSION_UNSUPPORTED' | 'NOT_UTF8' | 'TRAILING_BYTES' | 'FIELD_INVALID';

export class HandleDecodeError extends Error {
  constructor(
    readonly problem: HandleDecodeProblem,
    message: string,
  ) {
    super(message);
    this.name = 'HandleDecodeError';
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a buffer front to back. */
export class WireReader {
  private pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) throw new HandleDecodeError('TRUNCATED', `${what}: needs ${n} bytes, ${this.end - this.pos} left`);
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A u32 count of items each at least `minItemBytes` long: refused when it cannot fit. */
  count(what: string, minItemBytes: number): number {
    const n = this.u32(what);
    if (n * minItemBytes > this.end - this.pos) throw new HandleDecodeError('LENGTH_INVALID', `${what}: ${n} items cannot fit in ${this.end - this.pos} bytes`);
    return n;
  }

  /** Length-prefixed bytes (a view into the buffer, not a copy). */
  bytes(what = 'bytes'): Buffer {
    const n = this.u32(`${what} length`);
    if (n > this.end - this.pos) throw new HandleDecodeError('LENGTH_INVALID', `${what}: length ${n} beyond the ${this.end - this.pos} bytes left`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Length-prefixed UTF-8 text. */
  string(what = 'string'): string {
    const b = this.bytes(what);
    try {
      return strictUtf8.decode(b);
    } catch {
      throw new HandleDecodeError('NOT_UTF8', `${what}: not valid UTF-8`);
    }
  }

  raw(n: number, what = 'raw'): Buffer {
    this.need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Throws unless every byte was read. */
  done(what: string): void {
    if (this.pos !== this.end) throw new HandleDecodeError('TRAILING_BYTES', `${what}: ${this.end - this.pos} bytes left over`);
  }
}

/** Builds a message into a growing buffer. */
export class WireWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.buf.writeUInt16BE(v & 0xffff, this.pos);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.u32(b.length);
    return this.raw(b);
  }

  string(s: string): this {
    // Short ASCII text (types, identifiers, most data) is copied here: cheaper than the native calls.
    if (s.length <= 64 && this.ascii(s)) return this;
    const n = Buffer.byteLength(s, 'utf8');
    this.u32(n);
    this.room(n);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
    return this;
  }

  /** Writes `s` length-prefixed if it is all ASCII; else leaves the writer as it was and answers false. */
  private ascii(s: string): boolean {
    const n = s.length;
    this.room(4 + n);
    const buf = this.buf;
    const at = this.pos + 4;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return false;
      buf[at + i] = c;
    }
    buf.writeUInt32BE(n, this.pos);
    this.pos = at + n;
    return true;
  }

  raw(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Overwrites a u32 written earlier (a length known only later). */
  patchU32(at: number, v: number): void {
    this.buf.writeUInt32BE(v >>> 0, at);
  }

  /** The bytes written (a copy-free view valid until the next write). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
