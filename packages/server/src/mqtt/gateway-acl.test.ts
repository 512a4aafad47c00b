import { describe, expect, it } from 'vitest';
import { type MqttIdentity, mayReceive, publishRefusal, subscribeRefusal } from './gateway-acl.js';

const gwA: MqttIdentity = { kind: 'gateway', gateway: 'gw-a' };
const device: MqttIdentity = { kind: 'client' };

describe('gateway topic ACL', () => {
  it('lets a gateway publish under its own topics only, never its acknowledgements or retained messages', () => {
    expect(publishRefusal(gwA, 'yulian/gateways/gw-a/telemetry', false)).toBeUndefined();
    expect(publishRefusal(gwA, 'yulian/gateways/gw-b/telemetry', false)).toMatch(/only under yulian\/gateways\/gw-a\//);
    expect(publishRefusal(gwA, 'yulian/gateways/gw-a-2/telemetry', false)).toBeDefined();
    expect(publishRefusal(gwA, 'yulian/gateways/gw-a/ack', false)).toMatch(/platform only/);
    expect(publishRefusal(gwA, 'yulian/gateways/gw-a/telemetry', true)).toMatch(/retained/);
    expect(publishRefusal(gwA, 'plant/line1/temp', false)).toBeDefined();
  });

  it('keeps other clients out of the gateway topics and leaves the rest open', () => {
    expect(publishRefusal(device, 'yulian/gateways/gw-a/telemetry', false)).toBeDefined();
    expect(publishRefusal(device, 'yulian/gateways', false)).toBeDefined();
    expect(publishRefusal(device, 'plant/line1/temp', false)).toBeUndefined();
    expect(publishRefusal(device, '$SYS/x', false)).toBeDefined();
    expect(subscribeRefusal(device, 'yulian/gateways/+/telemetry')).toBeDefined();
    expect(subscribeRefusal(device, '#')).toBeUndefined();
    expect(mayReceive(device, 'yulian/gateways/gw-a/telemetry')).toBe(false);
    expect(mayReceive(device, 'yulian/gateways/gw-a/ack')).toBe(false);
    expect(mayReceive(device, 'spBv1.0/plant/NDATA/edge')).toBe(true);
  });

  it('lets a gateway subscribe to and receive its own acknowledgements only', () => {
    expect(subscribeRefusal(gwA, 'yulian/gateways/gw-a/ack')).toBeUndefined();
    expect(subscribeRefusal(gwA, 'yulian/gateways/gw-b/ack')).toBeDefined();
    expect(subscribeRefusal(gwA, 'yulian/gateways/+/ack')).toBeDefined();
    expect(subscribeRefusal(gwA, '#')).toBeDefined();
    expect(mayReceive(gwA, 'yulian/gateways/gw-a/ack')).toBe(true);
    expect(mayReceive(gwA, 'yulian/gateways/gw-b/ack')).toBe(false);
  });
});
