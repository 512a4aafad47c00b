import { describe, expect, it } from 'vitest';
import { AdminPermission, allAdminPermissions } from './constants.js';
import { type SiteInfo, decodeAddress, decodeAdmin, decodeSite, decodeVlist, encodeAddress, encodeAdmin, encodeSite, encodeVlist, valueWanted } from './values.js';
import { HandleDecodeError } from './wire.js';

describe('Handle value data', () => {
  it('round-trips HS_ADMIN and HS_VLIST', () => {
    const admin = { permissions: AdminPermission.ADD_HANDLE | AdminPermission.READ_VALUE, handle: '0.NA/88.100.1', index: 200 };
    expect(decodeAdmin(encodeAdmin(admin))).toEqual(admin);
    expect(encodeAdmin({ permissions: allAdminPermissions, handle: '0.NA/88', index: 300 }).subarray(0, 2).toString('hex')).toBe('0fff');
    const refs = [{ handle: '0.NA/88.100.1', index: 300 }, { handle: '88.100.1/admin', index: 301 }];
    expect(decodeVlist(encodeVlist(refs))).toEqual(refs);
  });

  it('round-trips HS_SITE with IPv4 right-aligned in 16 bytes and IPv6 as is', () => {
    expect(encodeAddress('10.1.2.3').toString('hex')).toBe('0000000000000000000000000a010203');
    expect(decodeAddress(encodeAddress('10.1.2.3'))).toBe('10.1.2.3');
    // IPv4 is stored IPv4-compatible (twelve zero bytes first), so ::1 reads back as 0.0.0.1, as in Handle.Net.
    expect(decodeAddress(encodeAddress('::1'))).toBe('0.0.0.1');
    expect(decodeAddress(encodeAddress('fe80::1'))).toBe('fe80::1');
    expect(decodeAddress(encodeAddress('2001:db8::8:1'))).toBe('2001:db8::8:1');
    const site: SiteInfo = {
      version: 1, protocolMajor: 2, protocolMinor: 10, serial: 3, flags: 0x80, hashOption: 0, hashFilter: Buffer.alloc(0),
      attributes: [{ name: 'desc', value: '重庆二级节点' }],
      servers: [{ id: 1, address: '127.0.0.1', publicKey: Buffer.from([1, 2, 3]), interfaces: [{ type: 3, protocol: 0, port: 2641 }, { type: 3, protocol: 1, port: 2641 }, { type: 2, protocol: 2, port: 8000 }] }],
    };
    expect(decodeSite(encodeSite(site))).toEqual(site);
    const broken = encodeSite(site);
    expect(() => decodeSite(broken.subarray(0, broken.length - 1))).toThrow(HandleDecodeError);
  });

  it('matches resolution filters by index, type and sub-type, ignoring case', () => {
    const v = { index: 3, type: 'HS_SITE.PREFIX' };
    expect(valueWanted(v, [], [])).toBe(true);
    expect(valueWanted(v, [3], [])).toBe(true);
    expect(valueWanted(v, [4], [])).toBe(false);
    expect(valueWanted(v, [], ['HS_SITE'])).toBe(true);
    expect(valueWanted(v, [], ['hs_site.prefix'])).toBe(true);
    expect(valueWanted(v, [], ['HS_SITE.'])).toBe(true);
    expect(valueWanted(v, [], ['HS_SIT'])).toBe(false);
    expect(valueWanted({ index: 1, type: 'URL' }, [], ['URL.mobile'])).toBe(false);
  });
});
