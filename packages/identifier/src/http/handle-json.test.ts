import { type SiteInfo, AdminPermission, Permission, encodeAdmin, encodeSite, encodeVlist, handleValue } from '@yulian/protocols';
import { describe, expect, it } from 'vitest';
import { adminPermissionsFromJson, adminPermissionsToString, handleValueFromJson, handleValueToJson } from './handle-json.js';
import { HandleJsonError } from './json-input.js';
import { httpStatusOf } from './status.js';

const site: SiteInfo = {
  version: 1, protocolMajor: 2, protocolMinor: 10, serial: 7, flags: 0x80, hashOption: 0, hashFilter: Buffer.alloc(0), attributes: [{ name: 'desc', value: '测试节点' }],
  servers: [{ id: 1, address: '192.0.2.10', publicKey: Buffer.from([1, 2, 3]), interfaces: [{ type: 3, protocol: 0, port: 2641 }, { type: 2, protocol: 2, port: 8000 }] }],
};
const problemOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof HandleJsonError) return e.message;
    throw e;
  }
  throw new Error('no HandleJsonError');
};

describe('handle values as Handle.Net JSON', () => {
  it('writes a URL value with the keys and formats Handle.Net writes', () => {
    const v = handleValue(1, 'URL', 'https://example.com/p/1', { timestamp: 1_006_359_695 });
    expect(JSON.stringify(handleValueToJson(v))).toBe('{"index":1,"type":"URL","data":{"format":"string","value":"https://example.com/p/1"},"ttl":86400,"timestamp":"2001-11-21T16:21:35Z"}');
  });

  it('writes HS_ADMIN permissions as twelve bits, list handles first, add handle last', () => {
    expect(adminPermissionsToString(0x0fff & ~AdminPermission.LIST_HANDLES)).toBe('011111111111');
    expect(adminPermissionsToString(AdminPermission.ADD_HANDLE)).toBe('000000000001');
    expect(adminPermissionsToString(AdminPermission.READ_VALUE)).toBe('010000000000');
    const admin = handleValue(100, 'HS_ADMIN', encodeAdmin({ permissions: 0x07ff, handle: '0.NA/88.100.1', index: 200 }), { timestamp: 0 });
    expect(handleValueToJson(admin)).toEqual({ index: 100, type: 'HS_ADMIN', data: { format: 'admin', value: { handle: '0.NA/88.100.1', index: 200, permissions: '011111111111' } }, ttl: 86_400 });
  });

  it('reads HS_ADMIN permissions in every form Handle.Net accepts', () => {
    expect(adminPermissionsFromJson('011111111111', 'p')).toBe(0x07ff);
    expect(adminPermissionsFromJson('*', 'p')).toBe(0x0fff);
    expect(adminPermissionsFromJson('11', 'p')).toBe(AdminPermission.ADD_HANDLE | AdminPermission.DELETE_HANDLE);
    expect(adminPermissionsFromJson(true, 'p')).toBe(0x0fff);
    expect(adminPermissionsFromJson([true, false, true], 'p')).toBe(0b101);
    expect(adminPermissionsFromJson(5, 'p')).toBe(5);
    expect(() => adminPermissionsFromJson('0121', 'p')).toThrow(HandleJsonError);
  });

  it('writes HS_VLIST and HS_SITE in their own formats, the site as Handle.Net shapes it', () => {
    const vlist = handleValueToJson(handleValue(1, 'HS_VLIST', encodeVlist([{ handle: '0.NA/88.100.1', index: 300 }]), { timestamp: 0 }));
    expect(vlist.data).toEqual({ format: 'vlist', value: [{ handle: '0.NA/88.100.1', index: 300 }] });
    const json = handleValueToJson(handleValue(1, 'HS_SITE.PREFIX', encodeSite(site), { timestamp: 0 }));
    expect(json.data).toEqual({
      format: 'site',
      value: {
        version: 1, protocolVersion: '2.10', serialNumber: 7, primarySite: true, multiPrimary: false, hashOption: 0, attributes: [{ name: 'desc', value: '测试节点' }],
        servers: [{ serverId: 1, address: '192.0.2.10', publicKey: { format: 'base64', value: 'AQID' }, interfaces: [{ query: true, admin: true, protocol: 'UDP', port: 2641 }, { query: true, admin: false, protocol: 'HTTP', port: 8000 }] }],
      },
    });
  });

  it('writes bytes that are not text as base64, an absolute TTL as a time, unusual permissions and references', () => {
    const v = handleValue(7, 'CERT', Buffer.from([0, 1, 0xff]), { timestamp: 0, ttlType: 1, ttl: 1_006_359_695, permissions: 0x0f, references: [{ handle: '88.100.1/x', index: 1 }] });
    expect(JSON.stringify(handleValueToJson(v))).toBe('{"index":7,"type":"CERT","data":{"format":"base64","value":"AAH/"},"permissions":"1111","ttl":"2001-11-21T16:21:35Z","references":[{"handle":"88.100.1/x","index":1}]}');
    // HS_ADMIN bytes that do not decode fall back to bytes, as Handle.Net shows them.
    expect(handleValueToJson(handleValue(100, 'HS_ADMIN', 'junk', { timestamp: 0 })).data).toEqual({ format: 'string', value: 'junk' });
  });

  it('reads back what it writes, for every format', () => {
    const values = [
      handleValue(1, 'URL', 'https://example.com/轴承', { timestamp: 1_700_000_000 }),
      handleValue(2, 'BIN', Buffer.from([0, 0xfe]), { timestamp: 1_700_000_000, ttlType: 1, ttl: 1_800_000_000, permissions: Permission.PUBLIC_READ }),
      handleValue(100, 'HS_ADMIN', encodeAdmin({ permissions: 0x0ff3, handle: '0.NA/88.100.1', index: 200 }), { timestamp: 1_700_000_000 }),
      handleValue(101, 'HS_VLIST', encodeVlist([{ handle: '88.100.1/admins', index: 300 }]), { timestamp: 1_700_000_000 }),
      handleValue(102, 'HS_SITE', encodeSite(site), { timestamp: 1_700_000_000, references: [{ handle: '0.NA/88', index: 1 }] }),
    ];
    for (const v of values) expect(handleValueFromJson(JSON.parse(JSON.stringify(handleValueToJson(v))))).toEqual(v);
  });

  it('reads the shortcuts Handle.Net reads: a bare string, hex, defaults for what is absent', () => {
    expect(handleValueFromJson({ index: 1, type: 'URL', data: 'https://a.example' })).toEqual(handleValue(1, 'URL', 'https://a.example', { timestamp: 0 }));
    expect(handleValueFromJson({ index: 2, type: 'X', data: { format: 'HEX', value: '00ff' }, permissions: '*' }).data).toEqual(Buffer.from([0, 0xff]));
  });

  it('names the field and the problem of a value it cannot read', () => {
    expect(problemOf(() => handleValueFromJson({ index: 0, type: 'URL', data: 'x' }, 'values[0]'))).toBe('values[0].index: must be a whole number from 1 to 2147483647');
    expect(problemOf(() => handleValueFromJson({ index: 1, type: '', data: 'x' }))).toBe('value.type: is empty');
    expect(problemOf(() => handleValueFromJson({ index: 1, type: 'URL' }))).toBe('value.data: is missing');
    expect(problemOf(() => handleValueFromJson({ index: 1, type: 'URL', data: { format: 'xml', value: '<a/>' } }))).toMatch(/^value\.data\.format: "xml" is not one of/);
    expect(problemOf(() => handleValueFromJson({ index: 1, type: 'URL', data: { format: 'base64', value: 'a*b=' } }))).toBe('value.data.value: is not base64');
    expect(problemOf(() => handleValueFromJson({ index: 1, type: 'URL', data: { format: 'hex', value: 'abc' } }))).toMatch(/^value\.data\.value: is not hex/);
    expect(problemOf(() => handleValueFromJson({ index: 100, type: 'HS_ADMIN', data: 'admin' }))).toMatch(/^value\.data: is not valid HS_ADMIN data/);
    expect(problemOf(() => handleValueFromJson({ index: 1, type: 'URL', data: 'x', ttl: 'tomorrow' }))).toMatch(/^value\.ttl: must be an ISO 8601 time/);
    expect(problemOf(() => handleValueFromJson({ index: 1, type: 'URL', data: 'x', permissions: '12' }))).toMatch(/^value\.permissions:/);
    expect(problemOf(() => handleValueFromJson({ index: 1, type: 'HS_SITE', data: { format: 'site', value: { servers: [{ address: 'nowhere' }] } } }))).toBe('value.data.value.servers[0].address: is not an IPv4 or IPv6 address');
    expect(problemOf(() => handleValueFromJson({ index: 1, type: 'HS_PUBKEY', data: { format: 'key', value: { kty: 'RSA' } } }))).toMatch(/"key" format is not supported/);
  });
});

describe('HTTP status of a Handle response code', () => {
  it('follows Handle.Net: 404 not found, 409 exists, 400 bad input, 401/403 authentication, 503 read-only, 500 errors', () => {
    const table: Array<[number, number]> = [
      [1, 200], [2, 500], [3, 503], [4, 400], [5, 501], [7, 503], [100, 404], [101, 409], [102, 400], [200, 400], [201, 409], [202, 400], [301, 400], [302, 300],
      [400, 403], [401, 403], [402, 401], [403, 403], [404, 403], [405, 403], [406, 403], [408, 403], [500, 500], [999, 500],
    ];
    for (const [rc, status] of table) expect([rc, httpStatusOf(rc)]).toEqual([rc, status]);
    expect(httpStatusOf(1, { created: true })).toBe(201);
    expect(httpStatusOf(200, { resolution: true })).toBe(200);
  });
});
