import type { Sample } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import { type SparkplugPayload, type SparkplugTopic, coerceSparkplugValue, decodeSparkplugPayload, encodeSparkplugPayload, rebirthMetricName, sparkplugTopic } from '@yulian/protocols';
import type { ConnectorSinks } from '../driver.js';
import type { DeviceBook } from './device-book.js';
import { sparkplugDeviceId } from './device-ids.js';
import { brokerUnavailable, deviceOffline } from './mqtt-errors.js';
import { type HostDevice, type HostNode, applyBirth, newHostDevice, newHostNode, sampleOf, sparkplugCounters, staleSamples } from './sparkplug-model.js';

/** What the host needs from the connector. */
export interface SparkplugHostOptions {
  rebirthOnGap: boolean;
  book: DeviceBook;
  sinks: Pick<ConnectorSinks, 'onSamples' | 'onDevice'>;
  warn(key: string, fields: Record<string, unknown>, msg: string): void;
  log: Logger | undefined;
  now(): number;
  /** Publishes an NCMD/DCMD at QoS 0; false when the broker is not connected. */
  publish(topic: string, payload: Uint8Array): boolean;
  /** At most one rebirth request per edge node in this time; default 5000 ms. */
  rebirthIntervalMs?: number;
}

type EdgeTopic = Exclude<SparkplugTopic, { kind: 'state' }>;

const bdSeqOf = (p: SparkplugPayload): number | undefined => {
  const v = p.metrics.find((m) => m.name === 'bdSeq')?.value;
  return typeof v === 'number' ? v : undefined;
};

/**
 * The Sparkplug B host application's view of the edge nodes: sessions (NBIRTH … NDEATH with matching
 * bdSeq), devices and their metrics from births, seq checks, DATA → samples by alias or name, deaths →
 * offline with the last values re-reported `uncertain`/SPARKPLUG_STALE, rebirth requests (at most one
 * per node per 5 s) on a seq gap, an unknown alias or a message before its birth.
 */
export class SparkplugHost {
  private readonly nodes = new Map<string, HostNode>();
  private readonly byId = new Map<string, HostDevice>();
  private readonly rebirthIntervalMs: number;

  constructor(private readonly o: SparkplugHostOptions) {
    this.rebirthIntervalMs = o.rebirthIntervalMs ?? 5000;
  }

  owns(device: string): boolean {
    return this.byId.has(device);
  }

  /** Handles a message on a node or device topic; never throws for what an edge node sends. */
  handle(t: EdgeTopic, bytes: Buffer): void {
    if (t.type === 'NCMD' || t.type === 'DCMD') return; // our own commands, or another host's
    const receivedTs = this.o.now();
    const node = this.node(t.groupId, t.edgeNodeId);
    if (!node) return this.o.warn('full', { group: t.groupId, edgeNode: t.edgeNodeId }, 'too many Sparkplug devices on this connection; new edge nodes are ignored');
    let payload: SparkplugPayload;
    try {
      payload = decodeSparkplugPayload(bytes);
    } catch (err) {
      const target = (t.kind === 'device' ? node.devices.get(t.deviceId) : undefined) ?? node.self;
      target.entry.counters['badPayloads']!++;
      this.o.warn(`${target.entry.id}:payload`, { device: target.entry.id, type: t.type, err: (err as Error).message }, 'Sparkplug payload does not decode');
      return;
    }
    switch (t.type) {
      case 'NBIRTH':
        return this.nodeBirth(node, payload, receivedTs);
      case 'NDEATH':
        return this.nodeDeath(node, payload, receivedTs);
      case 'DBIRTH':
        return this.deviceBirth(node, t.deviceId, payload, receivedTs);
      case 'DDEATH':
        return this.deviceDeath(node, t.deviceId, payload, receivedTs);
      case 'NDATA':
        return this.data(node, node.self, payload, receivedTs);
      case 'DDATA':
        return this.data(node, node.devices.get(t.deviceId), payload, receivedTs);
    }
  }

  private node(groupId: string, edgeNodeId: string): HostNode | undefined {
    const k = `${groupId}/${edgeNodeId}`;
    let node = this.nodes.get(k);
    if (!node) {
      const id = sparkplugDeviceId(groupId, edgeNodeId);
      if (this.o.book.full(id)) return undefined;
      const entry = this.o.book.ensure(id, 'sparkplug', sparkplugCounters);
      node = newHostNode(groupId, edgeNodeId) as HostNode;
      node.self = newHostDevice(entry, node, undefined, k);
      this.nodes.set(k, node);
      this.byId.set(entry.id, node.self);
    }
    return node;
  }

