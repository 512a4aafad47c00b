import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { EnvelopeFlag, OpCode, OpFlag, ResponseCode, envelopeSize } from './constants.js';
import { type HandleMessage, type Header, UdpReassembler, decodeEnvelope, decodeErrorBody, decodeMessage, decodeResolutionResponse, encodeMessageBody, encodeResolutionRequest, splitForUdp } from './message.js';
import type { HandleValue } from './values.js';

/** Where a Handle server listens. */
export interface HandleTarget {
  host: string;
  port: number;
}

/** How a request goes: over UDP (retrying over TCP when the answer comes back truncated) or TCP. */
export interface HandleRequestOptions {
  transport?: 'udp' | 'tcp';
  /** Per attempt; default 2,000 ms. */
  timeoutMs?: number;
  opFlag?: number;
  recursionCount?: number;
}

/** An answer: its response code and, on success, the values; or the error message. */
export type ResolveResult =
  | { rc: typeof ResponseCode.SUCCESS; handle: string; values: HandleValue[]; via: 'udp' | 'tcp' }
  | { rc: number; message: string; via: 'udp' | 'tcp' };

/** Sends one request and answers the decoded response (RC 4 etc. included). @throws on timeout or a broken answer */
export async function handleRequest(target: HandleTarget, opCode: number, body: Buffer, options: HandleRequestOptions = {}): Promise<HandleMessage & { via: 'udp' | 'tcp' }> {
  const header: Header = {
    opCode,
    responseCode: 0,
    opFlag: options.opFlag ?? OpFlag.RECU | OpFlag.CACR | OpFlag.PUBL,
    siteInfoSerial: -1,
    recursionCount: options.recursionCount ?? 0,
    expiration: Math.floor(Date.now() / 1000) + 3600,
  };
  const message = encodeMessageBody(header, body);
  const requestId = randomInt(1, 2 ** 31);
  const timeoutMs = options.timeoutMs ?? 2_000;
  if ((options.transport ?? 'udp') === 'udp') {
    const answer = await overUdp(target, requestId, message, timeoutMs);
    if (!(answer.envelope.flags & EnvelopeFlag.TRUNCATED)) return { ...answer, via: 'udp' };
  }
  return { ...(await overTcp(target, requestId, message, timeoutMs)), via: 'tcp' };
}

/** Resolves a handle, with optional index and type filters. */
export async function resolveHandle(target: HandleTarget, handle: string, filters: { indexes?: number[]; types?: string[] } = {}, options: HandleRequestOptions = {}): Promise<ResolveResult> {
  const m = await handleRequest(target, OpCode.RESOLUTION, encodeResolutionRequest(handle, filters.indexes, filters.types), options);
  if (m.header.responseCode === ResponseCode.SUCCESS) return { rc: ResponseCode.SUCCESS, ...decodeResolutionResponse(m.body, m.header.opFlag), via: m.via };
  return { rc: m.header.responseCode, message: decodeErrorBody(m.body, m.header.opFlag), via: m.via };
}

/** Sends one message over UDP and answers the first whole message back with the same request id. */
export function overUdp(target: HandleTarget, requestId: number, message: Buffer, timeoutMs: number): Promise<HandleMessage> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
    const reassembler = new UdpReassembler();
    const timer = setTimeout(() => done(new Error(`no answer over UDP from ${target.host}:${target.port} within ${timeoutMs} ms`)), timeoutMs);
    const done = (err: Error | undefined, m?: HandleMessage): void => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(m!);
    };
    socket.on('message', (packet) => {
      try {
        if (packet.length >= 12 && packet.readUInt32BE(8) !== requestId) return;
        const m = reassembler.add('server', packet);
        if (m) done(undefined, m);
      } catch (e) {
        done(e as Error);
      }
    });
    socket.on('error', (e) => done(e));
    for (const p of splitForUdp({ requestId }, message)) socket.send(p, target.port, target.host);
  });
}

function overTcp(target: HandleTarget, requestId: number, message: Buffer, timeoutMs: number): Promise<HandleMessage> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => done(new Error(`no answer over TCP from ${target.host}:${target.port} within ${timeoutMs} ms`)), timeoutMs);
    const done = (err: Error | undefined, m?: HandleMessage): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(m!);
    };
    socket.on('connect', () => {
      const frame = Buffer.alloc(envelopeSize + message.length);
      frame.writeUInt8(2, 0);
      frame.writeUInt8(3, 1);
      frame.writeUInt8(2, 2);
      frame.writeUInt8(11, 3);
      frame.writeUInt32BE(requestId, 8);
      frame.writeUInt32BE(message.length, 16);
      message.copy(frame, envelopeSize);
      socket.write(frame);
    });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        if (buf.length < envelopeSize) return;
        const envelope = decodeEnvelope(buf);
        if (buf.length < envelopeSize + envelope.messageLength) return;
        done(undefined, decodeMessage(envelope, buf.subarray(envelopeSize, envelopeSize + envelope.messageLength)));
      } catch (e) {
        done(e as Error);
      }
    });
    socket.on('error', (e) => done(e));
    socket.on('close', () => done(new Error(`connection to ${target.host}:${target.port} closed before an answer`)));
  });
}
