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

// C0 controls, DEL, C1 controls, line and paragraph separators: built from code points, which
// no-control-regex cannot tell from a mistake in a literal.
const controlChar = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}-${String.fromCharCode(0x9f)}\u2028\u2029]`);
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** What is wrong with a prefix, or undefined when it is valid. One pass over its characters (it runs per request). */
export function prefixProblem(prefix: string): IdentifierProblem | undefined {
  const n = prefix.length;
  if (n === 0) return 'ID_PREFIX_EMPTY';
  if (n > identifierLimits.prefixChars) return 'ID_PREFIX_TOO_LONG';
  let dots = 0;
  for (let i = 0; i < n; i++) if (prefix.charCodeAt(i) === 0x2e) dots++;
  if (dots >= identifierLimits.prefixSegments) return 'ID_PREFIX_TOO_LONG';
  // Segment by segment, the first one wrong decides: empty, or a character outside [A-Za-z0-9_-].
  let length = 0;
  let bad = false;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 0x2e : prefix.charCodeAt(i);
    if (c === 0x2e) {
      if (length === 0) return 'ID_PREFIX_SEGMENT_EMPTY';
      if (bad) return 'ID_PREFIX_CHARACTER';
      length = 0;
      continue;
    }
    length++;
    if (!isSegmentChar(c)) bad = true;
  }
  return undefined;
}

/** A-Z, a-z, 0-9, '-', '_'. */
const isSegmentChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;

/** A valid prefix upper-cased (left as it is when it holds no lower-case letter: no new string). */
function upperPrefix(prefix: string): string {
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return prefix.toUpperCase();
  }
  return prefix;
}

/** The suffix normalised (NFC), or the problem. */
function checkSuffix(suffix: string): { suffix: string } | IdentifierProblem {
  const n = suffix.length;
  if (n === 0) return 'ID_SUFFIX_EMPTY';
  // Printable ASCII (nearly every suffix): no control character or surrogate, already NFC, one byte per
  // character — only a leading or trailing space to refuse.
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const c = suffix.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    if (suffix.charCodeAt(0) === 0x20 || suffix.charCodeAt(n - 1) === 0x20) return 'ID_SUFFIX_CHARACTER';
    return n > identifierLimits.suffixBytes ? 'ID_SUFFIX_TOO_LONG' : { suffix };
  }
  // Control characters (C0, DEL, C1), line/paragraph separators, tabs and line breaks; a leading or
  // trailing space would be invisible on a label, so it is refused too.
  if (controlChar.test(suffix) || suffix !== suffix.trim()) return 'ID_SUFFIX_CHARACTER';
  if (loneSurrogate.test(suffix)) return 'ID_SUFFIX_CHARACTER';
  const nfc = suffix.normalize('NFC');
  if (utf8Length(nfc) > identifierLimits.suffixBytes) return 'ID_SUFFIX_TOO_LONG';
  return { suffix: nfc };
}

/** Bytes of a string in UTF-8 (an unpaired surrogate counts 3, as TextEncoder writes U+FFFD), without encoding it. */
function utf8Length(s: string): number {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
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
  // UTF-8 takes at least one byte per UTF-16 code unit: count the bytes only when it could matter.
  const total = identifierLimits.totalBytes;
  if (text.length > total || (text.length * 3 > total && utf8Length(text) > total)) return 'ID_TOO_LONG';
  const slash = text.indexOf('/');
  if (slash < 0) return 'ID_NO_SUFFIX';
  const rawPrefix = text.slice(0, slash);
  const problem = prefixProblem(rawPrefix);
  if (problem) return problem;
  const rawSuffix = text.slice(slash + 1);
  const checked = checkSuffix(rawSuffix);
  if (typeof checked === 'string') return checked;
  const prefix = upperPrefix(rawPrefix);
  const suffix = checked.suffix;
  // Already normalised (the usual case): the text itself is the key, no new string.
  return { prefix, suffix, handle: prefix === rawPrefix && suffix === rawSuffix ? text : `${prefix}/${suffix}` };
}

/**
 * Parses and normalises a prefix on its own (`88.100.1`), as enterprise prefixes are allocated.
 * @throws IdentifierSyntaxError
 */
export function parsePrefix(input: string): string {
  const problem = prefixProblem(input);
  if (problem) throw new IdentifierSyntaxError(problem, input);
  return upperPrefix(input);
}

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
