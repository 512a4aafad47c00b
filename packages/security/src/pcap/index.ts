export { analyzeCapture, type AnalyzeCaptureOptions } from './analyze.js';
export { createCaptureParser, type CaptureParser, type CaptureParserOptions, type CapturePacket, type CaptureEnd } from './capture-reader.js';
export { decodePacket, createDecodedPacket, formatIp, supportedLinkTypes, type DecodedPacket } from './packet-decode.js';
export {
  pcapFileHeader,
  pcapRecord,
  ethernetIpv4Tcp,
  createTcpSession,
  pcapngBlock,
  pcapngSectionHeader,
  pcapngInterface,
  pcapngEnhancedPacket,
  pcapngSimplePacket,
  type PcapFileOptions,
  type TcpFrame,
  type TcpSession,
  type PcapngOptions,
} from './pcap-writer.js';
export type { Endpoint, CaptureTransaction, CaptureAnomaly, FlowSummary, CaptureSink, CaptureSummary } from './types.js';
