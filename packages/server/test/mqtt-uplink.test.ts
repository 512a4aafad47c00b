import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type MqttClient, connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '@yulian/contracts';
import { type Bus, type Consumer, type GatewayRegistry, type Store, createBus, createGatewayRegistry, createStore, gatewayTokenPrefix, silentLogger } from '@yulian/core';
import { type TelemetryStore, createTelemetryStore, startTelemetryIngest } from '@yulian/devices';
import { type MqttUplinkAck, createMqttSender, createUplink, gatewayUplinkTopics, openSampleBuffer } from '@yulian/gateway';
import { type EmbeddedBroker, type TelemetryBridge, startEmbeddedBroker, startTelemetryBridge } from '@yulian/server';

const t0 = Date.UTC(2026, 10, 1);
const until = async (what: string, ok: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const samplesOf = (device: string, from: number, count: number): Sample[] =>
  // Source timestamps from 2026 (the store refuses times before 2000); the value counts from `from`.
  Array.from({ length: count }, (_, i) => ({ device, point: 'p', ts: t0 + from + i, receivedTs: t0 + from + i, value: from + i, quality: 'good' }));

describe('gateway uplink over the embedded MQTT broker', () => {
  let dir: string;
  let store: Store;
  let bus: Bus;
  let ingest: Consumer;
  let telemetry: TelemetryStore;
  let gateways: GatewayRegistry;
  let broker: EmbeddedBroker;
  let bridge: TelemetryBridge;
  const token: Record<string, string> = {};
  const apiToken = 'ylt_device-token';

  // As the platform wires it: a gateway token makes the client that gateway, an API token a device.
  const start = async (port: number): Promise<void> => {
    broker = await startEmbeddedBroker({
      port,
      host: '127.0.0.1',
      logger: silentLogger(),
      authenticate: async (_user, password) => {
        if (password?.startsWith(gatewayTokenPrefix)) return gateways.authenticate(password).then((g) => ({ gateway: g.id }), () => false);
        return password === apiToken;
      },
    });
    bridge = await startTelemetryBridge({ broker, bus, gateways, logger: silentLogger() });
  };
  const stop = async (): Promise<void> => {
    await bridge.stop();
    await broker.close();
  };
  const url = (): string => `mqtt://127.0.0.1:${broker.port.port}`;
  const rows = async (device: string) =>
    (await sql<{ tenant: string | null; v: number }>`SELECT tenant_id AS tenant, value_num AS v FROM telemetry_raw WHERE device = ${device} ORDER BY value_num`.execute(store.db)).rows;

  /** A gateway's buffer and uplink over MQTT, as `startGateway` runs them. */
  const gatewayOf = (id: string, options: { buffer: string; token?: string; ackTimeoutMs?: number }) => {
    const buffer = openSampleBuffer({ path: join(dir, options.buffer), maxBytes: 16 * 2 ** 20 });
    const sender = createMqttSender({ url: url(), gateway: id, token: options.token ?? token[id]!, ackTimeoutMs: options.ackTimeoutMs ?? 2000 });
    const uplink = createUplink({ buffer, send: sender, retryMs: 50, maxRetryMs: 300, idleMs: 20 });
    uplink.start();
    return { buffer, sender, uplink, stop: async () => (await uplink.stop(), await sender.close(), buffer.close()) };
  };

  /** A hand-driven client with `id`'s token, subscribed to its acknowledgements. */
  const rawGateway = async (id: string): Promise<{ client: MqttClient; acks: MqttUplinkAck[] }> => {
    const client = await connectAsync(url(), { username: id, password: token[id]!, clientId: `raw-${id}-${Date.now()}`, reconnectPeriod: 0 });
    const acks: MqttUplinkAck[] = [];
    client.on('message', (_topic, payload) => acks.push(JSON.parse(payload.toString()) as MqttUplinkAck));
    await client.subscribeAsync(gatewayUplinkTopics(id).ack, { qos: 1 });
    return { client, acks };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-mqtt-uplink-'));
    store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    for (const id of ['tenant-a', 'tenant-b']) await store.db.insertInto('tenants').values({ id, name: id, code: id.toUpperCase(), district: '', industry: '', created_at: 0, updated_at: 0 }).execute();
    gateways = createGatewayRegistry(store);
    token['gw-a'] = (await gateways.create({ id: 'gw-a', name: 'Line A', tenantId: 'tenant-a' })).token;
    token['gw-b'] = (await gateways.create({ id: 'gw-b', name: 'Line B', tenantId: 'tenant-b' })).token;
    // Its own gateway for the outage: a fresh buffer restarts at seq 1, and `<gateway>:<seq>` keys repeat.
    token['gw-o'] = (await gateways.create({ id: 'gw-o', name: 'Line O', tenantId: 'tenant-a' })).token;
    bus = await createBus({ url: 'memory', logger: silentLogger() });
    // No tenantOf: the bridge alone puts each batch under its gateway's registered enterprise.
    telemetry = createTelemetryStore({ store });
    await telemetry.start();
    ingest = await startTelemetryIngest({ telemetry, bus, logger: silentLogger() });
    await start(0);
  });
  afterAll(async () => {
    await stop();
    await ingest?.stop();
    await telemetry?.close();
    await bus?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every buffered sample exactly once, under the registered enterprise, after the platform acknowledged it', async () => {
    const gw = gatewayOf('gw-a', { buffer: 'a/buffer.db' });
    try {
      for (let i = 0; i < 5; i++) gw.buffer.append(samplesOf('press-a', i * 20, 20));
      gw.uplink.wake();
      await until('the buffer to drain', () => gw.buffer.stats().samples === 0);
      const stored = await rows('press-a');
      expect(stored.map((r) => Number(r.v))).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(new Set(stored.map((r) => r.tenant))).toEqual(new Set(['tenant-a']));
      expect(gw.uplink.stats()).toMatchObject({ sentBatches: 5, sentSamples: 100, failures: 0 });
      expect(bridge.stats()).toMatchObject({ stored: 5, invalid: 0 });
    } finally {
      await gw.stop();
    }
  });

  it('refuses a wrong gateway token at connect', async () => {
    const rejected = broker.rejected();
    const send = createMqttSender({ url: url(), gateway: 'gw-a', token: `${gatewayTokenPrefix}not-the-token-of-anyone-here`, ackTimeoutMs: 2000 });
    await expect(send({ seq: 1, samples: samplesOf('press-x', 0, 1) })).rejects.toMatchObject({ code: 'GATEWAY_TOKEN_INVALID' });
    await send.close();
    expect(broker.rejected()).toBe(rejected + 1);
    expect(await rows('press-x')).toEqual([]);
  });

  it("keeps a gateway off another gateway's topics and devices off all gateway topics", async () => {
    const denied = broker.denied();
    // A sender for gw-b with gw-a's token: its acknowledgement subscription is refused, so it fails at once.
    const impostor = createMqttSender({ url: url(), gateway: 'gw-b', token: token['gw-a']!, clientId: 'impostor', ackTimeoutMs: 2000 });
    await expect(impostor({ seq: 1, samples: samplesOf('press-b', 0, 1) })).rejects.toMatchObject({ code: 'GATEWAY_TOKEN_INVALID' });
    await impostor.close();

    // By hand: gw-a publishes a well-formed batch on gw-b's topic. The broker closes the connection;
    // nothing is stored and no acknowledgement comes (a sender would time out and retry).
    const { client, acks } = await rawGateway('gw-a');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(gatewayUplinkTopics('gw-b').telemetry, JSON.stringify({ gateway: 'gw-b', seq: 1, samples: samplesOf('press-b', 0, 3) }), { qos: 1 });
    await closed;
    client.end(true);

    // A device with an API token may neither publish there nor see gateway traffic through '#'.
    const device = await connectAsync(url(), { username: 'device', password: apiToken, clientId: 'device-1', reconnectPeriod: 0 });
    const seen: string[] = [];
    device.on('message', (topic) => seen.push(topic));
    await expect(device.subscribeAsync('yulian/gateways/+/telemetry', { qos: 1 })).rejects.toMatchObject({ packet: { granted: [128] } });
    await device.subscribeAsync('#', { qos: 1 });
    const gw = gatewayOf('gw-b', { buffer: 'b/buffer.db' });
    gw.buffer.append(samplesOf('press-b2', 0, 3));
    gw.uplink.wake();
    await until('gw-b to deliver', () => gw.buffer.stats().samples === 0);
    await gw.stop();
    const deviceClosed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    device.publish(gatewayUplinkTopics('gw-a').telemetry, JSON.stringify({ gateway: 'gw-a', seq: 99, samples: samplesOf('press-b', 10, 1) }), { qos: 1 });
    await deviceClosed;
    device.end(true);

    await new Promise((r) => setTimeout(r, 300));
    expect(await rows('press-b')).toEqual([]);
    expect((await rows('press-b2')).map((r) => r.tenant)).toEqual(['tenant-b', 'tenant-b', 'tenant-b']);
    expect(acks).toEqual([]);
    expect(seen).toEqual([]);
    expect(broker.denied()).toBe(denied + 4);
  });

  it('fails a send the platform does not acknowledge in time', async () => {
    await bridge.stop();
    try {
      const send = createMqttSender({ url: url(), gateway: 'gw-b', token: token['gw-b']!, clientId: 'no-ack', ackTimeoutMs: 500 });
      await expect(send({ seq: 1000, samples: samplesOf('press-t', 0, 1) })).rejects.toMatchObject({ code: 'MQTT_UNAVAILABLE', message: expect.stringMatching(/No acknowledgement of batch 1000/) });
      await send.close();
      expect(await rows('press-t')).toEqual([]);
    } finally {
      bridge = await startTelemetryBridge({ broker, bus, gateways, logger: silentLogger() });
    }
  });

  it('loses nothing through a broker outage and a gateway restart during it', async () => {
    const port = broker.port.port;
    let gw = gatewayOf('gw-o', { buffer: 'outage/buffer.db', ackTimeoutMs: 1000 });
    let produced = 0;
    const produce = (): void => {
      gw.buffer.append(samplesOf('press-o', produced, 10));
      produced += 10;
      gw.uplink.wake();
    };
    for (let i = 0; i < 10; i++, await new Promise((r) => setTimeout(r, 20))) produce();
    await stop();
    for (let i = 0; i < 20; i++, await new Promise((r) => setTimeout(r, 20))) produce();
    await gw.stop();
    gw = gatewayOf('gw-o', { buffer: 'outage/buffer.db', ackTimeoutMs: 1000 });
    for (let i = 0; i < 20; i++, await new Promise((r) => setTimeout(r, 20))) produce();
    expect(gw.buffer.stats().samples).toBeGreaterThan(0);
    expect(gw.uplink.stats().up).toBe(false);

    await start(port);
    expect(broker.port).toMatchObject({ port });
    for (let i = 0; i < 10; i++, await new Promise((r) => setTimeout(r, 20))) produce();
    try {
      await until('the buffer to drain after the outage', () => gw.buffer.stats().samples === 0, 15_000);
      expect(gw.buffer.stats()).toMatchObject({ samples: 0, dropped: 0 });
      expect((await rows('press-o')).map((r) => Number(r.v))).toEqual(Array.from({ length: produced }, (_, i) => i));
      expect(gw.uplink.stats().up).toBe(true);
    } finally {
      await gw.stop();
    }
  });

  it('refuses a malformed batch with BUS_PAYLOAD_INVALID, counts it and stores nothing', async () => {
    const invalid = bridge.stats().invalid;
    const { client, acks } = await rawGateway('gw-a');
    try {
      const telemetry = gatewayUplinkTopics('gw-a').telemetry;
      await client.publishAsync(telemetry, 'not json', { qos: 1 });
      await client.publishAsync(telemetry, JSON.stringify({ gateway: 'gw-a', seq: 7, samples: [{ device: 'press-m', point: 'p', ts: 'yesterday' }] }), { qos: 1 });
      // The enterprise is the registration's: a batch that names one is malformed.
      await client.publishAsync(telemetry, JSON.stringify({ gateway: 'gw-a', tenantId: 'tenant-b', seq: 8, samples: samplesOf('press-m', 0, 1) }), { qos: 1 });
      await client.publishAsync(telemetry, JSON.stringify({ gateway: 'gw-b', seq: 9, samples: samplesOf('press-m', 0, 1) }), { qos: 1 });
      await until('four refusals', () => acks.length === 4);
      expect(acks.map((a) => [a.seq, a.ok, !a.ok && a.code])).toEqual([
        [null, false, 'BUS_PAYLOAD_INVALID'],
        [7, false, 'BUS_PAYLOAD_INVALID'],
        [8, false, 'BUS_PAYLOAD_INVALID'],
        [9, false, 'BUS_PAYLOAD_INVALID'],
      ]);
      // The sender throws on a refusal (the uplink then retries the batch; it is never dropped).
      const send = createMqttSender({ url: url(), gateway: 'gw-a', token: token['gw-a']!, clientId: 'bad-batch', ackTimeoutMs: 2000 });
      await expect(send({ seq: 500, samples: [{ ...samplesOf('press-m', 0, 1)[0]!, point: 'x'.repeat(65) }] })).rejects.toMatchObject({ code: 'BUS_PAYLOAD_INVALID' });
      await send.close();
      expect(bridge.stats().invalid).toBe(invalid + 5);
      expect(await rows('press-m')).toEqual([]);
    } finally {
      await client.endAsync();
    }
  });
});
