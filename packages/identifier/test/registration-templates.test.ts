import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BulkRecord, readBulkRecords, splitCsvRecord, templateOf, templateValues, validateRow } from '@yulian/identifier';
import { decodeAdmin, decodeValues, encodeValues } from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const product = templateOf('product')!;
const device = templateOf('device')!;
const codes = (row: Record<string, string>, template = product) => validateRow(template, row, ['suffix']).map((p) => `${p.field}:${p.code}`);

describe('identifier templates', () => {
  it('accepts a product with its required fields, and one with every field', () => {
    expect(codes({ name: '主轴轴承 6205-2RS', manufacturer: '重庆渝联演示机械有限公司' })).toEqual([]);
    expect(codes({ suffix: 'P-1', name: 'Bearing', model: '6205', batch: 'B1', productionDate: '2024-02-29', manufacturer: 'Yulian', url: 'https://example.com/p/1' })).toEqual([]);
  });

  it('names every problem of a row with its field and code', () => {
    expect(codes({ model: 'x'.repeat(129), productionDate: '2023-02-29', url: 'ftp://example.com/x', colour: 'red' })).toEqual([
      'name:REQUIRED',
      'model:TOO_LONG',
      'productionDate:INVALID_DATE',
      'manufacturer:REQUIRED',
      'url:INVALID_URL',
      'colour:UNKNOWN_FIELD',
    ]);
    expect(codes({ name: 'a\nb', manufacturer: 'M', productionDate: '2024-1-5' })).toEqual(['name:INVALID_VALUE', 'productionDate:INVALID_DATE']);
    expect(codes({ type: 'CNC' }, device)).toEqual(['serial:REQUIRED']);
    expect(codes({ serial: 'SN-1', commissioningDate: '2025-13-01', location: '一号车间' }, device)).toEqual(['commissioningDate:INVALID_DATE']);
  });

  it('lays out a record: URL at 1, fields from 2 in template order, HS_ADMIN at 100, the template at 1001', () => {
    const values = decodeValues(encodeValues(templateValues(product, { name: '轴承', batch: 'B7', manufacturer: '渝联', url: 'https://example.com/p' }, { prefix: '88.100.1', timestamp: 1_700_000_000 })));
    expect(values.map((v) => [v.index, v.type, v.type === 'HS_ADMIN' ? '' : v.data.toString()])).toEqual([
      [1, 'URL', 'https://example.com/p'],
      [2, 'product.name', '轴承'],
      [4, 'product.batch', 'B7'],
      [6, 'product.manufacturer', '渝联'],
      [100, 'HS_ADMIN', ''],
      [1001, 'YL.template', 'product@1'],
    ]);
    expect(decodeAdmin(values.find((v) => v.index === 100)!.data)).toEqual({ permissions: 0x0fff, handle: '0.NA/88.100.1', index: 300 });
    expect(values.every((v) => v.timestamp === 1_700_000_000)).toBe(true);
  });
});

describe('bulk file reading', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'yulian-bulkfile-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const readAll = async (file: string, format: 'csv' | 'jsonl', offset = 0, line = 1, chunkBytes = 7): Promise<BulkRecord[]> => {
    const out: BulkRecord[] = [];
    for await (const rs of readBulkRecords({ file, format, offset, line, chunkBytes })) out.push(...rs);
    return out;
  };

  it('reads CSV records with quoted line breaks across reads, skips blank lines, and resumes from any record’s end', async () => {
    const file = join(dir, 'a.csv');
    await writeFile(file, '\uFEFFsuffix,name\r\nA,"x, ""y"""\r\n\r\nB,"two\nlines"\nC,轴承');
    const all = await readAll(file, 'csv');
    expect(all.map((r) => [r.line, r.text])).toEqual([
      [1, 'suffix,name'],
      [2, 'A,"x, ""y"""'],
      [4, 'B,"two\nlines"'],
      [6, 'C,轴承'],
    ]);
    expect(splitCsvRecord(all[1]!.text!)).toEqual(['A', 'x, "y"']);
    expect(splitCsvRecord('a,"b"c')).toBeUndefined();
    const rest = await readAll(file, 'csv', all[1]!.next, all[1]!.nextLine, 1 << 16);
    expect(rest.map((r) => [r.line, r.text])).toEqual(all.slice(2).map((r) => [r.line, r.text]));
  });

  it('marks a line that is not UTF-8 and fails a file whose quote never closes', async () => {
    const file = join(dir, 'b.csv');
    await writeFile(file, Buffer.concat([Buffer.from('suffix\nA\n'), Buffer.from([0xd6, 0xe1, 0x0a]), Buffer.from('"open\nB\n')]));
    const records: BulkRecord[] = [];
    await expect(async () => {
      for await (const rs of readBulkRecords({ file, format: 'csv', offset: 0, line: 1, chunkBytes: 4 })) records.push(...rs);
    }).rejects.toThrow(/Line 4: a quoted field is not closed/);
    expect(records.map((r) => r.text)).toEqual(['suffix', 'A', undefined]);
  });
});
