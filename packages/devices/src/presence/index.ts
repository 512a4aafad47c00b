export { createPresenceTracker, type PresenceTracker, type PresenceTrackerOptions } from './tracker.js';
export { parseGatewayReport, type DevicePresence, type GatewayStatusReport, type PresenceEvent, type PresenceSample, type PresenceState, type ReportedDeviceStatus } from './types.js';
