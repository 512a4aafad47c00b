export * from './errors/index.js';
export * from './config/index.js';
export * from './logging/index.js';
export * from './store/index.js';
export * from './auth/index.js';
export * from './identity/index.js';
export * from './testing/index.js';
export * from './bus/index.js';
