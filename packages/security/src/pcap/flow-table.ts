/**
 * The flow table of a capture: one entry per TCP/UDP 5-tuple (both directions), counters for the flow
 * summary, and for Modbus flows a per-direction TCP reassembly feeding `createModbusConversation`.
 * Reassembly is made for in-order traffic with retransmissions: repeated sequence ranges are dropped, a
 * few out-of-order segments wait for the hole to fill, and a hole that stays is counted as a gap (the
 * Modbus decoder then drops its partial frame). The table holds at most `maxFlows`; beyond that the oldest
 * flow is evicted (counted), and flows idle for `idleMs` of capture time are expired.
 */
import { type ModbusAnomaly, type ModbusConversation, type ModbusConversationSink, type ModbusTransaction, createModbusConversation } from '@yulian/protocols';
import { type DecodedPacket, formatIp, ipKey } from './packet-decode.js';
import type { CaptureSink, CaptureTransaction, Endpoint, FlowSummary, CaptureAnomaly } from './types.js';

/** Out-of-order segments kept per direction before a hole counts as a gap. */
const maxOutOfOrder = 8;

interface Direction {
  /** Next expected sequence number; -1 before the first segment. */
  next: number;
  waiting: Array<{ seq: number; data: Uint8Array; ts: number }>;
}

interface Flow {
  id: number;
  key: string;
  protocol: number;
  client: Endpoint;
  server: Endpoint;
  clientKey: string | number;
  clientPort: number;
  firstTs: number;
  lastTs: number;
  packets: [number, number];
  bytes: [number, number];
  syn: boolean;
  synAck: boolean;
  payload: boolean;
  /** FIN seen from the client (1) and the server (2). */
  fin: number;
  /** Ended by FINs or a reset; kept until idle so that its last ACKs do not open a new flow. */
  ended: 'closed' | 'reset' | null;
  dirs: [Direction, Direction] | null;
  modbus: ModbusConversation | null;
  tcp: { gaps: number; gapBytes: number; duplicateBytes: number; outOfOrder: number };
}

/** Options of the flow table. */
export interface FlowTableOptions {
  maxFlows: number;
  idleMs: number;
  modbusPorts: ReadonlySet<number>;
  maxPending?: number;
}

/** Totals the table keeps for the capture summary. */
export interface FlowTableTotals {
  flows: number;
  modbusFlows: number;
  evicted: number;
  expired: number;
  synOnly: number;
  gaps: number;
  gapBytes: number;
  duplicateBytes: number;
}

