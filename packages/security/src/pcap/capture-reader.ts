/**
 * A streaming reader of packet captures: classic pcap (either byte order, micro- or nanosecond magic) and
 * pcapng (sections of either byte order, interface description, enhanced, simple and obsolete packet
 * blocks; other blocks skipped; per-interface link type and timestamp resolution). Bytes are pushed in
 * chunks of any size; it holds at most the unread tail of one record, and refuses a record or block
 * longer than `maxBlockBytes`.
 *
 * Errors (YulianError):
 * - CAPTURE_MALFORMED: unknown magic, an impossible or over-limit record/block length, a pcapng block whose
 *   trailing length differs, a packet naming an interface not described. Thrown at once: what came
 *   before has been delivered already.
 * - CAPTURE_TRUNCATED: the capture ends inside its file header (or is empty).
 * - CAPTURE_UNSUPPORTED_LINKTYPE: a classic pcap whose link type `supportedLinkTypes` lacks. In pcapng the
 *   link type is per interface, so packets of unsupported interfaces are only counted.
 * A capture cut inside a later record is not an error: `end()` reports the cut (`truncated`).
 */
import { YulianError } from '@yulian/core';

/** One captured packet. `data` is a view valid only during the callback; the object is reused. */
export interface CapturePacket {
  /** ms since epoch (fractional). */
  ts: number;
  linkType: number;
  data: Buffer;
  /** The length on the wire (data may be cut at the snap length). */
  origLength: number;
  interfaceId: number;
}

/** What the reader knew when the capture ended. */
export interface CaptureEnd {
  format: 'pcap' | 'pcapng';
  /** Bytes read. */
  bytes: number;
  packets: number;
  /** Packets on interfaces whose link type is not supported (pcapng). */
  unsupportedLinkPackets: number;
  /** The capture stopped inside a record: where, and how many bytes of it were there. */
  truncated?: { offset: number; bytes: number; detail: string };
}

/** The push parser. */
export interface CaptureParser {
  push(chunk: Uint8Array): void;
  /** The capture is complete; throws CAPTURE_TRUNCATED when it ended inside the file header. */
  end(): CaptureEnd;
}

/** Options of `createCaptureParser`. */
export interface CaptureParserOptions {
  /** The longest record or block accepted (default 256 KiB). */
  maxBlockBytes?: number;
  /** Link types the consumer decodes; others are refused (pcap) or counted (pcapng). Default: all. */
  supportedLinkTypes?: ReadonlySet<number>;
}

const SHB = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;

interface Iface {
  linkType: number;
  snapLength: number;
  /** Timestamp units per ms (divided by, which keeps 10^-n resolutions exact where the units are). */
  unitsPerMs: number;
  /** if_tsoffset in ms. */
  offsetMs: number;
  supported: boolean;
}

/**
 * Creates a push parser calling `onPacket` for every packet.
 * @example
 * const parser = createCaptureParser((p) => count++);
 * for await (const chunk of createReadStream(file)) parser.push(chunk);
 * const { truncated } = parser.end();
 */
