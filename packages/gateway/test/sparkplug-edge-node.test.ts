import { describe, expect, it } from 'vitest';
import { type SparkplugCommand, type SparkplugEdgeNode, type SparkplugMetric, createSparkplugEdgeNode, decodeSparkplugPayload, encodeSparkplugPayload } from '@yulian/protocols';
import { cuttableProxy, eventually, mosquittoAvailable, recorder, testMqttUrl, unique } from './support/mqtt-broker.js';

const mosquittoUp = await mosquittoAvailable();

const decoded = (m: { payload: Buffer }) => decodeSparkplugPayload(m.payload);
const byName = (metrics: SparkplugMetric[], name: string): SparkplugMetric | undefined => metrics.find((m) => m.name === name);

function meterNode(group: string, url = testMqttUrl(), onCommand?: (c: SparkplugCommand) => boolean | void): SparkplugEdgeNode {
  return createSparkplugEdgeNode({
    url,
    groupId: group,
    edgeNodeId: 'gw1',
    metrics: [{ name: 'Properties/Firmware', type: 'String', value: '1.2.0' }],
    devices: {
      meter1: [
        { name: 'Power/Active', type: 'Double', value: 1.5, unit: 'kW' },
        { name: 'Setpoint', type: 'Int32', value: 5, writable: true },
      ],
    },
    reconnectPeriodMs: 100,
    ...(onCommand ? { onCommand } : {}),
  });
}

