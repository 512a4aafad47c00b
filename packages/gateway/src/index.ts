export { modbusDeviceSchema, type ModbusDeviceConfig, type ModbusDeviceConfigInput } from './device-config.js';
export { createModbusDevice, type ModbusDevice, type ModbusDeviceSinks, type DeviceStatus, type DeviceState } from './modbus/modbus-device.js';
