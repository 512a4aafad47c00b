/**
 * Passive Modbus/TCP decoding per transaction: both byte streams of one TCP conversation in, paired
 * request/response transactions and protocol anomalies out. Socket-free; used by the capture analyser
 * (@yulian/security) and by the live Modbus proxy.
 *
 * Fields follow ICSNPP's modbus_detailed log (cisagov/icsnpp-modbus), so a capture decoded here lists the
 * same rows as Zeek with ICSNPP — except that functions ICSNPP does not handle (7, 11, 12, 17, user
 * defined) are paired too (ICSNPP logs their request and response as two unmatched rows), and what ICSNPP
 * moves to linked logs (mask write masks, read/write multiple registers, device identification) is carried
 * inline in `linked`.
 *
 * Anomalies (named after Suricata's Modbus events):
 * - INVALID_PROTOCOL_ID: MBAP protocol id not 0. The direction's buffer is dropped (resynchronise).
 * - INVALID_LENGTH: MBAP length 0 or 1 or above 254, or one the function's PDU cannot have (a read request
 *   is always 6; a write multiple is 7 plus its byte count …). Judged as soon as the function code (and
 *   byte count) arrive, so a lying length never makes the decoder wait for or allocate the claimed size;
 *   the direction's buffer is dropped.
 * - INVALID_UNIT_ID: a request to unit 248–254 (reserved by the serial line spec; 0 and 255 are the usual
 *   Modbus/TCP values and 1–247 address devices behind gateways), or a response from another unit than
 *   the one asked.
 * - INVALID_FUNCTION_CODE: 0, an exception bit in a request, or a code neither public, user-defined nor
 *   one of the reserved legacy/vendor codes (see `isKnownFunction`). The frame is still paired.
 * - UNSOLICITED_RESPONSE: a response whose transaction id has no pending request, or whose function does
 *   not answer the pending one's.
 * - INVALID_VALUE: quantities outside the spec's limits, a coil value other than 0x0000/0xFF00, a byte
 *   count that does not fit the quantity, an undefined exception code.
 */
import { type ModbusLinkedDetails, type PduFields, functionName, isKnownFunction, pduLengthRule, requestFields, responseFields, writeFunctions } from './transaction-fields.js';

export { type ModbusLinkedDetails, functionName, isKnownFunction } from './transaction-fields.js';

/** One Modbus transaction: a request and its response (or one of them, `matched: false`). */
export interface ModbusTransaction {
  /** ms since epoch of the request (of the response when there was no request). */
  ts: number;
  /** ms since epoch of the response, when there was one. */
  responseTs?: number;
  tid: number;
  unit: number;
  functionCode: number;
  /** e.g. 'READ_COILS', 'WRITE_SINGLE_REGISTER', 'ENCAP_INTERFACE_TRANSPORT'. */
  func: string;
  address?: number;
  quantity?: number;
  requestValues?: number[];
  responseValues?: number[];
  /** FC 8 sub-function names. */
  requestSubfunction?: string;
  responseSubfunction?: string;
  /** Extra data or padding as ICSNPP prints it (\xNN escapes; unused coil bits as 0,1 …). */
  requestData?: string;
  responseData?: string;
  /** 'ILLEGAL_DATA_ADDRESS' …; the function stays the request's. */
  exception?: string;
  /** FC 43: 'Read Device Identification', 'CANopen' … */
  meiType?: string;
  /** What ICSNPP writes to its linked logs. */
  linked?: ModbusLinkedDetails;
  /** Both request and response were seen. */
  matched: boolean;
  /** FC 5, 6, 15, 16, 21, 22, 23. */
  write: boolean;
}

/** Suricata-style Modbus anomaly codes. */
export type ModbusAnomalyCode = 'INVALID_PROTOCOL_ID' | 'INVALID_LENGTH' | 'INVALID_UNIT_ID' | 'INVALID_FUNCTION_CODE' | 'UNSOLICITED_RESPONSE' | 'INVALID_VALUE';

/** A protocol anomaly seen in one direction. */
export interface ModbusAnomaly {
  ts: number;
  code: ModbusAnomalyCode;
  direction: 'request' | 'response';
  tid?: number;
  unit?: number;
  functionCode?: number;
  detail: string;
}

/** The decoder of one client↔server conversation. */
export interface ModbusConversation {
  /** Bytes from the client as they arrive, in any segmentation. The chunk may be reused after the call. */
  fromClient(chunk: Uint8Array, ts: number): void;
  /** Bytes from the server. */
  fromServer(chunk: Uint8Array, ts: number): void;
  /** Bytes of one side were lost (a gap in a capture): the partial frame held for it is dropped. */
  lost(side: 'client' | 'server'): void;
  /** The conversation is over: pending requests come out unmatched. */
  end(ts: number): void;
  readonly stats: ModbusConversationStats;
}

