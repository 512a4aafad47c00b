import { afterAll, beforeAll, describe } from 'vitest';
import { busContract } from './contract-suite.js';
import { createMemoryBus } from './memory-bus.js';
import { createNatsBus } from './nats-bus.js';
import { deleteStreams, natsReachable, runId, servicesRequired, testNatsUrl } from './test-support.js';

const natsUp = await natsReachable();

describe('memory bus', () => {
  busContract(async ({ logger, drainTimeoutMs }) => createMemoryBus({ logger, drainTimeoutMs }));
});

describe.skipIf(!natsUp && !servicesRequired)('nats bus', () => {
  const id = runId();
  const streamPrefix = `TEST_${id}`;

  beforeAll(() => {
    if (!natsUp) throw new Error(`NATS with JetStream is not reachable at ${testNatsUrl}, and YULIAN_REQUIRE_SERVICES=1 requires it.`);
  });
  afterAll(async () => {
    if (natsUp) await deleteStreams(streamPrefix);
  });

  busContract(async ({ logger, drainTimeoutMs }) =>
    createNatsBus({ url: testNatsUrl, streamPrefix, subjectPrefix: `test.${id}`, logger, drainTimeoutMs }),
  );
});
