import { describe, expect, it } from 'vitest';
import { isValidHost, normaliseHost } from './host';

describe('isValidHost', () => {
  it('accepts IPv4 and IPv6 addresses and host names', () => {
    for (const host of ['127.0.0.1', '192.168.10.254', '::1', '[::1]', 'fe80::1%eth0', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1', 'plc-01', 'plc-01.line2.factory.local', 'localhost']) {
      expect(isValidHost(host), host).toBe(true);
    }
  });

  it('refuses what no gateway can connect to', () => {
    for (const host of ['', '300.1.1.1', '1.2.3', '-plc', 'plc_01', 'a..b', 'http://plc', '::g', 'plc 01', `${'a'.repeat(64)}.local`]) {
      expect(isValidHost(host), host).toBe(false);
    }
  });

  it('removes the brackets of an IPv6 address', () => {
    expect(normaliseHost(' [::1] ')).toBe('::1');
    expect(normaliseHost('plc-01')).toBe('plc-01');
  });
});
