export * from './modbus/index.js';
