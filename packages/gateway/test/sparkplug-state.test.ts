import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { sparkplugDeviceId } from '../src/mqtt/index.js';
import { type SparkplugCommand, createSparkplugEdgeNode, decodeHostState } from '@yulian/protocols';
import { cuttableProxy, eventually, mosquittoAvailable, recorder, startAedes, testMqttUrl, unique } from './support/mqtt-broker.js';
import { startConnector } from './support/mqtt-harness.js';

const mosquittoUp = await mosquittoAvailable();

/** The retained STATE a client that subscribes now gets. */
async function retainedState(url: string, hostId: string): Promise<{ online: boolean; timestamp: number } | undefined> {
  const rec = await recorder(url, [`spBv1.0/STATE/${hostId}`]);
  try {
    const m = await rec.next((x) => x.retain);
    return decodeHostState(m.payload);
  } finally {
    await rec.close();
  }
}

async function clearRetained(url: string, hostId: string): Promise<void> {
  const c = await connectAsync(url);
  await c.publishAsync(`spBv1.0/STATE/${hostId}`, '', { qos: 1, retain: true });
  await c.endAsync();
}

describe.skipIf(!mosquittoUp)('Sparkplug host STATE through Mosquitto', () => {
  it('keeps STATE retained: online while the host runs, offline after it stops cleanly', async () => {
    const hostId = unique('yt-host');
    const h = await startConnector({ id: 'state-test', protocol: 'mqtt', url: testMqttUrl(), sparkplug: { hostId, groupIds: [unique('yt-g')] } });
    try {
      const online = await retainedState(testMqttUrl(), hostId);
      expect(online).toEqual({ online: true, timestamp: expect.any(Number) });
      await h.stop();
      const offline = await retainedState(testMqttUrl(), hostId);
      expect(offline?.online).toBe(false);
      expect(offline!.timestamp).toBeGreaterThanOrEqual(online!.timestamp);
    } finally {
      await h.stop();
      await clearRetained(testMqttUrl(), hostId);
    }
  });

  it('goes offline through its will when its connection dies, then comes back online and asks every edge node for a rebirth', async () => {
    const hostId = unique('yt-host');
    const group = unique('yt-g');
    const proxy = await cuttableProxy(testMqttUrl());
    const h = await startConnector({ id: 'state-test', protocol: 'mqtt', url: proxy.url, reconnectPeriodMs: 150, sparkplug: { hostId, groupIds: [group] } });
    const node = createSparkplugEdgeNode({ url: testMqttUrl(), groupId: group, edgeNodeId: 'gw1', devices: { m: [{ name: 'kW', type: 'Double', value: 3 }] } });
    const meterId = sparkplugDeviceId(group, 'gw1', 'm');
    const watch = await recorder(testMqttUrl(), [`spBv1.0/STATE/${hostId}`]);
    try {
      await node.start();
      await eventually(() => expect(h.status(meterId)?.state).toBe('online'));
      const birth = decodeHostState((await watch.next((m) => decodeHostState(m.payload)?.online === true)).payload)!;
      await proxy.cut(); // the host's socket dies without DISCONNECT
      const will = decodeHostState((await watch.next((m) => decodeHostState(m.payload)?.online === false)).payload)!;
      expect(will.timestamp).toBe(birth.timestamp); // Sparkplug 3.0: the birth repeats its will's timestamp
      await eventually(() => expect(h.status(meterId)).toMatchObject({ state: 'offline', lastError: 'MQTT connection lost' }));
      expect(h.of(meterId, 'kW').at(-1)).toMatchObject({ value: 3, quality: 'uncertain', reason: 'SPARKPLUG_STALE' });
      expect(await retainedState(testMqttUrl(), hostId)).toMatchObject({ online: false });
      node.publish({ kW: 4 }, { device: 'm' }); // missed by the host
      await proxy.restore();
      await watch.next((m) => decodeHostState(m.payload)?.online === true && decodeHostState(m.payload)!.timestamp > birth.timestamp);
      await eventually(() => expect(node.stats().births).toBe(2));
      await eventually(() => expect(h.of(meterId, 'kW').at(-1)).toMatchObject({ value: 4, quality: 'good' }));
      expect(h.status(meterId)?.state).toBe('online');
      expect(h.connector.connection().counters).toMatchObject({ connects: 2, disconnects: 1 });
    } finally {
      await node.stop();
      await h.stop();
      await watch.close();
      await proxy.close();
      await clearRetained(testMqttUrl(), hostId);
    }
  });
});

describe('Sparkplug host through an embedded broker on IPv6', () => {
  it('discovers, reads, writes and loses an edge node over [::1]', async () => {
    const broker = await startAedes('::1');
    const group = unique('yt-g6');
    const hostId = unique('yt-host');
    const commands: SparkplugCommand[] = [];
    const h = await startConnector({ id: 'aedes6', protocol: 'mqtt', url: broker.url, sparkplug: { hostId, groupIds: [group] } });
    const node = createSparkplugEdgeNode({ url: broker.url, groupId: group, edgeNodeId: 'edge', devices: { pump: [{ name: 'Speed', type: 'Float', value: 0, writable: true }] }, onCommand: (c) => void commands.push(c) });
    const pumpId = sparkplugDeviceId(group, 'edge', 'pump');
    try {
      expect(await retainedState(broker.url, hostId)).toMatchObject({ online: true });
      await node.start();
      await eventually(() => expect(h.discovered.map((d) => d.device)).toEqual([sparkplugDeviceId(group, 'edge'), pumpId]));
      node.publish({ Speed: 1450.5 }, { device: 'pump' });
      await eventually(() => expect(h.of(pumpId, 'Speed').map((s) => s.value)).toEqual([0, 1450.5]));
      await h.connector.write(pumpId, 'Speed', 900);
      await eventually(() => expect(h.of(pumpId, 'Speed').at(-1)?.value).toBe(900));
      expect(commands).toEqual([{ device: 'pump', metric: 'Speed', value: 900 }]);
      node.abort();
      await eventually(() => expect(h.status(pumpId)).toMatchObject({ state: 'offline', lastError: 'NDEATH' }));
    } finally {
      await h.stop();
      await broker.close();
    }
  });
});
