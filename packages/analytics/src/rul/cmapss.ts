import { YulianError } from '@yulian/core';

/** Columns of one C-MAPSS row: unit, cycle, 3 operational settings, 21 sensors. */
export const CMAPSS_COLUMNS = 26;
/** Number of sensor columns in C-MAPSS (sensors are numbered 1–21). */
export const CMAPSS_SENSORS = 21;

/** One operational cycle of one engine. */
export interface CmapssRow {
  unit: number;
  cycle: number;
  /** Operational settings 1–3. */
  settings: [number, number, number];
  /** Sensors 1–21 at index 0–20. */
  sensors: number[];
}

/** The cycles of one engine, in cycle order. */
export interface CmapssUnit {
  unit: number;
  rows: CmapssRow[];
}

const fail = (source: string, line: number, reason: string): never => {
  throw new YulianError('TRAINING_DATA_INVALID', `${source} line ${line}: ${reason}`, { details: { source, line, reason } });
};

/**
 * Parses a C-MAPSS train or test file (whitespace-separated, 26 columns a row); blank lines are skipped.
 * Throws a YulianError naming the line and the reason for a malformed line.
 * @example const rows = parseCmapss(readFileSync('train_FD001.txt', 'utf8'), 'train_FD001.txt')
 */
export function parseCmapss(text: string, source = 'C-MAPSS data'): CmapssRow[] {
  const rows: CmapssRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    if (fields.length !== CMAPSS_COLUMNS) fail(source, i + 1, `expected ${CMAPSS_COLUMNS} columns, found ${fields.length}`);
    const values = fields.map((f, col) => {
      const v = Number(f);
      if (!Number.isFinite(v)) fail(source, i + 1, `column ${col + 1} is not a number: "${f}"`);
      return v;
    });
    const [unit = 0, cycle = 0, s1 = 0, s2 = 0, s3 = 0] = values;
    if (!Number.isInteger(unit) || unit < 1) fail(source, i + 1, `unit must be a positive integer, got ${fields[0]}`);
    if (!Number.isInteger(cycle) || cycle < 1) fail(source, i + 1, `cycle must be a positive integer, got ${fields[1]}`);
    const prev = rows[rows.length - 1];
    if (prev && prev.unit === unit && cycle <= prev.cycle) fail(source, i + 1, `cycle ${cycle} of unit ${unit} does not follow cycle ${prev.cycle}`);
    rows.push({ unit, cycle, settings: [s1, s2, s3], sensors: values.slice(5) });
  }
  if (rows.length === 0) fail(source, 1, 'no data rows');
  return rows;
}

/**
 * Parses an RUL file (one non-negative integer a line: the true RUL of test unit 1, 2, …).
 * @example const truth = parseRulFile(readFileSync('RUL_FD001.txt', 'utf8'))
 */
export function parseRulFile(text: string, source = 'RUL file'): number[] {
  const out: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const v = Number(line);
    if (!Number.isInteger(v) || v < 0) fail(source, i + 1, `expected one non-negative integer, found "${line}"`);
    out.push(v);
  }
  if (out.length === 0) fail(source, 1, 'no RUL values');
  return out;
}

/** Groups rows by unit, in order of first appearance. */
export function groupUnits(rows: readonly CmapssRow[]): CmapssUnit[] {
  const byUnit = new Map<number, CmapssRow[]>();
  for (const r of rows) {
    const list = byUnit.get(r.unit);
    if (list) list.push(r);
    else byUnit.set(r.unit, [r]);
  }
  return [...byUnit].map(([unit, unitRows]) => ({ unit, rows: unitRows }));
}
