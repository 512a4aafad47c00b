export {
  sparkplugNamespace,
  sparkplugMessageTypes,
  isSparkplugId,
  parseSparkplugTopic,
  sparkplugTopic,
  sparkplugStateTopic,
  encodeHostState,
  decodeHostState,
  type SparkplugMessageType,
  type SparkplugTopic,
  type SparkplugHostState,
} from './topic.js';
export { sparkplugDataTypes, sparkplugTypeCode, sparkplugTypeOfCode, pointDataTypeOf, sparkplugTypeOf, coerceSparkplugValue, type SparkplugDataType } from './datatypes.js';
export {
  encodeSparkplugPayload,
  decodeSparkplugPayload,
  retypeSparkplugValue,
  SparkplugPayloadError,
  type SparkplugPayload,
  type SparkplugMetric,
  type SparkplugValue,
  type SparkplugProperty,
} from './payload.js';
export { nextSparkplugSeq, SparkplugSeqTracker, type SeqCheck } from './seq.js';
export { rebirthMetricName, type SparkplugMetricDefinition } from './edge-metrics.js';
export { createSparkplugEdgeNode, type SparkplugEdgeNode, type SparkplugEdgeNodeOptions, type SparkplugEdgeNodeStats, type SparkplugCommand } from './edge-node.js';
