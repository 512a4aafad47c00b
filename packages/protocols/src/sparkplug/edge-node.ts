import { type Logger, YulianError } from '@yulian/core';
import { type MqttClient, connect } from 'mqtt';
import { EdgeMetricScope, type SparkplugMetricDefinition, rebirthMetricName } from './edge-metrics.js';
import { type SparkplugMetric, type SparkplugPayload, type SparkplugValue, decodeSparkplugPayload, encodeSparkplugPayload, retypeSparkplugValue } from './payload.js';
import { nextSparkplugSeq } from './seq.js';
import { type SparkplugMessageType, parseSparkplugTopic, sparkplugTopic } from './topic.js';

/** A write a host sent (NCMD for the node's metrics, DCMD for a device's). */
export interface SparkplugCommand {
  /** Undefined for the node's own metrics. */
  device: string | undefined;
  metric: string;
  value: SparkplugValue;
}

/** Options of {@link createSparkplugEdgeNode}. */
export interface SparkplugEdgeNodeOptions {
  /** mqtt://, mqtts:// or ws:// broker URL. */
  url: string;
  groupId: string;
  edgeNodeId: string;
  /** The node's own metrics (besides bdSeq and Node Control/Rebirth, which it always has). */
  metrics?: SparkplugMetricDefinition[];
  /** Devices behind the node, each with its metrics. */
  devices?: Record<string, SparkplugMetricDefinition[]>;
  clientId?: string;
  username?: string;
  password?: string;
  /** bdSeq of the first connection (default 0); each new MQTT connection takes the next. */
  bdSeq?: number;
  /** DATA messages carry aliases instead of names (default true). */
  aliases?: boolean;
  /**
   * Called for each metric a host writes. Return false to refuse it; otherwise the node takes the value
   * and reports it back in NDATA/DDATA.
   */
  onCommand?: (command: SparkplugCommand) => boolean | void;
  /** Delay between reconnect attempts (default 1000 ms). */
  reconnectPeriodMs?: number;
  logger?: Logger;
  now?: () => number;
}

/** Counters of an edge node since it was created. */
export interface SparkplugEdgeNodeStats {
  births: number;
  rebirthRequests: number;
  commands: number;
  dataMessages: number;
  metricsSent: number;
}

/** A Sparkplug B edge node with its devices, publishing over one MQTT connection. */
export interface SparkplugEdgeNode {
  readonly groupId: string;
  readonly edgeNodeId: string;
  /** Connects; resolves once NBIRTH and every DBIRTH have been written. */
  start(): Promise<void>;
  /**
   * Reports new values of the node's metrics (no device) or of one device's: only those that changed
   * go out, in one NDATA/DDATA. Returns how many metrics were sent (0 while offline: the values go
   * into the next birth instead).
   * @throws YulianError NOT_FOUND for an unknown device or metric, VALUE_OUT_OF_RANGE for a value that does not fit its type.
   */
  publish(values: Record<string, number | boolean | string | null>, options?: { device?: string; timestamp?: number }): number;
  /** Publishes NBIRTH (seq 0, same bdSeq) and the DBIRTH of every online device. */
  rebirth(): void;
  /** Publishes a device's DDEATH; its DATA stops until {@link SparkplugEdgeNode.deviceBirth}. */
  deviceDeath(device: string): void;
  /** Publishes a device's DBIRTH again with its current values. */
  deviceBirth(device: string): void;
  /** Publishes NDEATH and disconnects cleanly. */
  stop(): Promise<void>;
  /** Drops the connection without DISCONNECT, as a crash would: the broker then publishes the NDEATH will. */
  abort(): void;
  /** bdSeq of the current (or last) MQTT connection. */
  readonly bdSeq: number;
  /** seq of the last message sent. */
  readonly seq: number;
  stats(): SparkplugEdgeNodeStats;
}

/**
 * Creates a Sparkplug B edge node: NBIRTH with bdSeq and `Node Control/Rebirth`, a DBIRTH per device,
 * NDATA/DDATA with only the metrics that changed (by alias), seq 0–255 wrapping, NDEATH registered as
 * the MQTT will (bdSeq incremented per connection), rebirth on NCMD, writes via `onCommand`.
 * @example const node = createSparkplugEdgeNode({ url: 'mqtt://127.0.0.1:1883', groupId: 'plant', edgeNodeId: 'gw1', devices: { meter1: [{ name: 'Power', type: 'Double', value: 0 }] } })
 */
export function createSparkplugEdgeNode(options: SparkplugEdgeNodeOptions): SparkplugEdgeNode {
  return new DefaultSparkplugEdgeNode(options);
}

