export { createStore, sqlitePath, type Store, type StoreDialect, type StoreOptions, type StoreStats, type Row, type NativeStore, type SnapshotReader } from './create-store.js';
export type * from './schema.js';
export { ensureTelemetryPartitions, telemetryPartitionOf, telemetryPartitioning, type PartitionedTelemetryTable } from './telemetry-partitions.js';
export { pgTransaction } from './pg-transaction.js';
