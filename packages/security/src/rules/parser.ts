/**
 * The rule file parser: YAML text → compiled rules, or every error with its line, column and reason. A
 * file with any error is rejected whole (SECURITY_RULES_INVALID), so a typo never silently disables a rule.
 */
import { type ObservationKind, attackTechniqueSchema, observationKinds } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import { LineCounter, type Node, type Pair, type YAMLMap, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { type FieldTest, compileTest } from './conditions.js';
import { fieldType, knownFields } from './fields.js';
import type { DetectionRule } from './rule.js';

/** One error of a rule file. */
export interface RuleError {
  line: number;
  column: number;
  /** The rule's id, when the error is inside a rule that has one. */
  ruleId?: number;
  message: string;
}

/** What `parseRules` needs besides the text. */
export interface ParseRulesOptions {
  /** The file name, for messages (default `rules.yaml`). */
  file?: string;
  /** Rules loaded before this file (the built-in set): their ids may be parents here and may not be reused. */
  known?: readonly DetectionRule[];
}

/** The keys a rule may have. */
export const ruleKeys = ['id', 'level', 'title', 'title_en', 'description', 'attack', 'tactic', 'groups', 'match', 'if_sid', 'if_matched', 'frequency', 'timeframe', 'same', 'different', 'ignore', 'block'] as const;
type RuleKey = (typeof ruleKeys)[number];

const maxRules = 5_000;
const maxSeconds = 86_400;

/** A rule's raw parts while it is being checked. */
interface Draft {
  node: YAMLMap;
  line: number;
  values: Partial<Record<RuleKey, Pair>>;
  id?: number;
}

/**
 * Parses and checks a rule file without throwing: the rules, or (when `errors` is non-empty) nothing usable.
 * @example const { rules, errors } = checkRules(text, { file: 'custom.yaml', known: builtinRules() })
 */
export function checkRules(text: string, options: ParseRulesOptions = {}): { rules: DetectionRule[]; errors: RuleError[] } {
  const file = options.file ?? 'rules.yaml';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const errors: RuleError[] = [];
  const at = (offset: number, message: string, ruleId?: number): void => {
    const { line, col } = lines.linePos(offset);
    errors.push({ line, column: col, message, ...(ruleId === undefined ? {} : { ruleId }) });
  };
  for (const e of doc.errors) at(e.pos[0], e.message.split('\n')[0] ?? e.message);
  if (errors.length > 0) return { rules: [], errors };
  const root = doc.contents;
  if (!isSeq(root)) {
    at(root?.range?.[0] ?? 0, root ? 'the file must be a list of rules (each item starting with "- id:")' : 'the file holds no rules; write a list of rules (each item starting with "- id:")');
    return { rules: [], errors };
  }
  if (root.items.length > maxRules) at(0, `the file holds ${root.items.length} rules; at most ${maxRules}`);

  const drafts: Draft[] = [];
  for (const item of root.items) {
    const node = item as Node;
    if (!isMap(node)) {
      at(node.range?.[0] ?? 0, 'each rule must be a mapping of keys (id, level, title, …)');
      continue;
    }
    drafts.push(readDraft(node, lines, at));
  }

  // Ids: unique in this file and among the known rules.
  const known = new Map((options.known ?? []).map((r) => [r.id, r]));
  const seen = new Map<number, Draft>();
  for (const d of drafts) {
    if (d.id === undefined) continue;
    const clash = seen.get(d.id) ?? known.get(d.id);
    if (clash) {
      const where = 'line' in clash && 'node' in clash ? `line ${clash.line}` : `${(clash as DetectionRule).origin.file} line ${(clash as DetectionRule).origin.line}`;
      at(d.values.id!.value && (d.values.id!.value as Node).range ? (d.values.id!.value as Node).range![0] : d.node.range![0], `duplicate rule id ${d.id} (also at ${where})`, d.id);
    } else seen.set(d.id, d);
  }
  const ids = new Set([...seen.keys(), ...known.keys()]);

  const rules: DetectionRule[] = [];
  for (const d of drafts) {
    const rule = compileDraft(d, { file, ids, at });
    if (rule) rules.push(rule);
  }
  // Parents must not form a cycle (a rule its own ancestor would never be tested).
  const parentsOf = new Map<number, number[]>([...(options.known ?? []), ...rules].map((r) => [r.id, r.parents]));
  for (const r of rules) {
    const stack = [...r.parents];
    const visited = new Set<number>();
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (p === r.id) {
        at(offsetOfLine(lines, r.origin.line), `rule ${r.id} is its own ancestor through if_sid/if_matched`, r.id);
        break;
      }
      if (visited.has(p)) continue;
      visited.add(p);
      stack.push(...(parentsOf.get(p) ?? []));
    }
  }
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return errors.length > 0 ? { rules: [], errors } : { rules, errors };
}

