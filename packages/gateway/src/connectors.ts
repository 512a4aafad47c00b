import { YulianError } from '@yulian/core';
import { z } from 'zod';
import { type ModbusDeviceConfig, modbusDeviceSchema } from './device-config.js';
import type { Connector, ConnectorSinks } from './driver.js';
import { createModbusDevice } from './modbus/modbus-device.js';
import { mqttConnectionSchema } from './mqtt/mqtt-config.js';
import { createMqttConnector } from './mqtt/mqtt-connector.js';
import { opcuaDeviceSchema } from './opcua/opcua-device-config.js';
import { createOpcuaDevice } from './opcua/opcua-device.js';

/**
 * Everything a gateway can connect to, told apart by `protocol`: one device each for Modbus TCP and
 * OPC UA, one broker connection (many devices) for MQTT.
 */
export const connectionSchema = z.discriminatedUnion('protocol', [modbusDeviceSchema, opcuaDeviceSchema, mqttConnectionSchema]);
/** A validated connection. */
export type ConnectionConfig = z.output<typeof connectionSchema>;
/** A connection as written. */
export type ConnectionConfigInput = z.input<typeof connectionSchema>;

/** The id a connection runs under: its device id, or the MQTT connection's id. */
export const connectionIdOf = (c: ConnectionConfig): string => c.id;

/** Adapts a polled Modbus device to the connector contract. */
function modbusConnector(config: ModbusDeviceConfig, sinks: ConnectorSinks): Connector {
  const device = createModbusDevice(config, sinks);
  const own = (id: string): void => {
    if (id !== config.id) throw new YulianError('DEVICE_NOT_FOUND', `No device ${id} on this connection.`);
  };
  return {
    id: config.id,
    start: () => device.start(),
    stop: () => device.stop(),
    devices: () => [device.status()],
    async write(id, point, value) {
      own(id);
      await device.write(point, value);
    },
    async read(id, point) {
      own(id);
      return device.read(point);
    },
  };
}

/** Creates the connector of a connection (not started). */
export function connectorFor(config: ConnectionConfig, sinks: ConnectorSinks & { pkiDir: string }): Connector {
  switch (config.protocol) {
    case 'modbus-tcp':
      return modbusConnector(config, sinks);
    case 'opcua':
      return createOpcuaDevice(config, sinks);
    case 'mqtt':
      return createMqttConnector(config, sinks);
  }
}
