import { isAscii } from 'node:buffer';
import {
  type HandleMessage, type Header, type SiteInfo, HandleDecodeError, OpCode, OpFlag, Permission, ResponseCode, WireReader, decodeResolutionRequest, decodeValues,
  encodeErrorBody, encodeMessageBody, encodeSite, encodeValues, envelopeSize, headerSize, isAdminOpCode, requestDigest, valueWanted,
} from '@yulian/protocols';
import type { AdminService, AdminStats } from './admin-service.js';
import { identifierProblems, tryParseIdentifier, utf8OrUndefined } from '../syntax.js';
import type { ResolutionAnswer, ResolutionBackend } from './backend.js';

/** Where a node finds an identifier's values: the encoded value list, or undefined; synchronous when it can be. */
export type Lookup = (handle: string) => Buffer | undefined | Promise<Buffer | undefined>;

/** What a node counts (per process, in memory; reported by its statistics). */
export interface HandleServiceStats {
  requests: number;
  resolved: number;
  notFound: number;
  invalid: number;
  unsupported: number;
  /** Administration (opcodes 100–105 and 200), on a node that takes it. */
  admin?: AdminStats & { pending: number };
}

/** An answer: the message (header + body + credential) and its response code. */
export interface HandleAnswer {
  message: Buffer;
  rc: number;
  /** The normalised identifier resolved, when the request named a valid one. */
  handle?: string;
  /**
   * The same message preceded by {@link envelopeSize} bytes left for its envelope, when the service
   * wrote it so (`message` is a view of it; a new buffer for every answer, never shared): a listener may
   * write the envelope there and send the whole without copying.
   */
  packet?: Buffer;
  /** Further messages of the same answer (a listing in several parts, each but the last flagged CONT). */
  more?: Buffer[];
}

/** Options of {@link createHandleService}: where answers come from — a node's records (`lookup`) or a resolver (`backend`). */
export type HandleServiceOptions = {
  /** This node's site (answered to "get site info", and its serial put in every header). */
  site: SiteInfo;
  /** Called once per resolution answered from `lookup`, with the normalised identifier and the response code (statistics). */
  onResolved?: (handle: string, rc: number) => void;
  /** Administration (opcodes 100–105, answered by challenge-response); absent: RC 5 for them. */
  admin?: AdminService;
} & ({ lookup: Lookup; backend?: undefined } | { backend: ResolutionBackend; lookup?: undefined });

/** The request-level logic of a node, independent of UDP or TCP. */
export interface HandleService {
  /** Answers one decoded request (from `peer`, the source address, which administration keys its challenges by); synchronous when the lookup is. */
  answer(request: HandleMessage, peer?: string): HandleAnswer | Promise<HandleAnswer>;
  /** An RC 4 answer to a request that could not be decoded (only its request id could be read). */
  protocolError(requestId: number, message: string): HandleAnswer;
  stats(): HandleServiceStats;
}

/**
 * Whether every value of an encoded list may be read by anyone (so the list can be sent as stored). Runs on
 * every resolution without filters: reads lengths in place, and leaves a list that does not add up to the
 * checked reader (which throws the decode error).
 */
export function allPublic(list: Buffer): boolean {
  const end = list.length;
  if (end < 4) return allPublicChecked(list);
  const n = list.readUInt32BE(0);
  let at = 4;
  for (let i = 0; i < n; i++) {
    // index, timestamp, ttl type, ttl (13 bytes), permissions, then the type's length.
    if (at + 18 > end) return allPublicChecked(list);
    if (!(list[at + 13]! & Permission.PUBLIC_READ)) return false;
    at += 14;
    at += 4 + list.readUInt32BE(at);
    if (at + 4 > end) return allPublicChecked(list);
    at += 4 + list.readUInt32BE(at);
    if (at + 4 > end) return allPublicChecked(list);
    const refs = list.readUInt32BE(at);
    at += 4;
    for (let k = 0; k < refs; k++) {
      if (at + 4 > end) return allPublicChecked(list);
      at += 8 + list.readUInt32BE(at);
    }
    if (at > end) return allPublicChecked(list);
  }
  return true;
}

