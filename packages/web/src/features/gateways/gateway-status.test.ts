import type { DeviceSummaryDto, GatewayDto } from '@yulian/contracts';
import { describe, expect, it } from 'vitest';
import { gatewayDeviceRows } from './gateway-devices';
import { readGatewayReport, reportedDevices } from './gateway-status';
import { gatewayYaml } from './gateway-token-dialog';

const status = {
  id: 'gw-1',
  startedAt: 1_700_000_000_000,
  configVersion: 3,
  uplink: { sentBatches: 10, sentSamples: 420, failures: 2, up: false, lastError: 'BUS_UNAVAILABLE' },
  buffer: { batches: 1, samples: 42, bytes: 2048, maxBytes: 268435456, appended: 11, acked: 10, dropped: 5 },
  devices: [
    { device: 'plc-1', protocol: 'modbus-tcp', state: 'online', since: 1_700_000_001_000, counters: { cycles: 7, timeouts: 0, note: 'x' } },
    { device: 'plc-2', protocol: 'modbus-tcp', state: 'offline', lastError: 'MODBUS_TIMEOUT', since: 1_700_000_002_000, counters: {} },
    { device: 'plc-3', protocol: 'opcua', state: 'rebooting' },
    { protocol: 'broken' },
  ],
};

const gateway = (overrides: Partial<GatewayDto> = {}): GatewayDto => ({
  id: 'gw-1',
  tenantId: 't1',
  name: 'Line 1',
  tokenPrefix: 'ylg_abcd',
  configVersion: 4,
  createdAt: 0,
  lastSeen: 1_700_000_003_000,
  online: true,
  status,
  ...overrides,
});

describe('readGatewayReport', () => {
  it('reads the uplink, the buffer and each device, leaving out what it cannot read', () => {
    const report = readGatewayReport(status);
    expect(report?.uplink).toEqual({ up: false, sentBatches: 10, sentSamples: 420, failures: 2, lastError: 'BUS_UNAVAILABLE' });
    expect(report?.buffer).toEqual({ batches: 1, samples: 42, bytes: 2048, maxBytes: 268435456, dropped: 5 });
    expect(report?.configVersion).toBe(3);
    expect(report?.devices.map((d) => [d.device, d.state, d.lastError])).toEqual([
      ['plc-1', 'online', null],
      ['plc-2', 'offline', 'MODBUS_TIMEOUT'],
      ['plc-3', 'unknown', null],
    ]);
    expect(report?.devices[0]?.counters).toEqual([
      ['cycles', 7],
      ['timeouts', 0],
    ]);
  });

  it('answers null for a gateway that has not reported', () => {
    expect(readGatewayReport(null)).toBeNull();
    expect(readGatewayReport('nonsense')).toBeNull();
  });
});

describe('reportedDevices', () => {
  it('counts the online devices, and none while the gateway itself is offline', () => {
    expect(reportedDevices(gateway()).online).toBe(1);
    const offline = reportedDevices(gateway({ online: false }));
    expect(offline.online).toBe(0);
    expect(offline.devices.every((d) => d.state === 'offline')).toBe(true);
  });
});

describe('gatewayDeviceRows', () => {
  const summary = (device: string, gatewayId: string | null, source: DeviceSummaryDto['source']): DeviceSummaryDto => ({
    device,
    name: `${device} name`,
    gatewayId,
    protocol: 'modbus-tcp',
    source,
    state: 'unknown',
    lastError: null,
    points: 3,
    lastTs: null,
  });

  it('merges the configured devices with the reported ones and marks those the gateway has not picked up', () => {
    // The gateway runs configuration 3 of 4: plc-9 is new to it.
    const rows = gatewayDeviceRows(gateway(), [summary('plc-1', 'gw-1', 'configured'), summary('plc-9', 'gw-1', 'configured'), summary('other', 'gw-2', 'configured')]);
    expect(rows.map((r) => [r.device, r.state, r.configured, r.unreported])).toEqual([
      ['plc-1', 'online', true, undefined],
      ['plc-2', 'offline', false, undefined],
      ['plc-3', 'unknown', false, undefined],
      ['plc-9', 'unknown', true, 'pending'],
    ]);
  });

  it('takes a configured entry the up-to-date gateway does not report for a connection whose devices it reports', () => {
    const rows = gatewayDeviceRows(gateway({ configVersion: 3 }), [summary('broker-1', 'gw-1', 'configured')]);
    expect(rows.find((r) => r.device === 'broker-1')?.unreported).toBe('connection');
  });
});

describe('gatewayYaml', () => {
  it('writes the gw.yaml of a registered gateway, with brackets around an IPv6 host', () => {
    expect(gatewayYaml({ id: 'gw-2', token: 'ylg_x', origin: 'http://[::1]:8080', hostname: '::1' })).toBe(
      'id: gw-2\nplatform:\n  url: http://[::1]:8080\n  token: ylg_x\nuplink:\n  bus: nats://[::1]:4222\n',
    );
  });
});
