/**
 * Equipment analytics (issue 6): vibration diagnosis, remaining useful life, anomaly detection and the
 * rule expression language. Pure TypeScript, in-process; no Python, nothing downloaded.
 */
export * from './expression/index.js';
export * from './anomaly/index.js';
export * from './rules/index.js';
export * from './rul/index.js';
export * from './health/index.js';
export * from './vibration/index.js';