/** The edge node over MQTT.js; see {@link createSparkplugEdgeNode}. */
class DefaultSparkplugEdgeNode implements SparkplugEdgeNode {
  readonly groupId: string;
  readonly edgeNodeId: string;
  private readonly now: () => number;
  private readonly aliases: boolean;
  private readonly log: Logger | undefined;
  private readonly node = new EdgeMetricScope(undefined);
  private readonly devices = new Map<string, EdgeMetricScope>();
  private readonly counters: SparkplugEdgeNodeStats = { births: 0, rebirthRequests: 0, commands: 0, dataMessages: 0, metricsSent: 0 };
  private currentBdSeq: number;
  private currentSeq = 0;
  private born = false;
  private client: MqttClient | undefined;

  constructor(private readonly options: SparkplugEdgeNodeOptions) {
    this.groupId = options.groupId;
    this.edgeNodeId = options.edgeNodeId;
    this.now = options.now ?? Date.now;
    this.aliases = options.aliases ?? true;
    this.log = options.logger?.child({ sparkplugNode: `${this.groupId}/${this.edgeNodeId}` });
    this.currentBdSeq = (options.bdSeq ?? 0) & 0xff;
    // Aliases are unique across the node and all its devices.
    let alias = 0;
    this.node.add({ name: rebirthMetricName, type: 'Boolean', value: false, writable: true }, alias++);
    for (const def of options.metrics ?? []) this.node.add(def, alias++);
    for (const [id, defs] of Object.entries(options.devices ?? {})) {
      sparkplugTopic('DDATA', this.groupId, this.edgeNodeId, id); // validates the id
      const scope = new EdgeMetricScope(id);
      for (const def of defs) scope.add(def, alias++);
      this.devices.set(id, scope);
    }
  }

  get bdSeq(): number {
    return this.currentBdSeq;
  }

  get seq(): number {
    return this.currentSeq;
  }

  stats(): SparkplugEdgeNodeStats {
    return { ...this.counters };
  }

  start(): Promise<void> {
    if (this.client) return Promise.resolve();
    const o = this.options;
    const c = connect(o.url, {
      clientId: o.clientId ?? `yulian-spb-${this.edgeNodeId}-${Math.random().toString(16).slice(2, 10)}`,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      clean: true,
      reconnectPeriod: o.reconnectPeriodMs ?? 1000,
      // Data written while offline would reach the host after the next NBIRTH with a stale seq.
      queueQoSZero: false,
      resubscribe: false,
      will: { topic: sparkplugTopic('NDEATH', this.groupId, this.edgeNodeId), payload: this.death(), qos: 1, retain: false },
    });
    this.client = c;
    c.on('reconnect', () => {
      // A new MQTT session: the next bdSeq, in the will and in the NBIRTH that follows.
      this.currentBdSeq = nextSparkplugSeq(this.currentBdSeq);
      if (c.options.will) c.options.will.payload = this.death();
    });
    c.on('close', () => (this.born = false));
    c.on('error', (err) => this.log?.warn({ err: err.message }, 'sparkplug edge node connection error'));
    c.on('message', (topic, bytes) => this.onCommand(topic, bytes));
    return new Promise<void>((resolve) => {
      c.on('connect', () => {
        const filters = [sparkplugTopic('NCMD', this.groupId, this.edgeNodeId), `spBv1.0/${this.groupId}/DCMD/${this.edgeNodeId}/+`];
        c.subscribe(filters, { qos: 0 }, (err) => {
          if (err) this.log?.warn({ err: err.message }, 'sparkplug command subscription failed');
          this.rebirth();
          resolve();
        });
      });
    });
  }

  publish(values: Record<string, number | boolean | string | null>, opts: { device?: string; timestamp?: number } = {}): number {
    const scope = opts.device === undefined ? this.node : this.deviceScope(opts.device);
    const ts = opts.timestamp ?? this.now();
    return this.data(scope, scope.changes(values, ts, this.aliases), ts);
  }

  rebirth(): void {
    if (!this.client?.connected) return;
    const ts = this.now();
    this.currentSeq = 0;
    this.born = true;
    this.counters.births++;
    this.send('NBIRTH', undefined, { timestamp: ts, seq: 0, metrics: [{ name: 'bdSeq', timestamp: ts, type: 'Int64', value: this.currentBdSeq }, ...this.node.birth(ts, this.aliases)] });
    for (const d of this.devices.values()) if (d.online) this.send('DBIRTH', d.device, { timestamp: ts, seq: this.nextSeq(), metrics: d.birth(ts, this.aliases) });
    this.log?.info({ bdSeq: this.currentBdSeq, devices: this.devices.size }, 'sparkplug births published');
  }

