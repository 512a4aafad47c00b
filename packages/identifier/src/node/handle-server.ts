import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { type Server, type Socket, createServer } from 'node:net';
import type { Logger } from '@yulian/core';
import {
  type HandleMessage, EnvelopeFlag, HandleDecodeError, UdpReassembler, WireWriter, decodeEnvelope, decodeMessage, encodeEnvelope,
  envelopeSize, headerSize, maxMessageLength, splitForUdp, udpPayloadSize, writeEnvelope,
} from '@yulian/protocols';
import type { HandleAnswer, HandleService } from './handle-service.js';
import { RateLimiter } from './rate-limiter.js';

/** What the listeners have seen since they started. */
export interface HandleServerStats {
  udpPackets: number;
  tcpMessages: number;
  /** Packets or frames that were not a Handle message at all (dropped, or answered RC 4 when the envelope was readable). */
  malformed: number;
  /** UDP requests dropped because their source was over its rate. */
  rateLimited: number;
  /** UDP answers cut to a header with the truncated flag (the client retries over TCP). */
  truncated: number;
  tcpConnections: number;
}

/** Options of {@link startHandleServer}. */
export interface HandleServerOptions {
  service: HandleService;
  logger: Logger;
  /** Address to listen on; default `::` (IPv6 and IPv4). */
  host?: string;
  /** UDP and TCP port; default 2641, 0 for a free one (the same number for both). */
  port?: number;
  /** Requests per second per source address, with bursts (UDP; TCP answers RC 3 beyond it). */
  rate?: { perSecond: number; burst: number };
  /**
   * How much larger than its request a UDP answer to an unverified source may be; larger answers are
   * truncated so the client asks again over TCP (which proves its address). Default 4.
   */
  amplification?: number;
  /** Sources trusted with full UDP answers (default: loopback). A source that connected over TCP is trusted for 10 minutes. */
  trusted?: (address: string) => boolean;
  /** Most TCP connections at once (default 1,024) and idle time before one is closed (default 60 s). */
  tcp?: { maxConnections: number; idleMs: number };
  /** Told of malformed messages and of sources over their rate (at most once per source per 10 s), for the security monitor. */
  onSecurityEvent?: (e: IdentifierSecurityEvent) => void;
}

/** What an identifier node tells the security monitor: floods, malformed messages, failed authentication. */
export interface IdentifierSecurityEvent {
  event: 'flood' | 'malformed' | 'auth-failed';
  source: { ip: string; port?: number };
  detail?: string;
}

/** Running UDP and TCP listeners of a node. */
export interface HandleServer {
  /** The port both listen on. */
  port: number;
  stats(): HandleServerStats;
  close(): Promise<void>;
}

/**
 * Receive buffer of the UDP socket: the default (208 KiB) holds fewer than 200 small datagrams and drops
 * the rest of a burst; the kernel caps this at net.core.rmem_max.
 */
export const udpReceiveBuffer = 4 << 20;

const loopback = (a: string): boolean => a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');

/**
 * An answer with its envelope (one packet, or a TCP frame): written into the room the service left in
 * front of the message when it did (no copy), else into a new buffer.
 */
function framed(answer: HandleAnswer, sessionId: number, requestId: number): Buffer {
  const { message, packet } = answer;
  const out = packet && packet.length === envelopeSize + message.length ? packet : Buffer.allocUnsafe(envelopeSize + message.length);
  if (out !== packet) message.copy(out, envelopeSize);
  writeEnvelope(out, { flags: 0, sessionId, requestId, sequence: 0, messageLength: message.length });
  return out;
}

/**
 * Starts the Handle protocol listeners of a node (RFC 3652 §2.3): UDP (multi-packet messages put back
 * together; answers split likewise) and TCP (messages framed by their envelope, several per connection).
 * Malformed input is answered RC 4 where the envelope can be read, else dropped — counted, logged at
 * most once a second — and never stops the listeners.
 */
