import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRequest } from '@yulian/protocols';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from './analyze.js';
import { type CapturePacket, createCaptureParser } from './capture-reader.js';
import {
  createTcpSession,
  pcapFileHeader,
  pcapRecord,
  pcapngBlock,
  pcapngEnhancedPacket,
  pcapngInterface,
  pcapngSectionHeader,
  pcapngSimplePacket,
} from './pcap-writer.js';
import type { CaptureTransaction } from './types.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);

/** Frames of one Modbus conversation (handshake, three polls, close) with their times in ms. */
function modbusFrames(): Array<{ ts: number; frame: Buffer }> {
  const s = createTcpSession({ ip: '10.0.0.5', port: 40001 }, { ip: '10.0.0.10', port: 502 });
  const frames: Buffer[] = [...s.open()];
  frames.push(s.send('client', encodeRequest(1, 1, { fc: 3, address: 0, count: 2 })), s.send('server', hex('0001 0000 0007 01 03 04 0001 0002')));
  frames.push(s.send('client', encodeRequest(2, 1, { fc: 6, address: 5, value: 77 })), s.send('server', hex('0002 0000 0006 01 06 0005 004d')));
  frames.push(s.send('client', encodeRequest(3, 1, { fc: 1, address: 8, count: 4 })), s.send('server', hex('0003 0000 0004 01 01 01 0a')));
  frames.push(...s.close());
  return frames.map((frame, i) => ({ ts: t0 + i * 10.5, frame }));
}

/** Strips an Ethernet header: the same packet as LINKTYPE 228 (raw IPv4). */
const rawIp = (frame: Buffer): Buffer => frame.subarray(14);

const pcapOf = (o: { bigEndian?: boolean; nanoseconds?: boolean } = {}): Buffer =>
  Buffer.concat([pcapFileHeader(o), ...modbusFrames().map(({ ts, frame }) => pcapRecord(ts, frame, o))]);

function pcapngOf(o: { bigEndian?: boolean } = {}): Buffer {
  // Two interfaces: 0 Ethernet in nanoseconds, 1 raw IPv4 in microseconds; an unknown block; a simple packet.
  const blocks = [pcapngSectionHeader(o), pcapngInterface(1, { ...o, tsresol: 9 }), pcapngBlock(0x0bad, Buffer.from('skip me'), o), pcapngInterface(228, o)];
  modbusFrames().forEach(({ ts, frame }, i) => {
    blocks.push(i % 2 === 0 ? pcapngEnhancedPacket(0, BigInt(Math.round(ts * 1e6)), frame, o) : pcapngEnhancedPacket(1, BigInt(Math.round(ts * 1e3)), rawIp(frame), o));
  });
  // A simple packet (no timestamp) on interface 0: an ARP-like non-IP frame.
  blocks.push(pcapngSimplePacket(hex('ffffffffffff 020000000001 0806 0001'), o));
  return Buffer.concat(blocks);
}

function readAll(bytes: Buffer): { packets: Array<Omit<CapturePacket, 'data'> & { length: number }>; truncated: boolean } {
  const packets: Array<Omit<CapturePacket, 'data'> & { length: number }> = [];
  const parser = createCaptureParser((p) => packets.push({ ts: p.ts, linkType: p.linkType, origLength: p.origLength, interfaceId: p.interfaceId, length: p.data.length }));
  parser.push(bytes);
  return { packets, truncated: parser.end().truncated !== undefined };
}

async function transactionsOf(bytes: Buffer): Promise<CaptureTransaction[]> {
  const txs: CaptureTransaction[] = [];
  await analyzeCapture([bytes], { transaction: (t) => txs.push(t) });
  return txs;
}

const codeOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'no error', (e: { code?: string }) => e.code ?? String(e));

