import { connect } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createNatsBus } from './nats-bus.js';
import { captureLogger, deferred, deleteStreams, natsReachable, runId, servicesRequired, testNatsUrl, waitFor } from './test-support.js';
import { defineTopic } from './topic.js';
import type { Bus } from './types.js';

const natsUp = await natsReachable();
const job = z.object({ n: z.number() });

describe('createNatsBus', () => {
  it('rejects an unreachable NATS URL within a few seconds with BUS_UNAVAILABLE naming the URL', async () => {
    const started = Date.now();
    const error = await createNatsBus({ url: 'nats://127.0.0.1:1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BUS_UNAVAILABLE', message: expect.stringContaining('nats://127.0.0.1:1') });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('masks the password of the URL in the error message', async () => {
    const error = await createNatsBus({ url: 'nats://user:s3cret@127.0.0.1:1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BUS_UNAVAILABLE', message: expect.stringContaining('nats://***@127.0.0.1:1') });
    expect(String((error as Error).message)).not.toContain('s3cret');
  });

  it('refuses a stream prefix or subject prefix that NATS cannot use', async () => {
    await expect(createNatsBus({ url: testNatsUrl, streamPrefix: 'A.B' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(createNatsBus({ url: testNatsUrl, subjectPrefix: 'test.*' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe.skipIf(!natsUp && !servicesRequired)('nats bus across connections', () => {
  const id = runId();
  const streamPrefix = `TEST_${id}`;
  const subjectPrefix = `test.${id}`;
  const opened: Bus[] = [];
  const open = async (drainTimeoutMs?: number) => {
    const { logger, lines } = captureLogger();
    const bus = await createNatsBus({ url: testNatsUrl, streamPrefix, subjectPrefix, logger, drainTimeoutMs });
    opened.push(bus);
    return { bus, lines };
  };

  beforeAll(() => {
    if (!natsUp) throw new Error(`NATS with JetStream is not reachable at ${testNatsUrl}, and YULIAN_REQUIRE_SERVICES=1 requires it.`);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    if (natsUp) await deleteStreams(streamPrefix);
  });

  it('counts, logs and drops a payload that is not JSON, and keeps the subscription', async () => {
    const { bus, lines } = await open();
    const topic = defineTopic('yulian.tel.*.*', z.object({ value: z.number() }));
    const got: number[] = [];
    bus.subscribe(topic, ({ data }) => void got.push(data.value));
    const raw = await connect({ servers: testNatsUrl });
    try {
      // Wait until the subscription is live on the server before the raw publisher sends.
      await waitFor('the subscription', async () => {
        bus.publish(topic, { value: 0 }, { subject: 'yulian.tel.t1.ping' });
        await new Promise((resolve) => setTimeout(resolve, 20));
        return got.length > 0;
      });
      raw.publish(`${subjectPrefix}.yulian.tel.t1.d1`, 'not json {');
      raw.publish(`${subjectPrefix}.yulian.tel.t1.d1`, JSON.stringify({ value: 5 }));
      await raw.flush();
    } finally {
      await raw.close();
    }
    await waitFor('the valid raw message', () => got.includes(5));
    expect(bus.stats().rejected).toBe(1);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'bus message rejected', subject: 'yulian.tel.t1.d1', reason: 'payload is not JSON' }));
  });

  it('shares the jobs of one queue between two buses, each job going to one of them', async () => {
    const a = await open();
    const b = await open();
    const name = `shared-${id}`;
    const seen: { bus: string; n: number }[] = [];
    for (const [label, { bus }] of [['a', a], ['b', b]] as const) {
      await bus.workQueue(name, job).consume(async (j) => {
        seen.push({ bus: label, n: j.data.n });
        await new Promise((resolve) => setTimeout(resolve, 10));
      });
    }
    for (let n = 0; n < 20; n++) await a.bus.workQueue(name, job).enqueue({ n });
    await waitFor('20 acks', () => a.bus.stats().acked + b.bus.stats().acked === 20);
    expect(seen.map((s) => s.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(new Set(seen.map((s) => s.bus)).size).toBe(2);
  });

  it('redelivers the job of a bus whose connection closed before it acked to another bus', async () => {
    const crashing = await open(50);
    const survivor = await open();
    const name = `crash-${id}`;
    const options = { ackWaitMs: 500 };
    const hung = deferred();
    let firstDelivery = 0;
    await crashing.bus.workQueue(name, job, options).consume(async (j) => {
      firstDelivery = j.deliveryCount;
      await hung.promise;
    });
    await crashing.bus.workQueue(name, job, options).enqueue({ n: 9 });
    await waitFor('the first delivery', () => firstDelivery === 1);
    await crashing.bus.close();
    const counts: number[] = [];
    await survivor.bus.workQueue(name, job, options).consume(async (j) => void counts.push(j.deliveryCount));
    await waitFor('the redelivery', () => survivor.bus.stats().acked === 1);
    hung.resolve();
    expect(counts).toEqual([2]);
  });

  it('keeps enqueued jobs across a restart of the bus', async () => {
    const before = await open();
    const name = `durable-${id}`;
    await before.bus.workQueue(name, job).enqueue({ n: 1 });
    await before.bus.close();
    const after = await open();
    const got: number[] = [];
    await after.bus.workQueue(name, job).consume(async (j) => void got.push(j.data.n));
    await waitFor('the job', () => got.length === 1);
    expect(got).toEqual([1]);
  });
});
