/**
 * Fuzzing the Handle listeners: 100,000 random and mutated messages over UDP and TCP. The node must not
 * crash, must keep answering well-formed requests, and its memory must stay bounded.
 */
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, createStore, silentLogger } from '@yulian/core';
import { type HandleServer, createHandleService, createRecordStore, siteOf, startHandleServer } from '@yulian/identifier';
import { OpCode, OpFlag, ResponseCode, encodeMessage, encodeResolutionRequest, handleValue, resolveHandle } from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A deterministic pseudo-random source, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const header = { opCode: OpCode.RESOLUTION, responseCode: 0, opFlag: OpFlag.RECU | OpFlag.PUBL, siteInfoSerial: -1, recursionCount: 0, expiration: 1_800_000_000 };
const seeds = [
  encodeMessage({ requestId: 1 }, header, encodeResolutionRequest('88.100.1/ABC-001')),
  encodeMessage({ requestId: 2 }, header, encodeResolutionRequest('88.100.1/ABC-001', [1, 2], ['URL', 'EMAIL'])),
  encodeMessage({ requestId: 3 }, { ...header, opCode: OpCode.GET_SITE_INFO }, Buffer.alloc(0)),
  encodeMessage({ requestId: 4 }, { ...header, opFlag: header.opFlag | OpFlag.RRDG }, encodeResolutionRequest('88.100.1/none')),
];

/** A mutated seed (flipped bytes, cut, grown, lengths overwritten) or plain noise. */
function fuzzed(r: () => number): Buffer {
  if (r() < 0.15) return Buffer.from(Array.from({ length: Math.floor(r() * 600) }, () => Math.floor(r() * 256)));
  const b = Buffer.from(seeds[Math.floor(r() * seeds.length)]!);
  const edits = 1 + Math.floor(r() * 4);
  let out = b;
  for (let e = 0; e < edits; e++) {
    const k = r();
    if (k < 0.5) out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
    else if (k < 0.65) out = out.subarray(0, Math.floor(r() * out.length));
    else if (k < 0.8) out = Buffer.concat([out, Buffer.from(Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256)))]);
    else if (out.length >= 48) {
      // Overwrite a length field (message length, body length, handle length or a count) with an extreme.
      const at = [16, 40, 44, 48 + 16][Math.floor(r() * 4)]!;
      if (at + 4 <= out.length) out.writeUInt32BE([0, 1, 0x7fffffff, 0xffffffff, 262_144, 492][Math.floor(r() * 6)]!, at);
    }
  }
  return out;
}

/**
 * A TCP frame: mostly a well-framed envelope around a mutated message (so the stream stays in step and
 * the node reads each as a message), sometimes a fuzzed frame as is (which ends the connection).
 */
function tcpFrame(r: () => number): Buffer {
  const f = fuzzed(r);
  if (r() < 0.02 || f.length < 20) return f;
  // At least a header and a credential length, or the envelope itself is refused.
  const message = f.length >= 48 ? f.subarray(20) : Buffer.concat([f.subarray(20), Buffer.alloc(48 - f.length)]);
  const envelope = Buffer.from(seeds[0]!.subarray(0, 20));
  envelope.writeUInt32BE(message.length, 16);
  return Buffer.concat([envelope, message]);
}

describe('Handle listeners under fuzzing', () => {
  let dir: string;
  let store: Store;
  let server: HandleServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-fuzz-'));
    store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    const records = createRecordStore(store);
    await records.create('88.100.1/ABC-001', [handleValue(1, 'URL', 'https://example.com/abc'), handleValue(2, 'EMAIL', 'qa@example.com')]);
    server = await startHandleServer({
      service: createHandleService({ lookup: (h) => records.getSync!(h), site: siteOf('127.0.0.1', 2641, 'fuzz') }),
      logger: silentLogger(),
      host: '127.0.0.1',
      port: 0,
      rate: { perSecond: 1e9, burst: 1e9 },
    });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('survives 100,000 random and mutated messages over UDP and TCP, keeps answering, and keeps its memory bounded', async () => {
    const r = rng(20261129);
    const target = { host: '127.0.0.1', port: server.port };
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;

    // UDP: 80,000 datagrams in bursts of 100, each followed by a well-formed request whose answer says
    // the node has read the burst (it shares this process's event loop: unpaced, the kernel's socket
    // buffer would drop most datagrams unread).
    const udp = createSocket('udp4');
    const ping = encodeMessage({ requestId: 0x7ffffff0 }, header, encodeResolutionRequest('88.100.1/ABC-001'));
    let pong: (() => void) | undefined;
    udp.on('message', (m) => {
      if (m.length >= 12 && m.readUInt32BE(8) === 0x7ffffff0) pong?.();
    });
    let pongs = 0;
    for (let i = 0; i < 80_000; i += 100) {
      for (let k = 0; k < 100; k++) udp.send(fuzzed(r), server.port, '127.0.0.1');
      const answered = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 1000);
        pong = () => {
          clearTimeout(timer);
          resolve(true);
        };
        udp.send(ping, server.port, '127.0.0.1');
      });
      if (answered) pongs++;
    }
    udp.close();
    // Every burst was followed by a well-formed request the node answered.
    expect(pongs).toBeGreaterThan(790);

    // TCP: 20,000 frames over 200 connections (a connection whose envelope is broken is closed by the node).
    let tcpSent = 0;
    for (let c = 0; c < 200; c++) {
      await new Promise<void>((resolve) => {
        const s = connect(target, () => {
          for (let i = 0; i < 100; i++) {
            s.write(tcpFrame(r));
            tcpSent++;
          }
          s.end();
        });
        s.on('data', () => undefined);
        s.on('error', () => resolve());
        s.on('close', () => resolve());
      });
    }
    expect(tcpSent).toBe(20_000);

    const stats = server.stats();
    // What reached the node: nearly all of them (loopback may still drop a few).
    expect(stats.udpPackets).toBeGreaterThan(79_000);
    // Over TCP a frame with a broken envelope closes its connection (the stream cannot be re-synchronised),
    // so fewer of the 20,000 frames are read as messages; every connection was taken.
    expect(stats.tcpConnections).toBe(200);
    expect(stats.tcpMessages).toBeGreaterThan(1_000);
    expect(stats.malformed).toBeGreaterThan(10_000);
    // Still answering, over both transports.
    for (const transport of ['udp', 'tcp'] as const) expect((await resolveHandle(target, '88.100.1/ABC-001', {}, { transport })).rc).toBe(ResponseCode.SUCCESS);
    global.gc?.();
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`fuzz: ${stats.udpPackets} UDP packets, ${stats.tcpMessages} TCP messages, ${stats.malformed} malformed; heap grew ${grownMb.toFixed(1)} MB`);
    // The reassembly buffer holds at most 8 MiB; everything else is per request.
    expect(grownMb).toBeLessThan(64);
  }, 120_000);
});
