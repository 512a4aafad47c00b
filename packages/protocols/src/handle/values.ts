/**
 * Handle values (RFC 3651 §3.1) and the data of the typed ones Yulian's nodes use: HS_ADMIN, HS_VLIST,
 * HS_SITE (and HS_SITE.PREFIX, the same layout). A value list is what a resolution answers and what a
 * record store keeps, already encoded.
 */
import { Permission } from './constants.js';
import { HandleDecodeError, WireReader, WireWriter } from './wire.js';

/** One value of a handle. */
export interface HandleValue {
  index: number;
  type: string;
  data: Buffer;
  /** Seconds since the epoch. */
  timestamp: number;
  /** 0 relative (seconds to cache), 1 absolute (epoch seconds). */
  ttlType: 0 | 1;
  ttl: number;
  /** Permissions byte ({@link Permission}). */
  permissions: number;
  references: Array<{ handle: string; index: number }>;
}

/** A value with the defaults Handle.Net gives one: public read, admin read/write, TTL 86,400 s relative. */
export function handleValue(index: number, type: string, data: Buffer | string, options: Partial<Omit<HandleValue, 'index' | 'type' | 'data'>> = {}): HandleValue {
  return {
    index,
    type,
    data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
    ttlType: options.ttlType ?? 0,
    ttl: options.ttl ?? 86_400,
    permissions: options.permissions ?? Permission.ADMIN_READ | Permission.ADMIN_WRITE | Permission.PUBLIC_READ,
    references: options.references ?? [],
  };
}

export function writeValue(w: WireWriter, v: HandleValue): void {
  w.u32(v.index).u32(v.timestamp).u8(v.ttlType).u32(v.ttl).u8(v.permissions).string(v.type).bytes(v.data).u32(v.references.length);
  for (const r of v.references) w.string(r.handle).u32(r.index);
}

/** Smallest encoded value: index, timestamp, ttlType, ttl, permissions, empty type, empty data, no references. */
export const minValueBytes = 4 + 4 + 1 + 4 + 1 + 4 + 4 + 4;

export function readValue(r: WireReader): HandleValue {
  const index = r.u32('value index');
  const timestamp = r.u32('value timestamp');
  const ttlType = r.u8('value ttl type');
  if (ttlType > 1) throw new HandleDecodeError('FIELD_INVALID', `value ttl type ${ttlType} is neither 0 nor 1`);
  const ttl = r.u32('value ttl');
  const permissions = r.u8('value permissions');
  const type = r.string('value type');
  const data = r.bytes('value data');
  const n = r.count('value references', 8);
  const references: HandleValue['references'] = [];
  for (let i = 0; i < n; i++) references.push({ handle: r.string('reference handle'), index: r.u32('reference index') });
  return { index, timestamp, ttlType: ttlType as 0 | 1, ttl, permissions, type, data, references };
}

/** A value list: u32 count, then the values. */
export function encodeValues(values: readonly HandleValue[]): Buffer {
  const w = new WireWriter(64 + values.length * 64);
  w.u32(values.length);
  for (const v of values) writeValue(w, v);
  return Buffer.from(w.finish());
}

export function decodeValues(buf: Buffer): HandleValue[] {
  const r = new WireReader(buf);
  const out = readValueList(r);
  r.done('value list');
  return out;
}

export function readValueList(r: WireReader): HandleValue[] {
  const n = r.count('value count', minValueBytes);
  const out: HandleValue[] = [];
  for (let i = 0; i < n; i++) out.push(readValue(r));
  return out;
}

/**
 * Whether a value is asked for by a resolution's filters (RFC 3652 §3.2): no filters means all; an index
 * filter matches the index; a type filter matches the type or its sub-types (`URL` matches `URL` and
 * `URL.mobile`; `HS_SITE` matches `HS_SITE.PREFIX`), ignoring ASCII case as Handle.Net does.
 */
export function valueWanted(v: Pick<HandleValue, 'index' | 'type'>, indexes: readonly number[], types: readonly string[]): boolean {
  if (indexes.length === 0 && types.length === 0) return true;
  if (indexes.includes(v.index)) return true;
  if (types.length === 0) return false;
  const type = v.type.toUpperCase();
  for (const t of types) {
    const want = t.toUpperCase();
    if (type === want || type.startsWith(want.endsWith('.') ? want : `${want}.`)) return true;
  }
  return false;
}

// ---- HS_ADMIN ----

/** HS_ADMIN data: the admin's permissions on this handle and who the admin is (a handle and index). */
export interface AdminData {
  permissions: number;
  handle: string;
  index: number;
}

export function encodeAdmin(a: AdminData): Buffer {
  return Buffer.from(new WireWriter(32).u16(a.permissions).string(a.handle).u32(a.index).finish());
}

export function decodeAdmin(data: Buffer): AdminData {
  const r = new WireReader(data);
  const a = { permissions: r.u16('admin permissions'), handle: r.string('admin handle'), index: r.u32('admin index') };
  r.done('HS_ADMIN');
  return a;
}

// ---- HS_VLIST ----

export function encodeVlist(refs: ReadonlyArray<{ handle: string; index: number }>): Buffer {
  const w = new WireWriter(16 + refs.length * 32).u32(refs.length);
  for (const x of refs) w.string(x.handle).u32(x.index);
  return Buffer.from(w.finish());
}

