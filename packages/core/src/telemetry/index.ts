// The telemetry work queue gateways enqueue on; the store that consumes it is in @yulian/devices.
export { telemetryQueue, telemetryQueueOptions, telemetryBatchKey, memoryQueueMaxBacklog, waitForQueueRoom } from './queue.js';
