import { type Logger, YulianError } from '@yulian/core';
import { type SampleBuffer, openSampleBuffer } from './buffer/sample-buffer.js';
import type { ModbusDeviceConfig } from './device-config.js';
import type { DeviceStatus } from './driver.js';
import { type ModbusDevice, createModbusDevice } from './modbus/modbus-device.js';
import { type BatchSender, type Uplink, type UplinkStats, createUplink } from './uplink/uplink.js';

/** What a gateway reports: itself, its buffer and each device. */
export interface GatewayStatus {
  id: string;
  uplink: UplinkStats;
  buffer: ReturnType<SampleBuffer['stats']>;
  devices: DeviceStatus[];
}

/** A running gateway: devices polled into the disk buffer, the buffer drained by the uplink. */
export interface Gateway {
  readonly id: string;
  status(): GatewayStatus;
  /** Writes a point of one of its devices. */
  write(device: string, point: string, value: number | boolean | string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a gateway: every device's samples go to the on-disk buffer first (so an uplink outage or a
 * restart loses nothing), and the uplink sends them on in order.
 * @example const gw = startGateway({ id: 'gw-1', devices, bufferPath: 'data/gateway/buffer.db', send })
 */
export function startGateway(options: {
  id: string;
  devices: readonly ModbusDeviceConfig[];
  bufferPath: string;
  /** Bound of the buffer; oldest samples are dropped (counted) beyond it. Default 256 MiB. */
  maxBufferBytes?: number;
  send: BatchSender;
  logger?: Logger;
}): Gateway {
  const log = options.logger?.child({ gateway: options.id });
  const buffer = openSampleBuffer({ path: options.bufferPath, maxBytes: options.maxBufferBytes ?? 256 * 2 ** 20, ...(log ? { logger: log } : {}) });
  const uplink: Uplink = createUplink({ buffer, send: options.send, ...(log ? { logger: log } : {}) });
  const devices = new Map<string, ModbusDevice>();
  for (const config of options.devices) {
    const device = createModbusDevice(config, {
      onSamples: (samples) => {
        buffer.append(samples);
        uplink.wake();
      },
      ...(log ? { logger: log } : {}),
    });
    devices.set(config.id, device);
  }
  uplink.start();
  for (const d of devices.values()) d.start();
  return {
    id: options.id,
    status: () => ({ id: options.id, uplink: uplink.stats(), buffer: buffer.stats(), devices: [...devices.values()].map((d) => d.status()) }),
    async write(device, point, value) {
      const d = devices.get(device);
      if (!d) throw new YulianError('DEVICE_NOT_FOUND', `Gateway ${options.id} has no device ${device}.`);
      await d.write(point, value);
    },
    async stop() {
      await Promise.all([...devices.values()].map((d) => d.stop()));
      await uplink.stop();
      buffer.close();
    },
  };
}
