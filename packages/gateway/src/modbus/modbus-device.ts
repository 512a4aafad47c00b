import type { Sample } from '@yulian/contracts';
import { type ErrorCode, type Logger, YulianError, errorRegistry } from '@yulian/core';
import { type ModbusPoint, createModbusTcpClient, planReads, readPoints, writePoint } from '@yulian/protocols';
import type { ModbusDeviceConfig } from '../device-config.js';
import type { DeviceState, DeviceStatus } from '../driver.js';

/** A polled Modbus device. */
export interface ModbusDevice {
  start(): void;
  /** Stops polling and closes the connection; a running cycle finishes first. */
  stop(): Promise<void>;
  /** Writes an engineering value to a writable point (FC 5/6/16). */
  write(point: string, value: number | boolean | string): Promise<void>;
  /** Reads one point now (one request of its own), e.g. to verify a write. */
  read(point: string): Promise<number | boolean | string | null>;
  status(): DeviceStatus;
}

/** Where a device sends what it reads. */
export interface ModbusDeviceSinks {
  onSamples(samples: Sample[]): void;
  onStatus?(status: DeviceStatus): void;
  logger?: Logger;
  now?: () => number;
}

/**
 * Polls a Modbus TCP device at a fixed rate: cycle k starts at start + k × period. When a cycle runs
 * past the next start, that start is skipped and counted as an overrun rather than queued, so a slow
 * device never builds up a backlog of requests. Every point of every cycle yields a sample, `bad` with a
 * reason (ILLEGAL_DATA_ADDRESS, MODBUS_TIMEOUT, …) when it could not be read.
 */
export function createModbusDevice(config: ModbusDeviceConfig, sinks: ModbusDeviceSinks): ModbusDevice {
  const now = sinks.now ?? Date.now;
  const log = sinks.logger?.child({ device: config.id });
  const points = config.points.filter((p): p is ModbusPoint => p.modbus !== undefined);
  const byKey = new Map(points.map((p) => [p.key, p]));
  const blocks = planReads(points, { maxGap: config.maxGap, maxRegisters: config.maxRegisters });
  const client = createModbusTcpClient({ host: config.host, port: config.port, timeoutMs: config.timeoutMs, ...(log ? { logger: log } : {}) });
  let state: DeviceState = 'connecting';
  let cycles = 0;
  let overruns = 0;
  let lastCycleMs = 0;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let epoch = 0;
  let tick = 0;

  let since = now();
  /** Counters: poll cycles, overruns (cycles skipped because the device was slower than the period), the last cycle's duration, read requests per cycle after coalescing, and the client's own. */
  const status = (): DeviceStatus => ({
    device: config.id,
    protocol: 'modbus-tcp',
    state,
    // The connection's last error while it matters: a device back online shows none (as OPC UA's does).
    lastError: state === 'online' ? undefined : client.lastError,
    since,
    counters: { cycles, overruns, lastCycleMs, requestsPerCycle: blocks.length, ...client.stats() },
  });

  const setState = (next: DeviceState, reason?: string): void => {
    if (next === state) return;
    state = next;
    since = now();
    if (next === 'offline') log?.warn({ reason }, 'device offline');
    else log?.info('device online');
    sinks.onStatus?.(status());
  };

  async function cycle(): Promise<void> {
    const started = now();
    const readings = await readPoints(client, config.unitId, blocks);
    const receivedTs = now();
    lastCycleMs = receivedTs - started;
    cycles++;
    sinks.onSamples(
      readings.map((r) => ({
        device: config.id,
        point: r.point,
        ts: started,
        receivedTs,
        value: r.value,
        quality: r.quality,
        ...(r.reason ? { reason: r.reason } : {}),
      })),
    );
    // Reachable with at least one good block → online; nothing reachable → offline.
    const good = readings.some((r) => r.quality === 'good');
    const unreachable = readings.length > 0 && readings.every((r) => r.reason === 'MODBUS_UNREACHABLE' || r.reason === 'MODBUS_TIMEOUT');
    if (good || (readings.length > 0 && !unreachable)) setState('online');
    else if (unreachable) setState('offline', client.lastError);
  }

  function schedule(): void {
    if (stopped) return;
    tick++;
    const due = epoch + tick * config.pollIntervalMs;
    timer = setTimeout(fire, Math.max(0, due - now()));
  }

  function fire(): void {
    if (stopped) return;
    if (running) {
      overruns++;
    } else {
      running = cycle()
        .catch((err: unknown) => log?.error({ err }, 'poll cycle failed'))
        .finally(() => (running = undefined));
    }
    schedule();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      epoch = now();
      tick = -1;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await client.close();
    },
    async write(key, value) {
      const p = byKey.get(key);
      if (!p) throw new YulianError('NOT_FOUND', `Device ${config.id} has no point ${key}.`);
      await writePoint(client, config.unitId, p, value);
    },
    async read(key) {
      const p = byKey.get(key);
      if (!p) throw new YulianError('NOT_FOUND', `Device ${config.id} has no point ${key}.`);
      const [reading] = await readPoints(client, config.unitId, planReads([p]));
      if (!reading || reading.quality !== 'good') {
        const reason = reading?.reason ?? 'INTERNAL';
        // The reason is an error code (MODBUS_TIMEOUT …) or an exception name (ILLEGAL_DATA_ADDRESS).
        const code: ErrorCode = reason in errorRegistry ? (reason as ErrorCode) : 'MODBUS_EXCEPTION';
        throw new YulianError(code, `Reading ${key} of ${config.id} failed: ${reason}.`);
      }
      return reading.value;
    },
    status,
  };
}
