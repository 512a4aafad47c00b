import { describe, expect, it } from 'vitest';
import { createBus } from './create-bus.js';
import { captureLogger } from './test-support.js';

describe('createBus', () => {
  it('opens the in-process bus for the url memory', async () => {
    const bus = await createBus({ url: 'memory', logger: captureLogger().logger });
    expect(bus.kind).toBe('memory');
    await bus.close();
  });

  it('rejects a url that is neither memory nor nats:// with BAD_REQUEST saying what to pass', async () => {
    await expect(createBus({ url: 'redis://localhost' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining("pass 'memory' or a nats://host:port URL"),
    });
  });

  it('rejects an unreachable NATS URL with BUS_UNAVAILABLE', async () => {
    await expect(createBus({ url: 'nats://127.0.0.1:1' })).rejects.toMatchObject({ code: 'BUS_UNAVAILABLE' });
  });
});
