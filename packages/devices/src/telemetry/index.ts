export { createTelemetryStore, oldestAcceptedTs, type ExportQuery, type LatestValue, type RetentionDays, type TelemetryStore, type TelemetryStoreOptions, type TelemetryStoreStats } from './telemetry-store.js';
export { startTelemetryIngest, type TelemetryIngestOptions } from './ingest.js';
export { aggregates, checkRange, queryLimits, type Aggregate, type SeriesPoint, type SeriesResult, type TelemetryQuery } from './query.js';
export { tiers, type Tier, type TierName } from './model.js';
