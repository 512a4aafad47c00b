/**
 * Delimited text as spreadsheets write it (RFC 4180): quoted cells may hold the delimiter, line breaks
 * and doubled quotes. Commas are the rule; a header line with more tabs or semicolons than commas
 * switches to those, because pasting cells from a spreadsheet gives tab-separated text and some locales
 * save CSV with semicolons.
 */

/** A cell separator the reader understands. */
export type Delimiter = ',' | '\t' | ';';

/** One record: its cells (as written, untrimmed) and the line of the text it starts on (1-based). */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/** What {@link parseDelimited} read. */
export interface DelimitedText {
  records: CsvRecord[];
  delimiter: Delimiter;
  /** The line where a quoted cell opened and never closed; the rest of the text went into that cell. */
  unterminatedQuoteLine?: number;
}

/** The delimiter of `text`, judged by its first line: the most frequent of comma, tab and semicolon outside quotes. */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of text.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === '\t' || ch === ';')) counts[ch] += 1;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

/**
 * Splits delimited text into records. A byte-order mark is dropped, `\r\n`, `\n` and `\r` end a record,
 * records whose cells are all blank are skipped, and a quote that opens a cell (after optional spaces)
 * starts a quoted cell while a quote inside an unquoted cell is kept as it is.
 *
 * @example
 * parseDelimited('key,name\na,"b, c"\n').records // [{ cells: ['key', 'name'], line: 1 }, { cells: ['a', 'b, c'], line: 2 }]
 */
export function parseDelimited(text: string, delimiter: Delimiter = detectDelimiter(text)): DelimitedText {
  const source = text.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  // Whether the current cell opened with a quote: a second quote later in it is then not a new quoted part.
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;

  const endCell = () => {
    cells.push(cell);
    cell = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    if (cells.some((c) => c.trim() !== '')) records.push({ cells, line: recordLine });
    cells = [];
  };

  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (ch === '\n' || (ch === '\r' && source[i + 1] !== '\n')) line += 1;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && !wasQuoted && cell.trim() === '') {
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
      cell = '';
    } else if (ch === delimiter) endCell();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0 || wasQuoted) endRecord();
  return quoted ? { records, delimiter, unterminatedQuoteLine: quoteLine } : { records, delimiter };
}

/** One cell for a CSV file: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Lines of a CSV file from rows of cells, each line ended by `\r\n` as RFC 4180 has it. */
export function toCsv(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
