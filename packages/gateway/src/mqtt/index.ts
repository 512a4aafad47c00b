export { mqttConnectionSchema, jsonMappingSchema, sparkplugHostSchema, isTopicFilter, type MqttConnectionConfig, type MqttConnectionConfigInput, type JsonMapping } from './mqtt-config.js';
export { createMqttConnector, type MqttConnector, type MqttConnectionStatus } from './mqtt-connector.js';
export { sparkplugDeviceId, pointKeyFor, mqttDeviceIdPattern } from './device-ids.js';