const offsetOfLine = (lines: LineCounter, line: number): number => lines.lineStarts[line - 1] ?? 0;

/**
 * Parses a rule file; throws SECURITY_RULES_INVALID listing every error (details.errors) when it has any.
 * @example const rules = [...builtinRules(), ...parseRules(readFileSync('custom.yaml', 'utf8'), { file: 'custom.yaml', known: builtinRules() })]
 */
export function parseRules(text: string, options: ParseRulesOptions = {}): DetectionRule[] {
  const { rules, errors } = checkRules(text, options);
  if (errors.length === 0) return rules;
  const file = options.file ?? 'rules.yaml';
  const shown = errors.slice(0, 5).map((e) => `line ${e.line}, column ${e.column}: ${e.message}`);
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : '';
  throw new YulianError('SECURITY_RULES_INVALID', `${file} has ${errors.length} error${errors.length === 1 ? '' : 's'} and was not loaded: ${shown.join('; ')}${more}.`, {
    details: { file, errors },
  });
}

function readDraft(node: YAMLMap, lines: LineCounter, at: (offset: number, message: string, ruleId?: number) => void): Draft {
  const start = node.range?.[0] ?? 0;
  const draft: Draft = { node, line: lines.linePos(start).line, values: {} };
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    const keyOffset = (pair.key as Node | null)?.range?.[0] ?? start;
    if (typeof key !== 'string' || !(ruleKeys as readonly string[]).includes(key)) {
      at(keyOffset, `unknown field ${JSON.stringify(key)}; a rule has ${ruleKeys.join(', ')}`);
      continue;
    }
    draft.values[key as RuleKey] = pair;
  }
  const id = draft.values.id?.value as Node | undefined;
  if (isScalar(id) && typeof id.value === 'number' && Number.isSafeInteger(id.value) && id.value > 0) draft.id = id.value;
  return draft;
}

interface Context {
  file: string;
  ids: Set<number>;
  at: (offset: number, message: string, ruleId?: number) => void;
}

