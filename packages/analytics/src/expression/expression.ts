/**
 * The rule expression language: arithmetic, comparisons and logic over a device's points, with a fixed set
 * of functions — parsed by hand into a tree and compiled to closures, never `eval`. Every refusal names the
 * position (0-based character offset) and the reason.
 *
 *   temperature > 80 and rate(pressure) < -0.5
 *   max(bearing_de, bearing_nde) >= 7.1 or not running
 *   `主轴温度` - ambient > 40
 *
 * Numbers (`1`, `2.5`, `1e-3`), `true`/`false`, point names (letters, digits, `_`, `.`; or any text in
 * backticks), `+ - * / %`, `^` (power, right-associative), `< <= > >= == !=`, `and or not` (also `&& || !`),
 * parentheses, and the functions of {@link functions}. A point without a value makes the expression's value
 * unknown (`null`), never false: a rule then neither fires nor clears.
 */

/** Why an expression is refused. */
export type ExpressionProblem =
  | 'EMPTY'
  | 'TOO_LONG'
  | 'TOO_DEEP'
  | 'UNEXPECTED_CHARACTER'
  | 'UNEXPECTED_TOKEN'
  | 'UNEXPECTED_END'
  | 'UNCLOSED_PARENTHESIS'
  | 'UNCLOSED_NAME'
  | 'BAD_NUMBER'
  | 'UNKNOWN_FUNCTION'
  | 'WRONG_ARGUMENT_COUNT'
  | 'TYPE_MISMATCH';

/** A refused expression: where and why. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly problem: ExpressionProblem,
    readonly position: number,
    message: string,
  ) {
    super(`${message} (at position ${position})`);
  }
}

/** What a point holds when the expression is evaluated: undefined when it has no value. */
export type PointValue = number | boolean | undefined;
/** The value of an expression: null when a point it needs has no value (or arithmetic gave NaN). */
export type ExpressionValue = number | boolean | null;

type Type = 'number' | 'boolean' | 'any';

/** A node of the tree, with where it starts. */
export type ExpressionNode =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'boolean'; value: boolean; at: number }
  | { kind: 'point'; name: string; at: number }
  | { kind: 'unary'; op: '-' | 'not'; operand: ExpressionNode; at: number }
  | { kind: 'binary'; op: BinaryOp; left: ExpressionNode; right: ExpressionNode; at: number }
  | { kind: 'call'; name: string; args: ExpressionNode[]; at: number };

type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';

/** Longest expression accepted, and deepest nesting. */
export const expressionLimits = { length: 2_000, depth: 64 } as const;

type Fn = { min: number; max: number; args: Type; result: Type; call: (args: number[]) => number | boolean };

/** The functions an expression may call (numbers in, a number or a boolean out). */
export const functions: Readonly<Record<string, Fn>> = {
  abs: { min: 1, max: 1, args: 'number', result: 'number', call: (a) => Math.abs(a[0]!) },
  sqrt: { min: 1, max: 1, args: 'number', result: 'number', call: (a) => Math.sqrt(a[0]!) },
  round: { min: 1, max: 2, args: 'number', result: 'number', call: (a) => (a.length === 2 ? Math.round(a[0]! * 10 ** a[1]!) / 10 ** a[1]! : Math.round(a[0]!)) },
  floor: { min: 1, max: 1, args: 'number', result: 'number', call: (a) => Math.floor(a[0]!) },
  ceil: { min: 1, max: 1, args: 'number', result: 'number', call: (a) => Math.ceil(a[0]!) },
  min: { min: 1, max: 32, args: 'number', result: 'number', call: (a) => Math.min(...a) },
  max: { min: 1, max: 32, args: 'number', result: 'number', call: (a) => Math.max(...a) },
  avg: { min: 1, max: 32, args: 'number', result: 'number', call: (a) => a.reduce((s, x) => s + x, 0) / a.length },
  clamp: { min: 3, max: 3, args: 'number', result: 'number', call: (a) => Math.min(Math.max(a[0]!, a[1]!), a[2]!) },
  between: { min: 3, max: 3, args: 'number', result: 'boolean', call: (a) => a[0]! >= a[1]! && a[0]! <= a[2]! },
};

type Token =
  | { t: 'num'; v: number; at: number }
  | { t: 'name'; v: string; at: number; quoted: boolean }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const nameStart = /[A-Za-z_\u00C0-\uFFFF]/;
