export * from './modbus/index.js';
export * from './sparkplug/index.js';
