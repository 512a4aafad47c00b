/**
 * Host names and addresses a gateway can connect to, checked in the browser before a device is sent.
 */

const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const labelPattern = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** True for a dotted-quad IPv4 address. */
export const isIpv4 = (text: string): boolean => ipv4Pattern.test(text);

/** True for an IPv6 address, optionally with a zone (`fe80::1%eth0`) and optionally in brackets. */
export function isIpv6(text: string): boolean {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  const [address = '', zone] = bare.split('%');
  if (!address.includes(':') || (zone !== undefined && !/^[A-Za-z0-9_.-]+$/.test(zone))) return false;
  try {
    // The URL parser knows IPv6 in all its written forms (compressed, embedded IPv4).
    return new URL(`http://[${address}]/`).hostname !== '';
  } catch {
    return false;
  }
}

/** True for a host name of dot-separated labels (letters, digits, inner dashes), at most 253 characters. */
export function isHostName(text: string): boolean {
  const name = text.replace(/\.$/, '');
  // All digits and dots reads as an IPv4 address, so it must be a valid one.
  if (/^[\d.]+$/.test(name)) return false;
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => labelPattern.test(label));
}

/**
 * True for what a Modbus TCP device's `host` may be: an IPv4 or IPv6 address or a host name.
 *
 * @example isValidHost('192.168.1.20') // true
 * @example isValidHost('fe80::1%eth0') // true
 * @example isValidHost('300.1.1.1') // false
 */
export const isValidHost = (text: string): boolean => isIpv4(text) || isIpv6(text) || isHostName(text);

/** The host as the gateway wants it: trimmed, an IPv6 address without its brackets. */
export const normaliseHost = (text: string): string => text.trim().replace(/^\[(.*)\]$/, '$1');
