export { createCommandService, type CommandService, type CommandServiceDeps, type CommandDispatcher, type CommandCaller } from './command-service.js';
export { createCommandStore, type CommandStore, type NewCommand } from './command-store.js';
export { createPointRateLimiter, type PointRateLimiter } from './rate-limiter.js';
export { validateCommand, checkValue, commandableDevice, isWritable, type ValidatedCommand, type CommandableDevice } from './validate.js';
