/**
 * Where in an expression the server found its mistake (`details.position`, a 0-based character index),
 * split so the console can highlight the character and put a caret under it on its line.
 */
export interface MarkedPosition {
  /** The text of the line holding the position, before the marked character. */
  before: string;
  /** The marked character; a space when the position is at the end (something is missing there). */
  at: string;
  /** The rest of that line. */
  after: string;
  /** 1-based line and column of the position, for the words under the field. */
  line: number;
  column: number;
  /** The caret line under the marked line: spaces (tabs kept) then `^`. */
  caret: string;
}

// East Asian wide characters take two columns in a monospace font; an ideographic space keeps the caret under them.
const wide = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;
const padOf = (char: string): string => (char === '\t' ? '\t' : wide.test(char) ? '\u3000' : ' ');

/**
 * Splits `text` at `position`, which is clamped into the text (the end counts as a place).
 *
 * @example
 * markPosition('spindle_temp > > 80', 15) // { before: 'spindle_temp > ', at: '>', after: ' 80', line: 1, column: 16, caret: '               ^' }
 */
export function markPosition(text: string, position: number): MarkedPosition {
  const at = Math.max(0, Math.min(Number.isFinite(position) ? Math.trunc(position) : 0, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEndIndex = text.indexOf('\n', at);
  const lineEnd = lineEndIndex === -1 ? text.length : lineEndIndex;
  const before = text.slice(lineStart, at);
  const char = at < lineEnd ? (text[at] ?? ' ') : ' ';
  const line = text.slice(0, lineStart).split('\n').length;
  return {
    before,
    at: char,
    after: at < lineEnd ? text.slice(at + 1, lineEnd) : '',
    line,
    column: at - lineStart + 1,
    caret: `${[...before].map(padOf).join('')}^`,
  };
}

/** The `details.position` of an API error's details, when it is a usable index. */
export function positionOf(details: Record<string, unknown> | undefined): number | undefined {
  const p = details?.['position'];
  return typeof p === 'number' && Number.isInteger(p) && p >= 0 ? p : undefined;
}
