export * from './link-types.js';
export * from './link-store.js';
export * from './link-values.js';
export * from './chain.js';
export * from './trace-service.js';
