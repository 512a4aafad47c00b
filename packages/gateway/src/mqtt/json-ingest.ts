import type { DataType, Point, Sample } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import { scale, unscale } from '@yulian/protocols';
import type { DeviceBook, DeviceEntry } from './device-book.js';
import { mqttDeviceIdPattern } from './device-ids.js';
import { type DeviceTemplate, type JsonPath, compileJsonPath, compileTopicFilter, fillTopic, parseDeviceTemplate, readJsonPath, resolveDevice } from './json-path.js';
import type { JsonMapping } from './mqtt-config.js';
import { writeNotSupported } from './mqtt-errors.js';

/** Counters of a JSON device: messages, samples, payloads that did not fit the mapping, fields of the wrong type. */
const jsonCounters = ['messages', 'samples', 'badPayloads', 'typeMismatches'] as const;

interface CompiledMapping {
  mapping: JsonMapping;
  match: (levels: readonly string[]) => string[] | undefined;
  device: DeviceTemplate;
  timestamp: { path: JsonPath; format: 'epoch-ms' | 'epoch-s' | 'iso' } | undefined;
  points: { point: Point; path: JsonPath }[];
  byKey: Map<string, Point>;
}

function compile(mapping: JsonMapping): CompiledMapping {
  const device = parseDeviceTemplate(mapping.device);
  if (typeof device === 'string') throw new YulianError('CONFIG_INVALID', `JSON mapping ${mapping.topic}: device: ${device}`);
  return {
    mapping,
    match: compileTopicFilter(mapping.topic),
    device,
    timestamp: mapping.timestamp ? { path: compileJsonPath(mapping.timestamp.path) ?? [], format: mapping.timestamp.format } : undefined,
    points: mapping.points.map((point) => ({ point, path: compileJsonPath(point.mqtt?.path ?? '') ?? [] })),
    byKey: new Map(mapping.points.map((p) => [p.key, p])),
  };
}

const intRanges: Partial<Record<DataType, readonly [number, number]>> = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** A JSON field as a raw value of the point's type; undefined when it is of the wrong type. Numeric strings count as numbers. */
function rawOf(v: unknown, type: DataType): number | boolean | string | null | undefined {
  if (v === null) return null;
  if (type === 'bool') return typeof v === 'boolean' ? v : v === 0 || v === 1 ? v === 1 : v === 'true' || v === 'false' ? v === 'true' : undefined;
  if (type === 'string') return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return undefined;
  const range = intRanges[type];
  return range && (!Number.isInteger(n) || n < range[0] || n > range[1]) ? undefined : n;
}

function parseTimestamp(v: unknown, format: 'epoch-ms' | 'epoch-s' | 'iso'): number | undefined {
  let ms: number;
  if (format === 'iso') ms = typeof v === 'string' ? Date.parse(v) : NaN;
  else {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    ms = format === 'epoch-s' ? n * 1000 : n;
  }
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : undefined;
}

/** What {@link JsonIngest} needs from the connector. */
export interface JsonIngestOptions {
  mappings: readonly JsonMapping[];
  book: DeviceBook;
  onSamples(samples: Sample[]): void;
  warn(key: string, fields: Record<string, unknown>, msg: string): void;
  now(): number;
}

/** JSON messages → samples, per the first mapping whose topic filter matches. */
export class JsonIngest {
  private readonly mappings: CompiledMapping[];
  /** Each device's mapping and the wildcard segments of its last message, for command topics. */
  private readonly devices = new Map<string, { mapping: CompiledMapping; captured: string[] }>();
  /** Messages whose device could not be told (payload without the id field, not JSON) or that would be one device too many. */
  unattributed = 0;

  constructor(private readonly o: JsonIngestOptions) {
    this.mappings = o.mappings.map(compile);
  }

  /** The topic filters to subscribe to. */
  filters(): string[] {
    return [...new Set(this.mappings.map((m) => m.mapping.topic))];
  }

  owns(device: string): boolean {
    return this.devices.has(device);
  }

  /** Handles a message; false when no mapping matches its topic. Never throws for a bad payload. */
  handle(topic: string, payload: Buffer): boolean {
    const levels = topic.split('/');
    for (const m of this.mappings) {
      const captured = m.match(levels);
      if (captured) {
        this.ingest(m, topic, captured, payload);
        return true;
      }
    }
    return false;
  }

