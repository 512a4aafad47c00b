/**
 * GS1 Digital Link URIs (`https://id.gs1.org/01/09506000134352/10/ABC1/21/12345`) accepted as
 * identifiers: the primary key and its qualifiers become the suffix (`01/09506000134352/10/ABC1/21/12345`)
 * under the prefix of the enterprise that owns the GS1 company prefix. GS1 Digital Link 1.x: qualifiers
 * in their fixed order (for a GTIN: 22 < 10 < 21), check digits verified, percent-encoding decoded.
 */

/** Why a GS1 Digital Link URI was refused. */
export type Gs1Problem = 'GS1_NOT_A_URI' | 'GS1_NO_PRIMARY_KEY' | 'GS1_KEY_INVALID' | 'GS1_CHECK_DIGIT' | 'GS1_QUALIFIER_INVALID' | 'GS1_QUALIFIER_ORDER' | 'GS1_VALUE_INVALID';

export const gs1Problems: Record<Gs1Problem, string> = {
  GS1_NOT_A_URI: 'Not an http(s) URI.',
  GS1_NO_PRIMARY_KEY: 'The path holds no GS1 primary key (01 GTIN, 00 SSCC, 414 GLN, 8004 GIAI).',
  GS1_KEY_INVALID: 'The primary key has the wrong length or holds other characters than digits.',
  GS1_CHECK_DIGIT: 'The check digit of the primary key is wrong.',
  GS1_QUALIFIER_INVALID: 'A qualifier is not one this primary key takes, or has no value.',
  GS1_QUALIFIER_ORDER: 'Qualifiers must follow their fixed order (for a GTIN: 22, then 10, then 21).',
  GS1_VALUE_INVALID: 'A value is longer than 20 characters or holds characters outside GS1 character set 82.',
};

export class Gs1SyntaxError extends Error {
  constructor(
    readonly problem: Gs1Problem,
    readonly input: string,
  ) {
    super(gs1Problems[problem]);
    this.name = 'Gs1SyntaxError';
  }
}

/** A parsed GS1 Digital Link: primary key and qualifiers in order. */
export interface Gs1Link {
  /** Application identifier of the primary key: '01', '00', '414' or '8004'. */
  key: string;
  /** The key's value (a GTIN always as 14 digits). */
  value: string;
  qualifiers: Array<{ ai: string; value: string }>;
  /** The canonical suffix: the Digital Link path, values percent-encoded: `01/09506000134352/10/ABC1/21/A%2FB`. */
  suffix: string;
}

/** Primary keys: digits (a range for GTIN-8/12/13/14) or an alphanumeric GIAI; the qualifiers each takes, in order. */
const keys: Record<string, { digits?: readonly number[]; maxChars?: number; qualifiers: readonly string[] }> = {
  '01': { digits: [8, 12, 13, 14], qualifiers: ['22', '10', '21'] },
  '00': { digits: [18], qualifiers: [] },
  '414': { digits: [13], qualifiers: ['254'] },
  '8004': { maxChars: 30, qualifiers: [] },
};

/** GS1 AI encodable character set 82. */
const cset82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

/** The GS1 mod-10 check digit of all digits but the last equals the last. */
export function gs1CheckDigitOk(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += Number(digits[i]) * w;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/**
 * Parses a GS1 Digital Link URI (any domain; a path before the primary key is allowed).
 * @throws Gs1SyntaxError
 */
export function parseGs1DigitalLink(uri: string): Gs1Link {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Gs1SyntaxError('GS1_NOT_A_URI', uri);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Gs1SyntaxError('GS1_NOT_A_URI', uri);
  const parts = url.pathname.split('/').filter((p) => p.length > 0);
  const at = parts.findIndex((p, i) => p in keys && i + 1 < parts.length);
  if (at < 0) throw new Gs1SyntaxError('GS1_NO_PRIMARY_KEY', uri);
  const key = parts[at]!;
  const spec = keys[key]!;
  let value = decode(parts[at + 1]!, uri);
  if (spec.digits) {
    if (!/^\d+$/.test(value) || !spec.digits.includes(value.length)) throw new Gs1SyntaxError('GS1_KEY_INVALID', uri);
    if (!gs1CheckDigitOk(value)) throw new Gs1SyntaxError('GS1_CHECK_DIGIT', uri);
    if (key === '01') value = value.padStart(14, '0');
  } else if (value.length > (spec.maxChars ?? 20) || !cset82.test(value)) throw new Gs1SyntaxError('GS1_KEY_INVALID', uri);
  const qualifiers: Gs1Link['qualifiers'] = [];
  let last = -1;
  for (let i = at + 2; i < parts.length; i += 2) {
    const ai = parts[i]!;
    const order = spec.qualifiers.indexOf(ai);
    if (order < 0 || i + 1 >= parts.length) throw new Gs1SyntaxError('GS1_QUALIFIER_INVALID', uri);
    if (order <= last) throw new Gs1SyntaxError('GS1_QUALIFIER_ORDER', uri);
    last = order;
    const v = decode(parts[i + 1]!, uri);
    if (v.length === 0 || v.length > 20 || !cset82.test(v)) throw new Gs1SyntaxError('GS1_VALUE_INVALID', uri);
    qualifiers.push({ ai, value: v });
  }
  // Values percent-encoded as in a Digital Link path, so that a '/' inside one stays unambiguous.
  const suffix = [key, encodeValue(value), ...qualifiers.flatMap((q) => [q.ai, encodeValue(q.value)])].join('/');
  return { key, value, qualifiers, suffix };
}

/** The GS1 company prefix is not in the link; this answers the digits an enterprise's GS1 prefix is matched against (GTIN without its indicator digit). */
export function gs1CompanyDigits(link: Gs1Link): string {
  if (link.key === '01') return link.value.slice(1);
  if (link.key === '00') return link.value.slice(1);
  return link.value;
}

/** The Digital Link URI of a GS1 suffix, on a resolver domain (default GS1's). */
export function gs1DigitalLinkOf(suffix: string, domain = 'https://id.gs1.org'): string {
  return `${domain}/${suffix}`;
}

/** Percent-encodes a value as GS1 Digital Link asks (every reserved character of set 82). */
const encodeValue = (v: string): string => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function decode(part: string, uri: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Gs1SyntaxError('GS1_VALUE_INVALID', uri);
  }
}