export function createCaptureParser(onPacket: (p: CapturePacket) => void, options: CaptureParserOptions = {}): CaptureParser {
  const maxBlock = options.maxBlockBytes ?? 256 * 1024;
  const supported = options.supportedLinkTypes;
  let format: 'pcap' | 'pcapng' | undefined;
  let le = true;
  let headerDone = false;
  let pcapUnitsPerMs = 1000;
  let pcapLinkType = 1;
  let ifaces: Iface[] = [];
  let held: Buffer | null = null;
  let fileOffset = 0;
  let packets = 0;
  let unsupportedLinkPackets = 0;
  const packet: CapturePacket = { ts: 0, linkType: 0, data: Buffer.alloc(0), origLength: 0, interfaceId: 0 };

  const malformed = (at: number, why: string): YulianError =>
    new YulianError('CAPTURE_MALFORMED', `The capture is malformed at byte ${fileOffset + at}: ${why}.`, { details: { offset: fileOffset + at, packets } });
  const u32 = (b: Buffer, i: number): number => (le ? b.readUInt32LE(i) : b.readUInt32BE(i));
  const u16 = (b: Buffer, i: number): number => (le ? b.readUInt16LE(i) : b.readUInt16BE(i));

  function deliver(ts: number, linkType: number, data: Buffer, origLength: number, interfaceId: number): void {
    packets++;
    packet.ts = ts;
    packet.linkType = linkType;
    packet.data = data;
    packet.origLength = origLength;
    packet.interfaceId = interfaceId;
    onPacket(packet);
  }

  /** The file header of a classic pcap; 0 while incomplete. */
  function pcapHeader(b: Buffer): number {
    if (b.length < 24) return 0;
    const magic = b.readUInt32LE(0);
    le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    const m = le ? magic : b.readUInt32BE(0);
    pcapUnitsPerMs = m === 0xa1b23c4d ? 1e6 : 1e3;
    pcapLinkType = u32(b, 20) & 0x0fffffff;
    if (supported && !supported.has(pcapLinkType)) {
      throw new YulianError('CAPTURE_UNSUPPORTED_LINKTYPE', `The capture's link type ${pcapLinkType} is not supported.`, { details: { linkType: pcapLinkType } });
    }
    headerDone = true;
    return 24;
  }

  function parsePcap(b: Buffer, start: number): number {
    let off = start;
    while (b.length - off >= 16) {
      const incl = u32(b, off + 8);
      if (incl > maxBlock) throw malformed(off, `a record of ${incl} bytes, above the limit of ${maxBlock}`);
      if (b.length - off < 16 + incl) break;
      const ts = u32(b, off) * 1000 + u32(b, off + 4) / pcapUnitsPerMs;
      deliver(ts, pcapLinkType, b.subarray(off + 16, off + 16 + incl), u32(b, off + 12), 0);
      off += 16 + incl;
    }
    return off;
  }

  function parsePcapng(b: Buffer, start: number): number {
    let off = start;
    while (b.length - off >= 12) {
      if (b.readUInt32LE(off) === SHB) {
        const bom = b.readUInt32LE(off + 8);
        if (bom === BOM) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else throw malformed(off + 8, 'a section header without the byte-order magic');
      } else if (!headerDone) {
        throw malformed(off, 'the first block is not a section header');
      }
      const len = u32(b, off + 4);
      if (len < 12 || len % 4 !== 0) throw malformed(off + 4, `a block length of ${len}`);
      if (len > maxBlock) throw malformed(off + 4, `a block of ${len} bytes, above the limit of ${maxBlock}`);
      if (b.length - off < len) break;
      if (u32(b, off + len - 4) !== len) throw malformed(off + len - 4, `a block whose trailing length ${u32(b, off + len - 4)} differs from ${len}`);
      block(b, off, len);
      off += len;
    }
    return off;
  }

  function block(b: Buffer, off: number, len: number): void {
    const type = u32(b, off);
    if (type === SHB) {
      if (len < 28) throw malformed(off, 'a section header shorter than 28 bytes');
      headerDone = true;
      ifaces = [];
    } else if (type === 1) {
      if (len < 20) throw malformed(off, 'an interface description shorter than 20 bytes');
      const iface: Iface = { linkType: u16(b, off + 8), snapLength: u32(b, off + 12), unitsPerMs: 1000, offsetMs: 0, supported: true };
      readIfaceOptions(b, off + 16, off + len - 4, iface);
      iface.supported = !supported || supported.has(iface.linkType);
      ifaces.push(iface);
    } else if (type === 6 || type === 2) {
      if (len < 32) throw malformed(off, 'a packet block shorter than 32 bytes');
      const id = type === 6 ? u32(b, off + 8) : u16(b, off + 8);
      const iface = ifaces[id];
      if (!iface) throw malformed(off + 8, `a packet on interface ${id}, which no interface block describes`);
      const cap = u32(b, off + 20);
      if (cap > len - 32) throw malformed(off + 20, `a captured length of ${cap} in a block of ${len}`);
      if (!iface.supported) {
        unsupportedLinkPackets++;
        return;
      }
      const units = u32(b, off + 12) * 4294967296 + u32(b, off + 16);
      deliver(units / iface.unitsPerMs + iface.offsetMs, iface.linkType, b.subarray(off + 28, off + 28 + cap), u32(b, off + 24), id);
    } else if (type === 3) {
      if (len < 16) throw malformed(off, 'a simple packet block shorter than 16 bytes');
      const iface = ifaces[0];
      if (!iface) throw malformed(off, 'a simple packet block before any interface block');
      const orig = u32(b, off + 8);
      const cap = Math.min(orig, len - 16, iface.snapLength > 0 ? iface.snapLength : Infinity);
      if (!iface.supported) {
        unsupportedLinkPackets++;
        return;
      }
      // A simple packet has no timestamp.
      deliver(0, iface.linkType, b.subarray(off + 12, off + 12 + cap), orig, 0);
    }
  }

  function readIfaceOptions(b: Buffer, from: number, to: number, iface: Iface): void {
    let i = from;
    while (i + 4 <= to) {
      const code = u16(b, i);
      const olen = u16(b, i + 2);
      if (code === 0) break;
      if (i + 4 + olen > to) throw malformed(i, 'an interface option running past its block');
      if (code === 9 && olen >= 1) {
        const r = b[i + 4] as number;
        const unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
        iface.unitsPerMs = unitsPerSecond / 1000;
      } else if (code === 14 && olen >= 8) {
        const hi = le ? b.readInt32LE(i + 8) : b.readInt32BE(i + 4);
        const lo = le ? b.readUInt32LE(i + 4) : b.readUInt32BE(i + 8);
        iface.offsetMs = (hi * 4294967296 + lo) * 1000;
      }
      i += 4 + ((olen + 3) & ~3);
    }
  }

  /** How many more bytes the held tail needs before it can be parsed further (at least 1). */
  function missing(h: Buffer): number {
    if (format === undefined || !headerDone) return Infinity;
    if (format === 'pcap') return h.length < 16 ? 16 - h.length : Math.max(1, Math.min(16 + u32(h, 8), maxBlock + 16) - h.length);
    if (h.length < 12) return 12 - h.length;
    const shb = h.readUInt32LE(0) === SHB;
    const len = shb ? (h.readUInt32LE(8) === BOM ? h.readUInt32LE(4) : h.readUInt32BE(4)) : u32(h, 4);
    return Math.max(1, Math.min(len, maxBlock) - h.length);
  }

  function parse(b: Buffer): number {
    let off = 0;
    if (format === undefined) {
      if (b.length < 4) return 0;
      const magic = b.readUInt32LE(0);
      if (magic === SHB) format = 'pcapng';
      else if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1) format = 'pcap';
      else {
        throw new YulianError('CAPTURE_MALFORMED', `Not a pcap or pcapng capture: it starts with 0x${b.subarray(0, 4).toString('hex')}.`, { details: { offset: 0, packets: 0 } });
      }
    }
    if (format === 'pcap') {
      if (!headerDone) {
        off = pcapHeader(b);
        if (off === 0) return 0;
      }
      return parsePcap(b, off);
    }
    return parsePcapng(b, off);
  }

  return {
    push(chunk) {
      if (chunk.length === 0) return;
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      let pos = 0;
      // Complete the record held from the last chunk with just the bytes it lacks, not the whole chunk.
      while (held && pos < b.length) {
        const take = Math.min(b.length - pos, missing(held));
        const joined = Buffer.concat([held, b.subarray(pos, pos + take)]);
        pos += take;
        const used = parse(joined);
        fileOffset += used;
        held = used < joined.length ? joined.subarray(used) : null;
      }
      if (pos === b.length) return;
      const used = parse(pos === 0 ? b : b.subarray(pos));
      fileOffset += used;
      // Copy the unread tail: the caller may reuse its chunk, and a view would pin the whole chunk.
      held = pos + used < b.length ? Buffer.from(b.subarray(pos + used)) : null;
    },
    end() {
      const left = held?.length ?? 0;
      if (format === undefined || !headerDone) {
        throw new YulianError('CAPTURE_TRUNCATED', left === 0 && fileOffset === 0 ? 'The capture is empty.' : `The capture ends inside its file header, after ${fileOffset + left} bytes.`, {
          details: { offset: fileOffset + left },
        });
      }
      const result: CaptureEnd = { format, bytes: fileOffset + left, packets, unsupportedLinkPackets };
      if (left > 0) result.truncated = { offset: fileOffset, bytes: left, detail: `the capture ends ${left} bytes into a ${format === 'pcap' ? 'record' : 'block'} at byte ${fileOffset}` };
      held = null;
      return result;
    },
  };
}
