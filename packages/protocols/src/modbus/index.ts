export { decodeRegisters, encodeRegisters, registersToBytes, bytesToRegisters, scale, unscale, ValueError } from './values.js';
export {
  encodeRequest,
  decodeResponse,
  splitFrames,
  exceptionNames,
  FrameError,
  maxReadRegisters,
  maxReadBits,
  maxWriteRegisters,
  maxWriteBits,
  type ModbusRequest,
  type ModbusResponse,
  type FrameHeader,
} from './frame.js';
export { createModbusTcpClient, type ModbusTcpClient, type ModbusTcpClientOptions, type ModbusClientStats, type ModbusResult } from './client.js';
export { planReads, spanOf, type ReadBlock, type PlanOptions, type ModbusPoint } from './plan.js';
export { readPoints, writePoint, reasonOf, type PointReading } from './points-io.js';
export { createModbusTcpServer, createDataModel, type ModbusTcpServer, type ModbusTcpServerOptions, type ModbusServerStats, type ModbusUnits, type ModbusDataModel, type DataModelSizes, type ModbusWrite, type ModbusWriteListener, type ModbusBitTable, type ModbusRegisterTable } from './server.js';
export {
  createModbusConversation,
  functionName,
  isKnownFunction,
  type ModbusTransaction,
  type ModbusAnomaly,
  type ModbusAnomalyCode,
  type ModbusConversation,
  type ModbusConversationSink,
  type ModbusConversationStats,
  type ModbusLinkedDetails,
} from './transactions.js';
