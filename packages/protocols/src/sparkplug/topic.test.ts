import { describe, expect, it } from 'vitest';
import { decodeHostState, encodeHostState, parseSparkplugTopic, sparkplugStateTopic, sparkplugTopic } from './topic.js';

describe('Sparkplug topics', () => {
  it('parses node, device and STATE topics', () => {
    expect(parseSparkplugTopic('spBv1.0/plant/NBIRTH/gw1')).toEqual({ kind: 'node', type: 'NBIRTH', groupId: 'plant', edgeNodeId: 'gw1' });
    expect(parseSparkplugTopic('spBv1.0/plant/DDATA/gw1/meter 3')).toEqual({ kind: 'device', type: 'DDATA', groupId: 'plant', edgeNodeId: 'gw1', deviceId: 'meter 3' });
    expect(parseSparkplugTopic('spBv1.0/STATE/scada-1')).toEqual({ kind: 'state', hostId: 'scada-1' });
  });

  it('rejects topics of another namespace, a wrong depth or an unknown type', () => {
    for (const t of ['spAv1.0/plant/NBIRTH/gw1', 'spBv1.0/plant/NBIRTH/gw1/dev', 'spBv1.0/plant/DDATA/gw1', 'spBv1.0/plant/NFOO/gw1', 'spBv1.0//NDATA/gw1', 'spBv1.0/STATE', 'spBv1.0/STATE/a/b']) {
      expect(parseSparkplugTopic(t), t).toBeUndefined();
    }
  });

  it('formats topics and refuses ids with reserved characters', () => {
    expect(sparkplugTopic('DCMD', 'plant', 'gw1', 'meter1')).toBe('spBv1.0/plant/DCMD/gw1/meter1');
    expect(sparkplugTopic('NCMD', 'plant', 'gw1')).toBe('spBv1.0/plant/NCMD/gw1');
    expect(sparkplugStateTopic('host-a')).toBe('spBv1.0/STATE/host-a');
    expect(() => sparkplugTopic('NDATA', 'pl+ant', 'gw1')).toThrow(/not a Sparkplug id/);
    expect(() => sparkplugTopic('DDATA', 'plant', 'gw1')).toThrow(/not a Sparkplug id/);
    expect(() => sparkplugStateTopic('a/b')).toThrow(/host id/);
  });

  it('round-trips the STATE JSON and rejects anything else', () => {
    expect(decodeHostState(encodeHostState({ online: true, timestamp: 1700000000000 }))).toEqual({ online: true, timestamp: 1700000000000 });
    expect(JSON.parse(encodeHostState({ online: false, timestamp: 5 }).toString())).toEqual({ online: false, timestamp: 5 });
    expect(decodeHostState(Buffer.from('ONLINE'))).toBeUndefined();
    expect(decodeHostState(Buffer.from('{"online":"yes","timestamp":1}'))).toBeUndefined();
  });
});
