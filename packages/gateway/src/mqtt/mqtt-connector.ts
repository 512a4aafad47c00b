import { YulianError } from '@yulian/core';
import { decodeHostState, encodeHostState, parseSparkplugTopic, sparkplugStateTopic } from '@yulian/protocols';
import { type IClientOptions, type MqttClient, connect } from 'mqtt';
import type { Connector, ConnectorSinks } from '../driver.js';
import { DeviceBook, createThrottledWarn } from './device-book.js';
import { JsonIngest } from './json-ingest.js';
import type { MqttConnectionConfig } from './mqtt-config.js';
import { brokerUnavailable } from './mqtt-errors.js';
import { SparkplugHost } from './sparkplug-host.js';

/** The broker connection itself, apart from its devices. */
export interface MqttConnectionStatus {
  id: string;
  connected: boolean;
  /** Subscribed (and STATE published) since the last connect: from here on nothing is missed. */
  subscribed: boolean;
  /** Epoch ms of the last connect or disconnect. */
  since: number;
  lastError: string | undefined;
  /** connects, disconnects, messages, messages no mapping matched, JSON messages without a device id. */
  counters: Record<string, number>;
}

/** A connector for one MQTT broker connection: JSON devices and/or Sparkplug B edge nodes. */
export interface MqttConnector extends Connector {
  /** The state of the broker connection. */
  connection(): MqttConnectionStatus;
}

/**
 * Creates the MQTT connector of one broker connection. JSON messages become samples through their
 * mappings; with `sparkplug` it is a Sparkplug B host application: STATE `online` (retained, QoS 1, the
 * will says `offline`), devices from NBIRTH/DBIRTH via `sinks.onDevice`, DATA → samples, deaths →
 * offline and stale. After a reconnect it subscribes again, republishes STATE and asks every known edge
 * node for a rebirth. Nothing an edge node or device sends can throw out of it.
 * @example const c = createMqttConnector(mqttConnectionSchema.parse(cfg), { onSamples: (s) => buffer.append(s) }); c.start()
 */
