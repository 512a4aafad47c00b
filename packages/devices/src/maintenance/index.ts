export { createMaintenanceService, type MaintenanceService, type MaintenanceServiceOptions, type WorkOrderFilter, type WorkOrderPatch } from './maintenance-service.js';
export { alarmHistoryEntries, mergeHistory } from './timeline.js';
