/**
 * Field tests of a rule's `match`: compiled from the YAML nodes (so every error names its line) and
 * evaluated against an annotated observation. See docs/security-rules.md for the vocabulary.
 */
import { type Node, isMap, isScalar, isSeq } from 'yaml';
import type { FieldType } from './fields.js';

/** A compiled test of one field's value. */
export type Test =
  | { op: 'eq'; value: string | number | boolean }
  | { op: 'any'; tests: Test[] }
  | { op: 'all'; tests: Test[] }
  | { op: 'not'; test: Test }
  | { op: 'cmp'; gt?: number; gte?: number; lt?: number; lte?: number }
  | { op: 'regex'; re: RegExp }
  | { op: 'cidr'; net: number; mask: number }
  | { op: 'exists'; value: boolean };

/** A test bound to a field path. */
export interface FieldTest {
  path: string;
  test: Test;
}

/** Reports an error at a node. */
export type Report = (node: Node | null | undefined, message: string) => void;

/** The operator keys of a condition object. */
export const operators = ['eq', 'in', 'not', 'gt', 'gte', 'lt', 'lte', 'regex', 'iregex', 'cidr', 'exists'] as const;
type Operator = (typeof operators)[number];

const maxRegexLength = 256;

/**
 * Why a regex is not in the safe subset (no backreferences, no lookaround, no quantified group that holds
 * a quantifier — the shapes that backtrack exponentially), or null when it is.
 */
export function unsafeRegex(pattern: string): string | null {
  if (pattern.length > maxRegexLength) return `is ${pattern.length} characters long; at most ${maxRegexLength}`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'uses a backreference';
  if (/\(\?<?[=!]/.test(pattern)) return 'uses a lookahead or lookbehind';
  // Groups: does each hold a quantifier, and is it quantified itself?
  const stack: boolean[] = [];
  let lastGroupHadQuantifier = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // Skip a character class (its brackets and quantifier characters are literal).
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    const quantifier = c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (c === '(') {
      stack.push(false);
    } else if (c === ')') {
      lastGroupHadQuantifier = stack.pop() ?? false;
      if (stack.length > 0 && lastGroupHadQuantifier) stack[stack.length - 1] = true;
      const next = pattern[i + 1];
      const nextQuantified = next === '*' || next === '+' || next === '?' || (next === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i + 1)));
      if (nextQuantified && lastGroupHadQuantifier) return 'repeats a group that repeats (nested quantifiers backtrack exponentially)';
      if (nextQuantified && stack.length > 0) stack[stack.length - 1] = true;
      continue;
    } else if (quantifier && !(c === '?' && pattern[i - 1] === '(')) {
      if (stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return null;
}

const ipv4 = (text: string): number | null => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
};

/** An IPv4 CIDR (`10.0.0.0/8`, or one address) as network and mask; null when not one. */
export function parseCidr(text: string): { net: number; mask: number } | null {
  const [addr, bitsText] = text.split('/');
  const ip = ipv4(addr ?? '');
  const bits = bitsText === undefined ? 32 : /^\d{1,2}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (ip === null || !(bits >= 0 && bits <= 32)) return null;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { net: (ip & mask) >>> 0, mask };
}

/** True when the IPv4 address text lies in the network. */
export function inCidr(ip: string, cidr: { net: number; mask: number }): boolean {
  const v = ipv4(ip);
  return v !== null && ((v & cidr.mask) >>> 0) === cidr.net;
}

const describeType = (t: FieldType): string =>
  typeof t === 'string' ? (t === 'number[]' ? 'a number (matched against each value)' : t === 'string[]' ? 'a string (matched against each value)' : `a ${t}`) : `one of ${t.join(', ')}`;

/** Compiles a scalar to an equality test, checked against the field's type. */
function scalarTest(node: Node, type: FieldType, path: string, report: Report): Test | null {
  if (!isScalar(node)) {
    report(node, `${path}: expected ${describeType(type)}`);
    return null;
  }
  const v = node.value;
  const ok =
    typeof type !== 'string'
      ? typeof v === 'string' && type.includes(v)
      : type === 'number' || type === 'number[]'
        ? typeof v === 'number' && Number.isFinite(v)
        : type === 'boolean'
          ? typeof v === 'boolean'
          : typeof v === 'string' || typeof v === 'number';
  if (!ok) {
    report(node, `${path}: ${JSON.stringify(v)} is not ${describeType(type)}`);
    return null;
  }
  // A number given for a text field (unit ids in a topic, subfunction codes) compares as its text.
  return { op: 'eq', value: (type === 'string' || type === 'string[]') && typeof v === 'number' ? String(v) : (v as string | number | boolean) };
}

