import { describe, expect, it } from 'vitest';
import { OpCode, OpFlag, ResponseCode, udpPayloadSize } from './constants.js';
import {
  UdpReassembler, decodeErrorBody, decodeFrame, decodeResolutionRequest, decodeResolutionResponse, encodeErrorBody, encodeMessage,
  encodeResolutionRequest, encodeResolutionResponse, requestDigest, splitForUdp,
} from './message.js';
import { decodeValues, encodeValues, handleValue, writeValue } from './values.js';
import { HandleDecodeError, WireWriter } from './wire.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** The golden vectors of ../shared/reference/identifier-resolution.md, produced by CNRI Handle.Net 9.2.0. */
const golden = {
  envelope: hex('0203020b 00000000 01020304 00000000 00000035'),
  request: hex('00000001 00000000 19000000 ffff0000 6553f100 00000019 0000000d 38382e3132332e39392f616263 00000000 00000000'),
  value: hex('00000001 6553f100 00 00015180 0e 00000003 55524c 00000017 68747470733a2f2f6578616d706c652e636f6d2f702f31 00000000'),
  response: hex(
    '00000001 00000001 19000000 ffff0000 6553f100 00000049 0000000d 38382e3132332e39392f616263 00000001 00000001 6553f100 00 00015180 0e 00000003 55524c 00000017 68747470733a2f2f6578616d706c652e636f6d2f702f31 00000000',
  ),
  credential: hex('00000000'),
};

const requestHeader = { opCode: OpCode.RESOLUTION, responseCode: 0, opFlag: OpFlag.RECU | OpFlag.CACR | OpFlag.PUBL, siteInfoSerial: -1, recursionCount: 0, expiration: 1_700_000_000 };
const urlValue = handleValue(1, 'URL', 'https://example.com/p/1', { timestamp: 1_700_000_000, ttl: 86_400, permissions: 0x0e });

describe('Handle protocol codec against Handle.Net 9.2.0 golden vectors', () => {
  it('encodes the resolution request of 88.123.99/abc byte for byte', () => {
    const frame = encodeMessage({ requestId: 0x01020304 }, requestHeader, encodeResolutionRequest('88.123.99/abc'));
    expect(frame.toString('hex')).toBe(Buffer.concat([golden.envelope, golden.request, golden.credential]).toString('hex'));
  });

  it('decodes that request back to its fields', () => {
    const m = decodeFrame(Buffer.concat([golden.envelope, golden.request, golden.credential]));
    expect(m.envelope).toMatchObject({ major: 2, minor: 3, suggestedMajor: 2, suggestedMinor: 11, requestId: 0x01020304, messageLength: 0x35 });
    expect(m.header).toEqual(requestHeader);
    expect(decodeResolutionRequest(m.body)).toEqual({ handle: Buffer.from('88.123.99/abc'), indexes: [], types: [] });
  });

  it('encodes the URL value and the resolution response carrying it byte for byte', () => {
    const w = new WireWriter();
    writeValue(w, urlValue);
    expect(w.finish().toString('hex')).toBe(golden.value.toString('hex'));
    const header = { ...requestHeader, responseCode: ResponseCode.SUCCESS };
    const frame = encodeMessage({ requestId: 0x01020304 }, header, encodeResolutionResponse('88.123.99/abc', [urlValue]));
    expect(frame.subarray(20).toString('hex')).toBe(Buffer.concat([golden.response, golden.credential]).toString('hex'));
    // A value list stored already encoded gives the same bytes.
    expect(encodeResolutionResponse('88.123.99/abc', encodeValues([urlValue])).toString('hex')).toBe(golden.response.subarray(24).toString('hex'));
  });

  it('decodes the response to the handle and its value', () => {
    const m = decodeFrame(Buffer.concat([golden.envelope.subarray(0, 16), hex('00000065'), golden.response, golden.credential]));
    expect(m.header.responseCode).toBe(ResponseCode.SUCCESS);
    const { handle, values } = decodeResolutionResponse(m.body, m.header.opFlag);
    expect(handle).toBe('88.123.99/abc');
    expect(values).toEqual([urlValue]);
  });
});

