/**
 * Writing captures, for tests and the `pcap` bench: classic pcap records of Ethernet/IPv4/TCP frames with
 * consistent sequence and acknowledgement numbers (a `TcpSession` plays both ends), and the pcapng blocks
 * needed to build pcapng fixtures. IPv4 header checksums are computed; TCP checksums are left 0 (readers,
 * tshark included, do not check them by default).
 */

/** Options of a classic pcap file. */
export interface PcapFileOptions {
  /** LINKTYPE (default 1, Ethernet). */
  linkType?: number;
  /** Nanosecond timestamps (magic 0xa1b23c4d) instead of microseconds. */
  nanoseconds?: boolean;
  bigEndian?: boolean;
  snapLength?: number;
}

/** The 24-byte file header of a classic pcap. */
export function pcapFileHeader(o: PcapFileOptions = {}): Buffer {
  const b = Buffer.alloc(24);
  const w = (v: number, at: number): number => (o.bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  const w16 = (v: number, at: number): number => (o.bigEndian ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  w(o.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(2, 4);
  w16(4, 6);
  w(o.snapLength ?? 262144, 16);
  w(o.linkType ?? 1, 20);
  return b;
}

/** One pcap record: header (timestamp `ts` in ms since epoch) and the frame. */
export function pcapRecord(ts: number, frame: Uint8Array, o: PcapFileOptions = {}): Buffer {
  const b = Buffer.allocUnsafe(16 + frame.length);
  const w = (v: number, at: number): number => (o.bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  const sec = Math.floor(ts / 1000);
  const frac = o.nanoseconds ? Math.round((ts - sec * 1000) * 1e6) : Math.round((ts - sec * 1000) * 1000);
  w(sec, 0);
  w(Math.min(frac, o.nanoseconds ? 999_999_999 : 999_999), 4);
  w(frame.length, 8);
  w(frame.length, 12);
  b.set(frame, 16);
  return b;
}

/** An IPv4 address in dotted form as a number. */
const ipv4 = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** The fields of one Ethernet/IPv4/TCP frame. */
export interface TcpFrame {
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** FIN 1, SYN 2, RST 4, PSH 8, ACK 16. */
  flags: number;
  payload?: Uint8Array;
  /** 802.1Q VLAN id: adds a tag. */
  vlan?: number;
}

/** Builds an Ethernet II frame carrying IPv4 and TCP (20-byte TCP header, no options). */
export function ethernetIpv4Tcp(f: TcpFrame): Buffer {
  const payload = f.payload ?? new Uint8Array(0);
  const tag = f.vlan === undefined ? 0 : 4;
  const ipLen = 20 + 20 + payload.length;
  const b = Buffer.alloc(14 + tag + ipLen);
  const src = ipv4(f.srcIp);
  const dst = ipv4(f.dstIp);
  // Locally administered MACs derived from the addresses, so each host keeps one.
  b.writeUInt16BE(0x0200, 0);
  b.writeUInt32BE(dst, 2);
  b.writeUInt16BE(0x0200, 6);
  b.writeUInt32BE(src, 8);
  let o = 12;
  if (f.vlan !== undefined) {
    b.writeUInt16BE(0x8100, 12);
    b.writeUInt16BE(f.vlan & 0x0fff, 14);
    o = 16;
  }
  b.writeUInt16BE(0x0800, o);
  const ip = o + 2;
  b[ip] = 0x45;
  b.writeUInt16BE(ipLen, ip + 2);
  b.writeUInt16BE(0x4000, ip + 6);
  b[ip + 8] = 64;
  b[ip + 9] = 6;
  b.writeUInt32BE(src, ip + 12);
  b.writeUInt32BE(dst, ip + 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += b.readUInt16BE(ip + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  b.writeUInt16BE(~sum & 0xffff, ip + 10);
  const tcp = ip + 20;
  b.writeUInt16BE(f.srcPort, tcp);
  b.writeUInt16BE(f.dstPort, tcp + 2);
  b.writeUInt32BE(f.seq >>> 0, tcp + 4);
  b.writeUInt32BE(f.ack >>> 0, tcp + 8);
  b[tcp + 12] = 5 << 4;
  b[tcp + 13] = f.flags;
  b.writeUInt16BE(65535, tcp + 14);
  b.set(payload, tcp + 20);
  return b;
}

/** Both ends of one TCP connection, producing frames with the right sequence numbers. */
export interface TcpSession {
  /** SYN, SYN-ACK, ACK. */
  open(): Buffer[];
  /** A data segment (PSH, ACK) from one side. */
  send(from: 'client' | 'server', payload: Uint8Array): Buffer;
  /** A bare ACK from one side. */
  ack(from: 'client' | 'server'): Buffer;
  /** FIN from the client, FIN from the server, last ACK. */
  close(): Buffer[];
}

/** Creates a TCP session between a client and a server endpoint. */
export function createTcpSession(client: { ip: string; port: number }, server: { ip: string; port: number }, options: { clientIsn?: number; serverIsn?: number; vlan?: number } = {}): TcpSession {
  const next = { client: options.clientIsn ?? 1000, server: options.serverIsn ?? 5000 };
  const frame = (from: 'client' | 'server', flags: number, payload?: Uint8Array): Buffer => {
    const [a, b] = from === 'client' ? [client, server] : [server, client];
    const to = from === 'client' ? 'server' : 'client';
    const f: TcpFrame = { srcIp: a.ip, dstIp: b.ip, srcPort: a.port, dstPort: b.port, seq: next[from], ack: flags & 0x10 ? next[to] : 0, flags };
    if (payload) f.payload = payload;
    if (options.vlan !== undefined) f.vlan = options.vlan;
    const out = ethernetIpv4Tcp(f);
    next[from] = (next[from] + (payload?.length ?? 0) + (flags & 0x03 ? 1 : 0)) >>> 0;
    return out;
  };
  return {
    open: () => [frame('client', 0x02), frame('server', 0x12), frame('client', 0x10)],
    send: (from, payload) => frame(from, 0x18, payload),
    ack: (from) => frame(from, 0x10),
    close: () => [frame('client', 0x11), frame('server', 0x11), frame('client', 0x10)],
  };
}

/** Byte order of pcapng blocks built here. */
export interface PcapngOptions {
  bigEndian?: boolean;
}

/** One pcapng block: type, total length, body padded to 4 bytes, total length again. */
export function pcapngBlock(type: number, body: Uint8Array, o: PcapngOptions = {}): Buffer {
  const padded = (body.length + 3) & ~3;
  const len = 12 + padded;
  const b = Buffer.alloc(len);
  const w = (v: number, at: number): number => (o.bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  w(type, 0);
  w(len, 4);
  b.set(body, 8);
  w(len, len - 4);
  return b;
}

/** A section header block (version 1.0, section length unknown). */
export function pcapngSectionHeader(o: PcapngOptions = {}): Buffer {
  const body = Buffer.alloc(16);
  if (o.bigEndian) {
    body.writeUInt32BE(0x1a2b3c4d, 0);
    body.writeUInt16BE(1, 4);
  } else {
    body.writeUInt32LE(0x1a2b3c4d, 0);
    body.writeUInt16LE(1, 4);
  }
  body.fill(0xff, 8, 16);
  return pcapngBlock(0x0a0d0d0a, body, o);
}

/** An interface description block; `tsresol` as the if_tsresol option byte (default: none, i.e. µs). */
export function pcapngInterface(linkType: number, o: PcapngOptions & { tsresol?: number; snapLength?: number } = {}): Buffer {
  const body = Buffer.alloc(o.tsresol === undefined ? 8 : 20);
  const w16 = (v: number, at: number): number => (o.bigEndian ? body.writeUInt16BE(v, at) : body.writeUInt16LE(v, at));
  w16(linkType, 0);
  if (o.bigEndian) body.writeUInt32BE(o.snapLength ?? 0, 4);
  else body.writeUInt32LE(o.snapLength ?? 0, 4);
  if (o.tsresol !== undefined) {
    w16(9, 8);
    w16(1, 10);
    body[12] = o.tsresol;
    // opt_endofopt (code 0, length 0) at 16.
  }
  return pcapngBlock(1, body, o);
}

/** An enhanced packet block; `units` is the timestamp in the interface's resolution. */
export function pcapngEnhancedPacket(interfaceId: number, units: bigint, data: Uint8Array, o: PcapngOptions = {}): Buffer {
  const body = Buffer.alloc(20 + data.length);
  const w = (v: number, at: number): number => (o.bigEndian ? body.writeUInt32BE(v, at) : body.writeUInt32LE(v, at));
  w(interfaceId, 0);
  w(Number(units >> 32n), 4);
  w(Number(units & 0xffffffffn), 8);
  w(data.length, 12);
  w(data.length, 16);
  body.set(data, 20);
  return pcapngBlock(6, body, o);
}

/** A simple packet block (interface 0, no timestamp). */
export function pcapngSimplePacket(data: Uint8Array, o: PcapngOptions = {}): Buffer {
  const body = Buffer.alloc(4 + data.length);
  if (o.bigEndian) body.writeUInt32BE(data.length, 0);
  else body.writeUInt32LE(data.length, 0);
  body.set(data, 4);
  return pcapngBlock(3, body, o);
}
