// The public surface of the OPC UA driver; the package index re-exports it.
export { opcuaDeviceSchema, opcuaAuthSchema, type OpcuaDeviceConfig, type OpcuaDeviceConfigInput, type OpcuaAuth } from './opcua-device-config.js';
export { createOpcuaDevice, type OpcuaDeviceSinks } from './opcua-device.js';
export { browseOpcua, type BrowseNode, type BrowseOptions } from './browse.js';
export { pointsFromBrowse } from './points-from-browse.js';
export { opcuaClientCertificate } from './pki.js';
