/**
 * Bodies of the administration requests (RFC 3652 §3.3–3.8, as Handle.Net's Encoder writes them): create
 * handle (100) and add / modify value (102 / 104) carry the handle and a value list; delete handle (101)
 * the handle; remove value (103) the handle and a u32 index list; list handles (105) the prefix handle
 * (`0.NA/88.100`), answered by one or more messages of u32 count + handles, all but the last with the
 * CONT flag.
 */
import { OpCode } from './constants.js';
import { skipRequestDigest } from './message.js';
import { type HandleValue, readValueList, writeValue } from './values.js';
import { HandleDecodeError, WireReader, WireWriter } from './wire.js';

/** One administration request, decoded. */
export type AdminRequest =
  | { op: 'create'; handle: string; values: HandleValue[] }
  | { op: 'delete'; handle: string }
  | { op: 'add'; handle: string; values: HandleValue[] }
  | { op: 'remove'; handle: string; indexes: number[] }
  | { op: 'modify'; handle: string; values: HandleValue[] }
  | { op: 'list'; handle: string };

/** Operation names by opcode and back. */
export const adminOpCodes = {
  create: OpCode.CREATE_HANDLE,
  delete: OpCode.DELETE_HANDLE,
  add: OpCode.ADD_VALUE,
  remove: OpCode.REMOVE_VALUE,
  modify: OpCode.MODIFY_VALUE,
  list: OpCode.LIST_HANDLES,
} as const satisfies Record<AdminRequest['op'], number>;

/** Whether an opcode is one of the administration requests 100–105. */
export const isAdminOpCode = (opCode: number): boolean => opCode >= OpCode.CREATE_HANDLE && opCode <= OpCode.LIST_HANDLES;

/** Most indexes a remove-value request may name. */
export const maxRemoveIndexes = 1024;

/**
 * The opcode and body of an administration request.
 * @example encodeAdminRequest({ op: 'delete', handle: '88.100/a' }) // { opCode: 101, body }
 */
export function encodeAdminRequest(req: AdminRequest): { opCode: number; body: Buffer } {
  const w = new WireWriter(128).string(req.handle);
  switch (req.op) {
    case 'create':
    case 'add':
    case 'modify':
      w.u32(req.values.length);
      for (const v of req.values) writeValue(w, v);
      break;
    case 'remove':
      w.u32(req.indexes.length);
      for (const i of req.indexes) w.u32(i);
      break;
    case 'delete':
    case 'list':
      break;
  }
  return { opCode: adminOpCodes[req.op], body: Buffer.from(w.finish()) };
}

/** Reads an administration request's body. @throws HandleDecodeError */
export function decodeAdminRequest(opCode: number, body: Buffer): AdminRequest {
  const r = new WireReader(body);
  const handle = r.string('handle');
  let req: AdminRequest;
  switch (opCode) {
    case OpCode.CREATE_HANDLE:
      req = { op: 'create', handle, values: readValueList(r) };
      break;
    case OpCode.ADD_VALUE:
      req = { op: 'add', handle, values: readValueList(r) };
      break;
    case OpCode.MODIFY_VALUE:
      req = { op: 'modify', handle, values: readValueList(r) };
      break;
    case OpCode.DELETE_HANDLE:
      req = { op: 'delete', handle };
      break;
    case OpCode.LIST_HANDLES:
      req = { op: 'list', handle };
      break;
    case OpCode.REMOVE_VALUE: {
      const n = r.count('index count', 4);
      if (n > maxRemoveIndexes) throw new HandleDecodeError('LENGTH_INVALID', `${n} indexes (at most ${maxRemoveIndexes})`);
      const indexes: number[] = [];
      for (let i = 0; i < n; i++) indexes.push(r.u32('index'));
      req = { op: 'remove', handle, indexes };
      break;
    }
    default:
      throw new HandleDecodeError('FIELD_INVALID', `opcode ${opCode} is not an administration request`);
  }
  r.done(`${req.op} request`);
  return req;
}

/** A list-handles response body: [request digest], u32 count, the handles. */
export function encodeListHandlesResponse(handles: readonly string[], digest?: Buffer): Buffer {
  const w = new WireWriter(64 + handles.length * 32);
  if (digest) w.raw(digest);
  w.u32(handles.length);
  for (const h of handles) w.string(h);
  return Buffer.from(w.finish());
}

/** Reads a list-handles response body (with a leading request digest when `opFlag` has RRDG). */
export function decodeListHandlesResponse(body: Buffer, opFlag: number): string[] {
  const r = new WireReader(body);
  skipRequestDigest(r, opFlag);
  const n = r.count('handle count', 4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.string('handle'));
  r.done('list handles response');
  return out;
}