export async function startHandleServer(options: HandleServerOptions): Promise<HandleServer> {
  const log = options.logger.child({ component: 'handle-server' });
  const stats: HandleServerStats = { udpPackets: 0, tcpMessages: 0, malformed: 0, rateLimited: 0, truncated: 0, tcpConnections: 0 };
  const limiter = new RateLimiter({ rate: options.rate?.perSecond ?? 2_000, burst: options.rate?.burst ?? 4_000, maxSources: 100_000 });
  const amplification = options.amplification ?? 4;
  const trusted = options.trusted ?? loopback;
  const verified = new Map<string, number>();
  const reassembler = new UdpReassembler();
  const tcpLimits = options.tcp ?? { maxConnections: 1024, idleMs: 60_000 };
  let lastWarn = 0;
  const floods = new Map<string, number>();
  const tell = (e: IdentifierSecurityEvent): void => {
    try {
      options.onSecurityEvent?.(e);
    } catch (err) {
      log.error({ err }, 'the security listener failed');
    }
  };
  const warn = (source: string, err: unknown, what: string, ip?: string, port?: number): void => {
    stats.malformed++;
    if (ip !== undefined) tell({ event: 'malformed', source: { ip: ip.replace(/^::ffff:/, ''), ...(port === undefined ? {} : { port }) }, detail: `${what}: ${(err as Error).message}`.slice(0, 500) });
    const now = Date.now();
    if (now - lastWarn < 1000) return;
    lastWarn = now;
    log.warn({ source, err: (err as Error).message, malformed: stats.malformed }, what);
  };

  // ---- UDP ----
  const host = options.host ?? '::';
  const newUdpSocket = (): UdpSocket => createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', ipv6Only: false, reuseAddr: false, recvBufferSize: udpReceiveBuffer });
  let udp = newUdpSocket();
  const sendUdp = (answer: HandleAnswer, request: HandleMessage, packetBytes: number, rinfo: RemoteInfo): void => {
    const env = { requestId: request.envelope.requestId, sessionId: request.envelope.sessionId };
    const fullTrust = trusted(rinfo.address) || (verified.get(rinfo.address) ?? 0) > Date.now();
    if (!fullTrust && answer.message.length + envelopeSize > amplification * packetBytes) {
      // Only the header (body length 0) with the truncated flag: the client asks again over TCP.
      stats.truncated++;
      const w = new WireWriter(envelopeSize + headerSize + 4);
      encodeEnvelope(w, { flags: EnvelopeFlag.TRUNCATED, sessionId: env.sessionId, requestId: env.requestId, sequence: 0, messageLength: headerSize + 4 });
      w.raw(answer.message.subarray(0, 20)).u32(0).u32(0);
      udp.send(w.finish(), rinfo.port, rinfo.address);
      return;
    }
    if (answer.message.length <= udpPayloadSize) udp.send(framed(answer, env.sessionId, env.requestId), rinfo.port, rinfo.address);
    else for (const p of splitForUdp(env, answer.message)) udp.send(p, rinfo.port, rinfo.address);
    for (const m of answer.more ?? []) for (const p of splitForUdp(env, m)) udp.send(p, rinfo.port, rinfo.address);
  };
  const onUdpMessage = (packet: Buffer, rinfo: RemoteInfo): void => {
    stats.udpPackets++;
    if (!limiter.take(rinfo.address, Date.now())) {
      // Dropped silently: answering a flood, even with RC 3, would reflect it.
      stats.rateLimited++;
      const now = Date.now();
      if (options.onSecurityEvent && (floods.get(rinfo.address) ?? 0) < now - 10_000) {
        if (floods.size > 10_000) floods.clear();
        floods.set(rinfo.address, now);
        tell({ event: 'flood', source: { ip: rinfo.address.replace(/^::ffff:/, '') }, detail: `over ${options.rate?.perSecond ?? 2_000} requests/s over UDP` });
      }
      return;
    }
    let request: HandleMessage | undefined;
    try {
      // A message in one packet (nearly every request) is decoded at once; the reassembler, which
      // decides the same for it, sees only the packets of longer messages.
      const envelope = decodeEnvelope(packet);
      const payloadLength = packet.length - envelopeSize;
      if (envelope.sequence === 0 && payloadLength === envelope.messageLength && payloadLength <= udpPayloadSize) request = decodeMessage(envelope, packet.subarray(envelopeSize));
      else request = reassembler.add(`${rinfo.address}|${rinfo.port}`, packet);
    } catch (e) {
      if (!(e instanceof HandleDecodeError)) throw e;
      warn(`${rinfo.address}:${rinfo.port}`, e, 'malformed Handle packet', rinfo.address, rinfo.port);
      const reply = malformedReply(packet, e);
      if (reply) udp.send(reply, rinfo.port, rinfo.address);
      return;
    }
    if (!request) return;
    try {
      const answer = options.service.answer(request, rinfo.address);
      if (answer instanceof Promise) {
        const req = request;
        answer.then((a) => sendUdp(a, req, packet.length, rinfo)).catch((err: unknown) => log.error({ err }, 'resolution failed'));
      } else sendUdp(answer, request, packet.length, rinfo);
    } catch (err) {
      log.error({ err }, 'resolution failed');
    }
  };

  // ---- TCP ----
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    if (sockets.size >= tcpLimits.maxConnections) {
      socket.destroy();
      return;
    }
    stats.tcpConnections++;
    sockets.add(socket);
    const address = socket.remoteAddress ?? '';
    // A completed TCP handshake proves the address: full-size UDP answers for 10 minutes.
    if (verified.size < 100_000) verified.set(address, Date.now() + 600_000);
    socket.setTimeout(tcpLimits.idleMs, () => socket.destroy());
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let busy = Promise.resolve();
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= envelopeSize) {
        let envelope;
        try {
          envelope = decodeEnvelope(buf);
        } catch (e) {
          warn(address, e, 'malformed Handle frame over TCP; connection closed', address, socket.remotePort);
          const reply = malformedReply(buf, e);
          if (reply) socket.end(reply);
          else socket.destroy();
          return;
        }
        if (buf.length < envelopeSize + envelope.messageLength) break;
        const body = buf.subarray(envelopeSize, envelopeSize + envelope.messageLength);
        buf = buf.subarray(envelopeSize + envelope.messageLength);
        stats.tcpMessages++;
        let request: HandleMessage;
        try {
          request = decodeMessage(envelope, body);
        } catch (e) {
          warn(address, e, 'malformed Handle message over TCP', address, socket.remotePort);
          socket.write(replyFor(envelope.requestId, e));
          continue;
        }
        // Answers go back in request order.
        const req = request;
        busy = busy.then(async () => {
          const a = await options.service.answer(req, address);
          if (socket.destroyed) return;
          socket.write(framed(a, req.envelope.sessionId, req.envelope.requestId));
          for (const m of a.more ?? []) socket.write(framed({ message: m, rc: a.rc }, req.envelope.sessionId, req.envelope.requestId));
        }).catch((err: unknown) => log.error({ err }, 'resolution failed'));
      }
      if (buf.length > envelopeSize + maxMessageLength) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });

  /** An RC 4 answer to request `requestId`. */
  function replyFor(requestId: number, e: unknown): Buffer {
    const a = options.service.protocolError(requestId, (e as Error).message);
    const w = new WireWriter(envelopeSize + a.message.length);
    encodeEnvelope(w, { flags: 0, sessionId: 0, requestId, sequence: 0, messageLength: a.message.length });
    return Buffer.from(w.raw(a.message).finish());
  }

  /** An RC 4 answer when the envelope's request id can be read (12 bytes), else nothing to answer. */
  const malformedReply = (packet: Buffer, e: unknown): Buffer | undefined => (packet.length >= 12 ? replyFor(packet.readUInt32BE(8), e) : undefined);

  const listenTcp = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen({ port, host, ipv6Only: false }, () => {
        tcp.off('error', reject);
        resolve((tcp.address() as { port: number }).port);
      });
    });
  const bindUdp = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      udp.once('error', reject);
      udp.bind({ port, address: host, exclusive: true }, () => {
        udp.off('error', reject);
        resolve();
      });
    });
  // TCP first, then UDP on the same number. With port 0 the number TCP got may be taken for UDP by
  // another process: try again with fresh sockets (a failed dgram bind leaves its socket unusable).
  const wanted = options.port ?? 2641;
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      port = await listenTcp(wanted);
    } catch (err) {
      udp.close();
      throw err;
    }
    try {
      await bindUdp(port);
      break;
    } catch (err) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      udp.close();
      udp = newUdpSocket();
      if (wanted !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 10) throw err;
    }
  }
  udp.on('message', onUdpMessage);
  udp.on('error', (err) => log.error({ err }, 'UDP listener error'));
  log.info({ port, host }, 'Handle protocol listening (UDP and TCP)');

  return {
    port,
    stats: () => ({ ...stats }),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}
