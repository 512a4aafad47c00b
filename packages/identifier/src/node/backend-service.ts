import {
  type HandleMessage, type Header, type SiteInfo, HandleDecodeError, OpCode, OpFlag, ResponseCode, decodeResolutionRequest, encodeErrorBody, encodeMessageBody,
  encodeResolutionResponse, encodeSite, requestDigest,
} from '@yulian/protocols';
import { utf8OrUndefined } from '../syntax.js';
import type { ResolutionBackend } from './backend.js';
import type { HandleAnswer, HandleService, HandleServiceStats } from './handle-service.js';

/**
 * The Handle protocol service of a node that answers from a {@link ResolutionBackend} rather than its
 * own records — a recursive resolver: resolution and get site info; anything else RC 5.
 */
export function backendHandleService(backend: ResolutionBackend, site: SiteInfo): HandleService {
  const stats: HandleServiceStats = { requests: 0, resolved: 0, notFound: 0, invalid: 0, unsupported: 0 };
  const siteData = encodeSite(site);
  const respond = (request: HandleMessage, rc: number, body: Buffer): Buffer => {
    const h = request.header;
    const header: Header = { opCode: h.opCode, responseCode: rc, opFlag: h.opFlag, siteInfoSerial: site.serial, recursionCount: h.recursionCount, expiration: h.expiration };
    return encodeMessageBody(header, body);
  };
  const digestOf = (request: HandleMessage): Buffer | undefined =>
    request.header.opFlag & OpFlag.RRDG ? requestDigest(encodeMessageBody(request.header, request.body)) : undefined;

  return {
    async answer(request): Promise<HandleAnswer> {
      stats.requests++;
      if (request.header.opCode === OpCode.GET_SITE_INFO) return { message: respond(request, ResponseCode.SUCCESS, siteData), rc: ResponseCode.SUCCESS };
      if (request.header.opCode !== OpCode.RESOLUTION) {
        stats.unsupported++;
        return { message: respond(request, ResponseCode.OPERATION_NOT_SUPPORTED, encodeErrorBody(`Operation ${request.header.opCode} is not supported by a resolver`, digestOf(request))), rc: ResponseCode.OPERATION_NOT_SUPPORTED };
      }
      let req;
      try {
        req = decodeResolutionRequest(request.body);
      } catch (e) {
        if (!(e instanceof HandleDecodeError)) throw e;
        stats.invalid++;
        return { message: respond(request, ResponseCode.PROTOCOL_ERROR, encodeErrorBody(e.message, digestOf(request))), rc: ResponseCode.PROTOCOL_ERROR };
      }
      const text = utf8OrUndefined(req.handle);
      const a = await backend.resolve(text ?? '', { indexes: req.indexes, types: req.types });
      if (a.rc === ResponseCode.SUCCESS && a.values) {
        stats.resolved++;
        return { message: respond(request, a.rc, encodeResolutionResponse(req.handle, a.values, digestOf(request))), rc: a.rc, handle: a.handle };
      }
      if (a.rc === ResponseCode.HANDLE_NOT_FOUND) stats.notFound++;
      if (a.rc === ResponseCode.INVALID_HANDLE) stats.invalid++;
      return { message: respond(request, a.rc, encodeErrorBody(a.message ?? '', digestOf(request))), rc: a.rc, handle: a.handle };
    },
    protocolError(_requestId, message) {
      stats.requests++;
      stats.invalid++;
      const header: Header = { opCode: 0, responseCode: ResponseCode.PROTOCOL_ERROR, opFlag: 0, siteInfoSerial: site.serial, recursionCount: 0, expiration: Math.floor(Date.now() / 1000) + 600 };
      return { message: encodeMessageBody(header, encodeErrorBody(message)), rc: ResponseCode.PROTOCOL_ERROR };
    },
    stats: () => ({ ...stats }),
  };
}