const namePart = /[A-Za-z0-9_.\u00C0-\uFFFF]/;
const operators = ['<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '^', '<', '>', '!', '(', ')', ','];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      const after = src[i + m[0].length];
      if (after !== undefined && namePart.test(after)) throw new ExpressionError('BAD_NUMBER', i, `"${src.slice(i, i + m[0].length + 1)}" is not a number`);
      out.push({ t: 'num', v: Number(m[0]), at: i });
      i += m[0].length;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new ExpressionError('UNCLOSED_NAME', i, 'a point name in backticks is not closed');
      if (end === i + 1) throw new ExpressionError('UNEXPECTED_TOKEN', i, 'an empty point name');
      out.push({ t: 'name', v: src.slice(i + 1, end), at: i, quoted: true });
      i = end + 1;
      continue;
    }
    if (nameStart.test(c)) {
      let j = i + 1;
      while (j < src.length && namePart.test(src[j]!)) j++;
      out.push({ t: 'name', v: src.slice(i, j), at: i, quoted: false });
      i = j;
      continue;
    }
    const op = operators.find((o) => src.startsWith(o, i));
    // `=` alone is a common slip for `==`.
    if (!op) throw new ExpressionError('UNEXPECTED_CHARACTER', i, c === '=' ? 'a single "=" — compare with "=="' : `unexpected character "${c}"`);
    out.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

// Maps, not objects: a point named `__proto__` or `constructor` must never find anything here.
const keywordOps = new Map([['and', 'and'], ['or', 'or'], ['not', 'not']]);
const symbolOps = new Map([['&&', 'and'], ['||', 'or'], ['!', 'not']]);
/** Binding power of each binary operator (higher binds tighter). */
const binaryPower = new Map<string, number>([['or', 1], ['and', 2], ['==', 3], ['!=', 3], ['<', 4], ['<=', 4], ['>', 4], ['>=', 4], ['+', 5], ['-', 5], ['*', 6], ['/', 6], ['%', 6], ['^', 8]]);
const unaryMinusPower = 7;
const notPower = 3;

/** The operator a token stands for, if any (`and`, `&&` → and). */
function opOf(tok: Token): string | undefined {
  if (tok.t === 'op') return symbolOps.get(tok.v) ?? tok.v;
  if (tok.t === 'name' && !tok.quoted) return keywordOps.get(tok.v.toLowerCase());
  return undefined;
}

const describe = (tok: Token): string => (tok.t === 'end' ? 'the end' : tok.t === 'num' ? `number ${tok.v}` : tok.t === 'name' ? `"${tok.v}"` : `"${tok.v}"`);

