export { modbusDeviceSchema, type ModbusDeviceConfig, type ModbusDeviceConfigInput } from './device-config.js';
export { createModbusDevice, type ModbusDevice, type ModbusDeviceSinks } from './modbus/modbus-device.js';
export type { Connector, ConnectorSinks, DeviceState, DeviceStatus, DiscoveredDevice } from './driver.js';
export { openSampleBuffer, type SampleBuffer, type SampleBufferStats, type BufferedBatch } from './buffer/sample-buffer.js';
export { createUplink, createBusSender, type Uplink, type UplinkStats, type BatchSender } from './uplink/uplink.js';
export { startGateway, type Gateway, type GatewayStatus, type GatewayOptions } from './gateway.js';
export { connectionSchema, connectorFor, connectionIdOf, type ConnectionConfig, type ConnectionConfigInput } from './connectors.js';
export { gatewayConfigSchema, type GatewayConfig } from './gateway-config.js';
export { createPlatformLink, startPlatformSync, gatewayAssignmentSchema, type PlatformLink, type GatewayAssignment } from './platform/platform-link.js';
