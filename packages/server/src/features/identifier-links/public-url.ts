import type { FastifyRequest } from 'fastify';

/** A Host header we repeat into a URL: a name or address and an optional port, nothing else. */
const hostPattern = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * The origin the caller reached the platform at (`http://host:port`), for absolute links and QR codes.
 * The platform has no configured public URL; a reverse proxy must pass the Host header through. A Host
 * that is not a plain host[:port] is not repeated: `localhost` stands in for it.
 */
export function requestOrigin(request: FastifyRequest): string {
  const host = hostPattern.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}`;
}

/**
 * An identifier as a URL path: each `/`-separated piece percent-encoded, the slashes kept, so
 * `88.100.1/dev.cnc-01` stays readable and `88.100.1/批次 1#2` survives a browser and a QR reader.
 * @example identifierPath('88.100.1/dev.cnc-01') // '88.100.1/dev.cnc-01'
 */
export const identifierPath = (identifier: string): string => identifier.split('/').map(encodeURIComponent).join('/');

/** The absolute URL of an identifier's public page. */
export const publicPageUrl = (origin: string, identifier: string): string => `${origin}/r/${identifierPath(identifier)}`;
