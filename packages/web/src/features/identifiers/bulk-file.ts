/**
 * What the console checks of a bulk registration file before uploading it: its format from the name,
 * its size, and its header (CSV) or first line (JSONL) against the chosen template — the checks the
 * server makes when the job is created, so a wrong column is found before a large upload. Rows are
 * checked by the server only, and reported per row.
 */
import { parseDelimited } from '../gateways/csv';
import type { IdentifierTemplate } from './identifier-types';

/** The largest file the server takes (512 MiB). */
export const bulkMaxBytes = 512 * 1024 * 1024;
/** How much of the file's start is read for the check. */
export const bulkHeadBytes = 64 * 1024;

/** A bulk file's format. */
export type BulkFormat = 'csv' | 'jsonl';

/** What is wrong with a bulk file's start; each has a `identifiers.bulkProblem.<code>` message. */
export type BulkFileProblem =
  | { code: 'EMPTY' | 'TOO_LARGE' | 'NO_ID_COLUMN' | 'BOTH_ID_COLUMNS' | 'JSON_INVALID' }
  | { code: 'UNKNOWN_COLUMN' | 'MISSING_REQUIRED'; column: string };

/** The format of a file by its name: `.csv`/`.txt` → csv, `.jsonl`/`.ndjson`/`.json` → jsonl. */
export function formatOfFileName(name: string): BulkFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  return undefined;
}

/** The keys of the first record: the CSV header's columns, or the first JSON line's keys. */
function firstKeys(head: string, format: BulkFormat): string[] | 'JSON_INVALID' | undefined {
  const text = head.replace(/^\uFEFF/, '');
  if (format === 'csv') {
    const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
    const header = parseDelimited(firstLine, ',').records[0];
    return header?.cells.map((c) => c.trim());
  }
  const line = text.split(/\r\n|\n/).find((l) => l.trim() !== '');
  if (line === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed) : 'JSON_INVALID';
  } catch {
    return 'JSON_INVALID';
  }
}

/**
 * The problems of a bulk file's start (`head`, its first {@link bulkHeadBytes}) for a template: an id
 * column (`suffix` or `identifier`, exactly one), only the template's keys and `url`, and for CSV every
 * required field's column. An empty list: the server will take the file.
 *
 * @example
 * checkBulkHead('suffix,name,manufacturer\nP-1,轴承,渝联\n', { format: 'csv', size: 40, template }) // []
 */
export function checkBulkHead(head: string, file: { format: BulkFormat; size: number; template: IdentifierTemplate }): BulkFileProblem[] {
  if (file.size > bulkMaxBytes) return [{ code: 'TOO_LARGE' }];
  const keys = firstKeys(head, file.format);
  if (keys === 'JSON_INVALID') return [{ code: 'JSON_INVALID' }];
  if (!keys || keys.every((k) => k === '')) return [{ code: 'EMPTY' }];
  const problems: BulkFileProblem[] = [];
  const hasSuffix = keys.includes('suffix');
  const hasIdentifier = keys.includes('identifier');
  if (!hasSuffix && !hasIdentifier) problems.push({ code: 'NO_ID_COLUMN' });
  if (hasSuffix && hasIdentifier) problems.push({ code: 'BOTH_ID_COLUMNS' });
  const known = new Set(['suffix', 'identifier', 'url', ...file.template.fields.map((f) => f.key)]);
  for (const k of keys) if (!known.has(k)) problems.push({ code: 'UNKNOWN_COLUMN', column: k });
  // A JSON line may leave out an optional key, and its required ones are reported per row.
  if (file.format === 'csv') {
    for (const f of file.template.fields) if (f.required && !keys.includes(f.key)) problems.push({ code: 'MISSING_REQUIRED', column: f.key });
  }
  return problems;
}

/** A header line and one example row for a template, to start a CSV from. */
export function csvTemplate(template: IdentifierTemplate): string {
  const columns = ['suffix', ...template.fields.map((f) => f.key), 'url'];
  const example = columns.map((c) => (c === 'suffix' ? `${template.id}-0001` : template.fields.find((f) => f.key === c)?.kind === 'date' ? '2025-01-31' : ''));
  return `${columns.join(',')}\n${example.join(',')}\n`;
}