describe.skipIf(!mosquittoUp)('Sparkplug B edge node through Mosquitto', () => {
  it('publishes NBIRTH with bdSeq and Node Control/Rebirth, then a DBIRTH per device, with aliases and seq from 0', async () => {
    const group = unique('yt-spe');
    const rec = await recorder(testMqttUrl(), [`spBv1.0/${group}/#`]);
    const node = meterNode(group);
    try {
      await node.start();
      const nbirth = decoded(await rec.next((m) => m.topic === `spBv1.0/${group}/NBIRTH/gw1`));
      expect(nbirth.seq).toBe(0);
      expect(byName(nbirth.metrics, 'bdSeq')).toMatchObject({ type: 'Int64', value: 0 });
      expect(byName(nbirth.metrics, 'Node Control/Rebirth')).toMatchObject({ type: 'Boolean', value: false });
      expect(byName(nbirth.metrics, 'Properties/Firmware')).toMatchObject({ type: 'String', value: '1.2.0', alias: expect.any(Number) });
      const dbirth = decoded(await rec.next((m) => m.topic === `spBv1.0/${group}/DBIRTH/gw1/meter1`));
      expect(dbirth.seq).toBe(1);
      expect(byName(dbirth.metrics, 'Power/Active')).toMatchObject({ type: 'Double', value: 1.5, properties: { engUnit: { value: 'kW' } } });
      expect(byName(dbirth.metrics, 'Setpoint')?.properties?.['writable']?.value).toBe(true);
      const aliases = [...nbirth.metrics, ...dbirth.metrics].filter((m) => m.name !== 'bdSeq').map((m) => m.alias);
      expect(new Set(aliases).size).toBe(aliases.length);
    } finally {
      await node.stop();
      await rec.close();
    }
  });

  it('reports only changed metrics, by alias, and wraps seq from 255 to 0', async () => {
    const group = unique('yt-spe');
    const rec = await recorder(testMqttUrl(), [`spBv1.0/${group}/DDATA/#`]);
    const node = meterNode(group);
    try {
      await node.start();
      expect(node.publish({ 'Power/Active': 1.5 }, { device: 'meter1' })).toBe(0); // unchanged since the birth
      for (let i = 0; i < 300; i++) expect(node.publish({ 'Power/Active': i, Setpoint: 5 }, { device: 'meter1' })).toBe(1);
      await eventually(() => expect(rec.messages).toHaveLength(300));
      const payloads = rec.messages.map(decoded);
      expect(payloads.map((p) => p.seq)).toEqual(Array.from({ length: 300 }, (_, i) => (i + 2) % 256)); // NBIRTH 0, DBIRTH 1
      expect(payloads.every((p) => p.metrics.length === 1 && p.metrics[0]!.name === undefined && p.metrics[0]!.alias !== undefined)).toBe(true);
      expect(payloads.at(-1)?.metrics[0]?.value).toBe(299);
      expect(() => node.publish({ Setpoint: 1.5 }, { device: 'meter1' })).toThrow(/does not fit/);
      expect(() => node.publish({ nope: 1 }, { device: 'meter1' })).toThrow(/no metric nope/);
    } finally {
      await node.stop();
      await rec.close();
    }
  });

  it('registers NDEATH as its will with the bdSeq of each connection, and births with the next bdSeq after reconnecting', async () => {
    const group = unique('yt-spe');
    const proxy = await cuttableProxy(testMqttUrl());
    const rec = await recorder(testMqttUrl(), [`spBv1.0/${group}/#`]);
    const node = meterNode(group, proxy.url);
    try {
      await node.start();
      await proxy.cut();
      const death0 = decoded(await rec.next((m) => m.topic.includes('/NDEATH/')));
      expect(death0.seq).toBeUndefined();
      expect(death0.metrics).toMatchObject([{ name: 'bdSeq', value: 0 }]);
      await proxy.restore();
      const birth1 = await rec.next((m) => m.topic.includes('/NBIRTH/') && byName(decoded(m).metrics, 'bdSeq')?.value === 1);
      expect(decoded(birth1).seq).toBe(0);
      expect(node.bdSeq).toBe(1);
      node.abort();
      await rec.next((m) => m.topic.includes('/NDEATH/') && byName(decoded(m).metrics, 'bdSeq')?.value === 1);
    } finally {
      await proxy.close();
      await rec.close();
    }
  });

  it('answers NCMD Rebirth with new births and hands writes to its callback, reporting accepted values back', async () => {
    const group = unique('yt-spe');
    const commands: SparkplugCommand[] = [];
    const node = meterNode(group, testMqttUrl(), (c) => {
      commands.push(c);
      return c.value !== 13; // refuses 13
    });
    const rec = await recorder(testMqttUrl(), [`spBv1.0/${group}/#`]);
    try {
      await node.start();
      const ts = Date.now();
      await rec.client.publishAsync(`spBv1.0/${group}/NCMD/gw1`, Buffer.from(encodeSparkplugPayload({ timestamp: ts, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] })));
      await eventually(() => expect(rec.messages.filter((m) => m.topic.includes('/NBIRTH/'))).toHaveLength(2));
      expect(node.stats()).toMatchObject({ births: 2, rebirthRequests: 1 });
      const dcmd = (value: number) => Buffer.from(encodeSparkplugPayload({ timestamp: ts, metrics: [{ name: 'Setpoint', type: 'Int32', value }] }));
      await rec.client.publishAsync(`spBv1.0/${group}/DCMD/gw1/meter1`, dcmd(13));
      await rec.client.publishAsync(`spBv1.0/${group}/DCMD/gw1/meter1`, dcmd(-42));
      const ddata = decoded(await rec.next((m) => m.topic === `spBv1.0/${group}/DDATA/gw1/meter1`));
      expect(ddata.metrics.map((m) => m.value)).toEqual([-42]);
      expect(commands).toEqual([
        { device: 'meter1', metric: 'Setpoint', value: 13 },
        { device: 'meter1', metric: 'Setpoint', value: -42 },
      ]);
      expect(rec.messages.filter((m) => m.topic.includes('/DDATA/'))).toHaveLength(1);
    } finally {
      await node.stop();
      await rec.close();
    }
  });

  it('publishes NDEATH before a clean disconnect', async () => {
    const group = unique('yt-spe');
    const rec = await recorder(testMqttUrl(), [`spBv1.0/${group}/NDEATH/#`]);
    const node = meterNode(group);
    try {
      await node.start();
      await node.stop();
      expect(decoded(await rec.next(() => true)).metrics).toMatchObject([{ name: 'bdSeq', value: 0 }]);
    } finally {
      await rec.close();
    }
  });
});
