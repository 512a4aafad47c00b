import type { Sample } from '@yulian/contracts';
import { type Logger, YulianError } from '@yulian/core';
import { type SampleBuffer, openSampleBuffer } from './buffer/sample-buffer.js';
import { type ConnectionConfig, connectorFor, connectionIdOf } from './connectors.js';
import type { Connector, DeviceStatus, DiscoveredDevice } from './driver.js';
import { type BatchSender, type Uplink, type UplinkStats, createUplink } from './uplink/uplink.js';

/** What a gateway reports: itself, its buffer and each device. */
export interface GatewayStatus {
  id: string;
  /** Epoch ms the gateway started. */
  startedAt: number;
  /** Version of the platform-pushed configuration it runs, 0 for a local one. */
  configVersion: number;
  uplink: UplinkStats;
  buffer: ReturnType<SampleBuffer['stats']>;
  devices: DeviceStatus[];
}

/** A running gateway: devices read into the disk buffer, the buffer drained by the uplink. */
export interface Gateway {
  readonly id: string;
  status(): GatewayStatus;
  /** Writes a point of one of its devices. */
  write(device: string, point: string, value: number | boolean | string): Promise<void>;
  /** Calls a method of one of its devices (OPC UA). */
  call(device: string, method: string, args: unknown[]): Promise<unknown>;
  /** Reads a point of one of its devices now. @throws YulianError NOT_SUPPORTED when its driver cannot (MQTT). */
  read(device: string, point: string): Promise<number | boolean | string | null>;
  /** Calls `listener` with every batch of samples the devices produce, until the returned function is called. */
  watchSamples(listener: (samples: readonly Sample[]) => void): () => void;
  /**
   * Runs a new set of connections: unchanged ones keep running, changed ones restart, removed ones
   * stop. Samples already buffered are kept whatever changes.
   */
  reconfigure(connections: readonly ConnectionConfig[], version: number): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  id: string;
  /** Devices (Modbus, OPC UA) and broker connections (MQTT), as validated by `connectionSchema`. */
  devices: readonly ConnectionConfig[];
  /** Version of `devices` when the platform pushed them; 0 (default) for a local configuration. */
  configVersion?: number;
  bufferPath: string;
  /** Bound of the buffer; oldest samples are dropped (counted) beyond it. Default 256 MiB. */
  maxBufferBytes?: number;
  /** Certificates and trust lists of OPC UA connections. Default: `pki` beside the buffer file. */
  pkiDir?: string;
  send: BatchSender;
  /** Devices a connection found by itself (Sparkplug births), for the platform's registry. */
  onDevice?: (device: DiscoveredDevice) => void;
  logger?: Logger;
}

/**
 * Starts a gateway: every device's samples go to the on-disk buffer first (so an uplink outage or a
 * restart loses nothing), and the uplink sends them on in order.
 * @example const gw = startGateway({ id: 'gw-1', devices, bufferPath: 'data/gateway/buffer.db', send })
 */
export function startGateway(options: GatewayOptions): Gateway {
  const log = options.logger?.child({ gateway: options.id });
  const startedAt = Date.now();
  const buffer = openSampleBuffer({ path: options.bufferPath, maxBytes: options.maxBufferBytes ?? 256 * 2 ** 20, ...(log ? { logger: log } : {}) });
  const uplink: Uplink = createUplink({ buffer, send: options.send, ...(log ? { logger: log } : {}) });
  const pkiDir = options.pkiDir ?? options.bufferPath.replace(/[^/\\]*$/, 'pki');
  const running = new Map<string, { config: string; connector: Connector }>();
  let configVersion = options.configVersion ?? 0;
  let stopped = false;
  const watchers = new Set<(samples: readonly Sample[]) => void>();
  const sinks = {
    onSamples: (samples: Sample[]) => {
      if (stopped || samples.length === 0) return;
      buffer.append(samples);
      uplink.wake();
      for (const w of watchers) {
        try {
          w(samples);
        } catch (err) {
          log?.error({ err }, 'sample watcher threw');
        }
      }
    },
    onDevice: (d: DiscoveredDevice) => options.onDevice?.(d),
    ...(log ? { logger: log } : {}),
  };

  function open(config: ConnectionConfig): void {
    const connector = connectorFor(config, { ...sinks, pkiDir });
    running.set(connectionIdOf(config), { config: JSON.stringify(config), connector });
    connector.start();
  }

  /** The connector serving a device: its own (Modbus, OPC UA) or the MQTT connection that knows it. */
  function connectorOf(device: string): Connector {
    const own = running.get(device);
    if (own && own.connector.devices().some((d) => d.device === device)) return own.connector;
    for (const { connector } of running.values()) if (connector.devices().some((d) => d.device === device)) return connector;
    throw new YulianError('DEVICE_NOT_FOUND', `Gateway ${options.id} has no device ${device}.`);
  }

  uplink.start();
  for (const c of options.devices) open(c);
  return {
    id: options.id,
    status: () => ({
      id: options.id,
      startedAt,
      configVersion,
      uplink: uplink.stats(),
      buffer: buffer.stats(),
      devices: [...running.values()].flatMap(({ connector }) => connector.devices()),
    }),
    async write(device, point, value) {
      await connectorOf(device).write(device, point, value);
    },
    async call(device, method, args) {
      const c = connectorOf(device);
      if (!c.call) throw new YulianError('NOT_SUPPORTED', `Device ${device} has no methods to call.`);
      return c.call(device, method, args);
    },
    async read(device, point) {
      const c = connectorOf(device);
      if (!c.read) throw new YulianError('NOT_SUPPORTED', `Device ${device} cannot be read on demand; its next report tells its value.`);
      return c.read(device, point);
    },
    watchSamples(listener) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    async reconfigure(connections, version) {
      const next = new Map(connections.map((c) => [connectionIdOf(c), c]));
      const closing: Promise<void>[] = [];
      for (const [id, r] of running) {
        const want = next.get(id);
        if (!want || JSON.stringify(want) !== r.config) {
          running.delete(id);
          closing.push(r.connector.stop());
        }
      }
      await Promise.all(closing);
      for (const [id, c] of next) if (!running.has(id)) open(c);
      configVersion = version;
      log?.info({ version, connections: next.size }, 'configuration applied');
    },
    async stop() {
      stopped = true;
      await Promise.all([...running.values()].map((r) => r.connector.stop()));
      running.clear();
      await uplink.stop();
      buffer.close();
    },
  };
}