export function decodeVlist(data: Buffer): Array<{ handle: string; index: number }> {
  const r = new WireReader(data);
  const n = r.count('vlist count', 8);
  const out: Array<{ handle: string; index: number }> = [];
  for (let i = 0; i < n; i++) out.push({ handle: r.string('vlist handle'), index: r.u32('vlist index') });
  r.done('HS_VLIST');
  return out;
}

// ---- HS_SITE ----

/** One interface of a server: what it serves (1 admin, 2 query, 3 both; 0 out of service) over which protocol on which port. */
export interface SiteInterface {
  type: 0 | 1 | 2 | 3;
  /** 0 UDP, 1 TCP, 2 HTTP, 3 HTTPS. */
  protocol: 0 | 1 | 2 | 3;
  port: number;
}

export interface SiteServer {
  id: number;
  /** IPv4 or IPv6 text; encoded as 16 bytes with IPv4 right-aligned. */
  address: string;
  publicKey: Buffer;
  interfaces: SiteInterface[];
}

/** HS_SITE data: a handle service site (its servers, and how handles are spread over them). */
export interface SiteInfo {
  version: number;
  protocolMajor: number;
  protocolMinor: number;
  serial: number;
  /** 0x80 primary, 0x40 multi-primary. */
  flags: number;
  /** 0 by prefix, 1 by suffix, 2 by the whole handle. */
  hashOption: number;
  hashFilter: Buffer;
  attributes: Array<{ name: string; value: string }>;
  servers: SiteServer[];
}

export const SiteFlag = { PRIMARY: 0x80, MULTI_PRIMARY: 0x40 } as const;

/**
 * 16 address bytes: IPv6 as is, IPv4 in the last four (the rest zero, as Handle.Net writes it) — so an
 * IPv6 address whose first twelve bytes are zero (`::1`) cannot be told from IPv4 and reads back as one.
 */
export function encodeAddress(address: string): Buffer {
  const out = Buffer.alloc(16);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    for (let i = 0; i < 4; i++) {
      const b = Number(v4[i + 1]);
      if (b > 255) throw new Error(`not an IPv4 address: ${address}`);
      out[12 + i] = b;
    }
    return out;
  }
  const mapped = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i.exec(address);
  if (mapped) return encodeAddress(mapped[1]!);
  // IPv6: expand '::' and write the eight groups.
  const [head, tail, extra] = address.split('::');
  if (extra !== undefined) throw new Error(`not an IPv6 address: ${address}`);
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new Error(`not an IP address: ${address}`);
  groups.forEach((g, i) => out.writeUInt16BE(Number.parseInt(g, 16), i * 2));
  return out;
}

/** The text of 16 address bytes: IPv4 when the first twelve are zero (or the v4-mapped prefix). */
export function decodeAddress(b: Buffer): string {
  const zero12 = b.subarray(0, 10).every((x) => x === 0) && ((b[10] === 0 && b[11] === 0) || (b[10] === 0xff && b[11] === 0xff));
  if (zero12) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

export function encodeSite(s: SiteInfo): Buffer {
  const w = new WireWriter(128);
  w.u16(s.version).u8(s.protocolMajor).u8(s.protocolMinor).u16(s.serial).u8(s.flags).u8(s.hashOption).bytes(s.hashFilter);
  w.u32(s.attributes.length);
  for (const a of s.attributes) w.string(a.name).string(a.value);
  w.u32(s.servers.length);
  for (const srv of s.servers) {
    w.u32(srv.id).raw(encodeAddress(srv.address)).bytes(srv.publicKey).u32(srv.interfaces.length);
    for (const i of srv.interfaces) w.u8(i.type).u8(i.protocol).u32(i.port);
  }
  return Buffer.from(w.finish());
}

export function decodeSite(data: Buffer): SiteInfo {
  const r = new WireReader(data);
  const version = r.u16('site version');
  const protocolMajor = r.u8('site protocol major');
  const protocolMinor = r.u8('site protocol minor');
  const serial = r.u16('site serial');
  const flags = r.u8('site flags');
  const hashOption = r.u8('site hash option');
  const hashFilter = r.bytes('site hash filter');
  const attributes: SiteInfo['attributes'] = [];
  for (let i = 0, n = r.count('site attributes', 8); i < n; i++) attributes.push({ name: r.string('attribute name'), value: r.string('attribute value') });
  const servers: SiteServer[] = [];
  for (let i = 0, n = r.count('site servers', 28); i < n; i++) {
    const id = r.u32('server id');
    const address = decodeAddress(r.raw(16, 'server address'));
    const publicKey = r.bytes('server public key');
    const interfaces: SiteInterface[] = [];
    for (let k = 0, m = r.count('server interfaces', 6); k < m; k++) {
      const type = r.u8('interface type');
      const protocol = r.u8('interface protocol');
      const port = r.u32('interface port');
      if (type > 3 || protocol > 3) throw new HandleDecodeError('FIELD_INVALID', `interface type ${type} / protocol ${protocol} unknown`);
      interfaces.push({ type: type as SiteInterface['type'], protocol: protocol as SiteInterface['protocol'], port });
    }
    servers.push({ id, address, publicKey, interfaces });
  }
  r.done('HS_SITE');
  return { version, protocolMajor, protocolMinor, serial, flags, hashOption, hashFilter, attributes, servers };
}
