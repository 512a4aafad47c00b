/**
 * Passive analysis of a packet capture: read it as a stream (bounded memory: one record plus the flow
 * table), decode headers, summarise every TCP/UDP flow and decode Modbus/TCP flows (port 502 on either
 * side) per transaction.
 */
import { createCaptureParser } from './capture-reader.js';
import { createFlowTable } from './flow-table.js';
import { createDecodedPacket, decodePacket, supportedLinkTypes } from './packet-decode.js';
import type { CaptureSink, CaptureSummary } from './types.js';

/** Options of `analyzeCapture`. */
export interface AnalyzeCaptureOptions {
  /** Flows held at once (default 100,000); the oldest is evicted beyond. */
  maxFlows?: number;
  /** Capture time after which a silent flow ends (default 10 minutes). */
  flowIdleMs?: number;
  /** The longest pcap record or pcapng block accepted (default 256 KiB). */
  maxBlockBytes?: number;
  /** TCP ports decoded as Modbus (default 502). */
  modbusPorts?: readonly number[];
  /** Requests waiting for their response, per Modbus conversation (default 256). */
  maxPending?: number;
}

/**
 * Analyses a capture read from `source` (a file stream, an upload). Results go to `sink` as they are
 * found; the summary comes at the end. Throws CAPTURE_MALFORMED, CAPTURE_TRUNCATED (cut inside the file
 * header) or CAPTURE_UNSUPPORTED_LINKTYPE; a capture cut inside a later packet ends with `truncated`.
 * @example
 * const summary = await analyzeCapture(createReadStream('plant.pcap'), { transaction: (tx) => rows.push(tx) });
 */
export async function analyzeCapture(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, sink: CaptureSink = {}, options: AnalyzeCaptureOptions = {}): Promise<CaptureSummary> {
  const maxFlows = options.maxFlows ?? 100_000;
  const idleMs = options.flowIdleMs ?? 600_000;
  if (!(maxFlows >= 1) || !(idleMs > 0)) throw new RangeError('maxFlows must be at least 1 and flowIdleMs above 0');
  const modbus = { transactions: 0, anomalies: 0, writes: 0, exceptions: 0 };
  const counting: CaptureSink = {
    transaction(tx) {
      modbus.transactions++;
      if (tx.write) modbus.writes++;
      if (tx.exception !== undefined) modbus.exceptions++;
      sink.transaction?.(tx);
    },
    anomaly(a) {
      modbus.anomalies++;
      sink.anomaly?.(a);
    },
    ...(sink.flow ? { flow: sink.flow.bind(sink) } : {}),
  };
  const table = createFlowTable(counting, { maxFlows, idleMs, modbusPorts: new Set(options.modbusPorts ?? [502]), ...(options.maxPending === undefined ? {} : { maxPending: options.maxPending }) });
  const counts = { tcp: 0, udp: 0, otherIp: 0, nonIp: 0, fragments: 0, malformed: 0 };
  let firstTs: number | undefined;
  let lastTs: number | undefined;
  const decoded = createDecodedPacket();
  const parser = createCaptureParser(
    (packet) => {
      firstTs ??= packet.ts;
      lastTs = packet.ts;
      const p = decodePacket(packet.linkType, packet.data, decoded);
      switch (p.kind) {
        case 'tcp':
          counts.tcp++;
          return table.packet(p, packet.ts);
        case 'udp':
          counts.udp++;
          return table.packet(p, packet.ts);
        case 'ip-other': counts.otherIp++; return;
        case 'fragment': counts.fragments++; return;
        case 'malformed': counts.malformed++; return;
        default: counts.nonIp++;
      }
    },
    { supportedLinkTypes, ...(options.maxBlockBytes === undefined ? {} : { maxBlockBytes: options.maxBlockBytes }) },
  );
  for await (const chunk of source) parser.push(chunk);
  const end = parser.end();
  table.flush();
  const t = table.totals;
  const summary: CaptureSummary = {
    format: end.format,
    bytes: end.bytes,
    packets: end.packets,
    tcpPackets: counts.tcp,
    udpPackets: counts.udp,
    otherIpPackets: counts.otherIp,
    nonIpPackets: counts.nonIp,
    fragments: counts.fragments,
    malformedPackets: counts.malformed,
    unsupportedLinkPackets: end.unsupportedLinkPackets,
    flows: { total: t.flows, modbus: t.modbusFlows, evicted: t.evicted, expired: t.expired, synOnly: t.synOnly },
    tcp: { gaps: t.gaps, gapBytes: t.gapBytes, duplicateBytes: t.duplicateBytes },
    modbus,
  };
  if (firstTs !== undefined) summary.firstTs = firstTs;
  if (lastTs !== undefined) summary.lastTs = lastTs;
  if (end.truncated) summary.truncated = end.truncated;
  return summary;
}
