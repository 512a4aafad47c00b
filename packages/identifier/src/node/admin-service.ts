/**
 * Administration over the Handle protocol (opcodes 100–105), authenticated by challenge-response
 * (RFC 3652 §3.5): every request is answered RC 402 with a nonce and the request's digest; the client's
 * answer (opcode 200, same request id) is checked against the HS_PUBKEY or HS_SECKEY value it names;
 * then the HS_ADMIN values of the target (or of the prefix handle, to create or list) must grant the
 * operation to that key — or the key is one of the node's configured administrators.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '@yulian/core';
import {
  type AdminRequest, type HandleMessage, type HandleValue, type Header, HandleDecodeError, OpCode, OpFlag, ResponseCode, challengeDigestType, challengeNonceSize,
  checkChallengeAnswer, decodeAdminRequest, decodeChallengeAnswer, decodeValues, encodeChallenge, encodeErrorBody, encodeListHandlesResponse, encodeMessageBody,
  requestDigest,
} from '@yulian/protocols';
import { HandleError, type RecordStore } from '../records.js';
import { tryParseIdentifier } from '../syntax.js';
import { applyChange, configurationProblem, listChunks } from './admin-changes.js';
import { ChallengeTable, type ChallengeTableOptions, type PendingChallenge } from './admin-challenges.js';
import { type AdminIdentity, adminRecordFor, neededPermissions, permissionNames, permissionsOf, sameHandle } from './admin-permissions.js';
import { type AdminRefusal, type NodeScope, type ScopedTarget, scopeTarget } from './admin-scope.js';
import type { ResolutionBackend } from './backend.js';
import type { HandleAnswer } from './handle-service.js';

/** Options of {@link createAdminService}. */
export interface AdminServiceOptions {
  records: RecordStore;
  scope: NodeScope;
  logger: Logger;
  /** The node's own administrators: may do everything within its scope (Handle.Net's server admins). */
  admins?: readonly AdminIdentity[];
  /** Where HS_PUBKEY values of key handles not held here are resolved (public values only); absent: local keys only. */
  keyBackend?: ResolutionBackend;
  challenges?: ChallengeTableOptions;
  /** Epoch ms (challenge expiry, timestamps of written values); a fake in tests. */
  now?: () => number;
  /** The site serial put in answers' headers. */
  serial?: number;
  /** Told of each failed authentication (the peer's address), for the security monitor. */
  onAuthFailure?: (peer: string | undefined, message: string) => void;
}

/** What administration has seen since the node started. */
export interface AdminStats {
  requests: number;
  challenges: number;
  authenticated: number;
  /** Answers refused: no challenge pending or expired, unknown key, wrong signature, unsupported algorithm. */
  authFailures: number;
  /** Authenticated but not permitted, or outside what this node may change. */
  refused: number;
  changes: number;
  listings: number;
  /** Requests or answers that could not be decoded (RC 4), and failures of the store (RC 2). */
  errors: number;
}

/** The administration side of a node's Handle service. */
export interface AdminService {
  answer(request: HandleMessage, peer: string | undefined): Promise<HandleAnswer>;
  stats(): AdminStats & { pending: number };
}

const authFailureRc = { BAD_SIGNATURE: ResponseCode.AUTHENTICATION_FAILED, MALFORMED: ResponseCode.AUTHENTICATION_FAILED, UNSUPPORTED: ResponseCode.UNABLE_TO_AUTHENTICATE } as const;
const isRefusal = (x: object): x is AdminRefusal => 'rc' in x && 'message' in x;

