import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '@yulian/contracts';
import { type DeviceStatus, type ModbusDevice, createModbusDevice, modbusDeviceSchema } from '@yulian/gateway';
import { type ModbusPeer, modbusPeerAvailable, startModbusPeer } from '../../protocols/test/peers/modbus-peer.js';

const available = modbusPeerAvailable();
if (process.env['YULIAN_REQUIRE_SERVICES'] === '1' && !available) throw new Error('pymodbus is required (YULIAN_REQUIRE_SERVICES=1) but missing');

const waitFor = async (check: () => boolean, ms: number, what: string): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const config = (port: number, extra: Record<string, unknown> = {}) =>
  modbusDeviceSchema.parse({
    id: 'cnc-01',
    protocol: 'modbus-tcp',
    host: '::1',
    port,
    pollIntervalMs: 100,
    timeoutMs: 300,
    points: [
      { key: 'spindle_rpm', dataType: 'uint16', modbus: { table: 'holding', address: 5000 } },
      { key: 'temp', dataType: 'int16', unit: '°C', multiplier: 0.1, modbus: { table: 'input', address: 10 } },
      { key: 'running', dataType: 'bool', modbus: { table: 'coil', address: 3 } },
      { key: 'setpoint', dataType: 'float32', access: 'read-write', modbus: { table: 'holding', address: 20, byteOrder: 'CDAB' } },
      { key: 'missing', dataType: 'uint16', modbus: { table: 'holding', address: 65000 } },
    ],
    ...extra,
  });

describe.skipIf(!available)('Modbus device polling against pymodbus', () => {
  let peer: ModbusPeer | undefined;
  let device: ModbusDevice | undefined;
  afterEach(async () => {
    await device?.stop();
    await peer?.stop();
    device = peer = undefined;
  });

  it('polls every 100 ms over IPv6 and turns each point into a sample, bad ones with the reason', async () => {
    peer = await startModbusPeer({ host: '::1' });
    const samples: Sample[] = [];
    device = createModbusDevice(config(peer.port), { onSamples: (s) => samples.push(...s) });
    device.start();
    await new Promise((r) => setTimeout(r, 1050));
    const status = device.status();
    expect(status.counters.cycles).toBeGreaterThanOrEqual(6);
    expect(status.counters.cycles).toBeLessThanOrEqual(12);
    expect(status.state).toBe('online');
    const last = new Map(samples.map((s) => [s.point, s]));
    expect(last.get('spindle_rpm')).toMatchObject({ device: 'cnc-01', value: 5000, quality: 'good' });
    expect(last.get('temp')?.value).toBeCloseTo(7.0);
    expect(last.get('running')).toMatchObject({ value: true, quality: 'good' });
    expect(last.get('missing')).toMatchObject({ value: null, quality: 'bad', reason: 'ILLEGAL_DATA_ADDRESS' });
    expect(samples.every((s) => s.receivedTs >= s.ts)).toBe(true);
  });

  it('writes a setpoint and the next poll reads it back', async () => {
    peer = await startModbusPeer({ host: '::1' });
    const latest = new Map<string, Sample>();
    device = createModbusDevice(config(peer.port), { onSamples: (s) => s.forEach((x) => latest.set(x.point, x)) });
    device.start();
    await device.write('setpoint', 42.25);
    const writtenAt = Date.now();
    await waitFor(() => (latest.get('setpoint')?.ts ?? 0) > writtenAt && latest.get('setpoint')?.value === 42.25, 2000, 'the setpoint read back');
    await expect(device.write('spindle_rpm', 1)).rejects.toThrow(/read-only/);
    await expect(device.write('nope', 1)).rejects.toThrow(/no point nope/);
  });

  it('goes offline when the device disappears and online again when it returns', async () => {
    peer = await startModbusPeer({ host: '::1' });
    const port = peer.port;
    const statuses: DeviceStatus[] = [];
    device = createModbusDevice(config(port), { onSamples: () => undefined, onStatus: (s) => statuses.push(s) });
    device.start();
    await waitFor(() => device!.status().state === 'online', 2000, 'online');
    await peer.stop();
    const lostAt = Date.now();
    await waitFor(() => device!.status().state === 'offline', 3000, 'offline');
    expect(Date.now() - lostAt).toBeLessThan(2000);
    expect(device.status().lastError).toBeTruthy();
    peer = await startModbusPeer({ host: '::1', port });
    await waitFor(() => device!.status().state === 'online', 5000, 'online again');
    expect(statuses.map((s) => s.state)).toEqual(['online', 'offline', 'online']);
    expect(device.status().lastError).toBeUndefined(); // back online: no stale error shown
  });

  it('skips cycles a slow device cannot keep up with instead of queueing requests', async () => {
    peer = await startModbusPeer({ host: '::1', delayMs: 250 });
    device = createModbusDevice(config(peer.port, { timeoutMs: 1000, points: [{ key: 'a', dataType: 'uint16', modbus: { table: 'holding', address: 5000 } }] }), { onSamples: () => undefined });
    device.start();
    await new Promise((r) => setTimeout(r, 1100));
    const status = device.status();
    expect(status.counters.overruns).toBeGreaterThanOrEqual(5);
    expect(status.counters.cycles).toBeLessThanOrEqual(5);
    expect(status.counters.queueFull).toBe(0);
    expect(status.counters.timeouts).toBe(0);
  });

  it('rejects a configuration without Modbus addresses or with duplicate keys, naming the point', () => {
    const bad = modbusDeviceSchema.safeParse({ id: 'x', protocol: 'modbus-tcp', host: '::1', points: [{ key: 'a', dataType: 'uint16' }, { key: 'a', dataType: 'uint16', modbus: { table: 'holding', address: 1 } }] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/needs a modbus address.*duplicate point key a|duplicate point key a.*needs a modbus address/s);
    expect(modbusDeviceSchema.safeParse({ id: 'x', protocol: 'modbus-tcp', host: '::1', pollIntervalMs: 50, points: [] }).success).toBe(false);
  });
});
