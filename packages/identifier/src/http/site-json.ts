/**
 * HS_SITE data (a handle service site) as Handle.Net's JSON writes it (`GsonUtility.SiteInfoGsonTypeAdapter`,
 * `ServerInfoGsonTypeAdapter`, `InterfaceGsonTypeAdapter`): the primary/multi-primary flags as booleans,
 * the protocol version as `"2.10"`, interfaces as `{query, admin, protocol: "TCP", port}`.
 */
import { type SiteInfo, type SiteInterface, type SiteServer, SiteFlag, encodeAddress } from '@yulian/protocols';
import type { SiteInterfaceJson, SiteJson } from '@yulian/contracts';
import { fail, readArray, readBoolean, readInt, readObject, readPlainData, readString } from './json-input.js';

export type { SiteInterfaceJson, SiteJson, SiteServerJson } from '@yulian/contracts';

const protocolNames = ['UDP', 'TCP', 'HTTP', 'HTTPS'] as const;
const hashByAll = 2;

/** A site as JSON. */
export function siteToJson(site: SiteInfo): SiteJson {
  const out: SiteJson = {
    version: site.version,
    protocolVersion: `${site.protocolMajor}.${site.protocolMinor}`,
    serialNumber: site.serial,
    primarySite: (site.flags & SiteFlag.PRIMARY) !== 0,
    multiPrimary: (site.flags & SiteFlag.MULTI_PRIMARY) !== 0,
    attributes: [],
    servers: [],
  };
  if (site.hashOption !== hashByAll) out.hashOption = site.hashOption;
  if (site.hashFilter.length) out.hashFilter = site.hashFilter.toString('utf8');
  out.attributes = site.attributes.map((a) => ({ name: a.name, value: a.value }));
  out.servers = site.servers.map((s) => ({
    serverId: s.id,
    address: s.address,
    publicKey: { format: 'base64', value: s.publicKey.toString('base64') },
    interfaces: s.interfaces.map((i) => ({ query: (i.type & 2) !== 0, admin: (i.type & 1) !== 0, protocol: protocolNames[i.protocol], port: i.port })),
  }));
  return out;
}

function readAttributes(v: unknown, path: string): SiteInfo['attributes'] {
  // Handle.Net accepts a list of {name, value} or an object of name → value (or → list of values).
  if (Array.isArray(v)) {
    return v.map((a, i) => {
      const o = readObject(a, `${path}[${i}]`);
      return { name: readString(o['name'], `${path}[${i}].name`), value: readString(o['value'], `${path}[${i}].value`) };
    });
  }
  const out: SiteInfo['attributes'] = [];
  for (const [name, value] of Object.entries(readObject(v, path))) {
    const values = Array.isArray(value) ? value : [value];
    values.forEach((x, i) => out.push({ name, value: readString(x, Array.isArray(value) ? `${path}.${name}[${i}]` : `${path}.${name}`) }));
  }
  return out;
}

function readInterface(v: unknown, path: string): SiteInterface {
  const o = readObject(v, path);
  const query = o['query'] === undefined ? false : readBoolean(o['query'], `${path}.query`);
  const admin = o['admin'] === undefined ? false : readBoolean(o['admin'], `${path}.admin`);
  const p = o['protocol'];
  const protocol = typeof p === 'string' ? protocolNames.indexOf(p.toUpperCase() as SiteInterfaceJson['protocol']) : readInt(p, `${path}.protocol`, 0, 3);
  if (protocol < 0) fail(`${path}.protocol`, 'must be UDP, TCP, HTTP or HTTPS');
  return { type: ((query ? 2 : 0) | (admin ? 1 : 0)) as SiteInterface['type'], protocol: protocol as SiteInterface['protocol'], port: readInt(o['port'], `${path}.port`, 0, 65_535) };
}

function readServer(v: unknown, path: string): SiteServer {
  const o = readObject(v, path);
  const address = readString(o['address'], `${path}.address`);
  try {
    encodeAddress(address);
  } catch {
    fail(`${path}.address`, 'is not an IPv4 or IPv6 address');
  }
  let publicKey: Buffer = Buffer.alloc(0);
  if (o['publicKey'] !== undefined) {
    publicKey = readPlainData(o['publicKey'], `${path}.publicKey`) ?? fail(`${path}.publicKey`, 'give the key bytes as string, base64 or hex (the "key" format is not supported)');
  }
  const interfaces = readArray(o['interfaces'] ?? o['interfaceList'] ?? [], `${path}.interfaces`).map((x, i) => readInterface(x, `${path}.interfaces[${i}]`));
  return { id: o['serverId'] === undefined ? 0 : readInt(o['serverId'], `${path}.serverId`, 0, 0xffff_ffff), address, publicKey, interfaces };
}

/**
 * A site from JSON. Absent fields take Yulian's defaults (no source for Handle.Net's): version 1,
 * protocol 2.10, serial 1, not primary, hash over the whole handle, no attributes, no servers.
 * @throws HandleJsonError
 */
export function siteFromJson(v: unknown, path: string): SiteInfo {
  const o = readObject(v, path);
  const version = o['version'] === undefined ? 1 : readInt(o['version'], `${path}.version`, 0, 0xffff);
  const pv = o['protocolVersion'] === undefined ? '2.10' : readString(o['protocolVersion'], `${path}.protocolVersion`);
  const m = /^(\d{1,3})\.(\d{1,3})$/.exec(pv);
  if (!m || Number(m[1]) > 255 || Number(m[2]) > 255) fail(`${path}.protocolVersion`, 'must be "<major>.<minor>", e.g. "2.10"');
  const primary = o['primarySite'] === undefined ? false : readBoolean(o['primarySite'], `${path}.primarySite`);
  const multi = o['multiPrimary'] === undefined ? false : readBoolean(o['multiPrimary'], `${path}.multiPrimary`);
  const servers = o['servers'] ?? o['serverList'] ?? [];
  return {
    version,
    protocolMajor: Number(m[1]),
    protocolMinor: Number(m[2]),
    serial: o['serialNumber'] === undefined ? 1 : readInt(o['serialNumber'], `${path}.serialNumber`, 0, 0xffff),
    flags: (primary ? SiteFlag.PRIMARY : 0) | (multi ? SiteFlag.MULTI_PRIMARY : 0),
    hashOption: o['hashOption'] === undefined ? hashByAll : readInt(o['hashOption'], `${path}.hashOption`, 0, 2),
    hashFilter: o['hashFilter'] === undefined ? Buffer.alloc(0) : Buffer.from(readString(o['hashFilter'], `${path}.hashFilter`), 'utf8'),
    attributes: o['attributes'] === undefined ? [] : readAttributes(o['attributes'], `${path}.attributes`),
    servers: readArray(servers, `${path}.servers`).map((x, i) => readServer(x, `${path}.servers[${i}]`)),
  };
}
