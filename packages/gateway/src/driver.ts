import type { Point, Sample } from '@yulian/contracts';
import type { Logger } from '@yulian/core';

/** Connection state of a device as the gateway sees it. */
export type DeviceState = 'connecting' | 'online' | 'offline';

/**
 * What a device reports about itself, for the console and the platform. Every driver fills the common
 * fields; `counters` holds the driver's own numbers (requests, timeouts, malformed frames, rebirths …),
 * each a count since the gateway started.
 */
export interface DeviceStatus {
  device: string;
  /** `modbus-tcp`, `opcua`, `mqtt-json` or `sparkplug`. */
  protocol: string;
  state: DeviceState;
  lastError: string | undefined;
  /** Epoch ms of the last state change. */
  since: number;
  counters: Record<string, number>;
}

/**
 * A device (or a group of devices, for a broker connection) the gateway reads from. A connector owns its
 * connections; it never throws from its callbacks and reports every failure as bad-quality samples, a
 * state change and a counter.
 */
export interface Connector {
  /** The connector's id (the device id for one-device connectors, the connection id for MQTT). */
  readonly id: string;
  start(): void;
  /** Stops reading and closes connections; pending work finishes or is abandoned within a few seconds. */
  stop(): Promise<void>;
  /** Status of each device this connector serves (one for Modbus/OPC UA, many for MQTT). */
  devices(): DeviceStatus[];
  /** Writes an engineering value to a writable point of one of its devices. */
  write(device: string, point: string, value: number | boolean | string): Promise<void>;
  /**
   * Reads one point's engineering value from the device now (not from the last poll), for a command's
   * read-back. Drivers without it (MQTT) are verified by the device's next report instead.
   */
  read?(device: string, point: string): Promise<number | boolean | string | null>;
  /** Calls a method (OPC UA) or named command; drivers without methods reject with NOT_SUPPORTED. */
  call?(device: string, method: string, args: unknown[]): Promise<unknown>;
}

/** A device a connector found by itself (a Sparkplug BIRTH), with the points it announced. */
export interface DiscoveredDevice {
  device: string;
  protocol: string;
  name?: string;
  points: Point[];
}

/** Where a connector sends what it reads. */
export interface ConnectorSinks {
  onSamples(samples: Sample[]): void;
  onStatus?(status: DeviceStatus): void;
  /** A device appeared or changed its point list (Sparkplug NBIRTH/DBIRTH). */
  onDevice?(device: DiscoveredDevice): void;
  logger?: Logger;
  now?: () => number;
}