  deviceDeath(device: string): void {
    const d = this.deviceScope(device);
    if (d.online && this.born && this.client?.connected) this.send('DDEATH', device, { timestamp: this.now(), seq: this.nextSeq(), metrics: [] });
    d.online = false;
  }

  deviceBirth(device: string): void {
    const d = this.deviceScope(device);
    d.online = true;
    const ts = this.now();
    if (this.born && this.client?.connected) this.send('DBIRTH', device, { timestamp: ts, seq: this.nextSeq(), metrics: d.birth(ts, this.aliases) });
  }

  async stop(): Promise<void> {
    const c = this.client;
    if (!c) return;
    if (c.connected) await c.publishAsync(sparkplugTopic('NDEATH', this.groupId, this.edgeNodeId), this.death(), { qos: 1 }).catch(() => undefined);
    this.born = false;
    await c.endAsync();
  }

  abort(): void {
    this.born = false;
    this.client?.end(true);
  }

  private nextSeq(): number {
    return (this.currentSeq = nextSparkplugSeq(this.currentSeq));
  }

  private deviceScope(id: string): EdgeMetricScope {
    const d = this.devices.get(id);
    if (!d) throw new YulianError('NOT_FOUND', `Edge node ${this.groupId}/${this.edgeNodeId} has no device ${id}.`);
    return d;
  }

  private death(): Buffer {
    return Buffer.from(encodeSparkplugPayload({ timestamp: this.now(), metrics: [{ name: 'bdSeq', type: 'Int64', value: this.currentBdSeq }] }));
  }

  private send(type: SparkplugMessageType, device: string | undefined, payload: SparkplugPayload): void {
    this.client?.publish(sparkplugTopic(type, this.groupId, this.edgeNodeId, device), Buffer.from(encodeSparkplugPayload(payload)), { qos: 0, retain: false }, (err) => {
      if (err) this.log?.warn({ err: err.message, type, device }, 'sparkplug publish failed');
    });
  }

  private data(scope: EdgeMetricScope, metrics: SparkplugMetric[], ts: number): number {
    if (metrics.length === 0 || !this.born || !this.client?.connected || !scope.online) return 0;
    this.send(scope.device ? 'DDATA' : 'NDATA', scope.device, { timestamp: ts, seq: this.nextSeq(), metrics });
    this.counters.dataMessages++;
    this.counters.metricsSent += metrics.length;
    return metrics.length;
  }

  private onCommand(topic: string, bytes: Buffer): void {
    const t = parseSparkplugTopic(topic);
    if (!t || t.kind === 'state' || (t.type !== 'NCMD' && t.type !== 'DCMD')) return;
    const scope = t.kind === 'device' ? this.devices.get(t.deviceId) : this.node;
    if (!scope) return void this.log?.warn({ device: t.kind === 'device' ? t.deviceId : undefined }, 'sparkplug command for an unknown device');
    let payload: SparkplugPayload;
    try {
      payload = decodeSparkplugPayload(bytes);
    } catch (err) {
      return void this.log?.warn({ err: (err as Error).message }, 'sparkplug command does not decode');
    }
    const ts = this.now();
    const accepted: Record<string, number | boolean | string | null> = {};
    for (const m of payload.metrics) {
      const metric = scope.resolve(m);
      if (!metric) {
        this.log?.warn({ device: scope.device, metric: m.name ?? m.alias }, 'sparkplug command for an unknown metric');
        continue;
      }
      const value = m.type === undefined ? retypeSparkplugValue(m.value, metric.type) : m.value;
      if (scope === this.node && metric.name === rebirthMetricName) {
        if (value === true) {
          this.counters.rebirthRequests++;
          this.rebirth();
        }
        continue;
      }
      if (this.accepts({ device: scope.device, metric: metric.name, value }) && (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')) {
        accepted[metric.name] = value;
      }
    }
    try {
      this.data(scope, scope.changes(accepted, ts, this.aliases), ts);
    } catch (err) {
      this.log?.warn({ err: (err as Error).message, device: scope.device }, 'sparkplug command value refused');
    }
  }

  /** Hands a write to `onCommand`; a handler that throws refuses it. */
  private accepts(command: SparkplugCommand): boolean {
    this.counters.commands++;
    try {
      return this.options.onCommand?.(command) !== false;
    } catch (err) {
      this.log?.warn({ err: (err as Error).message, device: command.device, metric: command.metric }, 'sparkplug command handler failed');
      return false;
    }
  }
}
