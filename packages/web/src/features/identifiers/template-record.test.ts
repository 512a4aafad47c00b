import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { emptyForm, fitsTemplateLayout, formOfRecord, parseErrorReport, problemsOfError, recordBody, templateOfRecord } from './template-record';
import { adminValue, deviceTemplate, productTemplate, textValue } from './test-fixtures';

describe('records and their templates', () => {
  const record = [textValue(1, 'URL', 'https://example.com/p'), textValue(2, 'product.name', '轴承'), textValue(6, 'product.manufacturer', '渝联'), textValue(7, 'product.color', '蓝'), adminValue];

  it('finds the template by its marker, or else by the field types a record holds', () => {
    expect(templateOfRecord([...record, textValue(1001, 'YL.template', 'device@1')], [productTemplate, deviceTemplate])?.id).toBe('device');
    expect(templateOfRecord(record, [productTemplate, deviceTemplate])?.id).toBe('product');
    expect(templateOfRecord([adminValue], [productTemplate, deviceTemplate])).toBeUndefined();
  });

  it('edits by template only a record laid out as the template writes it', () => {
    const product = [textValue(1, 'URL', 'https://e.com'), textValue(2, 'product.name', '轴承'), textValue(6, 'product.manufacturer', '渝联'), adminValue, textValue(1001, 'YL.template', 'product@1')];
    expect(fitsTemplateLayout(product, productTemplate)).toBe(true);
    // The platform's device records pack their fields: a template write would replace device.uid at 3.
    const packed = [textValue(2, 'device.serial', 'S-1'), textValue(3, 'device.uid', 'urn:1'), adminValue];
    expect(fitsTemplateLayout(packed, deviceTemplate)).toBe(false);
    expect(fitsTemplateLayout([textValue(2, 'device.serial', 'S-1'), textValue(9, 'device.location', 'A')], deviceTemplate)).toBe(false);
    expect(fitsTemplateLayout([textValue(5, 'URL', 'https://e.com')], productTemplate)).toBe(false);
  });

  it('reads the form of a record by value type, blank where the record has no value', () => {
    expect(formOfRecord(record, productTemplate)).toEqual({ url: 'https://example.com/p', fields: { name: '轴承', model: '', batch: '', productionDate: '', manufacturer: '渝联' } });
    expect(emptyForm(deviceTemplate)).toEqual({ url: '', fields: { serial: '', location: '' } });
  });

  it('writes the record body of the non-empty fields, trimmed, with the URL when given', () => {
    const form = { url: ' https://e.com ', fields: { name: ' 轴承 ', model: '', manufacturer: '渝联' } };
    expect(recordBody(productTemplate, form)).toEqual({ template: 'product', fields: { name: '轴承', manufacturer: '渝联' }, url: 'https://e.com' });
    expect(recordBody(productTemplate, { url: ' ', fields: { name: '轴承' } })).toEqual({ template: 'product', fields: { name: '轴承' } });
  });

  it('reads the problems of a refused record write by field, a malformed identifier at the suffix', () => {
    const refused = new ApiError(400, 'ID_FIELDS_INVALID', 'bad', {
      problems: [
        { field: 'productionDate', code: 'INVALID_DATE', message: 'm' },
        { field: 'productionDate', code: 'TOO_LONG', message: 'second' },
        { field: 'manufacturer', code: 'REQUIRED', message: 'r' },
      ],
    });
    expect(problemsOfError(refused)).toEqual({ productionDate: { code: 'INVALID_DATE', message: 'm' }, manufacturer: { code: 'REQUIRED', message: 'r' } });
    expect(problemsOfError(new ApiError(400, 'ID_MALFORMED', '88.100.1/ x: bad', { problem: 'ID_SUFFIX_CHARACTER' }))).toEqual({
      suffix: { code: 'ID_SUFFIX_CHARACTER', message: '88.100.1/ x: bad' },
    });
    expect(problemsOfError(new ApiError(409, 'ID_QUOTA_EXCEEDED', 'full'))).toBeUndefined();
    expect(problemsOfError(new Error('network'))).toBeUndefined();
  });

  it('reads a bulk job’s per-row report, quoted messages included', () => {
    const csv = 'row,column,code,message\n2,productionDate,INVALID_DATE,"productionDate ""2025-02-30"" is not a date YYYY-MM-DD."\n3,,COLUMN_COUNT,cells\n';
    expect(parseErrorReport(csv)).toEqual([
      { row: 2, column: 'productionDate', code: 'INVALID_DATE', message: 'productionDate "2025-02-30" is not a date YYYY-MM-DD.' },
      { row: 3, column: '', code: 'COLUMN_COUNT', message: 'cells' },
    ]);
  });
});