describe('Handle protocol codec on bad input', () => {
  const good = Buffer.concat([golden.envelope, golden.request, golden.credential]);
  const problemOf = (frame: Buffer): string | undefined => {
    try {
      const m = decodeFrame(frame);
      decodeResolutionRequest(m.body);
      return undefined;
    } catch (e) {
      if (!(e instanceof HandleDecodeError)) throw e;
      return e.problem;
    }
  };

  it('names what is wrong with truncated, oversize, mislabelled or unsupported messages, and never throws anything else', () => {
    expect(problemOf(good.subarray(0, 10))).toBe('TRUNCATED');
    expect(problemOf(good.subarray(0, good.length - 1))).toBe('LENGTH_INVALID');
    const v1 = Buffer.from(good);
    v1[0] = 1;
    expect(problemOf(v1)).toBe('VERSION_UNSUPPORTED');
    const huge = Buffer.from(good);
    huge.writeUInt32BE(300_000, 16);
    expect(problemOf(huge)).toBe('TOO_LONG');
    const badBody = Buffer.from(good);
    badBody.writeUInt32BE(0x7fffffff, 20 + 20);
    expect(problemOf(badBody)).toBe('LENGTH_INVALID');
    const badHandleLength = Buffer.from(good);
    badHandleLength.writeUInt32BE(1000, 20 + 24);
    expect(problemOf(badHandleLength)).toBe('LENGTH_INVALID');
    const manyTypes = Buffer.from(good);
    manyTypes.writeUInt32BE(0xffffffff, 20 + 24 + 17 + 4);
    expect(problemOf(manyTypes)).toBe('LENGTH_INVALID');
    // Every single-byte corruption and every truncation is either accepted or a HandleDecodeError.
    for (let i = 0; i < good.length; i++) {
      for (const b of [0x00, 0xff, good[i]! ^ 0x80]) {
        const x = Buffer.from(good);
        x[i] = b;
        problemOf(x);
      }
      problemOf(good.subarray(0, i));
    }
  });

  it('refuses value lists whose counts or lengths cannot fit', () => {
    const list = encodeValues([urlValue]);
    const bad = Buffer.from(list);
    bad.writeUInt32BE(1_000_000, 0);
    expect(() => decodeValues(bad)).toThrow(HandleDecodeError);
    expect(() => decodeValues(list.subarray(0, list.length - 2))).toThrow(HandleDecodeError);
    expect(decodeValues(list)).toEqual([urlValue]);
  });

  it('carries an error message and a request digest when asked', () => {
    const request = Buffer.concat([golden.request, golden.credential]);
    const digest = requestDigest(request);
    expect(digest.length).toBe(33);
    expect(decodeErrorBody(encodeErrorBody('Handle not found', digest), OpFlag.RRDG)).toBe('Handle not found');
    const res = decodeResolutionResponse(encodeResolutionResponse('88.1/x', [urlValue], digest), OpFlag.RRDG);
    expect(res.handle).toBe('88.1/x');
  });
});

describe('Handle messages over UDP', () => {
  it('splits a long message into 492-byte packets and puts them back together in any order', () => {
    const values = Array.from({ length: 30 }, (_, i) => handleValue(i + 1, 'DESC', `value ${i} `.repeat(5), { timestamp: 1 }));
    const header = { ...requestHeader, responseCode: ResponseCode.SUCCESS };
    const whole = encodeMessage({ requestId: 7 }, header, encodeResolutionResponse('88.100.1/long', values)).subarray(20);
    const packets = splitForUdp({ requestId: 7 }, whole);
    expect(packets.length).toBe(Math.ceil(whole.length / udpPayloadSize));
    expect(packets.every((p) => p.length <= 512)).toBe(true);
    const r = new UdpReassembler();
    const order = packets.map((_, i) => i).reverse();
    let out;
    for (const i of order) out = r.add('10.0.0.1:2641', packets[i]!);
    expect(decodeResolutionResponse(out!.body, out!.header.opFlag).values).toEqual(values);
    expect(r.stats()).toEqual({ pending: 0, bytes: 0 });
  });

  it('bounds what it holds: too many messages in assembly are refused, and stale ones expire', () => {
    const r = new UdpReassembler({ maxPending: 2, maxBytes: 1 << 20, timeoutMs: 1000 });
    const body = Buffer.alloc(2000, 1);
    const whole = encodeMessage({ requestId: 1 }, requestHeader, body).subarray(20);
    const first = (id: number): Buffer => splitForUdp({ requestId: id }, whole)[0]!;
    expect(r.add('a', first(1), 0)).toBeUndefined();
    expect(r.add('a', first(2), 0)).toBeUndefined();
    expect(() => r.add('a', first(3), 0)).toThrow(HandleDecodeError);
    expect(r.add('a', first(3), 5000)).toBeUndefined();
    expect(r.stats().pending).toBe(1);
  });
});
