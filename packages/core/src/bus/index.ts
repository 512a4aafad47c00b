/**
 * The Yulian bus: typed publish/subscribe (`defineTopic`, `bus.publish`, `bus.subscribe`) and durable
 * at-least-once work queues (`bus.workQueue`), in-process (`memory`) or on NATS JetStream. See README.md.
 */
export { createBus, type BusOptions } from './create-bus.js';
export { createMemoryBus, type MemoryBusOptions } from './memory-bus.js';
export { createNatsBus, type NatsBusOptions } from './nats-bus.js';
export { defineTopic, type Topic } from './topic.js';
export type {
  Bus,
  BusKind,
  BusMessage,
  BusStats,
  ConsumeOptions,
  Consumer,
  DeadLetter,
  DeadLetterReason,
  EnqueueOptions,
  EnqueueResult,
  Job,
  JobHandler,
  MessageHandler,
  PublishOptions,
  SubscribeOptions,
  Subscription,
  WorkQueue,
  WorkQueueOptions,
} from './types.js';
