import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { IdentifierApi, RecordBody } from './identifier-api';
import { registerOne, saveRecord } from './record-writes';
import { productTemplate } from './test-fixtures';

/** An identifier API whose record calls answer as given, recording the writes. */
function fakeApi(answers: { exists?: boolean; put?: unknown }): { ids: IdentifierApi; writes: Array<{ handle: string; body: RecordBody; createOnly?: boolean }> } {
  const writes: Array<{ handle: string; body: RecordBody; createOnly?: boolean }> = [];
  const ids = {
    putRecord: (handle: string, body: RecordBody, o?: { createOnly?: boolean }) => {
      writes.push({ handle, body, ...(o?.createOnly ? { createOnly: true } : {}) });
      // The server refuses a create-only write of an identifier that exists.
      if (answers.exists && o?.createOnly) return Promise.reject(new ApiError(409, 'ID_RECORD_EXISTS', `${handle} is registered already.`));
      return answers.put === undefined ? Promise.resolve() : Promise.reject(answers.put);
    },
  } as unknown as IdentifierApi;
  return { ids, writes };
}

const form = { url: '', fields: { name: '轴承', manufacturer: '渝联', productionDate: '2025-02-28' } };

describe('writing records from a template', () => {
  it('registers a new identifier under its prefix', async () => {
    const { ids, writes } = fakeApi({});
    expect(await registerOne(ids, { prefix: '88.100.1', suffix: ' P-1 ', template: productTemplate, form })).toEqual({ kind: 'done', handle: '88.100.1/P-1' });
    expect(writes).toEqual([{ handle: '88.100.1/P-1', body: { template: 'product', fields: form.fields }, createOnly: true }]);
  });

  it('registers create-only, so an existing identifier is refused as taken, not overwritten', async () => {
    const { ids } = fakeApi({ exists: true });
    expect(await registerOne(ids, { prefix: '88.100.1', suffix: 'P-1', template: productTemplate, form })).toEqual({ kind: 'invalid', problems: { suffix: { code: 'ID_EXISTS' } } });
  });

  it('answers the server’s field problems and throws any other failure on', async () => {
    const invalid = new ApiError(400, 'ID_FIELDS_INVALID', 'bad date', { problems: [{ field: 'productionDate', code: 'INVALID_DATE', message: 'bad date' }] });
    expect(await saveRecord(fakeApi({ put: invalid }).ids, { handle: '88.100.1/P-1', template: productTemplate, form })).toEqual({
      kind: 'invalid',
      problems: { productionDate: { code: 'INVALID_DATE', message: 'bad date' } },
    });
    const quota = new ApiError(409, 'ID_QUOTA_EXCEEDED', 'full');
    await expect(registerOne(fakeApi({ put: quota }).ids, { prefix: '88.100.1', suffix: 'P-2', template: productTemplate, form })).rejects.toBe(quota);
  });
});
