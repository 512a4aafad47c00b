import { afterEach, describe, expect, it } from 'vitest';
import { isYulianError } from '@yulian/core';
import { sparkplugDeviceId } from '../src/mqtt/index.js';
import { type SparkplugCommand, type SparkplugEdgeNode, createSparkplugEdgeNode, encodeSparkplugPayload } from '@yulian/protocols';
import { type Recorder, eventually, mosquittoAvailable, recorder, testMqttUrl, unique } from './support/mqtt-broker.js';
import { type Harness, startConnector } from './support/mqtt-harness.js';

const mosquittoUp = await mosquittoAvailable();

interface Rig {
  group: string;
  h: Harness;
  node: SparkplugEdgeNode;
  commands: SparkplugCommand[];
  nodeId: string;
  meterId: string;
  hostId: string;
  raw: Recorder;
}

/** A host on a fresh group, an edge node `gw1` with device `meter 1`, and a raw client on the group. */
async function rig(options: { startNode?: boolean; url?: string } = {}): Promise<Rig> {
  const url = options.url ?? testMqttUrl();
  const group = unique('yt-sph');
  const hostId = unique('yt-host');
  const h = await startConnector({ id: 'sp-test', protocol: 'mqtt', url, reconnectPeriodMs: 200, sparkplug: { hostId, groupIds: [group] } });
  const commands: SparkplugCommand[] = [];
  const node = createSparkplugEdgeNode({
    url,
    groupId: group,
    edgeNodeId: 'gw1',
    metrics: [{ name: 'Supply Voltage', type: 'Float', value: 24.1, unit: 'V' }],
    devices: {
      'meter 1': [
        { name: 'Power/Active', type: 'Double', value: 1.5, unit: 'kW' },
        { name: 'Energy', type: 'UInt32', value: 4_000_000_000 },
        { name: 'Setpoint', type: 'Int32', value: -5, writable: true },
        { name: 'Mode', type: 'String', value: 'auto', writable: true },
      ],
    },
    reconnectPeriodMs: 100,
    onCommand: (c) => void commands.push(c),
  });
  if (options.startNode !== false) await node.start();
  const raw = await recorder(url, [`spBv1.0/${group}/#`]);
  return { group, h, node, commands, nodeId: sparkplugDeviceId(group, 'gw1'), meterId: sparkplugDeviceId(group, 'gw1', 'meter 1'), hostId, raw };
}

const rigs: Rig[] = [];
async function cleanup(): Promise<void> {
  for (const r of rigs.splice(0)) {
    await r.node.stop();
    await r.h.stop();
    // The host's STATE is retained on the shared broker; leave nothing behind.
    await r.raw.client.publishAsync(`spBv1.0/STATE/${r.hostId}`, '', { qos: 1, retain: true }).catch(() => undefined);
    await r.raw.close();
  }
}