  private device(node: HostNode, deviceId: string): HostDevice | undefined {
    let dev = node.devices.get(deviceId);
    if (!dev) {
      const id = sparkplugDeviceId(node.groupId, node.edgeNodeId, deviceId);
      if (this.o.book.full(id)) return undefined;
      const entry = this.o.book.ensure(id, 'sparkplug', sparkplugCounters);
      dev = newHostDevice(entry, node, deviceId, `${node.groupId}/${node.edgeNodeId}/${deviceId}`);
      node.devices.set(deviceId, dev);
      this.byId.set(entry.id, dev);
    }
    return dev;
  }

  private nodeBirth(node: HostNode, p: SparkplugPayload, receivedTs: number): void {
    node.self.entry.counters['messages']!++;
    node.bdSeq = bdSeqOf(p);
    node.seq.reset(p.seq ?? 0);
    node.born = true;
    // Devices stay unborn until their DBIRTH of this session follows.
    for (const d of node.devices.values()) {
      d.born = false;
      if (d.entry.state === 'online') this.o.book.setState(d.entry, 'connecting');
    }
    this.birth(node.self, p, receivedTs);
  }

  private birth(dev: HostDevice, p: SparkplugPayload, receivedTs: number): void {
    const { points, samples, skipped } = applyBirth(dev, p.metrics, p.timestamp, receivedTs);
    dev.born = true;
    dev.entry.counters['births']!++;
    dev.entry.counters['unsupportedMetrics']! += skipped;
    this.o.sinks.onDevice?.({ device: dev.entry.id, protocol: 'sparkplug', name: dev.name, points });
    this.o.book.setState(dev.entry, 'online');
    this.o.log?.info({ device: dev.entry.id, points: points.length, skipped }, 'sparkplug birth');
    this.emit(dev, samples);
  }

  private nodeDeath(node: HostNode, p: SparkplugPayload, receivedTs: number): void {
    node.self.entry.counters['messages']!++;
    if (!node.born) return;
    const bdSeq = bdSeqOf(p);
    if (bdSeq !== undefined && node.bdSeq !== undefined && bdSeq !== node.bdSeq) {
      // The will of an earlier session, delivered after the node connected again.
      node.self.entry.counters['ignoredDeaths']!++;
      this.o.log?.info({ device: node.self.entry.id, bdSeq, current: node.bdSeq }, 'sparkplug NDEATH of an older session ignored');
      return;
    }
    node.born = false;
    node.self.entry.counters['deaths']!++;
    this.kill(node.self, receivedTs, 'NDEATH');
    for (const d of node.devices.values()) if (d.born) this.kill(d, receivedTs, 'NDEATH');
  }

  private deviceBirth(node: HostNode, deviceId: string, p: SparkplugPayload, receivedTs: number): void {
    if (!node.born) return this.beforeBirth(node, node.devices.get(deviceId) ?? node.self, 'DBIRTH');
    this.checkSeq(node, p);
    const dev = this.device(node, deviceId);
    if (!dev) return this.o.warn('full', { device: node.self.entry.id, deviceId }, 'too many Sparkplug devices on this connection; new devices are ignored');
    dev.entry.counters['messages']!++;
    this.birth(dev, p, receivedTs);
  }

  private deviceDeath(node: HostNode, deviceId: string, p: SparkplugPayload, receivedTs: number): void {
    const dev = node.devices.get(deviceId);
    if (!node.born || !dev) return;
    dev.entry.counters['messages']!++;
    this.checkSeq(node, p);
    if (!dev.born) return;
    dev.entry.counters['deaths']!++;
    this.kill(dev, receivedTs, 'DDEATH');
  }

  private data(node: HostNode, dev: HostDevice | undefined, p: SparkplugPayload, receivedTs: number): void {
    if (dev) dev.entry.counters['messages']!++;
    if (!node.born || !dev?.born) return this.beforeBirth(node, dev ?? node.self, dev === node.self ? 'NDATA' : 'DDATA');
    this.checkSeq(node, p);
    const samples: Sample[] = [];
    let unknown = 0;
    for (const m of p.metrics) {
      const hm = (m.alias !== undefined ? dev.byAlias.get(m.alias) : undefined) ?? (m.name !== undefined ? dev.byName.get(m.name) : undefined);
      if (hm) samples.push(sampleOf(dev, hm, m, p.timestamp, receivedTs));
      else unknown++;
    }
    if (unknown > 0) {
      dev.entry.counters['unknownAliases']! += unknown;
      this.o.warn(`${dev.entry.id}:alias`, { device: dev.entry.id, unknown }, 'Sparkplug metrics no birth defined; asking for a rebirth');
      this.requestRebirth(node, 'unknown alias');
    }
    this.emit(dev, samples);
  }

