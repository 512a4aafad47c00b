/**
 * Field decoding of Modbus PDUs for the passive transaction decoder (`transactions.ts`): what each function
 * carries in its request and its response, in the shape of ICSNPP's modbus_detailed log. Pure functions
 * over one complete PDU (function code first); lengths have been checked against `pduLengthRule` before.
 */
import { exceptionNames } from './frame.js';

/** Details ICSNPP writes to its linked logs (modbus_mask_write_register, …); carried inline here. */
export interface ModbusLinkedDetails {
  /** FC 22: the masks applied to `address`. */
  maskWrite?: { andMask: number; orMask: number };
  /** FC 23: the write half and the read half of a read/write multiple registers. */
  readWrite?: { readAddress: number; readQuantity: number; writeAddress: number; writeValues: number[]; readValues?: number[] };
  /** FC 43 / MEI 14: read device identification; objects from the response. */
  deviceIdentification?: { readDeviceIdCode: number; objectId: number; conformityLevel?: number; objects?: Array<{ id: number; value: string }> };
}

/** The fields a request or a response contributes to a transaction (a subset of `ModbusTransaction`). */
export interface PduFields {
  address?: number;
  quantity?: number;
  requestValues?: number[];
  responseValues?: number[];
  requestSubfunction?: string;
  responseSubfunction?: string;
  requestData?: string;
  responseData?: string;
  exception?: string;
  meiType?: string;
  linked?: ModbusLinkedDetails;
  /** A value the protocol does not allow (quantity out of range, coil value other than 0/0xFF00 …). */
  invalid?: string;
}

/** Function names as Zeek's Modbus analyzer prints them (base/protocols/modbus/consts.zeek). */
const functionNames: Record<number, string> = {
  1: 'READ_COILS',
  2: 'READ_DISCRETE_INPUTS',
  3: 'READ_HOLDING_REGISTERS',
  4: 'READ_INPUT_REGISTERS',
  5: 'WRITE_SINGLE_COIL',
  6: 'WRITE_SINGLE_REGISTER',
  7: 'READ_EXCEPTION_STATUS',
  8: 'DIAGNOSTICS',
  11: 'GET_COMM_EVENT_COUNTER',
  12: 'GET_COMM_EVENT_LOG',
  15: 'WRITE_MULTIPLE_COILS',
  16: 'WRITE_MULTIPLE_REGISTERS',
  17: 'REPORT_SLAVE_ID',
  20: 'READ_FILE_RECORD',
  21: 'WRITE_FILE_RECORD',
  22: 'MASK_WRITE_REGISTER',
  23: 'READ_WRITE_MULTIPLE_REGISTERS',
  24: 'READ_FIFO_QUEUE',
  43: 'ENCAP_INTERFACE_TRANSPORT',
  91: 'OBJECT_MESSAGING',
  9: 'PROGRAM_484',
  10: 'POLL_484',
  13: 'PROGRAM_584_984',
  14: 'POLL_584_984',
  18: 'PROGRAM_884_U84',
  19: 'RESET_COMM_LINK_884_U84',
  40: 'PROGRAM_CONCEPT',
  41: 'MULTIPLE_FUNCTION_CODES',
  90: 'PROGRAM_UNITY',
  125: 'FIRMWARE_REPLACEMENT',
  126: 'PROGRAM_584_984_2',
  127: 'REPORT_LOCAL_ADDRESS',
};

/** The name of a function code (without the exception bit), `unknown-<n>` when it has none. */
export function functionName(fc: number): string {
  return functionNames[fc] ?? (isUserDefinedFunction(fc) ? `USER_DEFINED_${fc}` : `unknown-${fc}`);
}

const isUserDefinedFunction = (fc: number): boolean => (fc >= 65 && fc <= 72) || (fc >= 100 && fc <= 110);

/**
 * True for function codes the protocol knows: public (spec 5.1), user-defined (65–72, 100–110) and the
 * reserved legacy/vendor codes (9, 10, 13, 14, 41, 42, 90, 91, 125–127, and 18, 19, 40 which Zeek names).
 */
