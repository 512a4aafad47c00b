export * from './modbus/index.js';
export * from './sparkplug/index.js';
export * from './handle/index.js';