describe('capture reader', () => {
  it('reads classic pcap in both byte orders with micro- and nanosecond timestamps', () => {
    const reference = readAll(pcapOf());
    expect(reference.packets).toHaveLength(12);
    expect(reference.packets[1]).toMatchObject({ ts: t0 + 10.5, linkType: 1 });
    for (const o of [{ bigEndian: true }, { nanoseconds: true }, { bigEndian: true, nanoseconds: true }]) {
      expect(readAll(pcapOf(o)), JSON.stringify(o)).toEqual(reference);
    }
  });

  it('reads pcapng with either byte order, per-interface link types and resolutions, simple packets and unknown blocks', async () => {
    const expected = await transactionsOf(pcapOf());
    expect(expected).toHaveLength(3);
    for (const bigEndian of [false, true]) {
      const bytes = pcapngOf({ bigEndian });
      const { packets } = readAll(bytes);
      expect(packets).toHaveLength(13);
      expect(packets.slice(0, 2).map((p) => [p.interfaceId, p.linkType, p.ts])).toEqual([[0, 1, t0], [1, 228, t0 + 10.5]]);
      expect(packets[12]).toMatchObject({ interfaceId: 0, ts: 0, length: 16 });
      // Nanosecond units above 2^53 lose a little precision as numbers: compare times to the microsecond.
      const us = (t: CaptureTransaction): CaptureTransaction => ({ ...t, ts: Math.round(t.ts * 1000), responseTs: Math.round((t.responseTs ?? 0) * 1000) });
      expect((await transactionsOf(bytes)).map(us)).toEqual(expected.map(us));
    }
  });

  it('reads a pcapng that editcap converted from the pcap, when editcap is installed', async (ctx) => {
    if (!existsSync('/usr/bin/editcap')) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'yulian-pcapng-'));
    try {
      writeFileSync(join(dir, 'a.pcap'), pcapOf());
      execFileSync('/usr/bin/editcap', ['-F', 'pcapng', join(dir, 'a.pcap'), join(dir, 'a.pcapng')]);
      const converted = readFileSync(join(dir, 'a.pcapng'));
      expect(converted.readUInt32LE(0)).toBe(0x0a0d0d0a);
      expect(await transactionsOf(converted)).toEqual(await transactionsOf(pcapOf()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns what came before a cut inside a record, and refuses a cut inside the file header', async () => {
    for (const [name, bytes, headerLength] of [['pcap', pcapOf(), 24], ['pcapng', pcapngOf(), 28]] as const) {
      const whole = await transactionsOf(bytes);
      const boundaries = new Set<number>();
      const parser = createCaptureParser(() => {});
      // Record boundaries: where a cut leaves no partial record.
      for (let i = 0; i <= bytes.length; i++) if (i === bytes.length || (i >= headerLength && readAll(bytes.subarray(0, i)).truncated === false)) boundaries.add(i);
      parser.push(bytes);
      parser.end();
      let previous = 0;
      for (let cut = 0; cut < bytes.length; cut++) {
        if (cut < headerLength) {
          expect(await codeOf(analyzeCapture([bytes.subarray(0, cut)])), `${name} cut ${cut}`).toBe('CAPTURE_TRUNCATED');
          continue;
        }
        const txs: CaptureTransaction[] = [];
        const summary = await analyzeCapture([bytes.subarray(0, cut)], { transaction: (t) => txs.push(t) });
        expect(summary.truncated !== undefined, `${name} cut ${cut}`).toBe(!boundaries.has(cut));
        expect(txs.length).toBeGreaterThanOrEqual(previous === 0 ? 0 : previous - 1);
        expect(txs.length).toBeLessThanOrEqual(whole.length);
        previous = txs.filter((t) => t.matched).length;
      }
    }
  });

  it('refuses malformed captures with a code and where it went wrong', async () => {
    expect(await codeOf(analyzeCapture([Buffer.from('GIF89a, not a capture')]))).toBe('CAPTURE_MALFORMED');
    const tooLong = pcapOf();
    tooLong.writeUInt32LE(10_000_000, 24 + 8);
    const err = await analyzeCapture([tooLong]).catch((e: unknown) => e as { code: string; details: { offset: number }; message: string });
    expect(err).toMatchObject({ code: 'CAPTURE_MALFORMED', details: { offset: 24 } });
    expect((err as { message: string }).message).toMatch(/10000000 bytes, above the limit/);
    const badTrailer = pcapngOf();
    badTrailer.writeUInt32LE(4, 28 + 32 - 4); // the first interface block's trailing length
    expect(await codeOf(analyzeCapture([badTrailer]))).toBe('CAPTURE_MALFORMED');
    const noInterface = Buffer.concat([pcapngSectionHeader(), pcapngEnhancedPacket(3, 0n, Buffer.alloc(20))]);
    expect(await codeOf(analyzeCapture([noInterface]))).toBe('CAPTURE_MALFORMED');
    expect(await codeOf(analyzeCapture([Buffer.concat([pcapFileHeader({ linkType: 147 }), pcapRecord(t0, Buffer.alloc(10))])]))).toBe('CAPTURE_UNSUPPORTED_LINKTYPE');
    // In pcapng an unsupported interface only has its packets counted.
    const mixed = Buffer.concat([pcapngSectionHeader(), pcapngInterface(147), pcapngEnhancedPacket(0, 0n, Buffer.alloc(20))]);
    expect(await analyzeCapture([mixed])).toMatchObject({ packets: 0, unsupportedLinkPackets: 1 });
  });
});
