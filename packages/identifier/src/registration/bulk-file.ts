/**
 * Reading a bulk registration file record by record, from any byte offset, never whole in memory: CSV
 * (RFC 4180: a header row, fields optionally quoted, `""` a quote, line breaks inside quotes are data) or
 * JSONL (one JSON object per line). Each record carries the byte offset and line just after it, which is
 * what a job commits as its progress and resumes from.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';

/** The file formats a bulk job reads. */
export const bulkFormats = ['csv', 'jsonl'] as const;
export type BulkFormat = (typeof bulkFormats)[number];

/** A file that cannot be read as a whole (no header, a record without end …): its job fails with the message. */
export class BulkFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkFileError';
  }
}

/** One record of a file. */
export interface BulkRecord {
  /** The line it starts on (the first line of the file is 1). */
  line: number;
  /** Byte offset and line just after it (its line break included): where reading goes on. */
  next: number;
  nextLine: number;
  /** Its text without the line break, or undefined when its bytes are not UTF-8. */
  text: string | undefined;
}

/** Where to read from and how much at a time. */
export interface ReadOptions {
  file: string;
  format: BulkFormat;
  /** Byte offset of a record's start (0: the file's start, a UTF-8 BOM skipped). */
  offset: number;
  /** The line at `offset`. */
  line: number;
  /** Bytes per read (default 1 MiB). */
  chunkBytes?: number;
  /** A longer record fails the file (default 1 MiB): it is most likely an unclosed quote. */
  maxRecordBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Whether bytes [from, to) are only spaces, tabs and carriage returns: a blank line, skipped. */
function blank(data: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = data[i];
    if (c !== 0x20 && c !== 0x09 && c !== CR) return false;
  }
  return true;
}

/**
 * The records of a file from `offset`, in groups (those complete in each read). Blank lines are skipped.
 * CSV records end at a line break outside quotes; JSONL records at every line break.
 * @throws BulkFileError when a record is longer than `maxRecordBytes` or a quote is not closed at the end
 */
export async function* readBulkRecords(options: ReadOptions): AsyncGenerator<BulkRecord[]> {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const maxRecordBytes = options.maxRecordBytes ?? 1 << 20;
  const csv = options.format === 'csv';
  const fh = await open(options.file, 'r');
  try {
    let base = options.offset; // file offset of pending[0]
    let line = options.line;
    let pending: Buffer = Buffer.alloc(0);
    let first = options.offset === 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await fh.read(chunk, 0, chunkBytes, base + pending.length);
      const eof = bytesRead === 0;
      let data: Buffer = pending.length ? Buffer.concat([pending, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      if (first && data.length >= 3) {
        first = false;
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
          data = data.subarray(3);
          base += 3;
        }
      }
      const out: BulkRecord[] = [];
      const emit = (start: number, end: number, lines: number): void => {
        // end: after the line break (or the data's end at the end of the file)
        let stop = end;
        if (stop > start && data[stop - 1] === LF) stop--;
        if (stop > start && data[stop - 1] === CR) stop--;
        if (!blank(data, start, stop)) {
          const bytes = data.subarray(start, stop);
          out.push({ line, next: base + end, nextLine: line + lines, text: isUtf8(bytes) ? bytes.toString('utf8') : undefined });
        }
        line += lines;
      };
      let recordStart = 0;
      let lineStart = 0;
      let lines = 0;
      let quotes = 0;
      let nextQuote = csv ? data.indexOf(QUOTE) : -1;
      for (;;) {
        const lf = data.indexOf(LF, lineStart);
        if (lf < 0) break;
        // Quotes on this line (the position of the next one is kept, so the scan stays linear).
        while (nextQuote >= 0 && nextQuote < lf) {
          quotes++;
          nextQuote = data.indexOf(QUOTE, nextQuote + 1);
        }
        lines++;
        lineStart = lf + 1;
        if (quotes % 2 === 1) continue; // inside a quoted field: the record goes on
        emit(recordStart, lineStart, lines);
        recordStart = lineStart;
        lines = 0;
        quotes = 0;
      }
      if (eof) {
        if (recordStart < data.length) {
          // The last record has no line break; the loop counted the ones inside its quotes (`lines`).
          let unclosed = 0;
          if (csv) for (let i = recordStart; i < data.length; i++) if (data[i] === QUOTE) unclosed ^= 1;
          if (unclosed) throw new BulkFileError(`Line ${line}: a quoted field is not closed before the end of the file.`);
          emit(recordStart, data.length, lines + 1);
        }
        if (out.length) yield out;
        return;
      }
      pending = data.subarray(recordStart);
      base += recordStart;
      if (pending.length > maxRecordBytes) throw new BulkFileError(`Line ${line}: a record longer than ${maxRecordBytes} bytes — most likely a quote that is not closed.`);
      if (out.length) yield out;
    }
  } finally {
    await fh.close();
  }
}

/**
 * The fields of one CSV record. Fast when it holds no quote; otherwise RFC 4180 (a quote inside an
 * unquoted field is data, as spreadsheets write it). Answers undefined for text after a closing quote.
 */
export function splitCsvRecord(text: string): string[] | undefined {
  if (!text.includes('"')) return text.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        afterQuote = true;
      }
    } else if (c === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (afterQuote) return undefined;
    else if (c === '"' && field === '') quoted = true;
    else field += c;
  }
  fields.push(field);
  return fields;
}

/** The first record of a file (its header, for CSV), or undefined for an empty file. */
export async function firstRecord(file: string, format: BulkFormat): Promise<BulkRecord | undefined> {
  const records = readBulkRecords({ file, format, offset: 0, line: 1, chunkBytes: 64 * 1024 });
  try {
    const { value } = await records.next();
    return value?.[0];
  } finally {
    await records.return(undefined);
  }
}
