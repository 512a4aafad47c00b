/** The parts of an `opc.tcp://` endpoint URL the driver needs. */
export interface OpcTcpUrl {
  /** Host name or IP address, IPv6 without brackets (`::1`). */
  host: string;
  port: number;
  /** True for an IPv6 literal such as `opc.tcp://[::1]:4840`. */
  ipv6: boolean;
}

/**
 * Parses an `opc.tcp://host[:port][/path]` URL; the port defaults to 4840. Undefined when the URL is not
 * one (wrong scheme, no host, port out of range, credentials in the URL).
 * @example parseOpcTcpUrl('opc.tcp://[::1]:4840') // { host: '::1', port: 4840, ipv6: true }
 */
export function parseOpcTcpUrl(url: string): OpcTcpUrl | undefined {
  const match = /^opc\.tcp:\/\/(.*)$/i.exec(url);
  if (!match || /\s/.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(`http://${match[1] ?? ''}`);
  } catch {
    return undefined;
  }
  if (!parsed.hostname || parsed.username || parsed.password || parsed.search || parsed.hash) return undefined;
  const ipv6 = parsed.hostname.startsWith('[');
  // WHATWG URL drops the default http port 80, so read it back from the text when it was written.
  const port = parsed.port ? Number(parsed.port) : /^[^/]*:80(\/|$)/.test(match[1] ?? '') ? 80 : 4840;
  return { host: ipv6 ? parsed.hostname.slice(1, -1) : parsed.hostname, port, ipv6 };
}
