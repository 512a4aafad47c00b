/**
 * Identifier syntax (标识编码): `<prefix>/<suffix>`, e.g. `88.100.1/JXDY2106023`. The prefix is the
 * naming authority — ASCII, case-insensitive, dotted segments (`88` the country, then the secondary
 * node's code, then the enterprise's) —, the suffix is chosen by the enterprise: UTF-8, case-sensitive.
 * Handle protocol rules (RFC 3650) with the national system's shape; limits are Yulian's (docs/api.md).
 */

/** Why an identifier (or prefix) is not valid: one code per way it can be wrong. */
export type IdentifierProblem =
  | 'ID_EMPTY'
  | 'ID_NO_SUFFIX'
  | 'ID_PREFIX_EMPTY'
  | 'ID_PREFIX_SEGMENT_EMPTY'
  | 'ID_PREFIX_CHARACTER'
  | 'ID_PREFIX_TOO_LONG'
  | 'ID_SUFFIX_EMPTY'
  | 'ID_SUFFIX_CHARACTER'
  | 'ID_SUFFIX_TOO_LONG'
  | 'ID_NOT_UTF8'
  | 'ID_TOO_LONG';

/** What each problem means, in English (the API's message; the console translates the code). */
export const identifierProblems: Record<IdentifierProblem, string> = {
  ID_EMPTY: 'The identifier is empty.',
  ID_NO_SUFFIX: "An identifier is '<prefix>/<suffix>', e.g. 88.100.1/ABC-001: the '/' is missing.",
  ID_PREFIX_EMPTY: "The prefix (before '/') is empty.",
  ID_PREFIX_SEGMENT_EMPTY: "A prefix segment is empty (two dots in a row, or a dot at the start or end).",
  ID_PREFIX_CHARACTER: 'A prefix holds only ASCII letters, digits, - and _ between dots.',
  ID_PREFIX_TOO_LONG: 'The prefix is longer than 64 characters or has more than 16 segments.',
  ID_SUFFIX_EMPTY: "The suffix (after '/') is empty.",
  ID_SUFFIX_CHARACTER: 'The suffix holds a control character, whitespace other than a space inside it, or an unpaired surrogate.',
  ID_SUFFIX_TOO_LONG: 'The suffix is longer than 256 bytes in UTF-8.',
  ID_NOT_UTF8: 'The identifier bytes are not valid UTF-8.',
  ID_TOO_LONG: 'The identifier is longer than 321 bytes in UTF-8.',
};

/** Limits, in characters of the (ASCII) prefix and UTF-8 bytes of the suffix. */
export const identifierLimits = { prefixChars: 64, prefixSegments: 16, suffixBytes: 256, totalBytes: 64 + 1 + 256 } as const;

/** An identifier that is not valid, with the code saying why. */
export class IdentifierSyntaxError extends Error {
  constructor(
    readonly problem: IdentifierProblem,
    readonly input: string,
  ) {
    super(identifierProblems[problem]);
    this.name = 'IdentifierSyntaxError';
  }
}

/** A parsed, normalised identifier. */
export interface Identifier {
  /** Normalised prefix: upper-case ASCII (`0.NA`, `88.100.1`). */
  prefix: string;
  /** The suffix, Unicode NFC, case kept. */
  suffix: string;
  /** `prefix/suffix`: the key it is stored and compared under. */
  handle: string;
}

