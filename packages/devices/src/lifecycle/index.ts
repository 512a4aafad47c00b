export { createDeviceHistory, historyRow, type DeviceHistory, type NewHistoryEntry } from './history.js';
export { createLifecycleService, type LifecycleService } from './lifecycle-service.js';
