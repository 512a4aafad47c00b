import { encodeRequest } from '@yulian/protocols';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from './analyze.js';
import { createTcpSession, ethernetIpv4Tcp, pcapFileHeader, pcapRecord } from './pcap-writer.js';
import type { CaptureAnomaly, CaptureSummary, CaptureTransaction, FlowSummary } from './types.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
const plc = { ip: '10.0.0.10', port: 502 };
const hmi = { ip: '10.0.0.5', port: 40001 };

/** A pcap of the frames, 1 ms apart. */
const pcap = (frames: Buffer[]): Buffer => Buffer.concat([pcapFileHeader(), ...frames.map((f, i) => pcapRecord(t0 + i, f))]);

interface Result {
  txs: CaptureTransaction[];
  anomalies: CaptureAnomaly[];
  flows: FlowSummary[];
  summary: CaptureSummary;
}

async function analyze(chunks: Iterable<Uint8Array>, options: Parameters<typeof analyzeCapture>[2] = {}): Promise<Result> {
  const r = { txs: [] as CaptureTransaction[], anomalies: [] as CaptureAnomaly[], flows: [] as FlowSummary[] };
  const summary = await analyzeCapture(chunks, { transaction: (t) => r.txs.push(t), anomaly: (a) => r.anomalies.push(a), flow: (f) => r.flows.push(f) }, options);
  return { ...r, summary };
}

/** Three polls on one connection; `tweak` may reorder or drop the data frames (indexes 0–5). */
function polling(tweak: (data: Buffer[]) => Buffer[] = (d) => d, options: { vlan?: number } = {}): Buffer[] {
  const s = createTcpSession(hmi, plc, options);
  const open = s.open();
  const data = [
    s.send('client', encodeRequest(1, 1, { fc: 3, address: 0, count: 2 })),
    s.send('server', hex('0001 0000 0007 01 03 04 0001 0002')),
    s.send('client', encodeRequest(2, 1, { fc: 16, address: 5, values: [7, 8] })),
    s.send('server', hex('0002 0000 0006 01 10 0005 0002')),
    s.send('client', encodeRequest(3, 1, { fc: 2, address: 8, count: 4 })),
    s.send('server', hex('0003 0000 0004 01 02 01 0a')),
  ];
  return [...open, ...tweak(data), ...s.close()];
}

const shape = (txs: CaptureTransaction[]): unknown[] => txs.map((t) => [t.tid, t.func, t.matched, t.address, t.quantity, t.requestValues, t.responseValues]);

