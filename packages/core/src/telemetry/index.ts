export { telemetryQueue, telemetryQueueOptions, telemetryBatchKey, writeTelemetry, startTelemetryIngest } from './ingest.js';
