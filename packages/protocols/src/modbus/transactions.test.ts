import { describe, expect, it } from 'vitest';
import { encodeRequest } from './frame.js';
import { type ModbusAnomaly, type ModbusTransaction, createModbusConversation } from './transactions.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** A conversation recording what it emits. */
function record(options: { maxPending?: number } = {}) {
  const txs: ModbusTransaction[] = [];
  const anomalies: ModbusAnomaly[] = [];
  const conv = createModbusConversation({ transaction: (t) => txs.push(t), anomaly: (a) => anomalies.push(a) }, options);
  return { conv, txs, anomalies };
}

// A small polling exchange: read holding registers, read coils, write single register, an exception.
const requests = Buffer.concat([
  encodeRequest(1, 1, { fc: 3, address: 100, count: 2 }),
  encodeRequest(2, 1, { fc: 1, address: 0, count: 3 }),
  encodeRequest(3, 2, { fc: 6, address: 7, value: 0xabcd }),
  encodeRequest(4, 2, { fc: 16, address: 10, values: [1, 2] }),
  encodeRequest(5, 1, { fc: 4, address: 900, count: 1 }),
]);
const responses = hex(
  [
    '0001 0000 0007 01 03 04 0011 0022', // registers 17, 34
    '0002 0000 0004 01 01 01 05', // coils 1,0,1 + padding 0,0,0,0,0
    '0003 0000 0006 02 06 0007 abcd',
    '0004 0000 0006 02 10 000a 0002',
    '0005 0000 0003 01 84 02', // ILLEGAL_DATA_ADDRESS
  ].join(''),
);

