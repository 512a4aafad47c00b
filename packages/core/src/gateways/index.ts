export { createGatewayRegistry, gatewayTokenPrefix, type GatewayRegistry, type GatewayRecord, type DeviceRecord } from './registry.js';