export function isKnownFunction(fc: number): boolean {
  return fc === 42 || functionNames[fc] !== undefined || isUserDefinedFunction(fc);
}

/** Functions that change the device: writes of coils, registers, files, masks. */
export const writeFunctions: ReadonlySet<number> = new Set([5, 6, 15, 16, 21, 22, 23]);

/** ICSNPP's names of FC 8 sub-functions (icsnpp-modbus scripts/consts.zeek). */
const diagnosticNames: Record<number, string> = {
  0: 'Return Query Data',
  1: 'Restart Communications Option',
  2: 'Return Diagnostic Register',
  3: 'Change ASCII Input Delimiter',
  4: 'Force Listen Only Mode',
  10: 'Clear Counters and Diagnostic Register',
  11: 'Return Bus Message Count',
  12: 'Return Bus Communication Error Count',
  13: 'Return Bus Exception Error Count',
  14: 'Return Server Message Count',
  15: 'Return Server No Response Count',
  16: 'Return Server NAK Count',
  17: 'Return Server Busy Count',
  18: 'Return Bus Character Overrun Count',
  20: 'Clear Overrun Counter and Flag',
};

/** The exception name of a code, `unknown-<n>` when the spec defines none. */
export const exceptionName = (code: number): string => exceptionNames[code] ?? `unknown-${code}`;

/** A string as Zeek's ASCII log writes it: printable ASCII as is, other bytes as \xNN. */
export function zeekEscape(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s;
}

const u16 = (p: Uint8Array, i: number): number => ((p[i] ?? 0) << 8) | (p[i + 1] ?? 0);

function registersOf(p: Uint8Array, from: number, count: number): number[] {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = u16(p, from + 2 * i);
  return out;
}

function bitsOf(p: Uint8Array, from: number, count: number): number[] {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = ((p[from + (i >> 3)] ?? 0) >> (i & 7)) & 1;
  return out;
}

function meiName(mei: number): string {
  if (mei === 0x0d) return 'CANopen';
  if (mei === 0x0e) return 'Read Device Identification';
  return `invalid encapsulated interface transport mei-(0x${mei.toString(16).padStart(2, '0')})`;
}

/**
 * How long a PDU of this function must be, judged from the bytes seen so far (`head` starts with the
 * function code): an exact length, a range, or `undefined` while a byte count it depends on is still
 * missing. Decides INVALID_LENGTH before the claimed length has arrived.
 */
export function pduLengthRule(fc: number, isResponse: boolean, head: Uint8Array): { min: number; max: number } | undefined {
  const exact = (n: number): { min: number; max: number } => ({ min: n, max: n });
  const counted = (at: number, extra: number): { min: number; max: number } | undefined => (head.length > at ? exact(extra + (head[at] as number)) : undefined);
  if (isResponse && fc >= 0x80) return exact(2);
  if (!isResponse) {
    switch (fc) {
      case 1: case 2: case 3: case 4: case 5: case 6: return exact(5);
      case 7: case 11: case 12: case 17: return exact(1);
      case 8: return { min: 3, max: 253 };
      case 15: case 16: return counted(5, 6);
      case 20: case 21: return counted(1, 2);
      case 22: return exact(7);
      case 23: return counted(9, 10);
      case 24: return exact(3);
      case 43: return { min: 2, max: 253 };
      default: return { min: 1, max: 253 };
    }
  }
  switch (fc) {
    case 1: case 2: case 3: case 4: case 12: case 17: case 20: case 21: case 23: return counted(1, 2);
    case 5: case 6: case 11: case 15: case 16: return exact(5);
    case 7: return exact(2);
    case 8: return { min: 3, max: 253 };
    case 22: return exact(7);
    case 24: return head.length > 2 ? exact(3 + u16(head, 1)) : undefined;
    case 43: return { min: 2, max: 253 };
    default: return { min: 1, max: 253 };
  }
}

