import {
  type HandleMessage, type Header, type SiteInfo, HandleDecodeError, OpCode, OpFlag, Permission, ResponseCode, WireReader, decodeResolutionRequest, decodeValues,
  encodeErrorBody, encodeMessageBody, encodeResolutionResponse, encodeSite, encodeValues, requestDigest, valueWanted,
} from '@yulian/protocols';
import { identifierProblems, tryParseIdentifier, utf8OrUndefined } from '../syntax.js';

/** Where a node finds an identifier's values: the encoded value list, or undefined; synchronous when it can be. */
export type Lookup = (handle: string) => Buffer | undefined | Promise<Buffer | undefined>;

/** What a node counts (per process, in memory; reported by its statistics). */
export interface HandleServiceStats {
  requests: number;
  resolved: number;
  notFound: number;
  invalid: number;
  unsupported: number;
}

/** An answer: the message (header + body + credential) and its response code. */
export interface HandleAnswer {
  message: Buffer;
  rc: number;
  /** The normalised identifier resolved, when the request named a valid one. */
  handle?: string;
}

/** Options of {@link createHandleService}. */
export interface HandleServiceOptions {
  lookup: Lookup;
  /** This node's site (answered to "get site info", and its serial put in every header). */
  site: SiteInfo;
  /** Called once per resolution with the normalised identifier and the response code (statistics). */
  onResolved?: (handle: string, rc: number) => void;
}

/** The request-level logic of a node, independent of UDP or TCP. */
export interface HandleService {
  /** Answers one decoded request; synchronous when the lookup is. */
  answer(request: HandleMessage): HandleAnswer | Promise<HandleAnswer>;
  /** An RC 4 answer to a request that could not be decoded (only its request id could be read). */
  protocolError(requestId: number, message: string): HandleAnswer;
  stats(): HandleServiceStats;
}

/** Whether every value of an encoded list may be read by anyone (so the list can be sent as stored). */
export function allPublic(list: Buffer): boolean {
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
 * Creates a node's request logic: resolution (opcode 1) with index and type filters, public values only,
 * and get site info (opcode 2); anything else is RC 5 (administration comes with authentication).
 */
export function createHandleService(options: HandleServiceOptions): HandleService {
  const stats: HandleServiceStats = { requests: 0, resolved: 0, notFound: 0, invalid: 0, unsupported: 0 };
  const site = encodeSite(options.site);

  const respond = (request: HandleMessage, rc: number, body: Buffer): Buffer => {
    const h = request.header;
    // The response echoes the request's flags and expiration, as Handle.Net does; a digest of the
    // request leads the body when the request asked for one (RRDG).
    const header: Header = { opCode: h.opCode, responseCode: rc, opFlag: h.opFlag, siteInfoSerial: options.site.serial, recursionCount: h.recursionCount, expiration: h.expiration };
    return encodeMessageBody(header, body);
  };
  /** The digest of the request's header and body, when it asked for one (RRDG). */
  const digestOf = (request: HandleMessage): Buffer | undefined => {
    if (!(request.header.opFlag & OpFlag.RRDG)) return undefined;
    return requestDigest(encodeMessageBody(request.header, request.body));
  };
  const error = (request: HandleMessage, rc: number, message: string, handle?: string): HandleAnswer => ({
    message: respond(request, rc, encodeErrorBody(message, digestOf(request))),
    rc,
    ...(handle === undefined ? {} : { handle }),
  });

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
    return { message: respond(request, ResponseCode.SUCCESS, encodeResolutionResponse(handleBytes, values, digestOf(request))), rc: ResponseCode.SUCCESS, handle };
  }

  return {
    answer(request) {
      stats.requests++;
      if (request.header.opCode === OpCode.GET_SITE_INFO) return { message: respond(request, ResponseCode.SUCCESS, site), rc: ResponseCode.SUCCESS };
      if (request.header.opCode !== OpCode.RESOLUTION) {
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
      const text = utf8OrUndefined(req.handle);
      const parsed = text === undefined ? 'ID_NOT_UTF8' : tryParseIdentifier(text);
      if (typeof parsed === 'string') {
        stats.invalid++;
        return error(request, ResponseCode.INVALID_HANDLE, `${parsed}: ${identifierProblems[parsed]}`);
      }
      const found = options.lookup(parsed.handle);
      if (found instanceof Promise) return found.then((list) => finish(request, req.handle, parsed.handle, req.indexes, req.types, list));
      return finish(request, req.handle, parsed.handle, req.indexes, req.types, found);
    },
    protocolError(_requestId, message) {
      stats.requests++;
      stats.invalid++;
      const header: Header = { opCode: 0, responseCode: ResponseCode.PROTOCOL_ERROR, opFlag: 0, siteInfoSerial: options.site.serial, recursionCount: 0, expiration: Math.floor(Date.now() / 1000) + 600 };
      return { message: encodeMessageBody(header, encodeErrorBody(message)), rc: ResponseCode.PROTOCOL_ERROR };
    },
    stats: () => ({ ...stats }),
  };
}
