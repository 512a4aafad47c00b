/**
 * From a file's records to rows: the CSV header's columns, each record's fields by name, and the
 * identifier a row names (`suffix` under the job's prefix, or a whole `identifier`).
 */
import { identifierProblems, tryParseIdentifier } from '../syntax.js';
import { type BulkFormat, BulkFileError, type BulkRecord, splitCsvRecord } from './bulk-file.js';
import { type IdentifierTemplate, type TemplateRow, urlKey } from './templates.js';

/** One problem of one row, as the job's report keeps it. */
export interface RowProblem {
  line: number;
  field: string | null;
  code: string;
  message: string;
}

/** The columns naming a row's identifier: exactly one of them. */
export const identifierKeys = ['suffix', 'identifier'] as const;

/**
 * The columns of a CSV header for a template: `suffix` or `identifier` (one of them), the template's
 * fields, `url`; each at most once, names trimmed.
 * @throws BulkFileError naming what is wrong
 */
export function headerColumns(record: BulkRecord | undefined, template: IdentifierTemplate): string[] {
  if (!record) throw new BulkFileError('The file is empty: the first line must be the header (suffix or identifier, then the template’s fields).');
  if (record.text === undefined) throw new BulkFileError('The header line is not UTF-8: save the file as UTF-8 (CSV UTF-8 in spreadsheet programs).');
  const cells = splitCsvRecord(record.text);
  if (!cells) throw new BulkFileError('The header line has text after a closing quote.');
  const columns = cells.map((c) => c.trim());
  const known = new Set<string>([...identifierKeys, urlKey, ...template.fields.map((f) => f.key)]);
  const seen = new Set<string>();
  for (const c of columns) {
    if (!known.has(c)) throw new BulkFileError(`Unknown column ${JSON.stringify(c)} for the ${template.id} template; columns are suffix or identifier, ${template.fields.map((f) => f.key).join(', ')}, url.`);
    if (seen.has(c)) throw new BulkFileError(`Column ${c} appears twice in the header.`);
    seen.add(c);
  }
  const ids = identifierKeys.filter((k) => seen.has(k));
  if (ids.length !== 1) throw new BulkFileError(ids.length ? 'The header has both suffix and identifier; give one of them.' : 'The header has no suffix or identifier column.');
  return columns;
}

/** Checks the first line of a JSONL file: a JSON object with a suffix or an identifier. @throws BulkFileError */
export function checkFirstJsonLine(record: BulkRecord | undefined): void {
  if (!record) throw new BulkFileError('The file is empty: give one JSON object per line.');
  const row = jsonRow(record);
  if ('code' in row) throw new BulkFileError(`Line ${record.line}: ${row.message}`);
}

const notUtf8 = (line: number): RowProblem => ({ line, field: null, code: 'NOT_UTF8', message: 'The line is not UTF-8; save the file as UTF-8.' });

/** A JSONL record's fields: strings kept, numbers and booleans as text, null as absent. */
function jsonRow(record: BulkRecord): Record<string, string> | RowProblem {
  const line = record.line;
  if (record.text === undefined) return notUtf8(line);
  let value: unknown;
  try {
    value = JSON.parse(record.text);
  } catch {
    return { line, field: null, code: 'JSON_INVALID', message: 'The line is not JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { line, field: null, code: 'JSON_INVALID', message: 'The line is not a JSON object.' };
  const row: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') row[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') row[k] = String(v);
    else if (v !== null) return { line, field: k, code: 'INVALID_VALUE', message: `${k} is not text, a number or a boolean.` };
  }
  return row;
}

/** Turns records into rows (field → text; empty cells absent), or the problem of the record. */
export function rowDecoder(format: BulkFormat, columns: readonly string[] | null): (record: BulkRecord) => TemplateRow | RowProblem {
  if (format === 'jsonl') return jsonRow;
  const cols = columns ?? [];
  return (record) => {
    if (record.text === undefined) return notUtf8(record.line);
    const cells = splitCsvRecord(record.text);
    if (!cells) return { line: record.line, field: null, code: 'CSV_QUOTE', message: 'Text after a closing quote; a quote inside a quoted field is written "".' };
    if (cells.length !== cols.length) return { line: record.line, field: null, code: 'COLUMN_COUNT', message: `The row has ${cells.length} fields, the header ${cols.length}.` };
    const row: Record<string, string> = {};
    for (let i = 0; i < cols.length; i++) if (cells[i] !== '') row[cols[i]!] = cells[i]!;
    return row;
  };
}

/** Whether a decoded record is a problem rather than a row. */
export const isRowProblem = (r: TemplateRow | RowProblem): r is RowProblem => typeof r.line === 'number' && typeof r.code === 'string';

/** The normalised identifier a row names under the job's prefix, or its problem. */
export function rowIdentifier(row: TemplateRow, prefix: string, line: number): string | RowProblem {
  const suffix = row['suffix'];
  const whole = row['identifier'];
  if (suffix !== undefined && whole !== undefined) return { line, field: 'identifier', code: 'ID_AMBIGUOUS', message: 'The row has both suffix and identifier; give one of them.' };
  const field = whole === undefined ? 'suffix' : 'identifier';
  const parsed = tryParseIdentifier(whole ?? `${prefix}/${suffix ?? ''}`);
  if (typeof parsed === 'string') return { line, field, code: parsed, message: identifierProblems[parsed] };
  if (parsed.prefix !== prefix) return { line, field, code: 'ID_PREFIX_MISMATCH', message: `${parsed.handle} is not under the job’s prefix ${prefix}.` };
  return parsed.handle;
}