/** Parses an expression into its tree. @throws ExpressionError */
export function parseExpression(src: string): ExpressionNode {
  if (src.length > expressionLimits.length) throw new ExpressionError('TOO_LONG', expressionLimits.length, `longer than ${expressionLimits.length} characters`);
  if (!src.trim()) throw new ExpressionError('EMPTY', 0, 'the expression is empty');
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Token => toks[p]!;
  const next = (): Token => toks[p++]!;

  const primary = (depth: number): ExpressionNode => {
    if (depth > expressionLimits.depth) throw new ExpressionError('TOO_DEEP', peek().at, `nested deeper than ${expressionLimits.depth}`);
    const tok = next();
    const op = opOf(tok);
    if (op === '-' || op === '+') {
      const operand = expr(unaryMinusPower, depth + 1);
      return op === '-' ? { kind: 'unary', op: '-', operand, at: tok.at } : operand;
    }
    if (op === 'not') return { kind: 'unary', op: 'not', operand: expr(notPower, depth + 1), at: tok.at };
    if (tok.t === 'num') return { kind: 'number', value: tok.v, at: tok.at };
    if (tok.t === 'op' && tok.v === '(') {
      const inner = expr(0, depth + 1);
      const close = next();
      if (close.t !== 'op' || close.v !== ')') throw new ExpressionError(close.t === 'end' ? 'UNCLOSED_PARENTHESIS' : 'UNEXPECTED_TOKEN', close.t === 'end' ? tok.at : close.at, close.t === 'end' ? 'this parenthesis is never closed' : `expected ")" but found ${describe(close)}`);
      return inner;
    }
    if (tok.t === 'name') {
      const lower = tok.v.toLowerCase();
      if (!tok.quoted && (lower === 'true' || lower === 'false')) return { kind: 'boolean', value: lower === 'true', at: tok.at };
      const after = peek();
      if (!tok.quoted && after.t === 'op' && after.v === '(') {
        next();
        const args: ExpressionNode[] = [];
        if (!(peek().t === 'op' && (peek() as { v: string }).v === ')')) {
          for (;;) {
            args.push(expr(0, depth + 1));
            const sep = next();
            if (sep.t === 'op' && sep.v === ')') break;
            if (!(sep.t === 'op' && sep.v === ',')) throw new ExpressionError(sep.t === 'end' ? 'UNCLOSED_PARENTHESIS' : 'UNEXPECTED_TOKEN', sep.t === 'end' ? after.at : sep.at, sep.t === 'end' ? `the arguments of ${tok.v}( are never closed` : `expected "," or ")" but found ${describe(sep)}`);
          }
        } else next();
        return { kind: 'call', name: lower, args, at: tok.at };
      }
      if (!tok.quoted && keywordOps.has(lower)) throw new ExpressionError('UNEXPECTED_TOKEN', tok.at, `"${tok.v}" needs something before it`);
      return { kind: 'point', name: tok.v, at: tok.at };
    }
    if (tok.t === 'end') throw new ExpressionError('UNEXPECTED_END', tok.at, 'the expression ends where a value is expected');
    throw new ExpressionError('UNEXPECTED_TOKEN', tok.at, `expected a value but found ${describe(tok)}`);
  };

  const expr = (minPower: number, depth: number): ExpressionNode => {
    let left = primary(depth);
    for (;;) {
      const tok = peek();
      const op = opOf(tok);
      const power = op === undefined ? undefined : binaryPower.get(op);
      if (op === undefined || power === undefined || power <= minPower) break;
      next();
      // `^` is right-associative: its right side may hold another `^`.
      const right = expr(op === '^' ? power - 1 : power, depth + 1);
      left = { kind: 'binary', op: op as BinaryOp, left, right, at: tok.at };
    }
    return left;
  };

  const tree = expr(0, 0);
  const rest = peek();
  if (rest.t !== 'end') {
    if (rest.t === 'op' && rest.v === ')') throw new ExpressionError('UNEXPECTED_TOKEN', rest.at, 'this ")" closes nothing');
    throw new ExpressionError('UNEXPECTED_TOKEN', rest.at, `expected an operator or the end but found ${describe(rest)}`);
  }
  return tree;
}

/** The static type of a node; refuses mixing numbers and booleans where the other is needed. */
function typeOf(n: ExpressionNode): Type {
  const need = (x: ExpressionNode, want: 'number' | 'boolean', what: string): void => {
    const got = typeOf(x);
    if (got !== 'any' && got !== want) throw new ExpressionError('TYPE_MISMATCH', x.at, `${what} needs a ${want}, not a ${got}`);
  };
  switch (n.kind) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'point':
      return 'any';
    case 'unary':
      need(n.operand, n.op === '-' ? 'number' : 'boolean', n.op === '-' ? 'minus' : '"not"');
      return n.op === '-' ? 'number' : 'boolean';
    case 'binary': {
      if (n.op === 'and' || n.op === 'or') {
        need(n.left, 'boolean', `"${n.op}"`);
        need(n.right, 'boolean', `"${n.op}"`);
        return 'boolean';
      }
      if (n.op === '==' || n.op === '!=') {
        const l = typeOf(n.left);
        const r = typeOf(n.right);
        if (l !== 'any' && r !== 'any' && l !== r) throw new ExpressionError('TYPE_MISMATCH', n.at, `"${n.op}" compares a ${l} with a ${r}`);
        return 'boolean';
      }
      need(n.left, 'number', `"${n.op}"`);
      need(n.right, 'number', `"${n.op}"`);
      return ['<', '<=', '>', '>='].includes(n.op) ? 'boolean' : 'number';
    }
    case 'call': {
      const fn = Object.hasOwn(functions, n.name) ? functions[n.name] : undefined;
      if (!fn) throw new ExpressionError('UNKNOWN_FUNCTION', n.at, `no function ${n.name}(); there are ${Object.keys(functions).join(', ')}`);
      if (n.args.length < fn.min || n.args.length > fn.max) {
        const want = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
        throw new ExpressionError('WRONG_ARGUMENT_COUNT', n.at, `${n.name}() takes ${want} argument${fn.max === 1 ? '' : 's'}, not ${n.args.length}`);
      }
      for (const a of n.args) need(a, 'number', `${n.name}()`);
      return fn.result;
    }
  }
}