const segmentChar = /^[A-Za-z0-9_-]+$/;
// C0 controls, DEL, C1 controls, line and paragraph separators: built from code points, which
// no-control-regex cannot tell from a mistake in a literal.
const controlChar = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}-${String.fromCharCode(0x9f)}\u2028\u2029]`);
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** The prefix normalised (upper-case), or the problem. */
function checkPrefix(prefix: string): string | IdentifierProblem {
  if (prefix.length === 0) return 'ID_PREFIX_EMPTY';
  const segments = prefix.split('.');
  if (prefix.length > identifierLimits.prefixChars || segments.length > identifierLimits.prefixSegments) return 'ID_PREFIX_TOO_LONG';
  for (const s of segments) {
    if (s.length === 0) return 'ID_PREFIX_SEGMENT_EMPTY';
    if (!segmentChar.test(s)) return 'ID_PREFIX_CHARACTER';
  }
  return prefix.toUpperCase();
}

/** The suffix normalised (NFC), or the problem. */
function checkSuffix(suffix: string): string | IdentifierProblem {
  if (suffix.length === 0) return 'ID_SUFFIX_EMPTY';
  // Control characters (C0, DEL, C1), line/paragraph separators, tabs and line breaks; a leading or
  // trailing space would be invisible on a label, so it is refused too.
  if (controlChar.test(suffix) || suffix !== suffix.trim()) return 'ID_SUFFIX_CHARACTER';
  if (loneSurrogate.test(suffix)) return 'ID_SUFFIX_CHARACTER';
  const nfc = suffix.normalize('NFC');
  if (encoder.encode(nfc).length > identifierLimits.suffixBytes) return 'ID_SUFFIX_TOO_LONG';
  return nfc;
}

/**
 * Parses and normalises an identifier (a string, or its UTF-8 bytes as the Handle protocol carries it).
 * @throws IdentifierSyntaxError with the problem's code
 * @example parseIdentifier('88.100.1/ABC-001') // { prefix: '88.100.1', suffix: 'ABC-001', handle: '88.100.1/ABC-001' }
 */
export function parseIdentifier(input: string | Uint8Array): Identifier {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = strictDecoder.decode(input);
    } catch {
      throw new IdentifierSyntaxError('ID_NOT_UTF8', Buffer.from(input).toString('hex'));
    }
  }
  const result = tryParseIdentifier(text);
  if (typeof result === 'string') throw new IdentifierSyntaxError(result, text);
  return result;
}

/** Like {@link parseIdentifier} but answers the problem instead of throwing (the hot path of a node). */
export function tryParseIdentifier(text: string): Identifier | IdentifierProblem {
  if (text.length === 0) return 'ID_EMPTY';
  if (text.length > identifierLimits.totalBytes * 4 || encoder.encode(text).length > identifierLimits.totalBytes) return 'ID_TOO_LONG';
  const slash = text.indexOf('/');
  if (slash < 0) return 'ID_NO_SUFFIX';
  const prefix = checkPrefix(text.slice(0, slash));
  if (isProblem(prefix)) return prefix;
  const suffix = checkSuffix(text.slice(slash + 1));
  if (isProblem(suffix)) return suffix;
  return { prefix, suffix, handle: `${prefix}/${suffix}` };
}

/**
 * Parses and normalises a prefix on its own (`88.100.1`), as enterprise prefixes are allocated.
 * @throws IdentifierSyntaxError
 */
export function parsePrefix(input: string): string {
  if (input.length === 0) throw new IdentifierSyntaxError('ID_PREFIX_EMPTY', input);
  const prefix = checkPrefix(input);
  if (isProblem(prefix)) throw new IdentifierSyntaxError(prefix, input);
  return prefix;
}

const problems = new Set<string>(Object.keys(identifierProblems));
const isProblem = (v: string): v is IdentifierProblem => problems.has(v);

/**
 * The prefixes a resolver walks from the most general, for delegation: `88.100.1/x` → `88`, `88.100`,
 * `88.100.1`. Each is asked for as the prefix handle `0.NA/<prefix>`.
 */
export function prefixChain(prefix: string): string[] {
  const segments = prefix.split('.');
  return segments.map((_, i) => segments.slice(0, i + 1).join('.'));
}

/** The prefix handle of a prefix (`0.NA/88.100`), where its delegation (`HS_SITE`) and admins live. */
export const prefixHandle = (prefix: string): string => `0.NA/${prefix}`;

/** Whether `prefix` is `parent` or lies under it (`88.100.1` under `88.100`, not `88.1001`). */
export const isUnder = (prefix: string, parent: string): boolean => prefix === parent || prefix.startsWith(`${parent}.`);

/** Decodes bytes as strict UTF-8, or answers undefined. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
