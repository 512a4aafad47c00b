export * from './counters.js';
export * from './node-stats.js';
export * from './stats-store.js';
export * from './counting.js';
export * from './report.js';