function compileDraft(d: Draft, ctx: Context): DetectionRule | null {
  let ok = true;
  const ruleStart = d.node.range?.[0] ?? 0;
  const fail = (node: Node | null | undefined, message: string): void => {
    ok = false;
    ctx.at(node?.range?.[0] ?? ruleStart, message, d.id);
  };
  const value = (k: RuleKey): Node | undefined => (d.values[k]?.value ?? undefined) as Node | undefined;
  const scalar = (k: RuleKey): unknown => {
    const n = value(k);
    return isScalar(n) ? n.value : n === undefined ? undefined : Symbol.for('not-scalar');
  };
  const int = (k: RuleKey, min: number, max: number, required: boolean): number | null => {
    const v = scalar(k);
    if (v === undefined) {
      if (required) fail(d.node, `${k} is required`);
      return null;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(value(k), `${k} must be a whole number from ${min} to ${max}, not ${describe(v)}`);
      return null;
    }
    return v;
  };
  const seconds = (k: RuleKey): number | null => {
    const v = scalar(k);
    if (v === undefined) return null;
    if (typeof v !== 'number' || !(v > 0 && v <= maxSeconds)) {
      fail(value(k), `${k} must be a number of seconds above 0 and at most ${maxSeconds}, not ${describe(v)}`);
      return null;
    }
    return v;
  };
  const text = (k: RuleKey, required: boolean, max = 200): string | null => {
    const v = scalar(k);
    if (v === undefined || v === null) {
      if (required) fail(d.node, `${k} is required`);
      return null;
    }
    if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
      fail(value(k), `${k} must be text of 1 to ${max} characters, not ${describe(v)}`);
      return null;
    }
    return v;
  };
  const list = (k: RuleKey, check: (item: Node) => boolean): Node[] => {
    const n = value(k);
    if (n === undefined) return [];
    const items = isSeq(n) ? (n.items as Node[]) : [n];
    if (isMap(n) || items.length === 0) {
      fail(n, `${k} must be a value or a non-empty list of them`);
      return [];
    }
    for (const item of items) if (!check(item)) ok = false;
    return items;
  };

  if (int('id', 1, 999_999_999, true) === null && d.values.id === undefined) ok = false;
  const level = int('level', 0, 15, true);
  const title = text('title', true);
  const titleEn = text('title_en', true);
  const description = text('description', false, 2_000);
  const tactic = text('tactic', false, 100);
  const techniques = list('attack', (n) => {
    const v = isScalar(n) ? n.value : undefined;
    if (typeof v === 'string' && attackTechniqueSchema.safeParse(v).success) return true;
    fail(n, `attack: ${describe(v)} is not an ATT&CK technique id such as T0855`);
    return false;
  }).map((n) => String((n as { value?: unknown }).value));
  const groups = list('groups', (n) => {
    const v = isScalar(n) ? n.value : undefined;
    if (typeof v === 'string' && /^[a-z0-9_.-]{1,64}$/i.test(v)) return true;
    fail(n, `groups: ${describe(v)} is not a tag (letters, digits, _ . -)`);
    return false;
  }).map((n) => String((n as { value?: unknown }).value));

  const parentList = (k: 'if_sid' | 'if_matched'): number[] =>
    list(k, (n) => {
      const v = isScalar(n) ? n.value : undefined;
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
        fail(n, `${k}: ${describe(v)} is not a rule id`);
        return false;
      }
      if (!ctx.ids.has(v)) {
        fail(n, `${k}: no rule has id ${v}`);
        return false;
      }
      if (v === d.id) {
        fail(n, `${k}: a rule cannot be its own parent`);
        return false;
      }
      return true;
    }).map((n) => Number((n as { value?: unknown }).value));
  const ifSid = parentList('if_sid');
  const ifMatched = parentList('if_matched');
  if (ifSid.length > 0 && ifMatched.length > 0) fail(value('if_matched'), 'use either if_sid or if_matched, not both');

  const frequency = int('frequency', 2, 100_000, false);
  const timeframe = seconds('timeframe');
  if ((frequency === null) !== (timeframe === null) && ok) fail(value('frequency') ?? value('timeframe'), 'frequency and timeframe go together: give both, or neither');
  if (ifMatched.length > 0 && d.values.frequency === undefined) fail(value('if_matched'), 'if_matched correlates hits of its parent: give frequency and timeframe too (or use if_sid)');
  const ignoreValue = scalar('ignore');
  const ignore = ignoreValue === undefined ? 0 : seconds('ignore');
  const block = int('block', 1, maxSeconds, false);

  // Match: field → condition; `kind` narrows the fields the other conditions may name.
  const matchNode = value('match');
  let kinds: ObservationKind[] | null = null;
  const match: FieldTest[] = [];
  if (matchNode !== undefined) {
    if (!isMap(matchNode)) fail(matchNode, 'match must be a mapping of field: condition');
    else {
      const kindPair = matchNode.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
      if (kindPair) kinds = readKinds(kindPair.value as Node, fail);
      for (const pair of matchNode.items) {
        const path = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof path !== 'string') {
          fail(pair.key as Node, 'a match key must be a field name');
          continue;
        }
        if (path === 'kind') continue;
        const type = fieldType(path, kinds);
        if (type === undefined) {
          fail(pair.key as Node, `unknown field ${JSON.stringify(path)}${kinds ? ` for ${kinds.join('/')}` : ''}; known: ${knownFields(kinds).join(', ')}`);
          continue;
        }
        const test = compileTest(pair.value as Node, type, path, fail);
        if (test) match.push({ path, test });
      }
    }
  }
  if (matchNode === undefined && ifSid.length === 0 && ifMatched.length === 0) fail(d.node, 'a rule needs match, if_sid or if_matched (else it would fire on everything)');

  const fields = (k: 'same' | 'different'): string[] =>
    list(k, (n) => {
      const v = isScalar(n) ? n.value : undefined;
      if (typeof v === 'string' && fieldType(v, kinds) !== undefined) return true;
      fail(n, `${k}: unknown field ${describe(v)}; known: ${knownFields(kinds).join(', ')}`);
      return false;
    }).map((n) => String((n as { value?: unknown }).value));
  const same = fields('same');
  const different = fields('different');
  if (different.length > 0 && d.values.frequency === undefined) fail(value('different'), 'different counts distinct values in a window: give frequency and timeframe too');

  if (!ok || d.id === undefined || level === null || title === null || titleEn === null || ignore === null) return null;
  return {
    id: d.id,
    level,
    title,
    titleEn,
    description,
    techniques,
    tactic,
    groups,
    kinds,
    match,
    parents: [...ifSid, ...ifMatched],
    frequency,
    timeframeMs: timeframe === null ? null : Math.round(timeframe * 1000),
    same,
    different,
    ignoreMs: Math.round(ignore * 1000),
    blockSeconds: block,
    spec: d.node.toJSON() as Record<string, unknown>,
    origin: { file: ctx.file, line: d.line },
  };
}

function readKinds(node: Node, fail: (node: Node | null | undefined, message: string) => void): ObservationKind[] | null {
  const items = isSeq(node) ? (node.items as Node[]) : [node];
  const kinds: ObservationKind[] = [];
  for (const n of items) {
    const v = isScalar(n) ? n.value : undefined;
    if (typeof v === 'string' && (observationKinds as readonly string[]).includes(v)) kinds.push(v as ObservationKind);
    else fail(n, `kind: ${describe(v)} is not one of ${observationKinds.join(', ')}`);
  }
  return kinds.length > 0 && kinds.length === items.length ? kinds : null;
}

const describe = (v: unknown): string => (typeof v === 'symbol' ? 'a list or mapping' : v === undefined ? 'nothing' : JSON.stringify(v));
