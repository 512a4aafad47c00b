// Devices: telemetry store and rollups, live stream, commands (and, later, profiles, asset tree, lifecycle).
export * from './telemetry/index.js';
export { createCommandService, createCommandStore, createPointRateLimiter, validateCommand, checkValue, commandableDevice, isWritable, type CommandService, type CommandServiceDeps, type CommandDispatcher, type CommandCaller, type CommandStore, type NewCommand, type PointRateLimiter, type ValidatedCommand, type CommandableDevice } from './commands/index.js';
export { createPresenceTracker, parseGatewayReport, type DevicePresence, type GatewayStatusReport, type PresenceEvent, type PresenceSample, type PresenceState, type PresenceTracker, type PresenceTrackerOptions, type ReportedDeviceStatus } from './presence/index.js';
export { createLiveHub, liveClientMessageSchema, type LiveClient, type LiveClientMessage, type LiveClientStats, type LiveHub, type LiveHubOptions, type LiveHubStats, type LiveSample, type LiveSampleInput, type LiveScope, type LiveServerMessage, type LiveSocket } from './live/index.js';
export { createDashboardStore, type DashboardInput, type DashboardStore } from './dashboards/index.js';
export { createAssetService, createAssetNodeRepository, createDeviceAssetRepository, createFileStore, planImageType, planMaxBytes, documentMaxBytes, checkPlacement, siteOf, assetSummary, identifierOf, type AssetService, type AssetServiceOptions, type AssetNodeRepository, type DeviceAssetRepository, type KnownDevice, type FileStore, type FileOwnerKind, type StoredFile, type StoredFileInfo, type PlacementInput, type PlacementCheck } from './assets/index.js';
export { createProfileRepository, importDevices, importMaxRows, deviceConfigFromProfile, parseCsv, type ProfileRepository, type ConfigParser, type ImportDeps, type DeviceFields, type CsvRecord } from './profiles/index.js';
export { createDeviceHistory, createLifecycleService, historyRow, type DeviceHistory, type NewHistoryEntry, type LifecycleService } from './lifecycle/index.js';
export { checkAlarmRule, createAlarmStore, createAlarmRuleStore, ruleSpecOf, alarmStates, type Alarm, type AlarmComment, type AlarmRaise, type AlarmRule, type AlarmRuleInput, type AlarmRuleStore, type AlarmState, type AlarmStore } from './alarms/index.js';
export { toAlarm, toAlarmEvent, writeTransaction, type AlarmEvent } from './alarms/index.js';
export { createMaintenanceService, type MaintenanceService, type MaintenanceServiceOptions, type WorkOrderFilter, type WorkOrderPatch, alarmHistoryEntries, mergeHistory } from './maintenance/index.js';
export { createInspectionService, distanceMeters, nextStart, scannedIdentifier, taskStatusAt, type InspectionActor, type InspectionService, type InspectionServiceOptions, type InspectionTaskFilter } from './inspection/index.js';
export { createHealthStore, type HealthSnapshot, type HealthStore, type RulBinding, type RulModelInfo } from './health/index.js';
export * from './vibration/index.js';
