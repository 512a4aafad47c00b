export { startPlatform, type Platform, type StartOptions } from './platform.js';
export { buildApp, type AppOptions } from './app.js';
export { createMetrics, type PlatformMetrics } from './plugins/metrics.js';
export { findConsoleDir } from './plugins/console.js';
export { listenWithFallback, type OpenedPort } from './listen.js';
export { startEmbeddedBroker, type EmbeddedBroker } from './mqtt/embedded-broker.js';
export { seedDemo, demoPassword, demoUsernames } from './demo/seed.js';
export type { FeatureDeps } from './features/deps.js';
