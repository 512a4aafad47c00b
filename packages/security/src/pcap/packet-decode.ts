/**
 * Link, network and transport headers of one captured packet: Ethernet (802.1Q/802.1ad VLAN tags), raw
 * IPv4/IPv6, Linux cooked (SLL, SLL2) and BSD loopback; IPv4 (non-first fragments skipped) and IPv6 (with
 * extension headers); TCP and UDP. Decodes into one reused object; no allocation for the common path.
 */

/** Link types understood (LINKTYPE_* numbers). */
export const supportedLinkTypes: ReadonlySet<number> = new Set([0, 1, 101, 113, 228, 229, 276]);

/** The decoded headers; `kind` says how far decoding got. */
export interface DecodedPacket {
  kind: 'tcp' | 'udp' | 'ip-other' | 'fragment' | 'non-ip' | 'malformed';
  /** 4 or 6. */
  ipVersion: number;
  /** The packet's bytes; addresses and payload are offsets into it. */
  data: Buffer;
  srcOffset: number;
  dstOffset: number;
  ipProtocol: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TCP flags byte (FIN 1, SYN 2, RST 4, PSH 8, ACK 16). */
  flags: number;
  payloadOffset: number;
  payloadLength: number;
  /** Bytes of the IP packet (header and payload). */
  ipLength: number;
}

/** A fresh decode target. */
export const createDecodedPacket = (): DecodedPacket => ({
  kind: 'non-ip', ipVersion: 0, data: Buffer.alloc(0), srcOffset: 0, dstOffset: 0, ipProtocol: 0, srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, payloadOffset: 0, payloadLength: 0, ipLength: 0,
});

/** Decodes `data` of link type `linkType` into `out`. */
export function decodePacket(linkType: number, data: Buffer, out: DecodedPacket): DecodedPacket {
  out.data = data;
  out.kind = 'non-ip';
  let off: number;
  let etherType: number;
  switch (linkType) {
    case 1: {
      if (data.length < 14) return malformed(out);
      etherType = data.readUInt16BE(12);
      off = 14;
      while ((etherType === 0x8100 || etherType === 0x88a8 || etherType === 0x9100) && data.length >= off + 4) {
        etherType = data.readUInt16BE(off + 2);
        off += 4;
      }
      break;
    }
    case 113: {
      if (data.length < 16) return malformed(out);
      etherType = data.readUInt16BE(14);
      off = 16;
      break;
    }
    case 276: {
      if (data.length < 20) return malformed(out);
      etherType = data.readUInt16BE(0);
      off = 20;
      break;
    }
    case 0: {
      if (data.length < 4) return malformed(out);
      // The address family in the capturing host's byte order: 2 is IPv4; 24, 28 and 30 are IPv6 on the BSDs.
      const family = data[0] === 0 && data[1] === 0 ? data.readUInt32BE(0) : data.readUInt32LE(0);
      etherType = family === 2 ? 0x0800 : family === 24 || family === 28 || family === 30 ? 0x86dd : 0;
      off = 4;
      break;
    }
    case 101: case 228: case 229: {
      if (data.length < 1) return malformed(out);
      etherType = (data[0] as number) >> 4 === 6 ? 0x86dd : 0x0800;
      off = 0;
      break;
    }
    default:
      return out;
  }
  if (etherType === 0x0800) return ipv4(data, off, out);
  if (etherType === 0x86dd) return ipv6(data, off, out);
  return out;
}

function malformed(out: DecodedPacket): DecodedPacket {
  out.kind = 'malformed';
  return out;
}

function ipv4(d: Buffer, off: number, out: DecodedPacket): DecodedPacket {
  if (d.length < off + 20 || (d[off] as number) >> 4 !== 4) return malformed(out);
  const ihl = ((d[off] as number) & 0x0f) * 4;
  const total = d.readUInt16BE(off + 2);
  if (ihl < 20 || total < ihl) return malformed(out);
  out.ipVersion = 4;
  out.srcOffset = off + 12;
  out.dstOffset = off + 16;
  out.ipProtocol = d[off + 9] as number;
  out.ipLength = total;
  // Ethernet pads short frames: the IP total length says where the packet ends (a cut capture ends sooner).
  const end = Math.min(d.length, off + total);
  if ((d.readUInt16BE(off + 6) & 0x1fff) !== 0) {
    out.kind = 'fragment';
    return out;
  }
  return transport(d, off + ihl, end, out);
}

function ipv6(d: Buffer, off: number, out: DecodedPacket): DecodedPacket {
  if (d.length < off + 40 || (d[off] as number) >> 4 !== 6) return malformed(out);
  out.ipVersion = 6;
  out.srcOffset = off + 8;
  out.dstOffset = off + 24;
  const payload = d.readUInt16BE(off + 4);
  out.ipLength = 40 + payload;
  const end = Math.min(d.length, off + 40 + payload);
  let next = d[off + 6] as number;
  let p = off + 40;
  // Hop-by-hop, routing, destination options, fragment: step over them to the transport header.
  for (let hops = 0; hops < 8 && (next === 0 || next === 43 || next === 60 || next === 44); hops++) {
    if (p + 8 > end) return malformed(out);
    if (next === 44 && (d.readUInt16BE(p + 2) & 0xfff8) !== 0) {
      out.ipProtocol = d[p] as number;
      out.kind = 'fragment';
      return out;
    }
    const len = next === 44 ? 8 : ((d[p + 1] as number) + 1) * 8;
    next = d[p] as number;
    p += len;
  }
  out.ipProtocol = next;
  return transport(d, p, end, out);
}

function transport(d: Buffer, off: number, end: number, out: DecodedPacket): DecodedPacket {
  if (out.ipProtocol === 6) {
    if (end - off < 20) return malformed(out);
    const hlen = ((d[off + 12] as number) >> 4) * 4;
    if (hlen < 20 || off + hlen > end) return malformed(out);
    out.srcPort = d.readUInt16BE(off);
    out.dstPort = d.readUInt16BE(off + 2);
    out.seq = d.readUInt32BE(off + 4);
    out.ack = d.readUInt32BE(off + 8);
    out.flags = d[off + 13] as number;
    out.payloadOffset = off + hlen;
    out.payloadLength = end - off - hlen;
    out.kind = 'tcp';
    return out;
  }
  if (out.ipProtocol === 17) {
    if (end - off < 8) return malformed(out);
    out.srcPort = d.readUInt16BE(off);
    out.dstPort = d.readUInt16BE(off + 2);
    out.flags = 0;
    out.payloadOffset = off + 8;
    out.payloadLength = Math.max(0, Math.min(end, off + d.readUInt16BE(off + 4)) - off - 8);
    out.kind = 'udp';
    return out;
  }
  out.srcPort = 0;
  out.dstPort = 0;
  out.flags = 0;
  out.payloadLength = 0;
  out.kind = 'ip-other';
  return out;
}

/** The text form of the address at `offset` (dotted IPv4, compressed IPv6). */
export function formatIp(data: Buffer, offset: number, version: number): string {
  if (version === 4) return `${data[offset]}.${data[offset + 1]}.${data[offset + 2]}.${data[offset + 3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(data.readUInt16BE(offset + 2 * i));
  // RFC 5952: the longest run (≥ 2) of zero groups becomes ::.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]): string => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** A compact key of the address at `offset`: a number for IPv4, hex for IPv6. */
export function ipKey(data: Buffer, offset: number, version: number): string | number {
  return version === 4 ? data.readUInt32BE(offset) : data.toString('hex', offset, offset + 16);
}