/** Counters of one conversation. */
export interface ModbusConversationStats {
  requests: number;
  responses: number;
  transactions: number;
  anomalies: number;
  bytesDiscarded: number;
}

/** Where transactions and anomalies go. */
export interface ModbusConversationSink {
  transaction(tx: ModbusTransaction): void;
  anomaly(a: ModbusAnomaly): void;
}

interface Pending {
  ts: number;
  tid: number;
  unit: number;
  fc: number;
  fields: PduFields;
}

/** A full MBAP header plus the longest PDU. */
const maxFrame = 260;

/**
 * Creates the decoder of one Modbus/TCP conversation. Requests wait for their response by transaction id
 * in a map of at most `maxPending` (default 256; the oldest leaves unmatched when it is full).
 * @example
 * const conv = createModbusConversation({ transaction: (tx) => log(tx), anomaly: (a) => warn(a) });
 * conv.fromClient(requestBytes, Date.now()); conv.fromServer(responseBytes, Date.now()); conv.end(Date.now());
 */
export function createModbusConversation(sink: ModbusConversationSink, options: { maxPending?: number } = {}): ModbusConversation {
  const maxPending = options.maxPending ?? 256;
  if (!Number.isInteger(maxPending) || maxPending < 1) throw new RangeError(`maxPending must be a positive integer, got ${maxPending}`);
  const stats: ModbusConversationStats = { requests: 0, responses: 0, transactions: 0, anomalies: 0, bytesDiscarded: 0 };
  const pending = new Map<number, Pending>();
  const rest: [Uint8Array | null, Uint8Array | null] = [null, null];

  const anomaly = (a: ModbusAnomaly): void => {
    stats.anomalies++;
    sink.anomaly(a);
  };
  const emit = (tx: ModbusTransaction): void => {
    stats.transactions++;
    sink.transaction(tx);
  };
  const unmatchedRequest = (p: Pending): void => emit(build(p.ts, p.tid, p.unit, p.fc, p.fields, false));

  function onRequest(tid: number, unit: number, pdu: Uint8Array, ts: number): void {
    stats.requests++;
    const fc = pdu[0] as number;
    if (unit >= 248 && unit <= 254) anomaly({ ts, code: 'INVALID_UNIT_ID', direction: 'request', tid, unit, functionCode: fc, detail: `unit ${unit} is reserved` });
    let fields: PduFields = {};
    if (fc === 0 || fc >= 0x80 || !isKnownFunction(fc)) {
      anomaly({ ts, code: 'INVALID_FUNCTION_CODE', direction: 'request', tid, unit, functionCode: fc, detail: `function code ${fc} is not a Modbus function` });
    } else {
      fields = requestFields(pdu);
      if (fields.invalid !== undefined) anomaly({ ts, code: 'INVALID_VALUE', direction: 'request', tid, unit, functionCode: fc, detail: fields.invalid });
    }
    const previous = pending.get(tid);
    if (previous) {
      pending.delete(tid);
      unmatchedRequest(previous);
    } else if (pending.size >= maxPending) {
      const oldest = pending.values().next().value as Pending;
      pending.delete(oldest.tid);
      unmatchedRequest(oldest);
    }
    pending.set(tid, { ts, tid, unit, fc, fields });
  }

  function onResponse(tid: number, unit: number, pdu: Uint8Array, ts: number): void {
    stats.responses++;
    const fc = pdu[0] as number;
    const base = fc & 0x7f;
    if (base === 0 || !isKnownFunction(base)) anomaly({ ts, code: 'INVALID_FUNCTION_CODE', direction: 'response', tid, unit, functionCode: fc, detail: `function code ${fc} is not a Modbus function` });
    const req = pending.get(tid);
    if (req && req.fc !== base) {
      anomaly({ ts, code: 'UNSOLICITED_RESPONSE', direction: 'response', tid, unit, functionCode: fc, detail: `function ${fc} answers a request of function ${req.fc}` });
      pending.delete(tid);
      unmatchedRequest(req);
      return unmatchedResponse(tid, unit, pdu, ts);
    }
    if (!req) {
      anomaly({ ts, code: 'UNSOLICITED_RESPONSE', direction: 'response', tid, unit, functionCode: fc, detail: `no request with transaction id ${tid} is pending` });
      return unmatchedResponse(tid, unit, pdu, ts);
    }
    pending.delete(tid);
    if (unit !== req.unit) anomaly({ ts, code: 'INVALID_UNIT_ID', direction: 'response', tid, unit, functionCode: fc, detail: `unit ${unit} answers a request to unit ${req.unit}` });
    const fields = fc >= 0x80 || isKnownFunction(base) ? responseFields(pdu, { fc: base, ...req.fields }) : {};
    if (fields.invalid !== undefined) anomaly({ ts, code: 'INVALID_VALUE', direction: 'response', tid, unit, functionCode: fc, detail: fields.invalid });
    const tx = build(req.ts, tid, req.unit, base, { ...req.fields, ...fields }, true);
    tx.responseTs = ts;
    emit(tx);
  }

  function unmatchedResponse(tid: number, unit: number, pdu: Uint8Array, ts: number): void {
    const fc = pdu[0] as number;
    const base = fc & 0x7f;
    const fields = fc >= 0x80 || isKnownFunction(base) ? responseFields(pdu) : {};
    const tx = build(ts, tid, unit, base, fields, false);
    tx.responseTs = ts;
    emit(tx);
  }

  /** Splits one direction's bytes into frames and keeps a copy of the incomplete tail. */
  function feed(dir: 0 | 1, chunk: Uint8Array, ts: number): void {
    const held = rest[dir];
    let data = chunk;
    if (held) {
      data = new Uint8Array(held.length + chunk.length);
      data.set(held, 0);
      data.set(chunk, held.length);
    }
    rest[dir] = null;
    const isResponse = dir === 1;
    const direction = isResponse ? 'response' : 'request';
    let off = 0;
    while (data.length - off >= 7) {
      const tid = ((data[off] as number) << 8) | (data[off + 1] as number);
      const protocol = ((data[off + 2] as number) << 8) | (data[off + 3] as number);
      const length = ((data[off + 4] as number) << 8) | (data[off + 5] as number);
      const unit = data[off + 6] as number;
      let problem: ModbusAnomaly | undefined;
      if (protocol !== 0) problem = { ts, code: 'INVALID_PROTOCOL_ID', direction, tid, unit, detail: `protocol id ${protocol}, expected 0` };
      else if (length < 2 || length > 254) problem = { ts, code: 'INVALID_LENGTH', direction, tid, unit, detail: `MBAP length ${length} outside 2–254` };
      else {
        if (data.length - off < 8) break;
        const fc = data[off + 7] as number;
        const head = data.subarray(off + 7, Math.min(data.length, off + 6 + length));
        const rule = pduLengthRule(fc, isResponse, head);
        if (rule && (length - 1 < rule.min || length - 1 > rule.max)) {
          const want = rule.min === rule.max ? `${rule.min + 1}` : `${rule.min + 1}–${rule.max + 1}`;
          problem = { ts, code: 'INVALID_LENGTH', direction, tid, unit, functionCode: fc, detail: `MBAP length ${length} for function ${fc}, expected ${want}` };
        } else if (!rule && head.length === length - 1) {
          // The byte count lies beyond the PDU the length allows: the length is too short for its function.
          problem = { ts, code: 'INVALID_LENGTH', direction, tid, unit, functionCode: fc, detail: `MBAP length ${length} too short for function ${fc}` };
        }
      }
      if (problem) {
        anomaly(problem);
        stats.bytesDiscarded += data.length - off;
        return;
      }
      if (data.length - off < 6 + length) break;
      const pdu = data.subarray(off + 7, off + 6 + length);
      if (isResponse) onResponse(tid, unit, pdu, ts);
      else onRequest(tid, unit, pdu, ts);
      off += 6 + length;
    }
    if (off < data.length) {
      // Never more than one frame (≤ 260 bytes) is held: a longer tail would have been judged above.
      rest[dir] = data.length - off <= maxFrame ? data.slice(off) : null;
    }
  }

  return {
    stats,
    fromClient: (chunk, ts) => feed(0, chunk, ts),
    fromServer: (chunk, ts) => feed(1, chunk, ts),
    lost(side) {
      const dir = side === 'client' ? 0 : 1;
      stats.bytesDiscarded += rest[dir]?.length ?? 0;
      rest[dir] = null;
    },
    end(_ts) {
      for (const dir of [0, 1] as const) {
        stats.bytesDiscarded += rest[dir]?.length ?? 0;
        rest[dir] = null;
      }
      for (const p of pending.values()) unmatchedRequest(p);
      pending.clear();
    },
  };
}

function build(ts: number, tid: number, unit: number, fc: number, f: PduFields, matched: boolean): ModbusTransaction {
  const tx: ModbusTransaction = { ts, tid, unit, functionCode: fc, func: functionName(fc), matched, write: writeFunctions.has(fc) };
  if (f.address !== undefined) tx.address = f.address;
  if (f.quantity !== undefined) tx.quantity = f.quantity;
  if (f.requestValues !== undefined) tx.requestValues = f.requestValues;
  if (f.responseValues !== undefined) tx.responseValues = f.responseValues;
  if (f.requestSubfunction !== undefined) tx.requestSubfunction = f.requestSubfunction;
  if (f.responseSubfunction !== undefined) tx.responseSubfunction = f.responseSubfunction;
  if (f.requestData !== undefined) tx.requestData = f.requestData;
  if (f.responseData !== undefined) tx.responseData = f.responseData;
  if (f.exception !== undefined) tx.exception = f.exception;
  if (f.meiType !== undefined) tx.meiType = f.meiType;
  if (f.linked !== undefined) tx.linked = f.linked;
  return tx;
}
