import { connect } from 'nats';
import { pino } from 'pino';
import type { Logger } from '../logging/index.js';

/** A real pino logger whose JSON lines are kept in `lines`, so tests can assert on what was logged. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** Polls `check` every 10 ms until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise with its resolve function outside. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A short random suffix so that test runs sharing a NATS server never collide. */
export const runId = (): string => Math.random().toString(36).slice(2, 10);

/** The NATS server the integration tests use; YULIAN_TEST_NATS_URL overrides it. */
export const testNatsUrl = process.env.YULIAN_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Whether the NATS suites must run (CI sets YULIAN_REQUIRE_SERVICES=1) rather than skip. */
export const servicesRequired = process.env.YULIAN_REQUIRE_SERVICES === '1';

/** True when a NATS server with JetStream answers at `url` within a second. */
export async function natsReachable(url = testNatsUrl): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: 1_000, reconnect: false });
    try {
      await nc.jetstreamManager();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return false;
  }
}

/** Deletes every stream whose name starts with `prefix` (test clean-up). */
export async function deleteStreams(prefix: string, url = testNatsUrl): Promise<string[]> {
  const nc = await connect({ servers: url, timeout: 1_000, reconnect: false });
  try {
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(prefix)) names.push(info.config.name);
    }
    await Promise.all(names.map((name) => jsm.streams.delete(name)));
    return names;
  } finally {
    await nc.close();
  }
}
