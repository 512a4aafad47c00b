import { describe, expect, it } from 'vitest';
import { fakeFetch, headersOf } from '../../api/fake-fetch';
import { ApiError } from '../../api/client';
import { createIdentifierApi, identifierPath } from './identifier-api';

describe('the identifier API client', () => {
  it('puts an identifier in a path with each segment encoded and the slash kept', () => {
    expect(identifierPath('88.100.1/批次 1#2')).toBe('88.100.1/%E6%89%B9%E6%AC%A1%201%232');
  });

  it('lists a prefix page by page with the bearer token, reading Handle.Net’s string count as a number', async () => {
    const { fetch, calls } = fakeFetch(200, { responseCode: 1, prefix: '88.100.1', totalCount: '22', page: 1, pageSize: 10, handles: ['88.100.1/a'] });
    const ids = createIdentifierApi({ token: () => 'tok', fetch });
    const page = await ids.listHandles({ prefix: '88.100.1', page: 1, pageSize: 10 });
    expect(page.totalCount).toBe(22);
    expect(page.handles).toEqual(['88.100.1/a']);
    expect(calls[0]?.url).toBe('/api/handles?prefix=88.100.1&page=1&pageSize=10');
    expect(headersOf(calls[0]?.init).authorization).toBe('Bearer tok');
  });

  it('rejects a missing identifier with HANDLE_NOT_FOUND and a refused record write with its problems', async () => {
    const missing = createIdentifierApi({ token: () => null, fetch: fakeFetch(404, { responseCode: 100, handle: '88.100.1/x', message: 'Handle not found' }).fetch });
    await expect(missing.getHandle('88.100.1/x')).rejects.toMatchObject({ status: 404, code: 'HANDLE_NOT_FOUND' });

    const refused = createIdentifierApi({
      token: () => 'tok',
      fetch: fakeFetch(400, { error: { code: 'ID_FIELDS_INVALID', message: 'bad date', details: { problems: [{ field: 'productionDate', code: 'INVALID_DATE', message: 'bad date' }] } } }).fetch,
    });
    const error = await refused.putRecord('88.100.1/P-1', { template: 'product', fields: { productionDate: '2025-02-30' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).details).toEqual({ problems: [{ field: 'productionDate', code: 'INVALID_DATE', message: 'bad date' }] });
  });

  it('registers create-only with If-None-Match: *, and reads the refusal of a taken identifier', async () => {
    const taken = fakeFetch(409, { error: { code: 'ID_RECORD_EXISTS', message: '88.100.1/P-1 is registered already.' } });
    const ids = createIdentifierApi({ token: () => 'tok', fetch: taken.fetch });
    await expect(ids.putRecord('88.100.1/P-1', { template: 'product', fields: {} }, { createOnly: true })).rejects.toMatchObject({ status: 409, code: 'ID_RECORD_EXISTS' });
    expect(taken.calls[0]?.url).toBe('/api/v1/identifiers/records/88.100.1/P-1');
    expect(headersOf(taken.calls[0]?.init)['if-none-match']).toBe('*');
    const edit = fakeFetch(200, { handle: '88.100.1/P-1' });
    await createIdentifierApi({ token: () => 'tok', fetch: edit.fetch }).putRecord('88.100.1/P-1', { template: 'product', fields: {} });
    expect(headersOf(edit.calls[0]?.init)['if-none-match']).toBeUndefined();
  });

  it('uploads a bulk file as the raw body with its content type, and reads a job’s report as text', async () => {
    const upload = fakeFetch(202, { id: 'j1', state: 'queued' });
    const ids = createIdentifierApi({ token: () => 'tok', fetch: upload.fetch });
    await ids.createBulkJob({ prefix: '88.100.1', template: 'product', format: 'jsonl', body: '{"suffix":"P-1"}\n' });
    expect(upload.calls[0]?.url).toBe('/api/v1/identifiers/bulk?prefix=88.100.1&template=product&format=jsonl');
    expect(upload.calls[0]?.init?.method).toBe('POST');
    expect(headersOf(upload.calls[0]?.init)['content-type']).toBe('application/x-ndjson');
    expect(upload.calls[0]?.init?.body).toBe('{"suffix":"P-1"}\n');

    const report = createIdentifierApi({ token: () => 'tok', fetch: fakeFetch(200, 'row,column,code,message\n').fetch });
    expect(await report.bulkErrorsCsv('j1')).toBe('row,column,code,message\n');
  });

  it('sends a reviewer’s step to the prefix’s own path', async () => {
    const { fetch, calls } = fakeFetch(200, { prefix: '88.100.7', state: 'approved' });
    await createIdentifierApi({ token: () => 'tok', fetch }).reviewPrefix('88.100.7', 'approve', { quota: 1000 });
    expect(calls[0]?.url).toBe('/api/v1/identifiers/prefixes/88.100.7/approve');
    expect(calls[0]?.init?.body).toBe('{"quota":1000}');
  });

  it('turns a failed connection into a NETWORK error', async () => {
    const ids = createIdentifierApi({ token: () => null, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await expect(ids.targets()).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });
});
