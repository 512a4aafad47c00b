export * from './syntax.js';
export * from './gs1.js';
export * from './records.js';
export * from './node/handle-service.js';
export * from './node/handle-server.js';
export * from './node/rate-limiter.js';
export * from './node/backend.js';