describe('capture analysis', () => {
  it('decodes Modbus transactions with their endpoints and summarises the flow', async () => {
    const r = await analyze([pcap(polling())]);
    expect(shape(r.txs)).toEqual([
      [1, 'READ_HOLDING_REGISTERS', true, 0, 2, undefined, [1, 2]],
      [2, 'WRITE_MULTIPLE_REGISTERS', true, 5, 2, [7, 8], undefined],
      [3, 'READ_DISCRETE_INPUTS', true, 8, 4, undefined, [0, 1, 0, 1]],
    ]);
    expect(r.txs[0]).toMatchObject({ source: hmi, target: plc, ts: t0 + 3, responseTs: t0 + 4 });
    expect(r.flows).toEqual([
      expect.objectContaining({ protocol: 'tcp', client: hmi, server: plc, packetsFromClient: 7, packetsFromServer: 5, synOnly: false, state: 'closed', tcp: { gaps: 0, gapBytes: 0, duplicateBytes: 0, outOfOrder: 0 } }),
    ]);
    expect(r.summary).toMatchObject({ packets: 12, tcpPackets: 12, flows: { total: 1, modbus: 1, synOnly: 0 }, modbus: { transactions: 3, writes: 1, anomalies: 0 } });
  });

  it('gives the same result for the capture split at every byte boundary', async () => {
    const bytes = pcap(polling());
    const whole = await analyze([bytes]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const r = await analyze([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(r.txs, `cut ${cut}`).toEqual(whole.txs);
      expect(r.summary, `cut ${cut}`).toEqual(whole.summary);
    }
  });

  it('drops retransmitted data, waits for reordered segments and counts a lost one as a gap', async () => {
    const expected = shape((await analyze([pcap(polling())])).txs);
    const retransmitted = await analyze([pcap(polling((d) => [d[0]!, d[0]!, d[1]!, d[2]!, d[3]!, d[3]!, d[4]!, d[5]!]))]);
    expect(shape(retransmitted.txs)).toEqual(expected);
    expect(retransmitted.summary.tcp.duplicateBytes).toBe(d(0) + d(3));
    const reordered = await analyze([pcap(polling((d) => [d[2]!, d[0]!, d[1]!, d[3]!, d[4]!, d[5]!]))]);
    expect(shape(reordered.txs)).toEqual(expected);
    expect(reordered.flows[0]?.tcp).toMatchObject({ gaps: 0, outOfOrder: 1 });
    const lost = await analyze([pcap(polling((d) => [d[0]!, d[1]!, d[3]!, d[4]!, d[5]!]))]);
    expect(lost.summary.tcp).toMatchObject({ gaps: 1, gapBytes: d(2) });
    // tid 2's request is lost: its response stands alone; tids 1 and 3 pair.
    expect(lost.txs.filter((t) => t.matched).map((t) => t.tid)).toEqual([1, 3]);
    expect(lost.anomalies.map((a) => [a.code, a.tid])).toEqual([['UNSOLICITED_RESPONSE', 2]]);
  });

  it('reports a lying Modbus length with its endpoints and keeps decoding the connection', async () => {
    const s = createTcpSession(hmi, plc);
    const frames = [
      ...s.open(),
      s.send('client', hex('0001 0000 fff0 01 03 0000 0001')),
      s.send('client', encodeRequest(2, 1, { fc: 3, address: 1, count: 1 })),
      s.send('server', hex('0002 0000 0005 01 03 02 0063')),
    ];
    const r = await analyze([pcap(frames)]);
    expect(r.anomalies).toEqual([expect.objectContaining({ code: 'INVALID_LENGTH', direction: 'request', tid: 1, source: hmi, target: plc })]);
    expect(shape(r.txs)).toEqual([[2, 'READ_HOLDING_REGISTERS', true, 1, 1, undefined, [99]]]);
    expect(r.summary.modbus.anomalies).toBe(1);
  });

  it('picks up a connection captured mid-stream and one on a VLAN', async () => {
    const vlan = polling((d) => d, { vlan: 12 });
    // Without the handshake: the side on port 502 is still the server.
    const r = await analyze([pcap(vlan.slice(3, 8))]);
    expect(shape(r.txs).slice(0, 2)).toEqual(shape((await analyze([pcap(polling())])).txs).slice(0, 2));
    expect(r.txs[0]).toMatchObject({ source: hmi, target: plc });
    const answerFirst = await analyze([pcap(vlan.slice(4, 8))]);
    expect(answerFirst.flows[0]).toMatchObject({ client: hmi, server: plc });
  });

  it('counts connection attempts that got no answer, as a port scan makes, and summarises UDP', async () => {
    const frames: Buffer[] = [];
    for (let port = 1; port <= 20; port++) {
      frames.push(ethernetIpv4Tcp({ srcIp: '10.0.0.66', dstIp: '10.0.0.10', srcPort: 55000, dstPort: port, seq: 1, ack: 0, flags: 0x02 }));
      frames.push(ethernetIpv4Tcp({ srcIp: '10.0.0.10', dstIp: '10.0.0.66', srcPort: port, dstPort: 55000, seq: 0, ack: 2, flags: 0x14 }));
    }
    // A UDP datagram (SNMP): Ethernet, IPv4 (protocol 17), UDP 40000 → 161 with 4 bytes.
    frames.push(hex('020000000a0a 020000000a05 0800 4500 0020 0000 4000 4011 0000 0a000005 0a00000a 9c40 00a1 000c 0000 01020304'));
    const r = await analyze([pcap(frames)]);
    expect(r.summary.flows).toMatchObject({ total: 21, synOnly: 20, modbus: 0 });
    expect(r.flows.filter((f) => f.synOnly).map((f) => f.server.port)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(r.flows.filter((f) => f.synOnly).every((f) => f.client.ip === '10.0.0.66' && f.state === 'reset')).toBe(true);
    expect(r.flows.find((f) => f.protocol === 'udp')).toMatchObject({ client: { ip: '10.0.0.5', port: 40000 }, server: { ip: '10.0.0.10', port: 161 }, packetsFromClient: 1, bytesFromClient: 32 });
    // With room for 5 flows the oldest live ones are evicted, and counted (unanswered SYNs stay open).
    const small = await analyze([pcap(frames.filter((_, i) => i % 2 === 0 && i < 40))], { maxFlows: 5 });
    expect(small.summary.flows).toMatchObject({ total: 20, evicted: 15, synOnly: 20 });
    expect(small.flows.map((f) => f.state)).toEqual([...Array<string>(15).fill('evicted'), ...Array<string>(5).fill('open')]);
  });
});

/** Modbus bytes in data frame `i` of `polling()` (request/response lengths). */
function d(i: number): number {
  return [12, 13, 17, 12, 12, 10][i] as number;
}
