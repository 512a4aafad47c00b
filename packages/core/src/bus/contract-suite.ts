import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { isYulianError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { captureLogger, deferred, runId, waitFor } from './test-support.js';
import { defineTopic } from './topic.js';
import type { Bus, Job } from './types.js';

/** How a contract run opens a bus of the implementation under test. */
export type OpenBus = (options: { logger: Logger; drainTimeoutMs?: number }) => Promise<Bus>;

const reading = z.object({ value: z.number() });
const telemetry = defineTopic('yulian.tel.*.*', reading);
const anything = defineTopic('yulian.tel.*.*', z.unknown());
const job = z.object({ n: z.number() });

/** Tests every Bus implementation must pass; call inside a `describe`. */
export function busContract(open: OpenBus): void {
  const opened: Bus[] = [];
  const suffix = runId();
  let queueCount = 0;
  const queueName = (what: string): string => `${what}-${suffix}-${++queueCount}`;
  const openBus = async (options: { drainTimeoutMs?: number } = {}) => {
    const { logger, lines } = captureLogger();
    const bus = await open({ logger, ...options });
    opened.push(bus);
    return { bus, lines };
  };
  const collect = <T>() => {
    const seen: T[] = [];
    return { seen, push: (item: T) => void seen.push(item) };
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });

  it('delivers typed messages on wildcard topics to the subscribers whose pattern matches', async () => {
    const { bus } = await openBus();
    const all = collect<string>();
    const tenant1 = collect<string>();
    const everything = collect<string>();
    bus.subscribe(telemetry, ({ subject, data }) => all.push(`${subject}=${data.value}`));
    bus.subscribe(telemetry, ({ subject }) => tenant1.push(subject), { subject: 'yulian.tel.t1.*' });
    bus.subscribe(defineTopic('yulian.>', z.unknown()), ({ subject }) => everything.push(subject));
    bus.publish(telemetry, { value: 1 }, { subject: 'yulian.tel.t1.d1' });
    bus.publish(telemetry, { value: 2 }, { subject: 'yulian.tel.t2.d1' });
    await waitFor('three deliveries', () => all.seen.length === 2 && everything.seen.length === 2 && tenant1.seen.length === 1);
    expect(all.seen.sort()).toEqual(['yulian.tel.t1.d1=1', 'yulian.tel.t2.d1=2']);
    expect(tenant1.seen).toEqual(['yulian.tel.t1.d1']);
    expect(bus.stats()).toMatchObject({ published: 2, delivered: 5, rejected: 0 });
  });

  it('refuses a publish outside the topic, without a subject on a wildcard topic, or with data failing the schema', async () => {
    const { bus } = await openBus();
    const code = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return isYulianError(e) ? e.code : 'not a YulianError';
      }
      return 'no error';
    };
    expect(code(() => bus.publish(telemetry, { value: 1 }))).toBe('BAD_REQUEST');
    expect(code(() => bus.publish(telemetry, { value: 1 }, { subject: 'yulian.tel.t1' }))).toBe('BAD_REQUEST');
    expect(code(() => bus.publish(telemetry, { value: 1 }, { subject: 'yulian.tel.*.d1' }))).toBe('BAD_REQUEST');
    expect(code(() => bus.publish(telemetry, { value: 'hot' } as never, { subject: 'yulian.tel.t1.d1' }))).toBe('BUS_PAYLOAD_INVALID');
    expect(code(() => bus.subscribe(telemetry, () => undefined, { subject: 'yulian.alarm.>' }))).toBe('BAD_REQUEST');
    expect(bus.stats().published).toBe(0);
  });

  it('counts, logs with the subject and drops a payload that fails the schema, and keeps the subscription', async () => {
    const { bus, lines } = await openBus();
    const got = collect<number>();
    bus.subscribe(telemetry, ({ data }) => got.push(data.value));
    bus.publish(anything, { value: 'hot' }, { subject: 'yulian.tel.t9.bad' });
    bus.publish(telemetry, { value: 42 }, { subject: 'yulian.tel.t9.good' });
    await waitFor('the valid message', () => got.seen.length === 1);
    expect(got.seen).toEqual([42]);
    expect(bus.stats()).toMatchObject({ rejected: 1, delivered: 1 });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'bus message rejected', subject: 'yulian.tel.t9.bad' }));
  });

  it('keeps a subscription alive after its handler throws, and counts the error', async () => {
    const { bus, lines } = await openBus();
    const got = collect<number>();
    bus.subscribe(telemetry, async ({ data }) => {
      got.push(data.value);
      if (data.value === 1) throw new Error('boom');
    });
    bus.publish(telemetry, { value: 1 }, { subject: 'yulian.tel.t1.d1' });
    bus.publish(telemetry, { value: 2 }, { subject: 'yulian.tel.t1.d1' });
    await waitFor('both messages', () => got.seen.length === 2 && bus.stats().handlerErrors === 1);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'bus handler failed', subject: 'yulian.tel.t1.d1' }));
  });

  it('stops delivering after unsubscribe', async () => {
    const { bus } = await openBus();
    const got = collect<number>();
    const sub = bus.subscribe(telemetry, ({ data }) => got.push(data.value));
    bus.publish(telemetry, { value: 1 }, { subject: 'yulian.tel.t1.d1' });
    await waitFor('the first message', () => got.seen.length === 1);
    sub.unsubscribe();
    sub.unsubscribe();
    const marker = collect<number>();
    bus.subscribe(telemetry, ({ data }) => marker.push(data.value));
    bus.publish(telemetry, { value: 2 }, { subject: 'yulian.tel.t1.d1' });
    await waitFor('the marker subscriber', () => marker.seen.length === 1);
    expect(got.seen).toEqual([1]);
  });

  it('delivers each job exactly once, spread over several consumers', async () => {
    const { bus } = await openBus();
    const queue = bus.workQueue(queueName('spread'), job);
    const byConsumer = [collect<number>(), collect<number>(), collect<number>()];
    await Promise.all(
      byConsumer.map((c) => queue.consume(async (j) => {
        c.push(j.data.n);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }, { concurrency: 2 })),
    );
    for (let n = 0; n < 30; n++) await queue.enqueue({ n });
    await waitFor('30 acks', () => bus.stats().acked === 30);
    const all = byConsumer.flatMap((c) => c.seen).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(byConsumer.filter((c) => c.seen.length > 0).length).toBeGreaterThan(1);
    expect(bus.stats()).toMatchObject({ enqueued: 30, delivered: 30, redelivered: 0 });
  });

  it('redelivers a job to another consumer after its consumer stops without acking', async () => {
    const { bus } = await openBus();
    const queue = bus.workQueue(queueName('crash'), job, { ackWaitMs: 500 });
    const hung = deferred();
    const first = collect<Job<{ n: number }>>();
    const crashed = await queue.consume(async (j) => {
      first.push(j);
      await hung.promise;
    });
    await queue.enqueue({ n: 7 });
    await waitFor('the first delivery', () => first.seen.length === 1);
    await crashed.stop({ timeoutMs: 0 });
    const startedAt = Date.now();
    const second = collect<Job<{ n: number }>>();
    await queue.consume(async (j) => second.push(j));
    await waitFor('the redelivery', () => bus.stats().acked === 1);
    hung.resolve();
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(second.seen.map((j) => [j.id, j.data.n, j.deliveryCount])).toEqual([[first.seen[0]?.id, 7, 2]]);
    expect(bus.stats()).toMatchObject({ redelivered: 1, deadLettered: 0 });
  });

  it('dead-letters a job whose last allowed attempt crashed, without running it again', async () => {
    const { bus } = await openBus();
    const queue = bus.workQueue(queueName('abandoned'), job, { maxDeliver: 1, ackWaitMs: 300 });
    const hung = deferred();
    let started = false;
    const crashed = await queue.consume(async () => {
      started = true;
      await hung.promise;
    });
    await queue.enqueue({ n: 5 });
    await waitFor('the first delivery', () => started);
    await crashed.stop({ timeoutMs: 0 });
    let calledAgain = false;
    await queue.consume(async () => {
      calledAgain = true;
    });
    await waitFor('the dead letter', () => bus.stats().deadLettered === 1);
    hung.resolve();
    expect(calledAgain).toBe(false);
    expect(await queue.deadLetters()).toEqual([expect.objectContaining({ reason: 'abandoned', deliveryCount: 2, data: { n: 5 } })]);
  });

  it('retries a failing job with growing back-off, then dead-letters it after maxDeliver', async () => {
    const { bus, lines } = await openBus();
    const queue = bus.workQueue(queueName('fail'), job, { maxDeliver: 3, retryDelayMs: 100 });
    const attempts: { count: number; at: number }[] = [];
    await queue.consume(async (j) => {
      attempts.push({ count: j.deliveryCount, at: Date.now() });
      throw new Error(`attempt ${j.deliveryCount} failed`);
    });
    await queue.enqueue({ n: 1 }, { idempotencyKey: 'fail-1' });
    await waitFor('the dead letter', () => bus.stats().deadLettered === 1);
    expect(attempts.map((a) => a.count)).toEqual([1, 2, 3]);
    const [a1, a2, a3] = attempts.map((a) => a.at) as [number, number, number];
    expect(a2 - a1).toBeGreaterThanOrEqual(90);
    expect(a3 - a2).toBeGreaterThanOrEqual(180);
    const letters = await queue.deadLetters();
    expect(letters).toEqual([
      expect.objectContaining({ data: { n: 1 }, deliveryCount: 3, idempotencyKey: 'fail-1', reason: 'handler-failed', error: 'attempt 3 failed' }),
    ]);
    expect(bus.stats()).toMatchObject({ handlerErrors: 3, redelivered: 2, acked: 0 });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'bus job dead-lettered', queue: queue.name }));
  });

  it('acks a job that succeeds on a retry', async () => {
    const { bus } = await openBus();
    const queue = bus.workQueue(queueName('flaky'), job, { retryDelayMs: 20 });
    const counts: number[] = [];
    await queue.consume(async (j) => {
      counts.push(j.deliveryCount);
      if (j.deliveryCount < 2) throw new Error('not yet');
    });
    await queue.enqueue({ n: 1 });
    await waitFor('the ack', () => bus.stats().acked === 1);
    expect(counts).toEqual([1, 2]);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('dead-letters a job whose payload fails the schema without calling the handler', async () => {
    const { bus } = await openBus();
    const name = queueName('invalid');
    const loose = bus.workQueue(name, z.unknown());
    const strict = bus.workQueue(name, job);
    let called = false;
    await strict.consume(async () => {
      called = true;
    });
    await loose.enqueue({ n: 'one' });
    await waitFor('the dead letter', () => bus.stats().deadLettered === 1);
    expect(called).toBe(false);
    expect(bus.stats().rejected).toBe(1);
    expect(await strict.deadLetters()).toEqual([expect.objectContaining({ reason: 'invalid-payload', data: { n: 'one' }, deliveryCount: 1 })]);
  });

  it('deduplicates jobs enqueued with the same idempotency key within the window', async () => {
    const { bus } = await openBus();
    const queue = bus.workQueue(queueName('dedupe'), job, { duplicateWindowMs: 1_000 });
    const got = collect<Job<{ n: number }>>();
    await queue.consume(async (j) => got.push(j));
    expect(await queue.enqueue({ n: 1 }, { idempotencyKey: 'order-1' })).toEqual({ accepted: true, duplicate: false });
    expect(await queue.enqueue({ n: 2 }, { idempotencyKey: 'order-1' })).toEqual({ accepted: false, duplicate: true });
    expect(await queue.enqueue({ n: 3 }, { idempotencyKey: 'order-2' })).toEqual({ accepted: true, duplicate: false });
    await waitFor('two acks', () => bus.stats().acked === 2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await queue.enqueue({ n: 4 }, { idempotencyKey: 'order-1' })).toEqual({ accepted: true, duplicate: false });
    await waitFor('three acks', () => bus.stats().acked === 3);
    expect(got.seen.map((j) => [j.data.n, j.idempotencyKey])).toEqual([
      [1, 'order-1'],
      [3, 'order-2'],
      [4, 'order-1'],
    ]);
    expect(bus.stats()).toMatchObject({ enqueued: 3, duplicates: 1 });
  });

  it('refuses an enqueue failing the schema, a bad queue name and a redeclaration with other options', async () => {
    const { bus } = await openBus();
    const name = queueName('strict');
    const queue = bus.workQueue(name, job, { maxDeliver: 2 });
    await expect(queue.enqueue({ n: 'x' } as never)).rejects.toMatchObject({ code: 'BUS_PAYLOAD_INVALID' });
    expect(() => bus.workQueue(name, job, { maxDeliver: 3 })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => bus.workQueue('no spaces allowed', job)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    await expect(queue.consume(async () => undefined, { concurrency: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('waits for running handlers on close, closes idempotently, then refuses use with BUS_CLOSED', async () => {
    const { bus } = await openBus();
    const queue = bus.workQueue(queueName('closing'), job);
    let finished = false;
    let started = false;
    bus.subscribe(telemetry, async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 150));
      finished = true;
    });
    bus.publish(telemetry, { value: 1 }, { subject: 'yulian.tel.t1.d1' });
    await waitFor('the handler to start', () => started);
    await Promise.all([bus.close(), bus.close()]);
    expect(finished).toBe(true);
    await bus.close();
    expect(() => bus.publish(telemetry, { value: 1 }, { subject: 'yulian.tel.t1.d1' })).toThrow(expect.objectContaining({ code: 'BUS_CLOSED' }));
    expect(() => bus.subscribe(telemetry, () => undefined)).toThrow(expect.objectContaining({ code: 'BUS_CLOSED' }));
    await expect(queue.enqueue({ n: 1 })).rejects.toMatchObject({ code: 'BUS_CLOSED' });
    expect(Object.values(bus.stats()).every((v) => typeof v === 'number')).toBe(true);
  });
}
