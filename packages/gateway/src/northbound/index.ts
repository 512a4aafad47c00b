export { startNorthboundOpcua, northboundNamespaceUri, type NorthboundOpcua, type NorthboundOpcuaOptions, type NorthboundStats } from './opcua-server.js';
export type { NorthboundDevice } from './device-nodes.js';
export type { NorthboundUser, Authenticate } from './users.js';
export { writeStatusByCode, type NorthboundWrite, type OnWrite } from './write-routing.js';
export { opcuaTypeNames } from './values.js';
