/** What the capture analyser reports: transactions, anomalies and flow summaries, and the capture summary. */
import type { ModbusAnomaly, ModbusConversationStats, ModbusTransaction } from '@yulian/protocols';

/** One side of a flow. */
export interface Endpoint {
  ip: string;
  port: number;
}

/** A Modbus transaction seen in a capture: from the client (`source`) to the server (`target`). */
export interface CaptureTransaction extends ModbusTransaction {
  flowId: number;
  source: Endpoint;
  target: Endpoint;
}

/** A Modbus anomaly seen in a capture: `source` sent the offending frame. */
export interface CaptureAnomaly extends ModbusAnomaly {
  flowId: number;
  source: Endpoint;
  target: Endpoint;
}

/** A TCP or UDP flow, reported when it ends (closed or reset and then idle, expired, evicted, or the capture ended). */
export interface FlowSummary {
  id: number;
  protocol: 'tcp' | 'udp';
  /** The originator: the SYN's sender, else the side talking to a Modbus port, else the first sender. */
  client: Endpoint;
  server: Endpoint;
  firstTs: number;
  lastTs: number;
  packetsFromClient: number;
  packetsFromServer: number;
  /** IP bytes (headers included). */
  bytesFromClient: number;
  bytesFromServer: number;
  /** A SYN that got no SYN-ACK and carried no data: a connection attempt, as a port scan makes. */
  synOnly: boolean;
  /** closed (FINs), reset, open at the end of the capture, expired (idle), evicted (table full). */
  state: 'closed' | 'reset' | 'open' | 'expired' | 'evicted';
  tcp?: { gaps: number; gapBytes: number; duplicateBytes: number; outOfOrder: number };
  modbus?: ModbusConversationStats;
}

/** Receives the analysis as it goes; every callback is optional. */
export interface CaptureSink {
  transaction?(tx: CaptureTransaction): void;
  anomaly?(a: CaptureAnomaly): void;
  flow?(f: FlowSummary): void;
}

/** The capture as a whole. */
export interface CaptureSummary {
  format: 'pcap' | 'pcapng';
  /** Bytes of the capture file read. */
  bytes: number;
  packets: number;
  firstTs?: number;
  lastTs?: number;
  tcpPackets: number;
  udpPackets: number;
  /** IP packets of other protocols (ICMP …). */
  otherIpPackets: number;
  nonIpPackets: number;
  /** IP fragments after the first, not reassembled. */
  fragments: number;
  /** Packets whose headers are cut or inconsistent. */
  malformedPackets: number;
  /** pcapng packets on interfaces of an unsupported link type. */
  unsupportedLinkPackets: number;
  flows: { total: number; modbus: number; evicted: number; expired: number; synOnly: number };
  tcp: { gaps: number; gapBytes: number; duplicateBytes: number };
  modbus: { transactions: number; anomalies: number; writes: number; exceptions: number };
  /** The capture ended inside a record: results cover the packets before it. */
  truncated?: { offset: number; bytes: number; detail: string };
}