/** Decodes the fields of a complete request PDU. */
export function requestFields(pdu: Uint8Array): PduFields {
  const fc = pdu[0] as number;
  switch (fc) {
    case 1: case 2: case 3: case 4: {
      const quantity = u16(pdu, 3);
      const max = fc <= 2 ? 2000 : 125;
      return { address: u16(pdu, 1), quantity, ...(quantity < 1 || quantity > max ? { invalid: `quantity ${quantity} outside 1–${max}` } : {}) };
    }
    case 5: {
      const v = u16(pdu, 3);
      return { address: u16(pdu, 1), quantity: 1, requestValues: [v === 0xff00 ? 1 : 0], ...(v !== 0 && v !== 0xff00 ? { invalid: `coil value 0x${v.toString(16)}, expected 0x0000 or 0xFF00` } : {}) };
    }
    case 6: return { address: u16(pdu, 1), quantity: 1, requestValues: [u16(pdu, 3)] };
    case 8: return { requestSubfunction: diagnosticNames[u16(pdu, 1)] ?? `unknown-${u16(pdu, 1)}`, requestData: zeekEscape(pdu.subarray(3)) };
    case 15: case 16: {
      const quantity = u16(pdu, 3);
      const bytes = pdu[5] as number;
      const max = fc === 15 ? 1968 : 123;
      const need = fc === 15 ? Math.ceil(quantity / 8) : quantity * 2;
      const shown = Math.min(quantity, fc === 15 ? bytes * 8 : bytes >> 1);
      const f: PduFields = { address: u16(pdu, 1), quantity, requestValues: fc === 15 ? bitsOf(pdu, 6, shown) : registersOf(pdu, 6, shown) };
      if (quantity < 1 || quantity > max) f.invalid = `quantity ${quantity} outside 1–${max}`;
      else if (bytes !== need) f.invalid = `byte count ${bytes} for ${quantity} values, expected ${need}`;
      return f;
    }
    case 20: return { quantity: Math.floor((pdu[1] as number) / 7), ...((pdu[1] as number) % 7 !== 0 ? { invalid: `byte count ${pdu[1]} is not a multiple of 7` } : {}) };
    case 21: return { quantity: countFileRecords(pdu) };
    case 22: return { address: u16(pdu, 1), linked: { maskWrite: { andMask: u16(pdu, 3), orMask: u16(pdu, 5) } } };
    case 23: {
      const writeQuantity = u16(pdu, 7);
      const writeValues = registersOf(pdu, 10, Math.min(writeQuantity, (pdu[9] as number) >> 1));
      const f: PduFields = { linked: { readWrite: { readAddress: u16(pdu, 1), readQuantity: u16(pdu, 3), writeAddress: u16(pdu, 5), writeValues } } };
      if ((pdu[9] as number) !== writeQuantity * 2) f.invalid = `byte count ${pdu[9]} for ${writeQuantity} registers`;
      return f;
    }
    case 24: return { address: u16(pdu, 1) };
    case 43: {
      const mei = pdu[1] as number;
      const f: PduFields = { meiType: meiName(mei) };
      if (mei === 0x0e && pdu.length >= 4) f.linked = { deviceIdentification: { readDeviceIdCode: pdu[2] as number, objectId: pdu[3] as number } };
      return f;
    }
    default: return {};
  }
}

/** The sub-requests of a write file record (FC 21): reference type, file, record, length, data. */
function countFileRecords(pdu: Uint8Array): number {
  let n = 0;
  let i = 2;
  while (i + 7 <= pdu.length) {
    i += 7 + 2 * u16(pdu, i + 5);
    n++;
  }
  return n;
}

/** What the request told the response decoder: how many values were asked for, the MEI type. */
export interface RequestContext {
  fc: number;
  quantity?: number;
  meiType?: string;
  linked?: ModbusLinkedDetails;
}

/**
 * Decodes the fields of a complete response PDU; with the request it answers (`req`) the fields follow
 * ICSNPP's matched rows, without it ICSNPP's unmatched-response rows.
 */
