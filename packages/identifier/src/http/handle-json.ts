/**
 * Handle values ↔ the JSON of Handle.Net's HTTP API (`/api/handles`), as its `GsonUtility` writes and
 * reads them, so every Yulian surface (this API, the console, the registration API) shows a record the
 * same way:
 *
 * `{"index":1,"type":"URL","data":{"format":"string","value":"https://…"},"ttl":86400,"timestamp":"2001-11-21T16:21:35Z"}`
 *
 * - `data.format`: `admin` for HS_ADMIN, `vlist` for HS_VLIST, `site` for HS_SITE / HS_SITE.PREFIX, else
 *   `string` when the bytes read as text, `base64` otherwise; typed data that does not decode falls back
 *   to string/base64, as Handle.Net's does. Read back: those and `hex`, or a bare JSON string.
 * - `permissions` (of the value): four bits "1110" (admin read, admin write, public read, public write),
 *   written only when not the default 1110.
 * - `ttl`: seconds when relative, an ISO 8601 time when absolute; `timestamp` absent when 0;
 *   `references` absent when empty.
 */
import { type HandleValue, decodeAdmin, decodeSite, decodeVlist, encodeAdmin, encodeSite, encodeVlist } from '@yulian/protocols';
import { fail, looksLikeText, readArray, readInt, readObject, readPlainData, readString } from './json-input.js';
import { siteFromJson, siteToJson } from './site-json.js';
import type { HandleDataJson, HandleValueJson } from '@yulian/contracts';

export type { AdminJson, HandleDataJson, HandleReferenceJson, HandleValueJson } from '@yulian/contracts';

const maxIndex = 0x7fff_ffff;
const maxU32 = 0xffff_ffff;
/** Yulian's limit on a value type's length (the wire has none worth allowing). */
const maxTypeBytes = 255;
const defaultPermissions = 0x0e;
const adminTypes = new Set(['HS_ADMIN']);
const vlistTypes = new Set(['HS_VLIST']);
// HS_NA_DELEGATE is the legacy name of HS_SITE.PREFIX, which Handle.Net still shows as a site.
const siteTypes = new Set(['HS_SITE', 'HS_SITE.PREFIX', 'HS_NA_DELEGATE']);

/**
 * HS_ADMIN permission bits as Handle.Net's twelve-character string (most significant first).
 * @example adminPermissionsToString(0x0fff) // '111111111111'
 */
export const adminPermissionsToString = (permissions: number): string => (permissions & 0x0fff).toString(2).padStart(12, '0');

/**
 * HS_ADMIN permission bits from JSON: a string of up to twelve 0/1 (right-aligned) or "*" (all), a
 * boolean (all or none), a number, or a list whose item i is bit i — what Handle.Net accepts.
 * @throws HandleJsonError
 */
export function adminPermissionsFromJson(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (v === '*' || v === true) return 0x0fff;
  if (v === false) return 0;
  if (typeof v === 'string') return /^[01]{1,12}$/.test(v) ? Number.parseInt(v, 2) : fail(path, 'must be up to twelve 0/1 characters or "*"');
  if (typeof v === 'number') return readInt(v, path, 0, 0x0fff);
  const bits = readArray(v, path);
  if (bits.length > 12) fail(path, 'has more than twelve permissions');
  return bits.reduce<number>((acc, b, i) => (b === true || b === 1 ? acc | (1 << i) : b === false || b === 0 ? acc : fail(`${path}[${i}]`, 'must be true, false, 1 or 0')), 0);
}

// The values of a record mostly share one timestamp: the last one converted is kept.
let lastSeconds = Number.NaN;
let lastIso = '';

