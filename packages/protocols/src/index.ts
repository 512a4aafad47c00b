export * from './modbus/index.js';
export { routeOpcuaLogs } from './opcua-log.js';
