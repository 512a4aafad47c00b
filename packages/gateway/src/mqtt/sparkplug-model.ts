import type { DataType, Point, Sample } from '@yulian/contracts';
import { type SparkplugDataType, type SparkplugMetric, SparkplugSeqTracker, pointDataTypeOf, rebirthMetricName, retypeSparkplugValue } from '@yulian/protocols';
import type { DeviceEntry } from './device-book.js';
import { pointKeyFor } from './device-ids.js';

/**
 * Counters of a Sparkplug node or device: messages, samples, births, deaths; seqGaps (node), metrics
 * no birth defined (unknownAliases), payloads that do not decode, rebirths asked for (node), DATA or
 * DBIRTH before the birth it needs, NDEATHs of an older session (ignoredDeaths), birth metrics of a
 * type no point can hold (unsupportedMetrics).
 */
export const sparkplugCounters = ['messages', 'samples', 'births', 'deaths', 'seqGaps', 'unknownAliases', 'badPayloads', 'rebirthRequests', 'dataBeforeBirth', 'ignoredDeaths', 'unsupportedMetrics'] as const;

/** A metric as the host knows it from the birth. */
export interface HostMetric {
  name: string;
  key: string;
  type: SparkplugDataType;
  point: Point;
  /** The last value reported, re-reported as stale on death. */
  last: Sample['value'] | undefined;
}

/** An edge node itself or one of its devices. */
export interface HostDevice {
  entry: DeviceEntry;
  node: HostNode;
  /** The Sparkplug device id; undefined for the node's own metrics. */
  deviceId: string | undefined;
  name: string;
  born: boolean;
  byName: Map<string, HostMetric>;
  byAlias: Map<number, HostMetric>;
  byKey: Map<string, HostMetric>;
  /** Metric name → point key, kept across births so keys stay put when a birth reorders metrics. */
  keys: Map<string, string>;
}

/** An edge node's session as the host follows it. */
export interface HostNode {
  groupId: string;
  edgeNodeId: string;
  self: HostDevice;
  devices: Map<string, HostDevice>;
  born: boolean;
  bdSeq: number | undefined;
  seq: SparkplugSeqTracker;
  lastRebirthAt: number;
}

/** A fresh device record. */
export function newHostDevice(entry: DeviceEntry, node: HostNode | undefined, deviceId: string | undefined, name: string): HostDevice {
  return { entry, node: node as HostNode, deviceId, name, born: false, byName: new Map(), byAlias: new Map(), byKey: new Map(), keys: new Map() };
}

/** A fresh node record (its `self` device set by the caller). */
export function newHostNode(groupId: string, edgeNodeId: string): Omit<HostNode, 'self'> {
  return { groupId, edgeNodeId, devices: new Map(), born: false, bdSeq: undefined, seq: new SparkplugSeqTracker(), lastRebirthAt: -Infinity };
}

const fitsType = (v: unknown, t: DataType): boolean => (t === 'bool' ? typeof v === 'boolean' : t === 'string' ? typeof v === 'string' : typeof v === 'number');

/** The sample of one metric value; the metric's timestamp wins over the payload's, which wins over arrival. */
export function sampleOf(dev: HostDevice, hm: HostMetric, m: SparkplugMetric, payloadTs: number | undefined, receivedTs: number): Sample {
  const ts = m.timestamp ?? payloadTs ?? receivedTs;
  const v = m.type === undefined ? retypeSparkplugValue(m.value, hm.type) : m.value;
  // One object literal of one shape per sample: this runs for every metric of every DATA message.
  // Historical values (sent late, e.g. from a store-and-forward buffer) are not the current value.
  const current = !m.isHistorical;
  if (v !== null && fitsType(v, hm.point.dataType)) {
    if (current) hm.last = v as number | boolean | string;
    return { device: dev.entry.id, point: hm.key, ts, receivedTs, value: v as number | boolean | string, quality: 'good' };
  }
  if (v === null && current) hm.last = null;
  return { device: dev.entry.id, point: hm.key, ts, receivedTs, value: null, quality: 'bad', reason: v === null ? 'SPARKPLUG_NULL' : 'SPARKPLUG_TYPE_MISMATCH' };
}

function pointOf(key: string, m: SparkplugMetric & { name: string }, dataType: DataType): Point {
  const p = m.properties ?? {};
  const unit = p['engUnit']?.value ?? p['engUnits']?.value;
  const writable = p['writable']?.value === true || p['readOnly']?.value === false || /^(Node|Device) Control\//.test(m.name);
  const lo = p['engLow']?.value;
  const hi = p['engHigh']?.value;
  return {
    key,
    name: m.name.slice(0, 200),
    unit: typeof unit === 'string' ? unit.slice(0, 32) : '',
    dataType,
    access: writable ? 'read-write' : 'read',
    multiplier: 1,
    offset: 0,
    ...(typeof lo === 'number' && Number.isFinite(lo) ? { min: lo } : {}),
    ...(typeof hi === 'number' && Number.isFinite(hi) ? { max: hi } : {}),
    mqtt: { metric: m.name },
  };
}

/**
 * Takes a birth's metrics as the device's new metric table (by name, alias and point key) and returns
 * its points and the samples of the birth values. The node's bdSeq and `Node Control/Rebirth` are
 * session bookkeeping, not points; metrics of a type no point can hold are skipped and counted.
 */
export function applyBirth(dev: HostDevice, metrics: readonly SparkplugMetric[], payloadTs: number | undefined, receivedTs: number): { points: Point[]; samples: Sample[]; skipped: number } {
  dev.byName.clear();
  dev.byAlias.clear();
  dev.byKey.clear();
  const points: Point[] = [];
  const samples: Sample[] = [];
  let skipped = 0;
  const taken = new Set(dev.keys.values());
  for (const m of metrics) {
    const name = m.name;
    if (dev.deviceId === undefined && (name === 'bdSeq' || name === rebirthMetricName)) continue;
    const dataType = m.type && pointDataTypeOf(m.type);
    if (!name || name.length > 256 || !m.type || !dataType || dev.byName.has(name)) {
      skipped++;
      continue;
    }
    let key = dev.keys.get(name);
    if (!key) {
      key = pointKeyFor(name, taken);
      taken.add(key);
      dev.keys.set(name, key);
    }
    const hm: HostMetric = { name, key, type: m.type, point: pointOf(key, { ...m, name }, dataType), last: undefined };
    dev.byName.set(name, hm);
    dev.byKey.set(key, hm);
    if (m.alias !== undefined) dev.byAlias.set(m.alias, hm);
    points.push(hm.point);
    samples.push(sampleOf(dev, hm, m, payloadTs, receivedTs));
  }
  return { points, samples, skipped };
}

/** The last value of every metric again, `uncertain` with reason SPARKPLUG_STALE, stamped `ts`. */
export function staleSamples(dev: HostDevice, ts: number): Sample[] {
  const out: Sample[] = [];
  for (const hm of dev.byName.values()) {
    if (hm.last !== undefined) out.push({ device: dev.entry.id, point: hm.key, ts, receivedTs: ts, value: hm.last, quality: 'uncertain', reason: 'SPARKPLUG_STALE' });
  }
  return out;
}
