import { AckPolicy, DeliverPolicy, DiscardPolicy, type JetStreamManager, nanos, NatsError, RetentionPolicy, StorageType } from 'nats';
import { z } from 'zod';
import type { QueuePolicy } from './job-runner.js';
import { parseLoosely } from './payload.js';
import type { DeadLetter } from './types.js';

/** How long dead letters are kept on JetStream. */
const deadLetterMaxAgeMs = 7 * 24 * 3600_000;

/** The durable pull consumer that every consumer of a queue, in every process, shares. */
export const durableName = 'workers';

/** Stream and subject names of one work queue. */
export interface QueueNames {
  stream: string;
  subject: string;
  deadStream: string;
  deadSubject: string;
}

/**
 * Names for queue `name`: streams `<streamPrefix>_Q_<name>` and `<streamPrefix>_DLQ_<name>` on
 * subjects `[<subjectPrefix>.]<streamPrefix>.queue.<name>` and `….dead.<name>`.
 */
export function queueNames(streamPrefix: string, wirePrefix: string, name: string): QueueNames {
  return {
    stream: `${streamPrefix}_Q_${name}`,
    subject: `${wirePrefix}${streamPrefix}.queue.${name}`,
    deadStream: `${streamPrefix}_DLQ_${name}`,
    deadSubject: `${wirePrefix}${streamPrefix}.dead.${name}`,
  };
}

const isNotFound = (err: unknown): boolean => err instanceof NatsError && err.api_error?.code === 404;

/**
 * Creates (or brings up to date) the queue's WorkQueue-retention stream, its dead-letter stream and
 * the shared durable pull consumer. Safe to run from several processes at once.
 */
export async function ensureQueue(jsm: JetStreamManager, names: QueueNames, policy: QueuePolicy): Promise<void> {
  await ensureStream(jsm, {
    name: names.stream,
    subjects: [names.subject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(policy.duplicateWindowMs),
  });
  await ensureStream(jsm, {
    name: names.deadStream,
    subjects: [names.deadSubject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(deadLetterMaxAgeMs),
  });
  const consumer = {
    ack_wait: nanos(policy.ackWaitMs),
    // One delivery beyond maxDeliver, so a job whose last attempt crashed is still seen and
    // dead-lettered by runJob instead of sitting unacked in the stream for ever.
    max_deliver: policy.maxDeliver + 1,
  };
  try {
    const info = await jsm.consumers.info(names.stream, durableName);
    if (info.config.ack_wait !== consumer.ack_wait || info.config.max_deliver !== consumer.max_deliver) {
      await jsm.consumers.update(names.stream, durableName, consumer);
    }
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(names.stream, {
      ...consumer,
      durable_name: durableName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: names.subject,
    });
  }
}

async function ensureStream(jsm: JetStreamManager, config: Parameters<JetStreamManager['streams']['add']>[0] & { name: string }): Promise<void> {
  try {
    const info = await jsm.streams.info(config.name);
    if (config.duplicate_window !== undefined && info.config.duplicate_window !== config.duplicate_window) {
      await jsm.streams.update(config.name, { ...info.config, duplicate_window: config.duplicate_window });
    }
  } catch (err) {
    if (!isNotFound(err)) throw err;
    // Identical concurrent adds from two processes both succeed on the server.
    await jsm.streams.add(config);
  }
}

/** The JSON stored on the dead-letter stream; validated when read back. */
const envelopeSchema = z.object({
  queue: z.string(),
  payload: z.string(),
  deliveryCount: z.number(),
  idempotencyKey: z.string().optional(),
  reason: z.enum(['handler-failed', 'invalid-payload', 'abandoned']),
  error: z.string(),
  deadAt: z.iso.datetime(),
});

/** Serialises a dead letter for the dead-letter stream, keeping the original payload text. */
export function encodeDeadLetter(letter: DeadLetter, rawPayload: string): string {
  const envelope: z.input<typeof envelopeSchema> = {
    queue: letter.queue,
    payload: rawPayload,
    deliveryCount: letter.deliveryCount,
    ...(letter.idempotencyKey === undefined ? {} : { idempotencyKey: letter.idempotencyKey }),
    reason: letter.reason,
    error: letter.error,
    deadAt: letter.deadAt.toISOString(),
  };
  return JSON.stringify(envelope);
}

/** Reads up to `limit` dead letters, oldest first, by stream sequence. */
export async function readDeadLetters(jsm: JetStreamManager, stream: string, limit: number): Promise<DeadLetter[]> {
  const { state } = await jsm.streams.info(stream);
  const letters: DeadLetter[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && letters.length < limit && state.messages > 0; seq++) {
    let text: string;
    try {
      text = (await jsm.streams.getMessage(stream, { seq })).string();
    } catch (err) {
      if (isNotFound(err)) continue; // expired or deleted in the meantime
      throw err;
    }
    const parsed = envelopeSchema.safeParse(parseLoosely(text));
    if (!parsed.success) continue;
    const { payload, deadAt, idempotencyKey, ...rest } = parsed.data;
    letters.push({ ...rest, data: parseLoosely(payload), deadAt: new Date(deadAt), ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
  }
  return letters;
}