/** Epoch seconds as Handle.Net writes times: ISO 8601, UTC, no milliseconds. */
export function isoSeconds(seconds: number): string {
  if (seconds !== lastSeconds) {
    lastIso = `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
    lastSeconds = seconds;
  }
  return lastIso;
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function readIsoSeconds(v: unknown, path: string): number {
  const s = readString(v, path);
  const ms = isoTime.test(s) ? Date.parse(s) : Number.NaN;
  const seconds = Math.floor(ms / 1000);
  if (!Number.isFinite(ms) || seconds < 0 || seconds > maxU32) fail(path, 'must be an ISO 8601 time with a zone, e.g. 2001-11-21T16:21:35Z, from 1970 to 2106');
  return seconds;
}

function dataToJson(v: HandleValue): HandleDataJson {
  const type = v.type.toUpperCase();
  try {
    if (adminTypes.has(type)) {
      const a = decodeAdmin(v.data);
      return { format: 'admin', value: { handle: a.handle, index: a.index, permissions: adminPermissionsToString(a.permissions) } };
    }
    if (vlistTypes.has(type)) return { format: 'vlist', value: decodeVlist(v.data).map((r) => ({ handle: r.handle, index: r.index })) };
    if (siteTypes.has(type)) return { format: 'site', value: siteToJson(decodeSite(v.data)) };
  } catch {
    // Typed data that does not decode is shown as bytes, as Handle.Net does.
  }
  return looksLikeText(v.data) ? { format: 'string', value: v.data.toString('utf8') } : { format: 'base64', value: v.data.toString('base64') };
}

const bit = (on: boolean): string => (on ? '1' : '0');

/** One value as JSON, its keys in Handle.Net's order: index, type, data, permissions, ttl, timestamp, references. */
export function handleValueToJson(v: HandleValue): HandleValueJson {
  const p = v.permissions & 0x0f;
  const permissions = p === defaultPermissions ? undefined : bit((p & 0x08) !== 0) + bit((p & 0x04) !== 0) + bit((p & 0x02) !== 0) + bit((p & 0x01) !== 0);
  return {
    index: v.index,
    type: v.type,
    data: dataToJson(v),
    ...(permissions === undefined ? {} : { permissions }),
    ttl: v.ttlType === 0 ? v.ttl : isoSeconds(v.ttl),
    ...(v.timestamp === 0 ? {} : { timestamp: isoSeconds(v.timestamp) }),
    ...(v.references.length ? { references: v.references.map((r) => ({ handle: r.handle, index: r.index })) } : {}),
  };
}

/** Values as JSON, in their order. */
export const handleValuesToJson = (values: readonly HandleValue[]): HandleValueJson[] => values.map(handleValueToJson);

function readReference(v: unknown, path: string): { handle: string; index: number } {
  const o = readObject(v, path);
  const handle = readString(o['handle'], `${path}.handle`);
  if (!handle) fail(`${path}.handle`, 'is empty');
  return { handle, index: readInt(o['index'], `${path}.index`, 0, maxIndex) };
}

function readTypedData(v: unknown, path: string): Buffer {
  const plain = readPlainData(v, path);
  if (plain) return plain;
  const o = readObject(v, path);
  const format = readString(o['format'], `${path}.format`).toLowerCase();
  const value = o['value'];
  if (format === 'admin') {
    const a = readObject(value, `${path}.value`);
    const handle = readString(a['handle'], `${path}.value.handle`);
    if (!handle) fail(`${path}.value.handle`, 'is empty');
    return encodeAdmin({ handle, index: readInt(a['index'], `${path}.value.index`, 0, maxIndex), permissions: adminPermissionsFromJson(a['permissions'], `${path}.value.permissions`) });
  }
  if (format === 'vlist') return encodeVlist(readArray(value, `${path}.value`).map((r, i) => readReference(r, `${path}.value[${i}]`)));
  if (format === 'site') return encodeSite(siteFromJson(value, `${path}.value`));
  if (format === 'key') fail(`${path}.format`, 'the "key" format is not supported here; give the key bytes as base64');
  return fail(`${path}.format`, `"${format}" is not one of string, base64, hex, admin, vlist, site`);
}

/** Data of a typed value (HS_ADMIN, HS_VLIST, HS_SITE) must decode as its type, whatever format carried it. */
function checkTyped(type: string, data: Buffer, path: string): void {
  const t = type.toUpperCase();
  const check = adminTypes.has(t) ? decodeAdmin : vlistTypes.has(t) ? decodeVlist : siteTypes.has(t) ? decodeSite : undefined;
  if (!check) return;
  try {
    check(data);
  } catch (e) {
    fail(path, `is not valid ${t} data (${(e as Error).message})`);
  }
}

function readValuePermissions(v: unknown, path: string): number {
  if (v === undefined || v === null) return defaultPermissions;
  if (v === '*') return 0x0f;
  const s = readString(v, path);
  if (!/^[01]{1,4}$/.test(s)) fail(path, 'must be up to four 0/1 characters (admin read, admin write, public read, public write) or "*"');
  return Number.parseInt(s, 2);
}

const hasControlChar = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * One value from JSON. Absent fields take Handle.Net's defaults: permissions 1110, TTL 86,400 s
 * relative, timestamp 0, no references. Unknown fields are ignored, as Handle.Net ignores them.
 * @throws HandleJsonError naming the field and the problem
 * @example handleValueFromJson({ index: 1, type: 'URL', data: 'https://example.com' }, 'values[0]')
 */
export function handleValueFromJson(v: unknown, path = 'value'): HandleValue {
  const o = readObject(v, path);
  const index = readInt(o['index'], `${path}.index`, 1, maxIndex);
  const type = readString(o['type'], `${path}.type`);
  if (!type) fail(`${path}.type`, 'is empty');
  if (Buffer.byteLength(type) > maxTypeBytes || hasControlChar(type)) fail(`${path}.type`, `must be at most ${maxTypeBytes} bytes without control characters`);
  if (o['data'] === undefined) fail(`${path}.data`, 'is missing');
  const data = readTypedData(o['data'], `${path}.data`);
  checkTyped(type, data, `${path}.data`);
  const ttl = o['ttl'];
  const absolute = typeof ttl === 'string';
  return {
    index,
    type,
    data,
    timestamp: o['timestamp'] === undefined || o['timestamp'] === null ? 0 : readIsoSeconds(o['timestamp'], `${path}.timestamp`),
    ttlType: absolute ? 1 : 0,
    ttl: ttl === undefined || ttl === null ? 86_400 : absolute ? readIsoSeconds(ttl, `${path}.ttl`) : readInt(ttl, `${path}.ttl`, 0, maxIndex),
    permissions: readValuePermissions(o['permissions'], `${path}.permissions`),
    references: o['references'] === undefined || o['references'] === null ? [] : readArray(o['references'], `${path}.references`).map((r, i) => readReference(r, `${path}.references[${i}]`)),
  };
}

/**
 * A list of values from JSON.
 * @throws HandleJsonError
 */
export const handleValuesFromJson = (v: unknown, path = 'values'): HandleValue[] => readArray(v, path).map((x, i) => handleValueFromJson(x, `${path}[${i}]`));