/** Creates the administration service of a node holding `records`. */
export function createAdminService(options: AdminServiceOptions): AdminService {
  const log = options.logger.child({ component: 'handle-admin' });
  const now = options.now ?? Date.now;
  const table = new ChallengeTable({ now, ...options.challenges });
  const stats: AdminStats = { requests: 0, challenges: 0, authenticated: 0, authFailures: 0, refused: 0, changes: 0, listings: 0, errors: 0 };
  const serial = options.serial ?? -1;
  const admins = options.admins ?? [];

  const respond = (h: Header, rc: number, body: Buffer, opFlag = h.opFlag & ~OpFlag.RRDG): Buffer =>
    encodeMessageBody({ opCode: h.opCode, responseCode: rc, opFlag: opFlag >>> 0, siteInfoSerial: serial, recursionCount: h.recursionCount, expiration: h.expiration }, body);
  const fail = (h: Header, rc: number, message: string, counter: keyof AdminStats, fields: Record<string, unknown>): HandleAnswer => {
    stats[counter]++;
    if (counter === 'authFailures') options.onAuthFailure?.(fields.peer as string | undefined, message);
    log.warn({ ...fields, rc }, message);
    return { message: respond(h, rc, encodeErrorBody(message)), rc };
  };

  /** An administration request: checked against the scope, then challenged. */
  function challenge(request: HandleMessage, key: string, peer: string | undefined): HandleAnswer {
    const h = request.header;
    let req: AdminRequest;
    try {
      req = decodeAdminRequest(h.opCode, request.body);
    } catch (e) {
      if (!(e instanceof HandleDecodeError)) throw e;
      return fail(h, ResponseCode.PROTOCOL_ERROR, e.message, 'errors', { peer, opCode: h.opCode });
    }
    const target = targetOf(req);
    if (isRefusal(target)) return fail(h, target.rc, target.message, 'refused', { peer, op: req.op, handle: req.handle });
    const digest = requestDigest(encodeMessageBody(h, request.body), challengeDigestType).subarray(1);
    const c = { digestType: challengeDigestType, digest, nonce: randomBytes(challengeNonceSize) };
    table.put(key, { challenge: c, request: req, header: h });
    stats.challenges++;
    return { message: respond(h, ResponseCode.AUTHENTICATION_NEEDED, encodeChallenge(c), (h.opFlag | OpFlag.RRDG) >>> 0), rc: ResponseCode.AUTHENTICATION_NEEDED };
  }

  /** A list names a prefix handle (or a bare prefix); anything else names a handle. */
  function targetOf(req: AdminRequest): ScopedTarget | AdminRefusal {
    if (req.op === 'list' && !req.handle.includes('/')) return scopeTarget(options.scope, `0.NA/${req.handle}`);
    const t = scopeTarget(options.scope, req.handle);
    if (req.op === 'list' && !isRefusal(t) && t.kind !== 'prefix') return { rc: ResponseCode.INVALID_HANDLE, message: `List handles names a prefix handle (0.NA/<prefix>), not ${req.handle}.` };
    return t;
  }

  /** The key value an answer names: here, or (HS_PUBKEY only) through the key backend. */
  async function keyOf(who: AdminIdentity): Promise<HandleValue | AdminRefusal> {
    const id = tryParseIdentifier(who.handle);
    const missing = { rc: ResponseCode.INVALID_CREDENTIAL, message: `No key at index ${who.index} of ${who.handle}.` };
    if (typeof id === 'string') return missing;
    const list = await options.records.get(id.handle);
    if (list !== undefined) return decodeValues(list).find((v) => v.index === who.index) ?? missing;
    if (!options.keyBackend) return missing;
    const remote = await options.keyBackend.resolve(id.handle, { indexes: [who.index], types: [] });
    return remote.values?.find((v) => v.index === who.index) ?? missing;
  }

  /** An answer to a challenge: authenticate, authorise, carry out. */
  async function answered(request: HandleMessage, key: string, peer: string | undefined): Promise<HandleAnswer> {
    const pending = table.take(key);
    const h0 = request.header;
    let answer;
    try {
      answer = decodeChallengeAnswer(request.body);
    } catch (e) {
      if (!(e instanceof HandleDecodeError)) throw e;
      return fail(pending && pending !== 'EXPIRED' ? pending.header : h0, ResponseCode.PROTOCOL_ERROR, e.message, 'errors', { peer, opCode: h0.opCode });
    }
    const who = { handle: answer.keyHandle, index: answer.keyIndex };
    const fields = { peer, keyHandle: who.handle, keyIndex: who.index };
    if (pending === undefined) return fail(h0, ResponseCode.AUTHEN_TIMEOUT, 'No challenge is pending for this request (never sent, or answered already).', 'authFailures', fields);
    if (pending === 'EXPIRED') return fail(h0, ResponseCode.AUTHEN_TIMEOUT, 'The challenge expired; send the request again.', 'authFailures', fields);
    const h = pending.header;
    const keyValue = await keyOf(who);
    if (isRefusal(keyValue)) return fail(h, keyValue.rc, keyValue.message, 'authFailures', fields);
    if (keyValue.type !== 'HS_PUBKEY' && keyValue.type !== 'HS_SECKEY') return fail(h, ResponseCode.INVALID_CREDENTIAL, `The value at index ${who.index} of ${who.handle} is ${keyValue.type}, not a key.`, 'authFailures', fields);
    const check = checkChallengeAnswer(answer, keyValue, pending.challenge);
    if (!check.ok) return fail(h, authFailureRc[check.why], `Authentication failed: ${check.message}.`, 'authFailures', fields);
    stats.authenticated++;
    return authorised(pending, who, peer);
  }

  async function authorised(pending: PendingChallenge, who: AdminIdentity, peer: string | undefined): Promise<HandleAnswer> {
    const { request: req, header: h } = pending;
    const fields = { peer, op: req.op, handle: req.handle, keyHandle: who.handle, keyIndex: who.index };
    const target = targetOf(req);
    if (isRefusal(target)) return fail(h, target.rc, target.message, 'refused', fields);
    const adminRecord = await adminRecordFor(options.records, req, target);
    const serverAdmin = admins.some((a) => a.index === who.index && sameHandle(a.handle, who.handle));
    if (isRefusal(adminRecord) && !(serverAdmin && req.op === 'create')) return fail(h, adminRecord.rc, adminRecord.message, 'refused', fields);
    const current = isRefusal(adminRecord) || req.op === 'create' || req.op === 'list' ? [] : adminRecord.values;
    if (!serverAdmin && !isRefusal(adminRecord)) {
      const needed = neededPermissions(req, current);
      const held = await permissionsOf(options.records, adminRecord.values, who);
      if (held === undefined) return fail(h, ResponseCode.INVALID_ADMIN, `${who.index}:${who.handle} is not an administrator of ${adminRecord.handle}.`, 'refused', fields);
      if ((held & needed) !== needed) return fail(h, ResponseCode.INSUFFICIENT_PERMISSIONS, `${who.index}:${who.handle} lacks ${permissionNames(needed & ~held)} on ${adminRecord.handle}.`, 'refused', fields);
    }
    const owned = configurationProblem(req, target, current);
    if (owned) return fail(h, owned.rc, owned.message, 'refused', fields);
    try {
      if (req.op === 'list') {
        const chunks = await listChunks(options.records, target.prefix);
        stats.listings++;
        log.info({ ...fields, handles: chunks.reduce((n, c) => n + c.length, 0) }, 'handles listed');
        const messages = chunks.map((c, i) => respond(h, ResponseCode.SUCCESS, encodeListHandlesResponse(c), (i < chunks.length - 1 ? h.opFlag | OpFlag.CONT : h.opFlag & ~OpFlag.CONT) & ~OpFlag.RRDG));
        return { message: messages[0]!, rc: ResponseCode.SUCCESS, more: messages.slice(1) };
      }
      await applyChange(options.records, req, target, { overwrite: (h.opFlag & OpFlag.OVRW) !== 0, seconds: Math.floor(now() / 1000) });
    } catch (e) {
      if (e instanceof HandleError) return fail(h, e.rc, e.message, 'refused', fields);
      stats.errors++;
      log.error({ ...fields, err: e }, 'administration failed');
      return { message: respond(h, ResponseCode.ERROR, encodeErrorBody('The change could not be made (server error).')), rc: ResponseCode.ERROR };
    }
    stats.changes++;
    log.info(fields, 'handle changed');
    return { message: respond(h, ResponseCode.SUCCESS, Buffer.alloc(0)), rc: ResponseCode.SUCCESS, handle: target.handle };
  }

  return {
    async answer(request, peer) {
      stats.requests++;
      const key = `${peer ?? ''}|${request.envelope.requestId}`;
      if (request.header.opCode === OpCode.CHALLENGE_RESPONSE) return answered(request, key, peer);
      return challenge(request, key, peer);
    },
    stats: () => ({ ...stats, pending: table.size }),
  };
}
