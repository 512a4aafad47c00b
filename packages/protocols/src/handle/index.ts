export * from './constants.js';
export * from './wire.js';
export * from './values.js';
export * from './message.js';
export * from './client.js';
