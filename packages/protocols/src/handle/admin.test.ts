import { describe, expect, it } from 'vitest';
import { type AdminRequest, decodeAdminRequest, decodeListHandlesResponse, encodeAdminRequest, encodeListHandlesResponse } from './admin.js';
import { OpCode, OpFlag } from './constants.js';
import { handleValue } from './values.js';
import { HandleDecodeError } from './wire.js';

describe('administration request bodies', () => {
  const url = handleValue(1, 'URL', 'https://example.com/p/1', { timestamp: 1_700_000_000 });

  it('writes create handle as the handle, a value count and the values (RFC 3652 §3.3)', () => {
    const { opCode, body } = encodeAdminRequest({ op: 'create', handle: '88.123.99/abc', values: [url] });
    expect(opCode).toBe(OpCode.CREATE_HANDLE);
    // The value bytes are the golden vector of the reference (CNRI Handle.Net 9.2.0).
    expect(body.toString('hex')).toBe(
      '0000000d38382e3132332e39392f616263' + '00000001' + '000000016553f1000000015180' + '0e' + '0000000355524c' + '0000001768747470733a2f2f6578616d706c652e636f6d2f702f31' + '00000000',
    );
  });

  it('round-trips every operation', () => {
    const requests: AdminRequest[] = [
      { op: 'create', handle: '88.100/a', values: [url] },
      { op: 'delete', handle: '88.100/a' },
      { op: 'add', handle: '88.100/a', values: [url, { ...url, index: 2 }] },
      { op: 'remove', handle: '88.100/a', indexes: [1, 2, 300] },
      { op: 'modify', handle: '88.100/a', values: [url] },
      { op: 'list', handle: '0.NA/88.100' },
    ];
    for (const r of requests) {
      const { opCode, body } = encodeAdminRequest(r);
      expect(decodeAdminRequest(opCode, body)).toEqual(r);
    }
    expect(encodeAdminRequest({ op: 'remove', handle: 'a/b', indexes: [7] }).body.toString('hex')).toBe('00000003612f62' + '00000001' + '00000007');
  });

  it('refuses truncated bodies, trailing bytes and other opcodes', () => {
    const { body } = encodeAdminRequest({ op: 'delete', handle: '88.100/a' });
    expect(() => decodeAdminRequest(OpCode.DELETE_HANDLE, body.subarray(0, 5))).toThrow(HandleDecodeError);
    expect(() => decodeAdminRequest(OpCode.DELETE_HANDLE, Buffer.concat([body, Buffer.from([0])]))).toThrow(HandleDecodeError);
    expect(() => decodeAdminRequest(OpCode.RESOLUTION, body)).toThrow(HandleDecodeError);
    expect(() => decodeAdminRequest(OpCode.REMOVE_VALUE, Buffer.from('00000001610000ffff', 'hex'))).toThrow(HandleDecodeError);
  });

  it('writes a list-handles answer as a count and the handles, after a digest when flagged', () => {
    const body = encodeListHandlesResponse(['88.100/a', '88.100/b']);
    expect(body.toString('hex')).toBe('00000002' + '0000000838382e3130302f61' + '0000000838382e3130302f62');
    expect(decodeListHandlesResponse(body, 0)).toEqual(['88.100/a', '88.100/b']);
    const digest = Buffer.concat([Buffer.from([2]), Buffer.alloc(20, 9)]);
    expect(decodeListHandlesResponse(encodeListHandlesResponse(['x/y'], digest), OpFlag.RRDG | OpFlag.CONT)).toEqual(['x/y']);
  });
});
