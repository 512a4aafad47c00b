/** Reading a `/api/handles` request: the handle in the path, and the query parameters as Handle.Net reads them. */
import { ResponseCode } from '@yulian/protocols';
import type { FastifyRequest } from 'fastify';
import { HandleError } from '../records.js';

const maxIndex = 0x7fff_ffff;

/** A request's query string as Fastify parsed it: a repeated parameter is a list. */
export type Query = Readonly<Record<string, unknown>>;

export const queryOf = (request: FastifyRequest): Query => (typeof request.query === 'object' && request.query !== null ? (request.query as Query) : {});

/** Every value of a parameter (`type=URL&type=EMAIL`), in order. */
export function queryAll(q: Query, name: string): string[] {
  const v = q[name];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The first value of a parameter, as a servlet's `getParameter` answers. */
export const queryFirst = (q: Query, name: string): string | undefined => queryAll(q, name)[0];

const protocolError = (message: string): HandleError => new HandleError(ResponseCode.PROTOCOL_ERROR, message);

/**
 * `index=` values as numbers; Handle.Net answers a value that is not a number with RC 4.
 * @throws HandleError RC 4
 */
export function readIndexes(values: readonly string[]): number[] {
  return values.map((s) => {
    if (!/^\d{1,10}$/.test(s) || Number(s) > maxIndex) throw protocolError(`index "${s}" is not a whole number from 0 to ${maxIndex}`);
    return Number(s);
  });
}

/**
 * A true/false parameter (`overwrite`, `mintNewSuffix`), or undefined when absent. Handle.Net reads
 * anything but "true" as false; Yulian refuses what is neither, so a typo does not flip a write.
 * @throws HandleError RC 4
 */
export function readFlag(q: Query, name: string): boolean | undefined {
  const v = queryFirst(q, name);
  if (v === undefined) return undefined;
  const lower = v.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw protocolError(`${name} must be true or false, not "${v}"`);
}

/**
 * `page` and `pageSize` of a listing. Either missing or negative means "every handle" (Handle.Net).
 * @throws HandleError RC 4 when one is not a whole number
 */
export function readPaging(q: Query): { page: number; pageSize: number } | undefined {
  const read = (name: string): number => {
    const v = queryFirst(q, name);
    if (v === undefined) return -1;
    if (!/^-?\d{1,10}$/.test(v)) throw protocolError(`${name} must be a whole number, not "${v}"`);
    return Number(v);
  };
  const page = read('page');
  const pageSize = read('pageSize');
  return page >= 0 && pageSize >= 0 ? { page, pageSize } : undefined;
}

/**
 * The handle a request names: the rest of the path after the route's base, percent-decoded, `+` kept
 * (Handle.Net's `decodeURLIgnorePlus`). Taken from the URL itself, not the router's wildcard, so that
 * `%2F`, a trailing `/` (minting: `88.100.1/`) and `?` (`%3F`) survive any router option.
 * @throws HandleError RC 102 when the percent-encoding is broken
 */
export function handleInPath(request: FastifyRequest): string {
  const route = request.routeOptions.url ?? '';
  const base = route.endsWith('*') ? route.slice(0, -1) : `${route}/`;
  const path = request.url.split('?', 1)[0] ?? '';
  const raw = path.startsWith(base) ? path.slice(base.length) : '';
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HandleError(ResponseCode.INVALID_HANDLE, 'The handle in the URL is not valid percent-encoded UTF-8.');
  }
}