/** Creates the flow table; `packet` takes each decoded TCP/UDP packet, `flush` ends every flow. */
export function createFlowTable(sink: CaptureSink, o: FlowTableOptions) {
  const flows = new Map<string, Flow>();
  const totals: FlowTableTotals = { flows: 0, modbusFlows: 0, evicted: 0, expired: 0, synOnly: 0, gaps: 0, gapBytes: 0, duplicateBytes: 0 };
  let nextId = 1;
  let lastSweep = -Infinity;

  /** The TCP conversation is over: waiting segments go, the Modbus decoder flushes its pending requests. */
  function finish(flow: Flow): void {
    if (flow.dirs) for (const dir of [0, 1] as const) drainAll(flow, dir);
    flow.modbus?.end(flow.lastTs);
    flow.dirs = null;
  }

  function close(flow: Flow, state: FlowSummary['state']): void {
    flows.delete(flow.key);
    if (flow.ended === null) finish(flow);
    const synOnly = flow.protocol === 6 && flow.syn && !flow.synAck && !flow.payload;
    if (synOnly) totals.synOnly++;
    totals.gaps += flow.tcp.gaps;
    totals.gapBytes += flow.tcp.gapBytes;
    totals.duplicateBytes += flow.tcp.duplicateBytes;
    if (!sink.flow) return;
    const summary: FlowSummary = {
      id: flow.id,
      protocol: flow.protocol === 6 ? 'tcp' : 'udp',
      client: flow.client,
      server: flow.server,
      firstTs: flow.firstTs,
      lastTs: flow.lastTs,
      packetsFromClient: flow.packets[0],
      packetsFromServer: flow.packets[1],
      bytesFromClient: flow.bytes[0],
      bytesFromServer: flow.bytes[1],
      synOnly,
      state: flow.ended ?? state,
    };
    if (flow.protocol === 6) summary.tcp = { ...flow.tcp };
    if (flow.modbus) summary.modbus = { ...flow.modbus.stats };
    sink.flow(summary);
  }

  function open(p: DecodedPacket, key: string, srcKey: string | number, dstKey: string | number, ts: number): Flow {
    if (flows.size >= o.maxFlows) {
      const oldest = flows.values().next().value as Flow;
      // Retiring a flow that had ended loses nothing; only live ones count as evicted.
      if (oldest.ended === null) totals.evicted++;
      close(oldest, 'evicted');
    }
    const src: Endpoint = Object.freeze({ ip: formatIp(p.data, p.srcOffset, p.ipVersion), port: p.srcPort });
    const dst: Endpoint = Object.freeze({ ip: formatIp(p.data, p.dstOffset, p.ipVersion), port: p.dstPort });
    // Who opened it: the SYN's sender; else whoever talks to a Modbus port; else the first sender.
    const syn = p.kind === 'tcp' && (p.flags & 0x02) !== 0;
    const senderIsServer = syn ? (p.flags & 0x10) !== 0 : o.modbusPorts.has(p.srcPort) && !o.modbusPorts.has(p.dstPort);
    const flow: Flow = {
      id: nextId++,
      key,
      protocol: p.kind === 'tcp' ? 6 : 17,
      client: senderIsServer ? dst : src,
      server: senderIsServer ? src : dst,
      clientKey: senderIsServer ? dstKey : srcKey,
      clientPort: senderIsServer ? p.dstPort : p.srcPort,
      firstTs: ts,
      lastTs: ts,
      packets: [0, 0],
      bytes: [0, 0],
      syn: false,
      synAck: false,
      payload: false,
      fin: 0,
      ended: null,
      dirs: null,
      modbus: null,
      tcp: { gaps: 0, gapBytes: 0, duplicateBytes: 0, outOfOrder: 0 },
    };
    if (p.kind === 'tcp' && o.modbusPorts.has(flow.server.port)) {
      flow.dirs = [{ next: -1, waiting: [] }, { next: -1, waiting: [] }];
      flow.modbus = createModbusConversation(modbusSink(flow), o.maxPending === undefined ? {} : { maxPending: o.maxPending });
      totals.modbusFlows++;
    }
    totals.flows++;
    flows.set(key, flow);
    return flow;
  }

  function modbusSink(flow: Flow): ModbusConversationSink {
    return {
      transaction(tx: ModbusTransaction): void {
        const t = tx as CaptureTransaction;
        t.flowId = flow.id;
        t.source = flow.client;
        t.target = flow.server;
        sink.transaction?.(t);
      },
      anomaly(a: ModbusAnomaly): void {
        const c = a as CaptureAnomaly;
        c.flowId = flow.id;
        c.source = a.direction === 'request' ? flow.client : flow.server;
        c.target = a.direction === 'request' ? flow.server : flow.client;
        sink.anomaly?.(c);
      },
    };
  }

  function deliver(flow: Flow, dir: 0 | 1, data: Uint8Array, ts: number): void {
    if (dir === 0) flow.modbus?.fromClient(data, ts);
    else flow.modbus?.fromServer(data, ts);
  }

  /** Takes a segment at `seq`: in order, overlapping (retransmitted) or ahead of a hole. */
  function segment(flow: Flow, dir: 0 | 1, seq: number, data: Uint8Array, ts: number, copy: boolean): void {
    const d = (flow.dirs as [Direction, Direction])[dir];
    if (d.next < 0) d.next = seq;
    const rel = (seq - d.next) | 0;
    if (rel > 0) {
      if (d.waiting.length < maxOutOfOrder) {
        flow.tcp.outOfOrder++;
        d.waiting.push({ seq, data: copy ? data.slice() : data, ts });
        return;
      }
      gap(flow, dir, rel);
    } else if (rel < 0) {
      const dup = Math.min(-rel, data.length);
      flow.tcp.duplicateBytes += dup;
      if (dup === data.length) return;
      data = data.subarray(dup);
    }
    deliver(flow, dir, data, ts);
    d.next = (d.next + (rel > 0 ? rel : 0) + data.length) >>> 0;
    drain(flow, dir);
  }

  function gap(flow: Flow, dir: 0 | 1, bytes: number): void {
    flow.tcp.gaps++;
    flow.tcp.gapBytes += bytes;
    flow.modbus?.lost(dir === 0 ? 'client' : 'server');
  }

  /** Delivers waiting segments the stream has reached. */
  function drain(flow: Flow, dir: 0 | 1): void {
    const d = (flow.dirs as [Direction, Direction])[dir];
    for (let i = 0; i < d.waiting.length; ) {
      const w = d.waiting[i] as { seq: number; data: Uint8Array; ts: number };
      if (((w.seq - d.next) | 0) <= 0) {
        d.waiting.splice(i, 1);
        segment(flow, dir, w.seq, w.data, w.ts, false);
        return;
      }
      i++;
    }
  }

  /** At the end of a flow: what still waits goes in sequence order, holes counted as gaps. */
  function drainAll(flow: Flow, dir: 0 | 1): void {
    const d = (flow.dirs as [Direction, Direction])[dir];
    while (d.waiting.length > 0) {
      d.waiting.sort((a, b) => ((a.seq - d.next) | 0) - ((b.seq - d.next) | 0));
      const w = d.waiting.shift() as { seq: number; data: Uint8Array; ts: number };
      const rel = (w.seq - d.next) | 0;
      if (rel > 0) {
        gap(flow, dir, rel);
        d.next = w.seq;
      }
      segment(flow, dir, w.seq, w.data, w.ts, false);
    }
  }

  /**
   * The peer acknowledged up to `ack`: when segments wait behind a hole the peer has acknowledged, the
   * capture lost those bytes (no retransmission will come), so the hole becomes a gap now rather than at
   * the end of the flow. Without waiting segments nothing is concluded: the capture may reorder directions.
   */
  function acknowledged(flow: Flow, dir: 0 | 1, ack: number): void {
    const d = (flow.dirs as [Direction, Direction])[dir];
    if (d.waiting.length > 0 && d.next >= 0 && ((ack - d.next) | 0) > 0) drainAll(flow, dir);
  }

  function sweep(now: number): void {
    lastSweep = now;
    for (const flow of flows.values()) {
      if (now - flow.lastTs > o.idleMs) {
        totals.expired++;
        close(flow, 'expired');
      }
    }
  }

  return {
    totals,
    /** Accounts one decoded TCP or UDP packet. */
    packet(p: DecodedPacket, ts: number): void {
      if (ts - lastSweep > o.idleMs / 2) sweep(ts);
      const srcKey = ipKey(p.data, p.srcOffset, p.ipVersion);
      const dstKey = ipKey(p.data, p.dstOffset, p.ipVersion);
      const srcFirst = srcKey < dstKey || (srcKey === dstKey && p.srcPort <= p.dstPort);
      const key = srcFirst ? `${p.kind}|${srcKey}|${p.srcPort}|${dstKey}|${p.dstPort}` : `${p.kind}|${dstKey}|${p.dstPort}|${srcKey}|${p.srcPort}`;
      let flow = flows.get(key);
      if (flow?.ended && p.kind === 'tcp' && (p.flags & 0x12) === 0x02) {
        // A new connection on the same ports.
        close(flow, flow.ended);
        flow = undefined;
      }
      flow ??= open(p, key, srcKey, dstKey, ts);
      const dir: 0 | 1 = srcKey === flow.clientKey && p.srcPort === flow.clientPort ? 0 : 1;
      flow.lastTs = ts;
      flow.packets[dir]++;
      flow.bytes[dir] += p.ipLength;
      if (p.payloadLength > 0) flow.payload = true;
      if (p.kind !== 'tcp') return;
      const flags = p.flags;
      if (flags & 0x02) {
        if (flags & 0x10) flow.synAck = true;
        else flow.syn = true;
      }
      if (flow.dirs) {
        const d = flow.dirs[dir];
        if (flags & 0x02) d.next = (p.seq + 1) >>> 0;
        if (flags & 0x10) acknowledged(flow, dir === 0 ? 1 : 0, p.ack);
        if (p.payloadLength > 0) segment(flow, dir, p.seq, p.data.subarray(p.payloadOffset, p.payloadOffset + p.payloadLength), ts, true);
        // A FIN takes one sequence number.
        if (flags & 0x01 && d.next >= 0 && ((p.seq + p.payloadLength - d.next) | 0) === 0) d.next = (d.next + 1) >>> 0;
      }
      if (flags & 0x01) flow.fin |= dir === 0 ? 1 : 2;
      if (flow.ended === null && (flags & 0x04 || flow.fin === 3)) {
        flow.ended = flags & 0x04 ? 'reset' : 'closed';
        finish(flow);
      }
    },
    /** Ends every flow still open (end of the capture). */
    flush(): void {
      for (const flow of [...flows.values()]) close(flow, 'open');
    },
  };
}

/** The flow table's interface. */
export type FlowTable = ReturnType<typeof createFlowTable>;