export function createMqttConnector(config: MqttConnectionConfig, sinks: ConnectorSinks): MqttConnector {
  const now = sinks.now ?? Date.now;
  const log = sinks.logger?.child({ connection: config.id });
  const warn = createThrottledWarn(log, now);
  const book = new DeviceBook(sinks, now);
  const counters = { connects: 0, disconnects: 0, messages: 0, unmatched: 0 };
  let connected = false;
  let subscribed = false;
  let since = now();
  let lastError: string | undefined;
  let client: MqttClient | undefined;
  let stopping = false;
  const sp = config.sparkplug;
  const stateTopic = sp ? sparkplugStateTopic(sp.hostId) : undefined;
  // Sparkplug 3.0: the birth carries the timestamp of the will registered with the same CONNECT.
  let willTs = now();

  const publish = (topic: string, payload: Uint8Array): boolean => {
    if (!client?.connected) return false;
    client.publish(topic, Buffer.from(payload), { qos: 0 }, (err) => err && warn('publish', { topic, err: err.message }, 'MQTT publish failed'));
    return true;
  };
  const json = config.json.length > 0 ? new JsonIngest({ mappings: config.json, book, onSamples: (s) => sinks.onSamples(s), warn, now }) : undefined;
  const host = sp ? new SparkplugHost({ rebirthOnGap: sp.rebirthOnGap, book, sinks, warn, log, now, publish }) : undefined;

  const filters = [...(json?.filters() ?? []), ...(sp ? (sp.groupIds ? [...sp.groupIds.map((g) => `spBv1.0/${g}/#`), stateTopic!] : ['spBv1.0/#']) : [])];
  const publishOnline = (c: MqttClient): void => {
    if (stateTopic) c.publish(stateTopic, encodeHostState({ online: true, timestamp: willTs }), { qos: 1, retain: true }, (err) => err && log?.warn({ err: err.message }, 'STATE publish failed'));
  };

  function onMessage(c: MqttClient, topic: string, payload: Buffer): void {
    counters.messages++;
    if (host && topic.startsWith('spBv1.0/')) {
      const t = parseSparkplugTopic(topic);
      if (t?.kind === 'state') {
        // Our own STATE said offline (a late will of an earlier session): say online again.
        if (t.hostId === sp?.hostId && decodeHostState(payload)?.online === false && c.connected && !stopping) publishOnline(c);
      } else if (t) host.handle(t, payload);
      else counters.unmatched++;
      return;
    }
    if (!json?.handle(topic, payload)) counters.unmatched++;
  }

  function onConnect(c: MqttClient): void {
    counters.connects++;
    connected = true;
    since = now();
    const first = counters.connects === 1;
    log?.info({ url: config.url, first }, 'MQTT connected');
    // Subscribe first, then STATE (the spec's order), then ask for what we may have missed.
    c.subscribe(filters, { qos: 1 }, (err) => {
      if (err) {
        lastError = err.message;
        log?.error({ err: err.message, filters }, 'MQTT subscribe failed');
      }
      subscribed = !err;
      publishOnline(c);
      if (!first) host?.requestAllRebirths();
    });
  }

  function onClose(): void {
    if (!connected) return;
    connected = false;
    subscribed = false;
    counters.disconnects++;
    since = now();
    if (!stopping) log?.warn({ url: config.url }, 'MQTT connection lost');
    const reason = stopping ? 'connector stopped' : 'MQTT connection lost';
    json?.markOffline(reason);
    host?.connectionLost(reason);
  }

  return {
    id: config.id,
    start() {
      if (client) return;
      stopping = false;
      willTs = now();
      const options: IClientOptions = {
        clientId: config.clientId ?? `yulian-${config.id}-${Math.random().toString(16).slice(2, 10)}`,
        ...(config.username !== undefined ? { username: config.username } : {}),
        ...(config.password !== undefined ? { password: config.password } : {}),
        clean: true,
        reconnectPeriod: config.reconnectPeriodMs,
        connectTimeout: 10_000,
        resubscribe: false,
        queueQoSZero: false,
        ...(stateTopic ? { will: { topic: stateTopic, payload: encodeHostState({ online: false, timestamp: willTs }), qos: 1 as const, retain: true } } : {}),
      };
      const c = connect(config.url, options);
      client = c;
      c.on('connect', () => onConnect(c));
      c.on('message', (topic, payload) => {
        try {
          onMessage(c, topic, payload);
        } catch (err) {
          log?.error({ err, topic }, 'MQTT message handling failed');
        }
      });
      c.on('reconnect', () => {
        willTs = now();
        if (stateTopic && c.options.will) c.options.will.payload = encodeHostState({ online: false, timestamp: willTs });
      });
      c.on('close', onClose);
      c.on('error', (err) => {
        // Errors of a connection being closed on purpose (e.g. "write after end") are not news.
        if (stopping) return;
        lastError = err.message;
        warn('connection', { url: config.url, err: err.message }, 'MQTT connection error');
      });
    },
    async stop() {
      const c = client;
      if (!c) return;
      stopping = true;
      client = undefined;
      // A clean stop announces itself (the will only fires on an unclean one).
      if (stateTopic && c.connected) await c.publishAsync(stateTopic, encodeHostState({ online: false, timestamp: now() }), { qos: 1, retain: true }).catch(() => undefined);
      await c.endAsync();
      onClose();
    },
    devices: () => book.list(),
    async write(device, point, value) {
      if (host?.owns(device)) return host.write(device, point, value);
      const cmd = json?.command(device, point, value);
      if (!cmd) throw new YulianError('DEVICE_NOT_FOUND', `MQTT connection ${config.id} has no device ${device}.`);
      if (!client?.connected) throw brokerUnavailable(`The broker connection ${config.id} is down.`);
      await client.publishAsync(cmd.topic, cmd.payload, { qos: 1 });
    },
    connection: () => ({ id: config.id, connected, subscribed, since, lastError, counters: { ...counters, unattributed: json?.unattributed ?? 0 } }),
  };
}