/** {@link allPublic} through the bounds-checked reader. */
function allPublicChecked(list: Buffer): boolean {
  const r = new WireReader(list);
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    r.raw(13);
    if (!(r.u8() & Permission.PUBLIC_READ)) return false;
    r.bytes();
    r.bytes();
    const refs = r.u32();
    for (let k = 0; k < refs; k++) {
      r.bytes();
      r.u32();
    }
  }
  return true;
}

/**
 * An answer's message — header, body (`[digest] u32-length field [rest]`), empty credential — written
 * once into a buffer that leaves room for the envelope in front (see {@link HandleAnswer.packet}).
 */
function answerPacket(request: HandleMessage, rc: number, serial: number, digest: Buffer | undefined, field: Buffer, rest?: Buffer): Buffer {
  const bodyLength = (digest ? digest.length : 0) + 4 + field.length + (rest ? rest.length : 0);
  const packet = Buffer.allocUnsafe(envelopeSize + headerSize + bodyLength + 4);
  const h = request.header;
  // The response echoes the request's flags and expiration, as Handle.Net does.
  let at = packet.writeUInt32BE(h.opCode >>> 0, envelopeSize);
  at = packet.writeUInt32BE(rc >>> 0, at);
  at = packet.writeUInt32BE(h.opFlag >>> 0, at);
  at = packet.writeUInt16BE(serial < 0 ? 0xffff : serial & 0xffff, at);
  packet[at++] = h.recursionCount & 0xff;
  packet[at++] = 0;
  at = packet.writeUInt32BE(h.expiration >>> 0, at);
  at = packet.writeUInt32BE(bodyLength, at);
  if (digest) at += digest.copy(packet, at);
  at = packet.writeUInt32BE(field.length, at);
  at += field.copy(packet, at);
  if (rest) at += rest.copy(packet, at);
  packet.writeUInt32BE(0, at);
  return packet;
}

/** The text of an identifier's bytes: ASCII (nearly always) without the validating decoder, else strict UTF-8 or undefined. */
const identifierText = (bytes: Buffer): string | undefined => (isAscii(bytes) ? bytes.toString('latin1') : utf8OrUndefined(bytes));

/**
 * Creates a node's request logic: resolution (opcode 1) with index and type filters, public values only,
 * and get site info (opcode 2); with `admin`, administration (opcodes 100–105, 200); anything else is RC 5.
 */
