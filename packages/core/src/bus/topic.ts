import type { ZodType } from 'zod';
import { YulianError } from '../errors/index.js';

/**
 * A typed subject family: a NATS-style dotted pattern (`*` = one token, `>` = the rest) and the
 * zod schema every message on it must satisfy.
 */
export interface Topic<T> {
  readonly pattern: string;
  readonly schema: ZodType<T>;
  /** True when the pattern has `*` or `>`, so publishing needs a concrete `subject`. */
  readonly wildcard: boolean;
}

/**
 * Declares a topic. Throws `BAD_REQUEST` for a malformed pattern.
 * @example const telemetry = defineTopic('yulian.tel.*.*', z.object({ value: z.number() }))
 */
export function defineTopic<T>(pattern: string, schema: ZodType<T>): Topic<T> {
  const tokens = parsePattern(pattern, 'topic pattern');
  return Object.freeze({ pattern, schema, wildcard: tokens.some((t) => t === '*' || t === '>') });
}

const tokenChars = /^[^\s.*>]+$/;
const patternTokens = new WeakMap<Topic<unknown>, string[]>();

/** The topic's pattern split into tokens, cached because publish is a hot path. */
function tokensOf(topic: Topic<unknown>): string[] {
  let tokens = patternTokens.get(topic);
  if (!tokens) {
    tokens = parsePattern(topic.pattern, 'topic pattern');
    patternTokens.set(topic, tokens);
  }
  return tokens;
}

/** Splits and checks a dotted pattern; `what` names it in the error message. */
export function parsePattern(pattern: string, what: string): string[] {
  const tokens = pattern.split('.');
  tokens.forEach((token, i) => {
    const ok = tokenChars.test(token) || token === '*' || (token === '>' && i === tokens.length - 1);
    if (!ok) {
      throw new YulianError(
        'BAD_REQUEST',
        `Invalid ${what} '${pattern}': use dot-separated tokens without spaces, '*' for one token and '>' only as the last token.`,
      );
    }
  });
  return tokens;
}

/** True when the concrete `subject` is one of the subjects `pattern` stands for. */
export function subjectMatches(pattern: readonly string[], subject: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '>') return subject.length > i;
    const s = subject[i];
    if (s === undefined || (p !== '*' && p !== s)) return false;
  }
  return subject.length === pattern.length;
}

/** True when every subject `inner` stands for is also covered by `outer` (both may hold wildcards). */
export function patternCovers(outer: readonly string[], inner: readonly string[]): boolean {
  for (let i = 0; i < outer.length; i++) {
    const o = outer[i];
    if (o === '>') return inner.length > i;
    const n = inner[i];
    if (n === undefined || n === '>' || (o !== '*' && (n === '*' || n !== o))) return false;
  }
  return inner.length === outer.length;
}

/** The concrete subject to publish `topic` on; throws `BAD_REQUEST` with what to pass instead. */
export function publishSubject(topic: Topic<unknown>, subject: string | undefined): string {
  if (subject === undefined) {
    if (topic.wildcard) {
      throw new YulianError(
        'BAD_REQUEST',
        `Topic '${topic.pattern}' has wildcards: pass a concrete { subject } such as '${topic.pattern.replaceAll('*', 'x').replace(/>$/, 'x')}'.`,
      );
    }
    return topic.pattern;
  }
  const tokens = parsePattern(subject, 'subject');
  if (tokens.some((t) => t === '*' || t === '>') || !subjectMatches(tokensOf(topic), tokens)) {
    throw new YulianError('BAD_REQUEST', `Subject '${subject}' is not a concrete subject of topic '${topic.pattern}'.`, {
      details: { subject, pattern: topic.pattern },
    });
  }
  return subject;
}

/** The pattern to subscribe to: the topic's own, or a narrower one that it covers. */
export function subscribePattern(topic: Topic<unknown>, subject: string | undefined): string[] {
  const outer = tokensOf(topic);
  if (subject === undefined) return outer;
  const inner = parsePattern(subject, 'subject');
  if (!patternCovers(outer, inner)) {
    throw new YulianError('BAD_REQUEST', `Subject '${subject}' is not within topic '${topic.pattern}'.`, {
      details: { subject, pattern: topic.pattern },
    });
  }
  return inner;
}
