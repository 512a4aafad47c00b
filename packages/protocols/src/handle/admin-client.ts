/**
 * The client side of administration over the Handle protocol: request → RC 402 challenge → opcode-200
 * answer (same request id; over TCP on the same connection) → the result. List handles goes over TCP
 * and collects every message up to the one without the CONT flag.
 */
import { randomInt } from 'node:crypto';
import { type Socket, connect } from 'node:net';
import { type AdminRequest, decodeListHandlesResponse, encodeAdminRequest } from './admin.js';
import { type AdminCredential, answerChallenge, decodeChallenge, encodeChallengeAnswer } from './auth.js';
import { type HandleTarget, overUdp } from './client.js';
import { OpCode, OpFlag, ResponseCode, envelopeSize } from './constants.js';
import { type HandleMessage, type Header, decodeEnvelope, decodeErrorBody, decodeMessage, encodeMessageBody, requestDigest } from './message.js';
import { WireWriter } from './wire.js';

/** Options of {@link handleAdmin}. */
export interface HandleAdminOptions {
  auth: AdminCredential;
  /** Default TCP; list handles always goes over TCP. */
  transport?: 'udp' | 'tcp';
  /** Per exchange; default 5,000 ms. */
  timeoutMs?: number;
  /** Create or add replacing what exists (the OVRW flag). */
  overwrite?: boolean;
}

/** The outcome: the response code, the server's message on failure, the handles of a listing. */
export interface HandleAdminResult {
  rc: number;
  message: string;
  handles?: string[];
  via: 'udp' | 'tcp';
}

/** Reads framed messages off one TCP connection, in order. */
class TcpChannel {
  private buf = Buffer.alloc(0);
  private readonly queue: HandleMessage[] = [];
  private waiter: { resolve: (m: HandleMessage) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed before an answer')));
  }

  static open(target: HandleTarget, timeoutMs: number): Promise<TcpChannel> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no TCP connection to ${target.host}:${target.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new TcpChannel(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  send(requestId: number, message: Buffer): void {
    const w = new WireWriter(envelopeSize + message.length);
    w.u8(2).u8(3).u8(2).u8(11).u32(0).u32(requestId).u32(0).u32(message.length).raw(message);
    this.socket.write(w.finish());
  }

  next(timeoutMs: number): Promise<HandleMessage> {
    const ready = this.queue.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no answer over TCP within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    try {
      while (this.buf.length >= envelopeSize) {
        const envelope = decodeEnvelope(this.buf);
        if (this.buf.length < envelopeSize + envelope.messageLength) return;
        const m = decodeMessage(envelope, this.buf.subarray(envelopeSize, envelopeSize + envelope.messageLength));
        this.buf = this.buf.subarray(envelopeSize + envelope.messageLength);
        const w = this.waiter;
        this.waiter = undefined;
        if (w) w.resolve(m);
        else this.queue.push(m);
      }
    } catch (e) {
      this.fail(e as Error);
      this.socket.destroy();
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
  }
}

const headerFor = (opCode: number, opFlag: number): Header => ({ opCode, responseCode: 0, opFlag, siteInfoSerial: -1, recursionCount: 0, expiration: Math.floor(Date.now() / 1000) + 600 });

/**
 * Sends an administration request authenticated by challenge-response.
 * @example await handleAdmin(node, { op: 'create', handle: '88.100/x', values }, { auth: { handle: '0.NA/88.100', index: 300, sm2PrivateKey } })
 * @throws Error when the server does not answer, or asks to sign a digest of another request
 */
export async function handleAdmin(target: HandleTarget, request: AdminRequest, options: HandleAdminOptions): Promise<HandleAdminResult> {
  const { opCode, body } = encodeAdminRequest(request);
  const message = encodeMessageBody(headerFor(opCode, options.overwrite ? OpFlag.OVRW : 0), body);
  const requestId = randomInt(1, 2 ** 31);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const transport = request.op === 'list' ? 'tcp' : (options.transport ?? 'tcp');
  if (transport === 'udp') {
    const first = await overUdp(target, requestId, message, timeoutMs);
    const second = await afterChallenge(first, message, options.auth, (m) => overUdp(target, requestId, m, timeoutMs));
    return { ...resultOf(second), via: 'udp' };
  }
  const channel = await TcpChannel.open(target, timeoutMs);
  try {
    channel.send(requestId, message);
    const first = await channel.next(timeoutMs);
    const second = await afterChallenge(first, message, options.auth, (m) => {
      channel.send(requestId, m);
      return channel.next(timeoutMs);
    });
    if (request.op !== 'list' || second.header.responseCode !== ResponseCode.SUCCESS) return { ...resultOf(second), via: 'tcp' };
    const handles: string[] = [];
    for (let m = second; ; m = await channel.next(timeoutMs)) {
      if (m.header.responseCode !== ResponseCode.SUCCESS) return { ...resultOf(m), via: 'tcp' };
      handles.push(...decodeListHandlesResponse(m.body, m.header.opFlag));
      if (!(m.header.opFlag & OpFlag.CONT)) break;
    }
    return { rc: ResponseCode.SUCCESS, message: '', handles, via: 'tcp' };
  } finally {
    channel.close();
  }
}

/** Answers the challenge when the first response is one; else the first response is the result. */
async function afterChallenge(first: HandleMessage, sent: Buffer, auth: AdminCredential, send: (m: Buffer) => Promise<HandleMessage>): Promise<HandleMessage> {
  if (first.header.responseCode !== ResponseCode.AUTHENTICATION_NEEDED) return first;
  const challenge = decodeChallenge(first.body);
  const own = requestDigest(sent, challenge.digestType).subarray(1);
  // As Handle.Net's client: never sign a digest of a request this client did not send.
  if (!own.equals(challenge.digest)) throw new Error('the server asked to sign the digest of another request');
  const answer = encodeChallengeAnswer(answerChallenge(auth, challenge));
  return send(encodeMessageBody(headerFor(OpCode.CHALLENGE_RESPONSE, 0), answer));
}

function resultOf(m: HandleMessage): { rc: number; message: string } {
  if (m.header.responseCode === ResponseCode.SUCCESS) return { rc: ResponseCode.SUCCESS, message: '' };
  let message = '';
  try {
    message = decodeErrorBody(m.body, m.header.opFlag);
  } catch {
    message = '';
  }
  return { rc: m.header.responseCode, message };
}
