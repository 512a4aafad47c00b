import { type MqttClient, connectAsync } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isYulianError } from '@yulian/core';
import type { MqttConnectionConfigInput } from '../src/mqtt/index.js';
import { eventually, mosquittoAvailable, recorder, startAedes, testMqttUrl, unique } from './support/mqtt-broker.js';
import { type Harness, startConnector } from './support/mqtt-harness.js';

const mosquittoUp = await mosquittoAvailable();

/** A mapping of `<root>/+/telemetry` to devices `line-<segment>`, with scaling, nesting, arrays and an epoch-s timestamp. */
const telemetry = (root: string): MqttConnectionConfigInput => ({
  id: 'json-test',
  protocol: 'mqtt',
  url: testMqttUrl(),
  reconnectPeriodMs: 200,
  json: [
    {
      topic: `${root}/+/telemetry`,
      device: 'line-{1}',
      timestamp: { path: 'ts', format: 'epoch-s' },
      commandTopic: `${root}/{1}/set`,
      points: [
        { key: 'temp', dataType: 'int16', multiplier: 0.1, mqtt: { path: 'values.temp' } },
        { key: 'running', dataType: 'bool', mqtt: { path: 'status.running' } },
        { key: 'second', dataType: 'uint16', mqtt: { path: 'counts[1]' } },
        { key: 'label', dataType: 'string', mqtt: { path: 'meta.label' } },
        { key: 'setpoint', dataType: 'float64', access: 'read-write', multiplier: 0.5, offset: 10, min: 0, max: 100, mqtt: { path: 'sp' } },
      ],
    },
    { topic: `${root}/by-id/#`, device: '$.meta.id', points: [{ key: 'v', dataType: 'float64', mqtt: { path: 'v' } }] },
  ],
});

