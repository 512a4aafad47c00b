import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { applicationBody, blankApplication, checkApplication, fieldOfError } from './prefix-form';

describe('prefix applications', () => {
  it('asks for name, an 18-character credit code and a contact, and checks an own node’s address', () => {
    expect(checkApplication(blankApplication)).toEqual({ orgName: 'required', creditCode: 'required', contact: 'required' });
    const filled = { ...blankApplication, orgName: '渝联', creditCode: '91350100M000100Y43', contact: '张工 13800000000' };
    expect(checkApplication(filled)).toEqual({});
    expect(checkApplication({ ...filled, creditCode: '9135', code: '-x', ownNode: true, host: 'node.example', port: '70000' })).toEqual({
      creditCode: 'creditCodeLength',
      code: 'code',
      host: 'host',
      port: 'port',
    });
    expect(checkApplication({ ...filled, ownNode: true, host: '2001:db8::5', port: '2641' })).toEqual({});
    expect(applicationBody({ ...filled, creditCode: '91350100m000100y43', ownNode: true, host: '203.0.113.5', port: '2641' })).toEqual({
      orgName: '渝联',
      creditCode: '91350100M000100Y43',
      contact: '张工 13800000000',
      site: { host: '203.0.113.5', port: 2641 },
    });
  });

  it('puts a server error at its field', () => {
    expect(fieldOfError(new ApiError(400, 'CREDIT_CODE_INVALID', 'x', { field: 'creditCode' }))).toBe('creditCode');
    expect(fieldOfError(new ApiError(409, 'PREFIX_TAKEN', 'x'))).toBe('code');
    expect(fieldOfError(new ApiError(400, 'VALIDATION_FAILED', 'body/site/host must be an IP address'))).toBe('host');
    expect(fieldOfError(new ApiError(409, 'PREFIX_APPLICATION_PENDING', 'x'))).toBeUndefined();
  });
});

