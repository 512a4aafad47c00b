export * from './record-signature.js';
export * from './key-store.js';
export * from './signed-records.js';