function listTest(node: Node, type: FieldType, path: string, report: Report): Test | null {
  if (!isSeq(node) || node.items.length === 0) {
    report(node, `${path}: expected a non-empty list`);
    return null;
  }
  const tests = node.items.map((item) => compileTest(item as Node, type, path, report));
  return tests.every((t): t is Test => t !== null) ? { op: 'any', tests } : null;
}

function operatorTest(op: Operator, value: Node, type: FieldType, path: string, report: Report): Test | null {
  const numeric = type === 'number' || type === 'number[]';
  const textual = type === 'string' || type === 'string[]';
  switch (op) {
    case 'eq':
      return scalarTest(value, type, path, report);
    case 'in':
      return listTest(value, type, path, report);
    case 'not': {
      const inner = compileTest(value, type, path, report);
      return inner ? { op: 'not', test: inner } : null;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (!numeric) {
        report(value, `${path}: ${op} compares numbers, and ${path} is ${describeType(type)}`);
        return null;
      }
      if (!isScalar(value) || typeof value.value !== 'number' || !Number.isFinite(value.value)) {
        report(value, `${path}: ${op} needs a number`);
        return null;
      }
      return { op: 'cmp', [op]: value.value };
    }
    case 'regex':
    case 'iregex': {
      if (!textual) {
        report(value, `${path}: ${op} matches text, and ${path} is ${describeType(type)}`);
        return null;
      }
      if (!isScalar(value) || typeof value.value !== 'string') {
        report(value, `${path}: ${op} needs a pattern in quotes`);
        return null;
      }
      const why = unsafeRegex(value.value);
      if (why) {
        report(value, `${path}: the regex ${JSON.stringify(value.value)} ${why}`);
        return null;
      }
      try {
        return { op: 'regex', re: new RegExp(value.value, op === 'iregex' ? 'iu' : 'u') };
      } catch (e) {
        report(value, `${path}: the regex ${JSON.stringify(value.value)} is not valid: ${(e as Error).message}`);
        return null;
      }
    }
    case 'cidr': {
      const cidr = isScalar(value) && typeof value.value === 'string' ? parseCidr(value.value) : null;
      if (!textual || !cidr) {
        report(value, `${path}: cidr needs an IPv4 network such as 10.0.0.0/8 on an address field`);
        return null;
      }
      return { op: 'cidr', ...cidr };
    }
    case 'exists':
      if (!isScalar(value) || typeof value.value !== 'boolean') {
        report(value, `${path}: exists needs true or false`);
        return null;
      }
      return { op: 'exists', value: value.value };
  }
}

/**
 * Compiles a field's condition: a scalar (equals), a list (any of), or an object of operators (all hold).
 * Reports every error it finds; null when there was one.
 */
export function compileTest(node: Node | null | undefined, type: FieldType, path: string, report: Report): Test | null {
  if (node === null || node === undefined) {
    report(node, `${path}: the condition is empty`);
    return null;
  }
  if (isSeq(node)) return listTest(node, type, path, report);
  if (!isMap(node)) return scalarTest(node, type, path, report);
  if (node.items.length === 0) {
    report(node, `${path}: the condition object is empty; use one of ${operators.join(', ')}`);
    return null;
  }
  const tests: (Test | null)[] = [];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string' || !(operators as readonly string[]).includes(key)) {
      report(pair.key as Node, `${path}: unknown operator ${JSON.stringify(key)}; use one of ${operators.join(', ')}`);
      tests.push(null);
      continue;
    }
    tests.push(operatorTest(key as Operator, pair.value as Node, type, path, report));
  }
  if (!tests.every((t): t is Test => t !== null)) return null;
  return tests.length === 1 ? tests[0]! : { op: 'all', tests };
}

/** Evaluates a test on a value; a list value holds when any of its elements does. */
export function evaluate(test: Test, value: unknown): boolean {
  if (test.op === 'exists') return (value !== undefined && value !== null) === test.value;
  if (test.op === 'not') return !evaluate(test.test, value);
  if (test.op === 'all') return test.tests.every((t) => evaluate(t, value));
  if (test.op === 'any') return test.tests.some((t) => evaluate(t, value));
  if (Array.isArray(value)) return value.some((v) => evaluate(test, v));
  switch (test.op) {
    case 'eq':
      return value === test.value;
    case 'cmp':
      return (
        typeof value === 'number' &&
        (test.gt === undefined || value > test.gt) &&
        (test.gte === undefined || value >= test.gte) &&
        (test.lt === undefined || value < test.lt) &&
        (test.lte === undefined || value <= test.lte)
      );
    case 'regex':
      return typeof value === 'string' && test.re.test(value);
    case 'cidr':
      return typeof value === 'string' && inCidr(value, test);
  }
}
