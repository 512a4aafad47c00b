import { describe, expect, it } from 'vitest';
import { checkBulkHead, csvTemplate, formatOfFileName } from './bulk-file';
import { productTemplate } from './test-fixtures';

describe('bulk files', () => {
  it('tells CSV from JSONL by the file name', () => {
    expect(formatOfFileName('批次.CSV')).toBe('csv');
    expect(formatOfFileName('rows.ndjson')).toBe('jsonl');
    expect(formatOfFileName('rows.xlsx')).toBeUndefined();
  });

  it('takes a CSV whose header fits the template', () => {
    expect(checkBulkHead('\uFEFFsuffix,name,manufacturer,url\nP-1,轴承,渝联,\n', { format: 'csv', size: 50, template: productTemplate })).toEqual([]);
    expect(checkBulkHead('{"identifier":"88.100.1/P-1","name":"轴承"}\n', { format: 'jsonl', size: 50, template: productTemplate })).toEqual([]);
  });

  it('names a missing or doubled id column, unknown columns and missing required ones', () => {
    expect(checkBulkHead('name,colour\n', { format: 'csv', size: 10, template: productTemplate })).toEqual([
      { code: 'NO_ID_COLUMN' },
      { code: 'UNKNOWN_COLUMN', column: 'colour' },
      { code: 'MISSING_REQUIRED', column: 'manufacturer' },
    ]);
    expect(checkBulkHead('suffix,identifier,name,manufacturer\n', { format: 'csv', size: 10, template: productTemplate })).toEqual([{ code: 'BOTH_ID_COLUMNS' }]);
  });

  it('refuses an empty file, a first line that is not a JSON object, and a file over 512 MiB', () => {
    expect(checkBulkHead('', { format: 'csv', size: 0, template: productTemplate })).toEqual([{ code: 'EMPTY' }]);
    expect(checkBulkHead('[1,2]\n', { format: 'jsonl', size: 6, template: productTemplate })).toEqual([{ code: 'JSON_INVALID' }]);
    expect(checkBulkHead('suffix\n', { format: 'csv', size: 513 * 1024 * 1024, template: productTemplate })).toEqual([{ code: 'TOO_LARGE' }]);
  });

  it('offers a CSV template whose header passes its own check', () => {
    const csv = csvTemplate(productTemplate);
    expect(csv.split('\n')[0]).toBe('suffix,name,model,batch,productionDate,manufacturer,url');
    expect(checkBulkHead(csv, { format: 'csv', size: csv.length, template: productTemplate })).toEqual([]);
  });
});