describe.skipIf(!mosquittoUp)('Sparkplug B host application through Mosquitto', () => {
  afterEach(cleanup);
  const setup = async (o?: Parameters<typeof rig>[0]): Promise<Rig> => {
    const r = await rig(o);
    rigs.push(r);
    return r;
  };

  it('creates the node and its devices with their points from NBIRTH and DBIRTH, plus samples of the birth values', async () => {
    const { h, nodeId, meterId } = await setup();
    await eventually(() => expect(h.discovered.map((d) => d.device)).toEqual([nodeId, meterId]));
    expect(meterId).toMatch(/\/gw1\/meter_1\.[0-9a-f]{6}$/);
    const meter = h.discovered[1]!;
    expect(meter).toMatchObject({ protocol: 'sparkplug', name: expect.stringMatching(/\/gw1\/meter 1$/) });
    expect(meter.points.map((p) => [p.key, p.dataType, p.access, p.unit, p.mqtt?.metric])).toEqual([
      ['Power.Active', 'float64', 'read', 'kW', 'Power/Active'],
      ['Energy', 'uint32', 'read', '', 'Energy'],
      ['Setpoint', 'int32', 'read-write', '', 'Setpoint'],
      ['Mode', 'string', 'read-write', '', 'Mode'],
    ]);
    expect(h.discovered[0]!.points.map((p) => p.key)).toEqual(['Supply_Voltage']); // bdSeq and Node Control/Rebirth are not points
    await eventually(() => expect(h.of(meterId).map((s) => [s.point, s.value, s.quality])).toEqual([
      ['Power.Active', 1.5, 'good'],
      ['Energy', 4_000_000_000, 'good'],
      ['Setpoint', -5, 'good'],
      ['Mode', 'auto', 'good'],
    ]));
    expect(h.of(nodeId, 'Supply_Voltage')[0]?.value).toBe(24.1);
    expect(h.status(meterId)).toMatchObject({ protocol: 'sparkplug', state: 'online', counters: { births: 1, samples: 4 } });
  });

  it('turns NDATA and DDATA sent by alias into samples stamped with the metric timestamps', async () => {
    const { h, node, nodeId, meterId, raw, group } = await setup();
    await eventually(() => expect(h.of(meterId)).toHaveLength(4));
    node.publish({ 'Power/Active': 2.25, Setpoint: -7 }, { device: 'meter 1', timestamp: 1_700_000_000_001 });
    node.publish({ 'Supply Voltage': 23.9 }, { timestamp: 1_700_000_000_002 });
    await eventually(() => expect(h.of(meterId)).toHaveLength(6));
    expect(h.of(meterId).slice(4).map((s) => [s.point, s.value, s.ts])).toEqual([
      ['Power.Active', 2.25, 1_700_000_000_001],
      ['Setpoint', -7, 1_700_000_000_001],
    ]);
    await eventually(() => expect(h.of(nodeId, 'Supply_Voltage').map((s) => s.value)).toEqual([24.1, 23.9]));
    const ddata = await raw.next((m) => m.topic === `spBv1.0/${group}/DDATA/gw1/meter 1`);
    expect(ddata.payload.includes(Buffer.from('Power/Active'))).toBe(false); // by alias, not by name
  });

  it('decodes DATA whose metrics leave the datatype to the birth, and counts a payload that does not decode', async () => {
    const { h, node, meterId, raw, group } = await setup();
    await eventually(() => expect(h.of(meterId)).toHaveLength(4));
    const topic = `spBv1.0/${group}/DDATA/gw1/meter 1`;
    await raw.client.publishAsync(topic, Buffer.from([0x12, 0x05, 0x0a]));
    // Setpoint is alias 4 (Rebirth 0, Supply Voltage 1, then the meter's in order).
    const bytes = encodeSparkplugPayload({ timestamp: 5, seq: (node.seq + 1) & 0xff, metrics: [{ alias: 4, timestamp: 1_700_000_000_000, type: 'Int32', value: -123 }] }, { omitDataTypes: true });
    await raw.client.publishAsync(topic, Buffer.from(bytes));
    await eventually(() => expect(h.of(meterId, 'Setpoint').map((s) => s.value)).toEqual([-5, -123]));
    expect(h.status(meterId)?.counters).toMatchObject({ badPayloads: 1, unknownAliases: 0, seqGaps: 0 });
  });

  it('marks a device offline with its values stale on DDEATH, and the node and every device on NDEATH', async () => {
    const { h, node, nodeId, meterId } = await setup();
    await eventually(() => expect(h.of(meterId)).toHaveLength(4));
    node.deviceDeath('meter 1');
    await eventually(() => expect(h.status(meterId)).toMatchObject({ state: 'offline', lastError: 'DDEATH' }));
    const stale = h.of(meterId).slice(4);
    expect(stale.map((s) => [s.point, s.value, s.quality, s.reason])).toEqual([
      ['Power.Active', 1.5, 'uncertain', 'SPARKPLUG_STALE'],
      ['Energy', 4_000_000_000, 'uncertain', 'SPARKPLUG_STALE'],
      ['Setpoint', -5, 'uncertain', 'SPARKPLUG_STALE'],
      ['Mode', 'auto', 'uncertain', 'SPARKPLUG_STALE'],
    ]);
    expect(h.status(nodeId)?.state).toBe('online');
    node.deviceBirth('meter 1');
    await eventually(() => expect(h.status(meterId)?.state).toBe('online'));
    await node.stop();
    await eventually(() => expect([h.status(nodeId)?.state, h.status(meterId)?.state]).toEqual(['offline', 'offline']));
    expect(h.of(nodeId, 'Supply_Voltage').at(-1)).toMatchObject({ value: 24.1, quality: 'uncertain', reason: 'SPARKPLUG_STALE' });
    expect(h.status(nodeId)?.counters['deaths']).toBe(1);
  });

  it('ignores an NDEATH whose bdSeq belongs to another session', async () => {
    const { h, node, nodeId, raw, group } = await setup();
    await eventually(() => expect(h.status(nodeId)?.state).toBe('online'));
    const death = (bdSeq: number) => Buffer.from(encodeSparkplugPayload({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'Int64', value: bdSeq }] }));
    await raw.client.publishAsync(`spBv1.0/${group}/NDEATH/gw1`, death(node.bdSeq + 7));
    await eventually(() => expect(h.status(nodeId)?.counters['ignoredDeaths']).toBe(1));
    expect(h.status(nodeId)?.state).toBe('online');
    await raw.client.publishAsync(`spBv1.0/${group}/NDEATH/gw1`, death(node.bdSeq));
    await eventually(() => expect(h.status(nodeId)?.state).toBe('offline'));
  });

  it('takes the will NDEATH that the broker publishes when the edge node dies without disconnecting', async () => {
    const { h, node, nodeId, meterId } = await setup();
    await eventually(() => expect(h.status(meterId)?.state).toBe('online'));
    node.abort(); // socket destroyed, no DISCONNECT
    await eventually(() => expect([h.status(nodeId)?.state, h.status(meterId)?.state]).toEqual(['offline', 'offline']));
    expect(h.of(meterId, 'Energy').at(-1)).toMatchObject({ quality: 'uncertain', reason: 'SPARKPLUG_STALE' });
  });

  it('asks for a rebirth on a seq gap, gets one, and values flow again', async () => {
    const { h, node, nodeId, meterId, raw, group } = await setup();
    await eventually(() => expect(h.of(meterId)).toHaveLength(4));
    const skipped = encodeSparkplugPayload({ timestamp: Date.now(), seq: (node.seq + 5) & 0xff, metrics: [{ alias: 1, type: 'Float', value: 1 }] });
    await raw.client.publishAsync(`spBv1.0/${group}/NDATA/gw1`, Buffer.from(skipped));
    await eventually(() => expect(node.stats().births).toBe(2));
    expect(h.status(nodeId)?.counters).toMatchObject({ seqGaps: 1, rebirthRequests: 1 });
    await raw.next((m) => m.topic === `spBv1.0/${group}/NCMD/gw1`);
    await eventually(() => expect(h.status(meterId)?.counters['births']).toBe(2));
    node.publish({ 'Power/Active': 9 }, { device: 'meter 1' });
    await eventually(() => expect(h.of(meterId, 'Power.Active').at(-1)?.value).toBe(9));
    expect(h.status(nodeId)?.counters['seqGaps']).toBe(1);
  });

  it('asks for a rebirth on an alias no birth defined', async () => {
    const { h, node, meterId, raw, group } = await setup();
    await eventually(() => expect(h.of(meterId)).toHaveLength(4));
    const bytes = encodeSparkplugPayload({ timestamp: Date.now(), seq: (node.seq + 1) & 0xff, metrics: [{ alias: 999, type: 'Double', value: 1 }] });
    await raw.client.publishAsync(`spBv1.0/${group}/DDATA/gw1/meter 1`, Buffer.from(bytes));
    await eventually(() => expect(node.stats().births).toBe(2));
    expect(h.status(meterId)?.counters['unknownAliases']).toBe(1);
  });

  it('asks an edge node that was running before the host for a rebirth when its DATA arrives unborn', async () => {
    const { h, node, nodeId, meterId, hostId } = await setup({ startNode: false });
    await node.start(); // births go out, but then the host restarts and missed them:
    await eventually(() => expect(h.status(meterId)?.state).toBe('online'));
    await h.stop();
    const late = await startConnector({ id: 'sp-late', protocol: 'mqtt', url: testMqttUrl(), sparkplug: { hostId, groupIds: [node.groupId] } });
    try {
      node.publish({ 'Power/Active': 3 }, { device: 'meter 1' });
      await eventually(() => expect(late.of(meterId, 'Power.Active').map((s) => s.value)).toEqual([3]));
      // The device was unknown, so the node carries the count.
      expect(late.status(nodeId)?.counters).toMatchObject({ dataBeforeBirth: 1, rebirthRequests: 1 });
      expect(late.discovered.map((d) => d.device)).toEqual([nodeId, meterId]);
    } finally {
      await late.stop();
    }
  });

  it('writes a device point by DCMD and a node point by NCMD; the value comes back in DATA', async () => {
    const { h, node, meterId, nodeId, commands } = await setup();
    await eventually(() => expect(h.of(meterId)).toHaveLength(4));
    await h.connector.write(meterId, 'Setpoint', 42);
    await h.connector.write(meterId, 'Mode', 'manual');
    await eventually(() => expect(commands).toEqual([
      { device: 'meter 1', metric: 'Setpoint', value: 42 },
      { device: 'meter 1', metric: 'Mode', value: 'manual' },
    ]));
    await eventually(() => expect(h.of(meterId, 'Setpoint').at(-1)?.value).toBe(42));
    await eventually(() => expect(h.of(meterId, 'Mode').at(-1)?.value).toBe('manual'));
    await expect(h.connector.write(meterId, 'Energy', 1)).rejects.toSatisfy((e) => isYulianError(e, 'FORBIDDEN'));
    await expect(h.connector.write(meterId, 'Setpoint', 1.5)).rejects.toSatisfy((e) => isYulianError(e, 'VALUE_OUT_OF_RANGE'));
    await expect(h.connector.write(meterId, 'Mode', 3)).rejects.toSatisfy((e) => isYulianError(e, 'VALUE_OUT_OF_RANGE'));
    await expect(h.connector.write(nodeId, 'Supply_Voltage', 1)).rejects.toSatisfy((e) => isYulianError(e, 'FORBIDDEN'));
    node.deviceDeath('meter 1');
    await eventually(() => expect(h.status(meterId)?.state).toBe('offline'));
    await expect(h.connector.write(meterId, 'Setpoint', 1)).rejects.toThrow(/offline/);
  });
});