  private beforeBirth(node: HostNode, target: HostDevice, type: string): void {
    target.entry.counters['dataBeforeBirth']!++;
    this.o.warn(`${target.entry.id}:unborn`, { device: target.entry.id, type }, 'Sparkplug message before its birth; asking for a rebirth');
    this.requestRebirth(node, 'message before birth');
  }

  private checkSeq(node: HostNode, p: SparkplugPayload): void {
    if (node.seq.check(p.seq) !== 'gap') return;
    node.self.entry.counters['seqGaps']!++;
    this.o.warn(`${node.self.entry.id}:seq`, { device: node.self.entry.id, seq: p.seq }, 'Sparkplug seq gap: messages were lost');
    if (this.o.rebirthOnGap) this.requestRebirth(node, 'seq gap');
  }

  private kill(dev: HostDevice, ts: number, why: string): void {
    dev.born = false;
    this.o.book.setState(dev.entry, 'offline', why);
    const stale = staleSamples(dev, ts);
    if (stale.length) this.o.sinks.onSamples(stale);
  }

  private emit(dev: HostDevice, samples: Sample[]): void {
    if (samples.length === 0) return;
    dev.entry.counters['samples']! += samples.length;
    this.o.sinks.onSamples(samples);
  }

  /** Writes `Node Control/Rebirth = true` to the node (NCMD), at most once per interval unless forced. */
  requestRebirth(node: HostNode, reason: string, force = false): void {
    const t = this.o.now();
    if (!force && t - node.lastRebirthAt < this.rebirthIntervalMs) return;
    const bytes = encodeSparkplugPayload({ timestamp: t, metrics: [{ name: rebirthMetricName, timestamp: t, type: 'Boolean', value: true }] });
    if (!this.o.publish(sparkplugTopic('NCMD', node.groupId, node.edgeNodeId), bytes)) return;
    node.lastRebirthAt = t;
    node.self.entry.counters['rebirthRequests']!++;
    this.o.log?.info({ device: node.self.entry.id, reason }, 'asked sparkplug edge node for a rebirth');
  }

  /** After a reconnect: every known node may have sent what we missed, so each is asked to rebirth. */
  requestAllRebirths(): void {
    for (const node of this.nodes.values()) this.requestRebirth(node, 'host reconnected', true);
  }

  /** The broker connection is gone: every live node and device goes offline, its values stale. */
  connectionLost(reason: string): void {
    const ts = this.o.now();
    for (const node of this.nodes.values()) {
      node.born = false;
      for (const d of [node.self, ...node.devices.values()]) if (d.born) this.kill(d, ts, reason);
    }
  }

  /**
   * Writes a metric: NCMD for the node's own, DCMD for a device's, by name, typed as born.
   * @throws YulianError NOT_FOUND, FORBIDDEN (not writable per its birth), VALUE_OUT_OF_RANGE, or the offline/broker errors.
   */
  write(device: string, key: string, value: number | boolean | string): void {
    const dev = this.byId.get(device);
    if (!dev) throw new YulianError('DEVICE_NOT_FOUND', `No Sparkplug device ${device}.`);
    const hm = dev.byKey.get(key);
    if (!hm) throw new YulianError('NOT_FOUND', `Device ${device} has no point ${key}.`);
    if (hm.point.access !== 'read-write') throw new YulianError('FORBIDDEN', `${key} is read-only: its birth does not mark it writable.`);
    if (!dev.born || !dev.node.born) throw deviceOffline(`Device ${device} is offline; its edge node would not get the write.`);
    const { min, max } = hm.point;
    if (typeof value === 'number' && ((min !== undefined && value < min) || (max !== undefined && value > max))) {
      throw new YulianError('VALUE_OUT_OF_RANGE', `${value} is outside ${key}'s range ${min ?? '−∞'}…${max ?? '∞'}.`);
    }
    const v = coerceSparkplugValue(hm.type, value);
    const t = this.o.now();
    const bytes = encodeSparkplugPayload({ timestamp: t, metrics: [{ name: hm.name, timestamp: t, type: hm.type, value: v }] });
    const { groupId, edgeNodeId } = dev.node;
    const topic = dev.deviceId === undefined ? sparkplugTopic('NCMD', groupId, edgeNodeId) : sparkplugTopic('DCMD', groupId, edgeNodeId, dev.deviceId);
    if (!this.o.publish(topic, bytes)) throw brokerUnavailable(`The broker connection for ${device} is down.`);
  }
}