describe.skipIf(!mosquittoUp)('MQTT JSON devices through Mosquitto', () => {
  let pub: MqttClient;
  let h: Harness | undefined;
  beforeAll(async () => {
    pub = await connectAsync(testMqttUrl());
  });
  afterAll(async () => pub?.endAsync());
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('maps messages on a wildcard topic to the device its segment names, with the source timestamp and scaling', async () => {
    const root = unique('yt-json');
    h = await startConnector(telemetry(root));
    const body = { ts: 1_700_000_000.25, values: { temp: 215 }, status: { running: true }, counts: [7, 8], meta: { label: 'A' }, sp: 20 };
    await pub.publishAsync(`${root}/l1/telemetry`, JSON.stringify(body));
    await eventually(() => expect(h!.of('line-l1')).toHaveLength(5));
    const byPoint = Object.fromEntries(h.of('line-l1').map((s) => [s.point, s]));
    expect(byPoint['temp']).toMatchObject({ value: 21.5, quality: 'good', ts: 1_700_000_000_250 });
    expect(byPoint['running']?.value).toBe(true);
    expect(byPoint['second']?.value).toBe(8);
    expect(byPoint['label']?.value).toBe('A');
    expect(byPoint['setpoint']?.value).toBe(20);
    expect(h.status('line-l1')).toMatchObject({ protocol: 'mqtt-json', state: 'online', counters: { messages: 1, samples: 5, badPayloads: 0 } });
  });

  it('gives a field of the wrong type a bad sample and a missing field none', async () => {
    const root = unique('yt-json');
    h = await startConnector(telemetry(root));
    await pub.publishAsync(`${root}/l2/telemetry`, JSON.stringify({ ts: 1_700_000_000, values: { temp: 'hot' }, counts: [1, 70000], meta: { label: 5 } }));
    await eventually(() => expect(h!.of('line-l2')).toHaveLength(3));
    const byPoint = Object.fromEntries(h.of('line-l2').map((s) => [s.point, s]));
    expect(byPoint['temp']).toMatchObject({ value: null, quality: 'bad', reason: 'MQTT_TYPE_MISMATCH' });
    expect(byPoint['second']).toMatchObject({ quality: 'bad', reason: 'MQTT_TYPE_MISMATCH' });
    expect(byPoint['label']).toMatchObject({ value: '5', quality: 'good' });
    expect(byPoint['running']).toBeUndefined();
    expect(h.status('line-l2')?.counters).toMatchObject({ typeMismatches: 2, badPayloads: 0 });
  });

  it('counts bad JSON and payloads that miss the mapping per device, logs them rate-limited, and keeps another device flowing', async () => {
    const root = unique('yt-json');
    h = await startConnector(telemetry(root));
    const garbage = ['{not json', JSON.stringify({ ts: 1_700_000_000, nothing: 1 }), JSON.stringify({ ts: 'yesterday', values: { temp: 1 } })];
    for (let i = 0; i < 150; i++) {
      await pub.publishAsync(`${root}/bad/telemetry`, garbage[i % 3]!);
      if (i % 10 === 0) await pub.publishAsync(`${root}/good/telemetry`, JSON.stringify({ ts: 1_700_000_000 + i, values: { temp: i } }));
    }
    await eventually(() => expect(h!.of('line-good', 'temp')).toHaveLength(15));
    await eventually(() => expect(h!.status('line-bad')?.counters['badPayloads']).toBe(150));
    expect(h.of('line-bad')).toHaveLength(0);
    expect(h.of('line-good', 'temp').map((s) => s.value)).toEqual(Array.from({ length: 15 }, (_, k) => k));
    const lines = h.warnings.filter((w) => w['device'] === 'line-bad');
    expect(new Set(lines.map((w) => w['reason']))).toEqual(new Set(['PAYLOAD_NOT_JSON', 'NO_MAPPED_FIELD', 'TIMESTAMP_INVALID']));
    expect(lines.length).toBe(3); // one per reason per 10 s, not 150
    expect(h.status('line-good')).toMatchObject({ state: 'online', counters: { badPayloads: 0 } });
  });

  it('reads the device id from the payload, and counts messages without one on the connection', async () => {
    const root = unique('yt-json');
    h = await startConnector(telemetry(root));
    await pub.publishAsync(`${root}/by-id/a/b`, JSON.stringify({ meta: { id: 'pump 7' }, v: 1.25 }));
    await pub.publishAsync(`${root}/by-id/c`, JSON.stringify({ v: 2 }));
    await eventually(() => expect(h!.samples).toHaveLength(1));
    expect(h.samples[0]).toMatchObject({ point: 'v', value: 1.25 });
    expect(h.samples[0]?.device).toMatch(/^pump_7\.[0-9a-f]{6}$/);
    await eventually(() => expect(h!.connector.connection().counters['unattributed']).toBe(1));
  });

  it('writes a point as raw JSON to the command topic, and refuses devices and points that take no writes', async () => {
    const root = unique('yt-json');
    h = await startConnector(telemetry(root));
    const rec = await recorder(testMqttUrl(), [`${root}/+/set`]);
    try {
      await pub.publishAsync(`${root}/l3/telemetry`, JSON.stringify({ ts: 1_700_000_000, values: { temp: 1 } }));
      await pub.publishAsync(`${root}/by-id/x`, JSON.stringify({ meta: { id: 'meter' }, v: 1 }));
      await eventually(() => expect(h!.samples).toHaveLength(2));
      await h.connector.write('line-l3', 'setpoint', 30);
      const m = await rec.next((x) => x.topic === `${root}/l3/set`);
      expect(JSON.parse(m.payload.toString())).toEqual({ setpoint: 40 }); // (30 − 10) / 0.5
      await expect(h.connector.write('line-l3', 'temp', 1)).rejects.toSatisfy((e) => isYulianError(e, 'FORBIDDEN'));
      await expect(h.connector.write('line-l3', 'setpoint', 101)).rejects.toSatisfy((e) => isYulianError(e, 'VALUE_OUT_OF_RANGE'));
      await expect(h.connector.write('line-l3', 'nope', 1)).rejects.toSatisfy((e) => isYulianError(e, 'NOT_FOUND'));
      await expect(h.connector.write('meter', 'v', 1)).rejects.toThrow(/has no commandTopic/);
      await expect(h.connector.write('ghost', 'v', 1)).rejects.toSatisfy((e) => isYulianError(e, 'DEVICE_NOT_FOUND'));
    } finally {
      await rec.close();
    }
  });
});

describe('MQTT JSON devices through an embedded broker on IPv6', () => {
  it('connects to [::1], maps messages and marks the devices offline when the broker goes away', async () => {
    const broker = await startAedes('::1');
    const root = unique('yt-json6');
    const h = await startConnector({ ...telemetry(root), url: broker.url });
    const pub = await connectAsync(broker.url);
    try {
      expect(broker.url).toMatch(/^mqtt:\/\/\[::1\]:\d+$/);
      await pub.publishAsync(`${root}/v6/telemetry`, JSON.stringify({ ts: 1_700_000_000, values: { temp: 5 } }));
      await eventually(() => expect(h.of('line-v6', 'temp').map((s) => s.value)).toEqual([0.5]));
      await pub.endAsync();
      await broker.close();
      await eventually(() => expect(h.status('line-v6')).toMatchObject({ state: 'offline', lastError: 'MQTT connection lost' }));
    } finally {
      await h.stop();
      await broker.close().catch(() => undefined);
    }
  });
});
