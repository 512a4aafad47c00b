import { describe, expect, it } from 'vitest';
import { type MqttConnectionConfigInput, mqttConnectionSchema, pointKeyFor, sparkplugDeviceId } from '../src/mqtt/index.js';

const good: MqttConnectionConfigInput = {
  id: 'plant-broker',
  protocol: 'mqtt',
  url: 'mqtt://[::1]:1883',
  json: [{ topic: 'plant/+/telemetry', device: 'line-{1}', timestamp: { path: 'ts', format: 'iso' }, points: [{ key: 'temp', dataType: 'float32', mqtt: { path: 'values[0].t' } }] }],
  sparkplug: { hostId: 'yulian' },
};

/** The path of the first issue, or undefined when the config is valid. */
const badPath = (patch: Record<string, unknown>): (string | number)[] | undefined => {
  const r = mqttConnectionSchema.safeParse({ ...good, ...patch });
  return r.success ? undefined : (r.error.issues[0]?.path as (string | number)[]);
};
const mapping = (m: Record<string, unknown>): Record<string, unknown> => ({ json: [{ ...good.json![0], ...m }] });

describe('MQTT connection config', () => {
  it('accepts JSON mappings and a Sparkplug host and fills the defaults', () => {
    const c = mqttConnectionSchema.parse(good);
    expect(c.reconnectPeriodMs).toBe(2000);
    expect(c.sparkplug).toEqual({ hostId: 'yulian', rebirthOnGap: true });
    expect(c.json[0]?.points[0]).toMatchObject({ multiplier: 1, offset: 0, access: 'read' });
    expect(mqttConnectionSchema.parse({ id: 'b', protocol: 'mqtt', url: 'ws://broker.local:8083/mqtt', sparkplug: { hostId: 'h', groupIds: ['g1'] } }).json).toEqual([]);
  });

  it('names the field of a bad URL, and wants IPv6 hosts in brackets', () => {
    expect(badPath({ url: 'mqtt://::1:1883' })).toEqual(['url']);
    expect(badPath({ url: 'http://broker:1883' })).toEqual(['url']);
    expect(badPath({ url: 'mqtts://[fd00::5]:8883' })).toBeUndefined();
  });

  it('names the field of a bad topic filter, device template or point path', () => {
    expect(badPath(mapping({ topic: 'plant/#/x' }))).toEqual(['json', 0, 'topic']);
    expect(badPath(mapping({ topic: 'plant/a+/x' }))).toEqual(['json', 0, 'topic']);
    expect(badPath(mapping({ device: 'line-{2}' }))).toEqual(['json', 0, 'device']);
    expect(badPath(mapping({ device: 'line {1}' }))).toEqual(['json', 0, 'device']);
    expect(badPath(mapping({ device: '$.' }))).toEqual(['json', 0, 'device']);
    expect(badPath(mapping({ points: [{ key: 't', dataType: 'float32' }] }))).toEqual(['json', 0, 'points', 0, 'mqtt', 'path']);
    expect(badPath(mapping({ points: [{ key: 't', dataType: 'float32', mqtt: { path: 'a..b' } }] }))).toEqual(['json', 0, 'points', 0, 'mqtt', 'path']);
    expect(badPath(mapping({ timestamp: { path: 'ts', format: 'rfc' } }))).toEqual(['json', 0, 'timestamp', 'format']);
    expect(badPath(mapping({ commandTopic: 'plant/+/set' }))).toEqual(['json', 0, 'commandTopic']);
  });

  it('names the field of a bad Sparkplug id and wants something to do', () => {
    expect(badPath({ sparkplug: { hostId: 'a/b' } })).toEqual(['sparkplug', 'hostId']);
    expect(badPath({ sparkplug: { hostId: 'h', groupIds: ['ok', 'bad#'] } })).toEqual(['sparkplug', 'groupIds', 1]);
    expect(badPath({ sparkplug: { hostId: 'h', groupIds: ['STATE'] } })).toEqual(['sparkplug', 'groupIds', 0]);
    expect(badPath({ json: [], sparkplug: undefined })).toEqual(['json']);
    expect(badPath({ extra: 1 })).toEqual([]);
  });
});

describe('device ids and point keys of discovered devices', () => {
  it('keeps plain Sparkplug ids and makes others safe without merging them', () => {
    expect(sparkplugDeviceId('plant', 'gw-1', 'meter.3')).toBe('plant/gw-1/meter.3');
    const spaced = sparkplugDeviceId('plant', 'gw 1');
    expect(spaced).toMatch(/^plant\/gw_1\.[0-9a-f]{6}$/);
    expect(spaced).not.toBe(sparkplugDeviceId('plant', 'gw_1'));
    expect(sparkplugDeviceId('g', 'n', 'x'.repeat(200)).length).toBeLessThanOrEqual(128);
  });

  it('derives unique point keys from metric names', () => {
    const taken = new Set<string>();
    const keys = ['Inputs/Temp (°C)', 'Inputs/Temp [°C]', 'Node Control/Scan Rate', 'a'.repeat(80)].map((n) => {
      const k = pointKeyFor(n, taken);
      taken.add(k);
      return k;
    });
    expect(keys).toEqual(['Inputs.Temp___C_', 'Inputs.Temp___C_-2', 'Node_Control.Scan_Rate', 'a'.repeat(64)]);
  });
});
