// Devices: telemetry store and rollups, live stream, commands (and, later, profiles, asset tree, lifecycle).
export * from './telemetry/index.js';
