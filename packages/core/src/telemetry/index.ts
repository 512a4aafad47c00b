export { telemetryQueue, telemetryQueueOptions, telemetryBatchKey, writeTelemetry, startTelemetryIngest } from './ingest.js';
export { latestValues, seenDevices, type LatestValue, type SeenDevice } from './queries.js';
