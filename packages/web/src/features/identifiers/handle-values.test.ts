import { describe, expect, it } from 'vitest';
import { base64Length, formatHandleData, formatTtl, parseIdentifierInput, parsePrefixInput, summariseSignature } from './handle-values';
import { adminValue } from './test-fixtures';

describe('identifier values as the record page shows them', () => {
  it('shows text as it is, an admin as who:index with its permission bits, a list as its references', () => {
    expect(formatHandleData({ format: 'string', value: '精密减速机' })).toEqual({ text: '精密减速机' });
    expect(formatHandleData(adminValue.data)).toEqual({ text: '0.NA/88.100.1:300', detail: '111111111111' });
    expect(formatHandleData({ format: 'vlist', value: [{ handle: '88.100.1/a', index: 1 }, { handle: '88.100.1/b', index: 300 }] }).text).toBe('88.100.1/a:1, 88.100.1/b:300');
  });

  it('shows a site as its servers with their protocols and ports, and bytes as base64 with their length', () => {
    const site = formatHandleData({
      format: 'site',
      value: { version: 1, protocolVersion: '2.10', serialNumber: 1, primarySite: true, multiPrimary: false, attributes: [], servers: [{ serverId: 1, address: '203.0.113.5', publicKey: { format: 'base64', value: '' }, interfaces: [{ query: true, admin: true, protocol: 'UDP', port: 2641 }, { query: true, admin: true, protocol: 'TCP', port: 2641 }] }] },
    });
    expect(site).toEqual({ text: '203.0.113.5 (UDP 2641, TCP 2641)', detail: 'v2.10 primary' });
    expect(formatHandleData({ format: 'base64', value: 'AAEC/w==' })).toEqual({ text: 'AAEC/w==', detail: '4 B' });
    expect(base64Length('AAE=')).toBe(2);
  });

  it('states a TTL in seconds with days or hours, and an absolute one as its time', () => {
    expect(formatTtl(86_400)).toBe('86400 s (1 d)');
    expect(formatTtl(7_200)).toBe('7200 s (2 h)');
    expect(formatTtl(90)).toBe('90 s');
    expect(formatTtl('2030-01-01T00:00:00Z')).toBe('2030-01-01T00:00:00Z');
  });

  it('takes an identifier typed, prefixed with hdl: or as a public page link, and refuses one without a suffix', () => {
    expect(parseIdentifierInput(' 88.100.1/dev.cnc-01 ')).toBe('88.100.1/dev.cnc-01');
    expect(parseIdentifierInput('hdl:88.100.1/P-1')).toBe('88.100.1/P-1');
    expect(parseIdentifierInput('https://yulian.example/r/88.100.1/%E8%BD%B4%E6%89%BF')).toBe('88.100.1/轴承');
    expect(parseIdentifierInput('88.100.1')).toBeUndefined();
    expect(parseIdentifierInput('88.100.1/')).toBeUndefined();
    expect(parsePrefixInput(' 88.100.1/ ')).toBe('88.100.1');
    expect(parsePrefixInput('88..1')).toBeUndefined();
  });

  it('summarises a signature by its algorithm, signer and the indexes it covers', () => {
    expect(summariseSignature('{"alg":"SM2-SM3","signer":"300:0.NA/88.100.1","digests":[{"index":1,"digest":"ab"},{"index":100,"digest":"cd"}],"sig":"ef"}')).toBe('SM2-SM3 · 300:0.NA/88.100.1 · [1, 100]');
    expect(summariseSignature('not json')).toBeUndefined();
    expect(summariseSignature('{"alg":1}')).toBeUndefined();
  });
});
