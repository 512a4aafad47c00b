import { YulianError } from '@yulian/core';

/** One record of a CSV file with the line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses RFC 4180 CSV: comma-separated, fields optionally in double quotes (`""` inside is a quote,
 * commas and line breaks inside quotes are data), CRLF or LF line ends, an optional UTF-8 BOM. Blank
 * lines are skipped. @throws YulianError CSV_INVALID for an unclosed quote or text after a closing quote
 */
export function parseCsv(text: string, maxRecords = 10_000): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let afterQuote = false;
  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') out.push({ line: start, fields });
    if (out.length > maxRecords + 1) throw new YulianError('CSV_INVALID', `The file has more than ${maxRecords} rows; split it.`);
    fields = [];
    field = '';
    afterQuote = false;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else if (c === '"' && field === '' && !afterQuote) {
      quoted = true;
    } else if (afterQuote) {
      throw new YulianError('CSV_INVALID', `Line ${line}: text after a closing quote; a quote inside a quoted field is written "".`);
    } else {
      field += c;
    }
  }
  if (quoted) throw new YulianError('CSV_INVALID', `Line ${start}: a quoted field is not closed.`);
  if (field !== '' || fields.length) endRecord();
  return out;
}