  private ingest(m: CompiledMapping, topic: string, captured: string[], payload: Buffer): void {
    const receivedTs = this.o.now();
    let body: unknown;
    let parsed = true;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      parsed = false;
    }
    const device = m.device.kind === 'payload' && !parsed ? undefined : resolveDevice(m.device, captured, body);
    if (device === undefined || !mqttDeviceIdPattern.test(device) || this.o.book.full(device)) {
      this.unattributed++;
      const reason = device !== undefined && this.o.book.full(device) ? 'TOO_MANY_DEVICES' : parsed ? 'DEVICE_ID_MISSING' : 'PAYLOAD_NOT_JSON';
      this.o.warn(`topic:${m.mapping.topic}:${reason}`, { topic, reason }, 'MQTT message without a usable device id');
      return;
    }
    const entry = this.o.book.ensure(device, 'mqtt-json', jsonCounters);
    this.devices.set(device, { mapping: m, captured });
    entry.counters['messages']!++;
    if (!parsed) return this.bad(entry, topic, 'PAYLOAD_NOT_JSON');
    let ts = receivedTs;
    if (m.timestamp) {
      const t = parseTimestamp(readJsonPath(body, m.timestamp.path), m.timestamp.format);
      if (t === undefined) return this.bad(entry, topic, 'TIMESTAMP_INVALID');
      ts = t;
    }
    const samples: Sample[] = [];
    for (const { point, path } of m.points) {
      const v = readJsonPath(body, path);
      if (v === undefined) continue;
      const raw = rawOf(v, point.dataType);
      if (raw === undefined) {
        entry.counters['typeMismatches']!++;
        samples.push({ device, point: point.key, ts, receivedTs, value: null, quality: 'bad', reason: 'MQTT_TYPE_MISMATCH' });
      } else if (raw === null) {
        samples.push({ device, point: point.key, ts, receivedTs, value: null, quality: 'bad', reason: 'MQTT_NULL' });
      } else {
        samples.push({ device, point: point.key, ts, receivedTs, value: typeof raw === 'number' ? scale(raw, point) : raw, quality: 'good' });
      }
    }
    if (samples.length === 0) return this.bad(entry, topic, 'NO_MAPPED_FIELD');
    entry.counters['samples']! += samples.length;
    this.o.book.setState(entry, 'online');
    this.o.onSamples(samples);
  }

  private bad(entry: DeviceEntry, topic: string, reason: string): void {
    entry.counters['badPayloads']!++;
    this.o.book.setState(entry, 'online', reason);
    this.o.warn(`${entry.id}:${reason}`, { device: entry.id, topic, reason }, 'MQTT payload does not fit its mapping');
  }

  /**
   * The message that writes a point of a JSON device: `{"<key>": <raw value>}` to the mapping's
   * command topic; undefined when the device is not a JSON device of this connection.
   * @throws YulianError for a read-only device or point, an unknown point, or a value that does not fit.
   */
  command(device: string, key: string, value: number | boolean | string): { topic: string; payload: string } | undefined {
    const d = this.devices.get(device);
    if (!d) return undefined;
    const template = d.mapping.mapping.commandTopic;
    if (!template) throw writeNotSupported(`Device ${device} takes no writes: its JSON mapping (${d.mapping.mapping.topic}) has no commandTopic.`);
    const p = d.mapping.byKey.get(key);
    if (!p) throw new YulianError('NOT_FOUND', `Device ${device} has no point ${key}.`);
    if (p.access !== 'read-write') throw new YulianError('FORBIDDEN', `${key} is read-only.`);
    if (typeof value === 'number' && ((p.min !== undefined && value < p.min) || (p.max !== undefined && value > p.max))) {
      throw new YulianError('VALUE_OUT_OF_RANGE', `${value} is outside ${key}'s range ${p.min ?? '−∞'}…${p.max ?? '∞'}.`);
    }
    let raw = typeof value === 'number' && p.dataType !== 'bool' && p.dataType !== 'string' ? unscale(value, p) : value;
    if (typeof raw === 'number' && intRanges[p.dataType]) raw = Math.round(raw);
    const checked = rawOf(raw, p.dataType);
    if (checked === undefined || checked === null) throw new YulianError('VALUE_OUT_OF_RANGE', `${JSON.stringify(value)} does not fit ${key} (${p.dataType}).`);
    return { topic: fillTopic(template, device, d.captured), payload: JSON.stringify({ [key]: checked }) };
  }

  /** Marks every JSON device offline (the broker connection is gone). */
  markOffline(reason: string): void {
    for (const device of this.devices.keys()) {
      const e = this.o.book.get(device);
      if (e) this.o.book.setState(e, 'offline', reason);
    }
  }
}
