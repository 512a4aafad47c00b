import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { Sample } from '@yulian/contracts';
import type { DeviceStatus, DiscoveredDevice } from '../../src/driver.js';
// The MQTT module alone: the package entry also loads node-opcua, seconds per test file.
import { type MqttConnectionConfigInput, type MqttConnector, createMqttConnector, mqttConnectionSchema } from '../../src/mqtt/index.js';
import { eventually } from './mqtt-broker.js';

/** A connector under test with everything it reported. */
export interface Harness {
  connector: MqttConnector;
  samples: Sample[];
  discovered: DiscoveredDevice[];
  statuses: DeviceStatus[];
  /** Parsed log lines at warn and above. */
  warnings: Record<string, unknown>[];
  /** The samples of one device (and point). */
  of(device: string, point?: string): Sample[];
  status(device: string): DeviceStatus | undefined;
  stop(): Promise<void>;
}

/** Creates, starts and waits for a connector to be subscribed. */
export async function startConnector(config: MqttConnectionConfigInput): Promise<Harness> {
  const samples: Sample[] = [];
  const discovered: DiscoveredDevice[] = [];
  const statuses: DeviceStatus[] = [];
  const warnings: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) warnings.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'warn' }, sink);
  const connector = createMqttConnector(mqttConnectionSchema.parse(config), {
    onSamples: (s) => samples.push(...s),
    onDevice: (d) => discovered.push(d),
    onStatus: (s) => statuses.push(s),
    logger,
  });
  connector.start();
  await eventually(() => expect(connector.connection().subscribed).toBe(true));
  return {
    connector,
    samples,
    discovered,
    statuses,
    warnings,
    of: (device, point) => samples.filter((s) => s.device === device && (point === undefined || s.point === point)),
    status: (device) => connector.devices().find((d) => d.device === device),
    stop: () => connector.stop(),
  };
}