export function createHandleService(options: HandleServiceOptions): HandleService {
  const stats: HandleServiceStats = { requests: 0, resolved: 0, notFound: 0, invalid: 0, unsupported: 0 };
  const site = encodeSite(options.site);

  const serial = options.site.serial;

  const respond = (request: HandleMessage, rc: number, body: Buffer): Buffer => {
    const h = request.header;
    // The response echoes the request's flags and expiration, as Handle.Net does.
    const header: Header = { opCode: h.opCode, responseCode: rc, opFlag: h.opFlag, siteInfoSerial: serial, recursionCount: h.recursionCount, expiration: h.expiration };
    return encodeMessageBody(header, body);
  };
  /** The digest of the request's header and body, when it asked for one (RRDG): it leads the response's body. */
  const digestOf = (request: HandleMessage): Buffer | undefined => {
    if (!(request.header.opFlag & OpFlag.RRDG)) return undefined;
    return requestDigest(encodeMessageBody(request.header, request.body));
  };
  const framed = (packet: Buffer, rc: number, handle?: string): HandleAnswer =>
    handle === undefined ? { message: packet.subarray(envelopeSize), rc, packet } : { message: packet.subarray(envelopeSize), rc, handle, packet };
  const error = (request: HandleMessage, rc: number, message: string, handle?: string): HandleAnswer =>
    framed(answerPacket(request, rc, serial, digestOf(request), Buffer.from(message, 'utf8')), rc, handle);

  function finish(request: HandleMessage, handleBytes: Buffer, handle: string, indexes: number[], types: string[], list: Buffer | undefined): HandleAnswer {
    if (list === undefined) {
      stats.notFound++;
      options.onResolved?.(handle, ResponseCode.HANDLE_NOT_FOUND);
      return error(request, ResponseCode.HANDLE_NOT_FOUND, 'Handle not found', handle);
    }
    let values = list;
    if (indexes.length || types.length || !allPublic(list)) {
      const chosen = decodeValues(list).filter((v) => v.permissions & Permission.PUBLIC_READ && valueWanted(v, indexes, types));
      if (!chosen.length) {
        options.onResolved?.(handle, ResponseCode.VALUES_NOT_FOUND);
        return error(request, ResponseCode.VALUES_NOT_FOUND, 'No values of the requested types or indexes', handle);
      }
      values = encodeValues(chosen);
    }
    stats.resolved++;
    options.onResolved?.(handle, ResponseCode.SUCCESS);
    // The stored list goes out as it is: header, handle and values written once, with room for the envelope.
    return framed(answerPacket(request, ResponseCode.SUCCESS, serial, digestOf(request), handleBytes, values), ResponseCode.SUCCESS, handle);
  }

  /** A resolver's answer (a recursive node): its values, or its code and message. */
  function fromBackend(request: HandleMessage, handleBytes: Buffer, a: ResolutionAnswer): HandleAnswer {
    if (a.rc === ResponseCode.SUCCESS && a.values) {
      stats.resolved++;
      return framed(answerPacket(request, ResponseCode.SUCCESS, serial, digestOf(request), handleBytes, encodeValues(a.values)), ResponseCode.SUCCESS, a.handle);
    }
    if (a.rc === ResponseCode.HANDLE_NOT_FOUND) stats.notFound++;
    return error(request, a.rc, a.message ?? '', a.handle);
  }

  return {
    answer(request, peer) {
      stats.requests++;
      if (request.header.opCode === OpCode.GET_SITE_INFO) return { message: respond(request, ResponseCode.SUCCESS, site), rc: ResponseCode.SUCCESS };
      if (request.header.opCode !== OpCode.RESOLUTION) {
        const op = request.header.opCode;
        if (options.admin && (isAdminOpCode(op) || op === OpCode.CHALLENGE_RESPONSE)) return options.admin.answer(request, peer);
        stats.unsupported++;
        return error(request, ResponseCode.OPERATION_NOT_SUPPORTED, `Operation ${request.header.opCode} is not supported here`);
      }
      let req;
      try {
        req = decodeResolutionRequest(request.body);
      } catch (e) {
        if (!(e instanceof HandleDecodeError)) throw e;
        stats.invalid++;
        return error(request, ResponseCode.PROTOCOL_ERROR, e.message);
      }
      const text = identifierText(req.handle);
      const parsed = text === undefined ? 'ID_NOT_UTF8' : tryParseIdentifier(text);
      if (typeof parsed === 'string') {
        stats.invalid++;
        return error(request, ResponseCode.INVALID_HANDLE, `${parsed}: ${identifierProblems[parsed]}`);
      }
      if (options.backend) return options.backend.resolve(parsed.handle, { indexes: req.indexes, types: req.types }).then((a) => fromBackend(request, req.handle, a));
      const found = options.lookup(parsed.handle);
      if (found instanceof Promise) return found.then((list) => finish(request, req.handle, parsed.handle, req.indexes, req.types, list));
      return finish(request, req.handle, parsed.handle, req.indexes, req.types, found);
    },
    protocolError(_requestId, message) {
      stats.requests++;
      stats.invalid++;
      const header: Header = { opCode: 0, responseCode: ResponseCode.PROTOCOL_ERROR, opFlag: 0, siteInfoSerial: serial, recursionCount: 0, expiration: Math.floor(Date.now() / 1000) + 600 };
      return { message: encodeMessageBody(header, encodeErrorBody(message)), rc: ResponseCode.PROTOCOL_ERROR };
    },
    stats: () => (options.admin ? { ...stats, admin: options.admin.stats() } : { ...stats }),
  };
}
