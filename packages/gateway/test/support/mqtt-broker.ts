import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { type AddressInfo, type Server, type Socket, connect as connectTcp, createServer } from 'node:net';
import type * as AedesModule from 'aedes';
import { type MqttClient, connectAsync } from 'mqtt';
import { servicesRequired } from '@yulian/core';

// aedes is CommonJS whose typings declare ESM exports; require() gives the real shape.
const { createBroker } = createRequire(import.meta.url)('aedes') as typeof AedesModule;

/** The Mosquitto broker tests use; `YULIAN_TEST_MQTT_URL` overrides it. */
export const testMqttUrl = (): string => process.env['YULIAN_TEST_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';

/**
 * True when the test Mosquitto accepts an MQTT connection. Under YULIAN_REQUIRE_SERVICES=1 a missing
 * broker throws, so the suite fails instead of being skipped.
 * @example const up = await mosquittoAvailable(); describe.skipIf(!up)('…', …)
 */
export async function mosquittoAvailable(): Promise<boolean> {
  const url = testMqttUrl();
  try {
    const c = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 2000 });
    await c.endAsync();
    return true;
  } catch (e) {
    if (servicesRequired()) throw new Error(`Mosquitto at ${url} is required (YULIAN_REQUIRE_SERVICES=1) but not reachable: ${(e as Error).message}`);
    return false;
  }
}

/** A suffix that keeps this test's topics, groups and host ids apart from every other run's. */
export const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** An embedded aedes broker on a free port; `host` '::1' makes an IPv6-only one. */
export async function startAedes(host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const broker = createBroker();
  const server: Server = createServer(broker.handle);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

/** A TCP proxy in front of a broker that a test can cut (every connection dropped, new ones refused) and restore on the same port. */
export async function cuttableProxy(brokerUrl: string): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const target = new URL(brokerUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    const s = createServer((client) => {
      const upstream = connectTcp({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 1883) });
      for (const x of [client, upstream]) {
        sockets.add(x);
        x.on('close', () => sockets.delete(x));
        x.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    server = s;
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as AddressInfo).port;
  };
  const cut = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return { url: `mqtt://127.0.0.1:${port}`, cut, restore: listen, close: cut };
}

/** A plain MQTT client that records every message on its filters. */
export interface Recorder {
  client: MqttClient;
  messages: { topic: string; payload: Buffer; retain: boolean }[];
  /** Resolves with the first recorded message (past or future) that matches. */
  next(match: (m: { topic: string; payload: Buffer; retain: boolean }) => boolean, timeoutMs?: number): Promise<{ topic: string; payload: Buffer; retain: boolean }>;
  close(): Promise<void>;
}

/** Connects a recorder and subscribes it (QoS 1) before resolving. */
export async function recorder(url: string, filters: string[]): Promise<Recorder> {
  const client = await connectAsync(url, { reconnectPeriod: 0 });
  const messages: Recorder['messages'] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload, retain: packet.retain });
    for (const w of waiters) w();
  });
  await client.subscribeAsync(filters, { qos: 1 });
  return {
    client,
    messages,
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = messages.find(match);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
          return m !== undefined;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${timeoutMs} ms; got ${messages.map((m) => m.topic).join(', ') || 'none'}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => client.endAsync(),
  };
}

/** Retries `check` (an expectation) until it passes or `timeoutMs` runs out, then throws its last error. */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
