/**
 * Small readers for JSON that came over HTTP: each checks one field and, when it is wrong, throws a
 * {@link HandleJsonError} naming where (`values[2].data.value`) and why, which the API answers as
 * RC 202 "invalid value".
 */

/** A handle value (or part of one) in JSON that cannot be turned into wire bytes. */
export class HandleJsonError extends Error {
  constructor(
    /** Where in the document: `values[0].ttl`. */
    readonly path: string,
    /** What is wrong, in English. */
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'HandleJsonError';
  }
}

/** A JSON object's fields (parsed JSON: every value is JSON, but typed unknown until checked). */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function fail(path: string, problem: string): never {
  throw new HandleJsonError(path, problem);
}

export function readObject(v: unknown, path: string): JsonObject {
  return isJsonObject(v) ? v : fail(path, 'must be an object');
}

export function readArray(v: unknown, path: string): unknown[] {
  return Array.isArray(v) ? v : fail(path, 'must be an array');
}

export function readString(v: unknown, path: string): string {
  return typeof v === 'string' ? v : fail(path, 'must be a string');
}

/** A whole number in [min, max]. */
export function readInt(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `must be a whole number from ${min} to ${max}`);
  return v;
}

export function readBoolean(v: unknown, path: string): boolean {
  return typeof v === 'boolean' ? v : fail(path, 'must be true or false');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether bytes read as text: strict UTF-8 without control characters other than tab, CR and LF.
 * Handle.Net's `Util.looksLikeBinary` makes the same call; its exact rule was not checked.
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return false;
  }
  return true;
}

const base64Text = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const hexText = /^(?:[0-9A-Fa-f]{2})*$/;

/** Bytes of base64 text (standard or URL-safe alphabet, padding optional), strictly. */
export function readBase64(v: unknown, path: string): Buffer {
  const s = readString(v, path).replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!base64Text.test(s)) fail(path, 'is not base64');
  return Buffer.from(s, 'base64');
}

/** Bytes of hex text (even length). */
export function readHex(v: unknown, path: string): Buffer {
  const s = readString(v, path);
  if (!hexText.test(s)) fail(path, 'is not hex (pairs of 0-9, a-f)');
  return Buffer.from(s, 'hex');
}

/**
 * Bytes given as `"text"` or `{format: "string" | "base64" | "hex", value}` (format names ignore
 * case, as Handle.Net's do), or undefined when the format is another one (admin, vlist, site, key).
 */
export function readPlainData(v: unknown, path: string): Buffer | undefined {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  const o = readObject(v, path);
  const format = readString(o['format'], `${path}.format`).toLowerCase();
  if (format === 'string') return Buffer.from(readString(o['value'], `${path}.value`), 'utf8');
  if (format === 'base64') return readBase64(o['value'], `${path}.value`);
  if (format === 'hex') return readHex(o['value'], `${path}.value`);
  return undefined;
}
