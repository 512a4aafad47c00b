import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { handleApiError } from './handle-errors';

describe('errors of /api/handles', () => {
  it('names a /api/handles failure by the code its message starts with, else by its response code', () => {
    const quota = handleApiError(403, { responseCode: 401, message: 'ID_QUOTA_EXCEEDED: prefix 88.100.1 holds its quota of 10 identifiers already.' });
    expect(quota).toBeInstanceOf(ApiError);
    expect(quota.code).toBe('ID_QUOTA_EXCEEDED');
    expect(handleApiError(404, { responseCode: 100, message: 'Handle not found' }).code).toBe('HANDLE_NOT_FOUND');
    expect(handleApiError(401, { responseCode: 402, message: 'Send Authorization' }).code).toBe('UNAUTHENTICATED');
    expect(handleApiError(502, undefined).code).toBe('UNKNOWN');
  });
});
