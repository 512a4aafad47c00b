import { connect as connectTcp } from 'node:net';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, silentLogger } from '@yulian/core';
import { type EmbeddedBroker, startEmbeddedBroker, startPlatform } from '@yulian/server';

const mosquittoUp = (): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connectTcp({ host: '127.0.0.1', port: 1883 }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

const mosquittoRunning = await mosquittoUp();

describe('embedded MQTT broker', () => {
  let broker: EmbeddedBroker | undefined;
  afterEach(async () => broker?.close());

  it('refuses a client without a valid token and counts it', async () => {
    broker = await startEmbeddedBroker({ port: 0, host: '::', logger: silentLogger(), authenticate: async (_u, password) => password === 'ylt_good' });
    const url = `mqtt://127.0.0.1:${broker.port.port}`;
    await expect(connectAsync(url, { reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password|bad user name/i);
    await expect(connectAsync(url, { username: 'gw', password: 'ylt_bad', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password|bad user name/i);
    const ok = await connectAsync(url, { username: 'gw', password: 'ylt_good', reconnectPeriod: 0 });
    expect(ok.connected).toBe(true);
    await ok.endAsync();
    expect(broker.rejected()).toBe(2);
  });

  it('relays a published message to a subscriber', async () => {
    broker = await startEmbeddedBroker({ port: 0, host: '::', logger: silentLogger() });
    const url = `mqtt://127.0.0.1:${broker.port.port}`;
    const sub = await connectAsync(url, { clientId: 'test-sub' });
    const pub = await connectAsync(url, { clientId: 'test-pub' });
    try {
      await sub.subscribeAsync('plant/+/temp', { qos: 1 });
      const received = new Promise<{ topic: string; payload: string }>((resolve) => sub.on('message', (topic, payload) => resolve({ topic, payload: payload.toString() })));
      await pub.publishAsync('plant/line1/temp', '21.5', { qos: 1 });
      expect(await received).toEqual({ topic: 'plant/line1/temp', payload: '21.5' });
      expect(broker.clients()).toBe(2);
    } finally {
      await sub.endAsync();
      await pub.endAsync();
    }
  });

  it.skipIf(process.env['YULIAN_REQUIRE_SERVICES'] !== '1' && !mosquittoRunning)(
    'falls back to a free port when 1883 is taken (by Mosquitto here) and still serves',
    async () => {
      broker = await startEmbeddedBroker({ port: 1883, host: '::', logger: silentLogger() });
      expect(broker.port.fallbackFrom).toBe(1883);
      expect(broker.port.port).not.toBe(1883);
      const client = await connectAsync(`mqtt://127.0.0.1:${broker.port.port}`);
      expect(client.connected).toBe(true);
      await client.endAsync();
    },
  );

  it('lets a device in with an API token as its MQTT password, and nobody without one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'yulian-mqtt-'));
    const platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    try {
      expect(platform.mqttAuth).toBe(true);
      const login = (await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-Passw0rd' } })).json<{ token: string }>();
      const created = (await platform.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: { authorization: `Bearer ${login.token}` }, payload: { name: 'gateway' } })).json<{ token: string }>();
      const url = platform.mqttUrl.replace('localhost', '127.0.0.1');
      await expect(connectAsync(url, { reconnectPeriod: 0 })).rejects.toThrow();
      const device = await connectAsync(url, { username: 'gateway-1', password: created.token, reconnectPeriod: 0 });
      expect(device.connected).toBe(true);
      await device.endAsync();
    } finally {
      await platform.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('starts no embedded broker when YULIAN_MQTT_URL names an external one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'yulian-mqtt-'));
    const platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_URL: 'mqtt://127.0.0.1:1883' } }), { quiet: true });
    try {
      expect(platform.mqttUrl).toBe('mqtt://127.0.0.1:1883');
      expect(platform.ports.map((p) => p.service)).toEqual(['HTTP API and console', 'OPC UA server', 'Handle protocol (identifier resolution)', 'Handle protocol (identifier resolution)']);
    } finally {
      await platform.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