describe('Modbus/TCP transactions', () => {
  it('pairs requests with responses by transaction id and decodes their fields', () => {
    const { conv, txs, anomalies } = record();
    conv.fromClient(requests, 1000);
    conv.fromServer(responses, 1001);
    conv.end(1002);
    expect(anomalies).toEqual([]);
    expect(txs).toEqual([
      { ts: 1000, responseTs: 1001, tid: 1, unit: 1, functionCode: 3, func: 'READ_HOLDING_REGISTERS', address: 100, quantity: 2, responseValues: [17, 34], matched: true, write: false },
      { ts: 1000, responseTs: 1001, tid: 2, unit: 1, functionCode: 1, func: 'READ_COILS', address: 0, quantity: 3, responseValues: [1, 0, 1], responseData: '0,0,0,0,0', matched: true, write: false },
      { ts: 1000, responseTs: 1001, tid: 3, unit: 2, functionCode: 6, func: 'WRITE_SINGLE_REGISTER', address: 7, quantity: 1, requestValues: [0xabcd], responseValues: [0xabcd], matched: true, write: true },
      { ts: 1000, responseTs: 1001, tid: 4, unit: 2, functionCode: 16, func: 'WRITE_MULTIPLE_REGISTERS', address: 10, quantity: 2, requestValues: [1, 2], matched: true, write: true },
      { ts: 1000, responseTs: 1001, tid: 5, unit: 1, functionCode: 4, func: 'READ_INPUT_REGISTERS', address: 900, quantity: 1, exception: 'ILLEGAL_DATA_ADDRESS', matched: true, write: false },
    ]);
    expect(conv.stats).toEqual({ requests: 5, responses: 5, transactions: 5, anomalies: 0, bytesDiscarded: 0 });
  });

  it('gives the same transactions for the streams split at every byte boundary', () => {
    const whole = record();
    whole.conv.fromClient(requests, 1);
    whole.conv.fromServer(responses, 1);
    whole.conv.end(1);
    for (let cut = 1; cut < Math.max(requests.length, responses.length); cut++) {
      const { conv, txs, anomalies } = record();
      // Every request before any response (a response cannot come before its request).
      conv.fromClient(requests.subarray(0, Math.min(cut, requests.length)), 1);
      conv.fromClient(requests.subarray(Math.min(cut, requests.length)), 1);
      conv.fromServer(responses.subarray(0, Math.min(cut, responses.length)), 1);
      conv.fromServer(responses.subarray(Math.min(cut, responses.length)), 1);
      conv.end(1);
      expect(anomalies, `cut ${cut}`).toEqual([]);
      expect(txs.map(({ ts: _a, responseTs: _b, ...t }) => t), `cut ${cut}`).toEqual(whole.txs.map(({ ts: _a, responseTs: _b, ...t }) => t));
    }
    // And one byte at a time.
    const { conv, txs } = record();
    for (const b of requests) conv.fromClient(Uint8Array.of(b), 1);
    for (const b of responses) conv.fromServer(Uint8Array.of(b), 1);
    conv.end(1);
    expect(txs).toEqual(whole.txs);
  });

  it('flags a lying MBAP length at once, drops the buffer and decodes the next frames', () => {
    for (const length of [0, 1, 255, 0xffff]) {
      const { conv, txs, anomalies } = record();
      conv.fromClient(hex(`0009 0000 ${length.toString(16).padStart(4, '0')} 01 03 0000 0001`), 5);
      expect(anomalies.map((a) => [a.code, a.direction, a.tid]), `length ${length}`).toEqual([['INVALID_LENGTH', 'request', 9]]);
      expect(conv.stats.bytesDiscarded).toBe(12);
      conv.fromClient(requests, 6);
      conv.fromServer(responses, 7);
      expect(txs.filter((t) => t.matched)).toHaveLength(5);
    }
  });

  it('flags a length its function cannot have without waiting for the claimed bytes', () => {
    const { conv, txs, anomalies } = record();
    // A read request is always 6 (unit + 5); this one claims 200 and only 8 bytes have come.
    conv.fromClient(hex('0001 0000 00c8 01 03'), 1);
    expect(anomalies.map((a) => [a.code, a.functionCode])).toEqual([['INVALID_LENGTH', 3]]);
    expect(anomalies[0]?.detail).toMatch(/length 200 for function 3, expected 6/);
    // A write multiple registers whose byte count (4) does not fit its length (7: byte count 0 expected).
    conv.fromClient(hex('0002 0000 0007 01 10 0000 0002 04'), 2);
    expect(anomalies.map((a) => a.code)).toEqual(['INVALID_LENGTH', 'INVALID_LENGTH']);
    // A response whose byte count runs past the frame.
    conv.fromClient(encodeRequest(3, 1, { fc: 3, address: 0, count: 1 }), 3);
    conv.fromServer(hex('0003 0000 0005 01 03 fa 00 01'), 4);
    expect(anomalies.map((a) => [a.code, a.direction])).toEqual([['INVALID_LENGTH', 'request'], ['INVALID_LENGTH', 'request'], ['INVALID_LENGTH', 'response']]);
    conv.end(5);
    expect(txs).toEqual([expect.objectContaining({ tid: 3, matched: false })]);
  });

  it('flags a wrong protocol id, a reserved unit, an unknown function and a response nobody asked for', () => {
    const { conv, txs, anomalies } = record();
    conv.fromClient(hex('0001 0001 0006 01 03 0000 0001'), 1);
    conv.fromClient(hex('0002 0000 0006 fa 03 0000 0001'), 2);
    conv.fromClient(hex('0003 0000 0002 01 30'), 3);
    conv.fromServer(hex('0007 0000 0005 01 03 02 1234'), 4);
    conv.fromServer(hex('0002 0000 0005 fa 03 02 0001'), 5);
    conv.fromServer(hex('0003 0000 0003 01 b0 01'), 6);
    expect(anomalies.map((a) => a.code)).toEqual(['INVALID_PROTOCOL_ID', 'INVALID_UNIT_ID', 'INVALID_FUNCTION_CODE', 'UNSOLICITED_RESPONSE', 'INVALID_FUNCTION_CODE']);
    expect(txs.map((t) => [t.tid, t.func, t.matched, t.exception])).toEqual([
      [7, 'READ_HOLDING_REGISTERS', false, undefined],
      [2, 'READ_HOLDING_REGISTERS', true, undefined],
      [3, 'unknown-48', true, 'ILLEGAL_FUNCTION'],
    ]);
  });

  it('flags values the protocol does not allow', () => {
    const { conv, anomalies } = record();
    conv.fromClient(hex('0001 0000 0006 01 03 0000 0000'), 1); // quantity 0
    conv.fromClient(hex('0002 0000 0006 01 05 0001 1234'), 1); // coil value 0x1234
    conv.fromClient(hex('0003 0000 0006 01 01 0000 0010'), 1); // 16 coils …
    conv.fromServer(hex('0003 0000 0004 01 01 01 ff'), 1); // … answered with 1 byte
    expect(anomalies.map((a) => [a.code, a.tid])).toEqual([['INVALID_VALUE', 1], ['INVALID_VALUE', 2], ['INVALID_VALUE', 3]]);
  });

  it('bounds the requests waiting for an answer and flushes them unmatched at the end', () => {
    const { conv, txs } = record({ maxPending: 2 });
    for (let tid = 1; tid <= 3; tid++) conv.fromClient(encodeRequest(tid, 1, { fc: 3, address: tid, count: 1 }), tid);
    expect(txs.map((t) => [t.tid, t.matched])).toEqual([[1, false]]);
    conv.fromServer(hex('0003 0000 0005 01 03 02 0009'), 4);
    conv.end(5);
    expect(txs.map((t) => [t.tid, t.matched, t.responseValues])).toEqual([[1, false, undefined], [3, true, [9]], [2, false, undefined]]);
    expect(() => createModbusConversation({ transaction: () => {}, anomaly: () => {} }, { maxPending: 0 })).toThrow(/maxPending/);
  });

  it('drops a partial frame when bytes of its side were lost', () => {
    const { conv, txs, anomalies } = record();
    conv.fromClient(requests.subarray(0, 5), 1);
    conv.lost('client');
    conv.fromClient(requests.subarray(12), 2);
    conv.fromServer(responses, 3);
    expect(conv.stats.bytesDiscarded).toBe(5);
    // tid 1's request was lost: its response is unsolicited; the other four pair.
    expect(anomalies.map((a) => [a.code, a.tid])).toEqual([['UNSOLICITED_RESPONSE', 1]]);
    expect(txs.filter((t) => t.matched).map((t) => t.tid)).toEqual([2, 3, 4, 5]);
  });
});
