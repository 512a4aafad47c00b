export { errorRegistry, statusOf, type ErrorCode } from './registry.js';
export { YulianError, isYulianError } from './yulian-error.js';