type Lookup = (name: string) => PointValue;
type Compiled = (get: Lookup) => ExpressionValue;

const num = (v: ExpressionValue): number | null => (v === null ? null : typeof v === 'boolean' ? (v ? 1 : 0) : Number.isNaN(v) ? null : v);
const bool = (v: ExpressionValue): boolean | null => (v === null ? null : typeof v === 'boolean' ? v : v !== 0);

/** The tree as closures: one call per node, no lookups of the tree while evaluating. */
function compile(n: ExpressionNode): Compiled {
  switch (n.kind) {
    case 'number': {
      const v = n.value;
      return () => v;
    }
    case 'boolean': {
      const v = n.value;
      return () => v;
    }
    case 'point': {
      const name = n.name;
      return (get) => {
        const v = get(name);
        return v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
      };
    }
    case 'unary': {
      const f = compile(n.operand);
      if (n.op === '-') return (get) => {
        const v = num(f(get));
        return v === null ? null : -v;
      };
      return (get) => {
        const v = bool(f(get));
        return v === null ? null : !v;
      };
    }
    case 'binary': {
      const l = compile(n.left);
      const r = compile(n.right);
      switch (n.op) {
        // Kleene logic: false and unknown is false; true or unknown is true.
        case 'and':
          return (get) => {
            const a = bool(l(get));
            if (a === false) return false;
            const b = bool(r(get));
            return b === false ? false : a === null || b === null ? null : true;
          };
        case 'or':
          return (get) => {
            const a = bool(l(get));
            if (a === true) return true;
            const b = bool(r(get));
            return b === true ? true : a === null || b === null ? null : false;
          };
        case '==':
        case '!=': {
          const eq = n.op === '==';
          return (get) => {
            const a = l(get);
            const b = r(get);
            if (a === null || b === null) return null;
            const same = typeof a === typeof b ? a === b : num(a) === num(b);
            return eq ? same : !same;
          };
        }
        default: {
          const apply = arithmetic[n.op];
          return (get) => {
            const a = num(l(get));
            if (a === null) return null;
            const b = num(r(get));
            if (b === null) return null;
            const v = apply(a, b);
            return typeof v === 'number' && !Number.isFinite(v) ? null : v;
          };
        }
      }
    }
    case 'call': {
      const fn = functions[n.name]!;
      const args = n.args.map(compile);
      return (get) => {
        const vals: number[] = [];
        for (const a of args) {
          const v = num(a(get));
          if (v === null) return null;
          vals.push(v);
        }
        const out = fn.call(vals);
        return typeof out === 'number' && !Number.isFinite(out) ? null : out;
      };
    }
  }
}

const arithmetic: Record<'+' | '-' | '*' | '/' | '%' | '^' | '<' | '<=' | '>' | '>=', (a: number, b: number) => number | boolean> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => a ** b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** A checked, compiled expression. */
export interface CompiledExpression {
  readonly source: string;
  readonly tree: ExpressionNode;
  /** The points it reads, in order of first use. */
  readonly points: readonly string[];
  /** Whether its value is a condition (boolean) or a number, as far as known before evaluating. */
  readonly type: 'number' | 'boolean' | 'any';
  /** Its value for the points' current values (null: a point it needs has no value). */
  evaluate(get: (name: string) => PointValue): ExpressionValue;
}

/**
 * Parses, type-checks and compiles an expression.
 * @example compileExpression('temperature > 80 and pressure < 2').evaluate((p) => values[p]) // true, false or null
 * @throws ExpressionError with the position and reason
 */
export function compileExpression(source: string): CompiledExpression {
  const tree = parseExpression(source);
  const type = typeOf(tree);
  const points: string[] = [];
  const walk = (n: ExpressionNode): void => {
    if (n.kind === 'point' && !points.includes(n.name)) points.push(n.name);
    if (n.kind === 'unary') walk(n.operand);
    if (n.kind === 'binary') {
      walk(n.left);
      walk(n.right);
    }
    if (n.kind === 'call') n.args.forEach(walk);
  };
  walk(tree);
  const run = compile(tree);
  return { source, tree, points, type, evaluate: run };
}
