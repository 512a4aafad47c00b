import { describe, expect, it } from 'vitest';
import { FrameError, decodeResponse, encodeRequest, splitFrames } from './frame.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('Modbus TCP frames', () => {
  it('encodes a holding register read as the spec example does', () => {
    // tid 1, protocol 0, length 6, unit 17, FC3 from 107 for 3 (Modbus spec 6.3 uses 0x006B, 0x0003).
    expect(encodeRequest(1, 17, { fc: 3, address: 0x6b, count: 3 })).toEqual(hex('0001 0000 0006 11 03 006B 0003'));
  });

  it('encodes multiple coils least significant bit first', () => {
    // Spec 6.11: coils 20–29 = 1,0,1,1,0,0,1,1, 1,0 → 0xCD 0x01.
    const frame = encodeRequest(2, 1, { fc: 15, address: 19, values: [true, false, true, true, false, false, true, true, true, false] });
    expect(frame.subarray(7)).toEqual(hex('0F 0013 000A 02 CD 01'));
  });

  it('splits a stream into frames and keeps an incomplete tail', () => {
    const a = hex('0001 0000 0009 01 03 06 0001 0002 0003');
    const b = hex('0002 0000 0005 01 03 02 00');
    const { frames, rest } = splitFrames(Buffer.concat([a, b]));
    expect(frames.map((f) => f.transactionId)).toEqual([1]);
    expect(rest).toEqual(b);
    expect(decodeResponse({ fc: 3, address: 0, count: 3 }, frames[0]!.pdu)).toEqual({ kind: 'registers', values: [1, 2, 3] });
  });

  it('rejects a stream with a wrong protocol id or an impossible length', () => {
    expect(() => splitFrames(hex('0001 0001 0006 01 03 00 00 00 01'))).toThrow(FrameError);
    expect(() => splitFrames(hex('0001 0000 0400 01 03'))).toThrow(/length 1024/);
  });

  it('names a Modbus exception', () => {
    expect(decodeResponse({ fc: 3, address: 0, count: 1 }, hex('83 02'))).toEqual({ kind: 'exception', code: 2, name: 'ILLEGAL_DATA_ADDRESS' });
  });

  it('rejects answers that do not fit the request: wrong function, wrong byte count, short exception', () => {
    expect(() => decodeResponse({ fc: 3, address: 0, count: 1 }, hex('04 02 0001'))).toThrow(/function code 4 in answer to 3/);
    expect(() => decodeResponse({ fc: 3, address: 0, count: 2 }, hex('03 02 0001'))).toThrow(/expected 4/);
    expect(() => decodeResponse({ fc: 1, address: 0, count: 9 }, hex('01 01 FF'))).toThrow(/expected 2/);
    expect(() => decodeResponse({ fc: 3, address: 0, count: 1 }, hex('83'))).toThrow(/exception response/);
    expect(() => decodeResponse({ fc: 6, address: 5, value: 1 }, hex('06 0004 0001'))).toThrow(/echo address 5/);
  });
});