export function responseFields(pdu: Uint8Array, req?: RequestContext): PduFields {
  const fc = pdu[0] as number;
  if (fc >= 0x80) {
    const code = pdu[1] as number;
    return { exception: exceptionName(code), ...(exceptionNames[code] === undefined ? { invalid: `exception code ${code} is not defined` } : {}) };
  }
  switch (fc) {
    case 1: case 2: {
      const bits = bitsOf(pdu, 2, (pdu[1] as number) * 8);
      if (req?.quantity === undefined) return { quantity: bits.length, responseValues: bits };
      const f: PduFields = { responseValues: bits.slice(0, req.quantity) };
      if (bits.length > req.quantity) f.responseData = bits.slice(req.quantity).join(',');
      if ((pdu[1] as number) !== Math.ceil(req.quantity / 8)) f.invalid = `byte count ${pdu[1]} answers a read of ${req.quantity} bits`;
      return f;
    }
    case 3: case 4: {
      const values = registersOf(pdu, 2, (pdu[1] as number) >> 1);
      const f: PduFields = req ? { responseValues: values } : { quantity: values.length, responseValues: values };
      if (req?.quantity !== undefined && (pdu[1] as number) !== req.quantity * 2) f.invalid = `byte count ${pdu[1]} answers a read of ${req.quantity} registers`;
      return f;
    }
    case 5: {
      const v = u16(pdu, 3);
      return { address: u16(pdu, 1), quantity: 1, responseValues: [v === 0xff00 ? 1 : 0] };
    }
    case 6: return req ? { responseValues: [u16(pdu, 3)] } : { address: u16(pdu, 1), quantity: 1, responseValues: [u16(pdu, 3)] };
    case 8: return { responseSubfunction: diagnosticNames[u16(pdu, 1)] ?? `unknown-${u16(pdu, 1)}`, responseData: zeekEscape(pdu.subarray(3)) };
    case 15: return req ? {} : { address: u16(pdu, 1), quantity: u16(pdu, 3) };
    case 16: return { address: u16(pdu, 1), quantity: u16(pdu, 3) };
    case 22: {
      const maskWrite = { andMask: u16(pdu, 3), orMask: u16(pdu, 5) };
      return req ? {} : { address: u16(pdu, 1), linked: { maskWrite } };
    }
    case 23: {
      const readValues = registersOf(pdu, 2, (pdu[1] as number) >> 1);
      const rw = req?.linked?.readWrite;
      return rw ? { linked: { readWrite: { ...rw, readValues } } } : {};
    }
    case 24: {
      const count = u16(pdu, 3);
      const values = registersOf(pdu, 5, Math.min(count, (u16(pdu, 1) - 2) >> 1));
      return { quantity: count, ...(count > 0 ? { responseValues: values } : {}), ...(count > 31 ? { invalid: `FIFO count ${count} above 31` } : {}) };
    }
    case 43: return { meiType: mergeMei(req?.meiType, meiName(pdu[1] as number)), ...deviceIdentification(pdu, req) };
    default: return {};
  }
}

function mergeMei(requested: string | undefined, answered: string): string {
  return requested === undefined || requested === answered ? answered : `${requested} and ${answered}`;
}

/** Objects of a read device identification response (MEI 14), bounded by the PDU. */
function deviceIdentification(pdu: Uint8Array, req?: RequestContext): PduFields {
  if (pdu[1] !== 0x0e || pdu.length < 7) return req?.linked ? { linked: req.linked } : {};
  const objects: Array<{ id: number; value: string }> = [];
  let i = 7;
  for (let k = 0; k < (pdu[6] as number) && i + 2 <= pdu.length; k++) {
    const len = pdu[i + 1] as number;
    objects.push({ id: pdu[i] as number, value: Buffer.from(pdu.subarray(i + 2, Math.min(pdu.length, i + 2 + len))).toString('latin1') });
    i += 2 + len;
  }
  const asked = req?.linked?.deviceIdentification;
  return { linked: { deviceIdentification: { readDeviceIdCode: asked?.readDeviceIdCode ?? (pdu[2] as number), objectId: asked?.objectId ?? 0, conformityLevel: pdu[3] as number, objects } } };
}
