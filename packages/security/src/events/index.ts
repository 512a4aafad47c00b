export { createSecurityEventStore, type SecurityEventStore, type TimeRange, type TrendBucket } from './event-store.js';
