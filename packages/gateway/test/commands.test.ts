import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBackTolerance } from '@yulian/contracts';
import { type ConnectionConfigInput, type Gateway, connectionSchema, executeCommand, startGateway } from '@yulian/gateway';
import { createSparkplugEdgeNode, type SparkplugEdgeNode } from '@yulian/protocols';
import { type ModbusPeer, modbusPeerAvailable, startModbusPeer } from '../../protocols/test/peers/modbus-peer.js';
import { mosquittoAvailable, testMqttUrl, unique } from './support/mqtt-broker.js';
import { type OpcuaTestServer, startOpcuaTestServer } from './support/opcua-test-server.js';

const pymodbus = modbusPeerAvailable();
const mosquittoUp = await mosquittoAvailable();
if (process.env['YULIAN_REQUIRE_SERVICES'] === '1' && !pymodbus) throw new Error('pymodbus is required (YULIAN_REQUIRE_SERVICES=1) but missing');

const waitFor = async (check: () => boolean, what: string, ms = 15_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

let dir: string;
const gateways: Gateway[] = [];
const gatewayOf = async (devices: ConnectionConfigInput[]): Promise<Gateway> => {
  const gw = startGateway({ id: unique('gw'), devices: devices.map((d) => connectionSchema.parse(d)), bufferPath: join(dir, unique('buf'), 'buffer.db'), pkiDir: join(dir, 'pki'), send: async () => undefined });
  gateways.push(gw);
  return gw;
};
const online = (gw: Gateway, device: string) => waitFor(() => gw.status().devices.some((d) => d.device === device && d.state === 'online'), `${device} online`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yulian-gw-commands-'));
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!pymodbus)('command execution against pymodbus', () => {
  let peer: ModbusPeer;
  let slow: ModbusPeer;
  beforeAll(async () => {
    [peer, slow] = await Promise.all([startModbusPeer(), startModbusPeer({ delayMs: 1500 })]);
  });
  afterAll(async () => {
    await Promise.all([peer?.stop(), slow?.stop()]);
  });
  const device = (id: string, port: number, timeoutMs = 1000): ConnectionConfigInput => ({
    id,
    protocol: 'modbus-tcp',
    host: '127.0.0.1',
    port,
    timeoutMs,
    pollIntervalMs: 1000,
    points: [
      { key: 'sp', dataType: 'float32', access: 'read-write', modbus: { table: 'holding', address: 300, byteOrder: 'CDAB' } },
      { key: 'scaled', dataType: 'int16', access: 'read-write', multiplier: 0.1, modbus: { table: 'holding', address: 302 } },
    ],
  });

  it('writes and reads back a float32 within float32 rounding', async () => {
    const gw = await gatewayOf([device('m1', peer.port)]);
    await online(gw, 'm1');
    const r = await executeCommand(gw, { device: 'm1', point: 'sp', value: 21.7, tolerance: readBackTolerance({ dataType: 'float32', multiplier: 1 }, 21.7) });
    expect(r).toMatchObject({ status: 'succeeded', verified: true });
    expect(r.readBack).toBeCloseTo(21.7, 5);
  });

  it('accepts half a raw step of scaling and reports a mismatch beyond the tolerance', async () => {
    const gw = await gatewayOf([device('m2', peer.port)]);
    await online(gw, 'm2');
    const ok = await executeCommand(gw, { device: 'm2', point: 'scaled', value: 12.34, tolerance: readBackTolerance({ dataType: 'int16', multiplier: 0.1 }, 12.34) });
    expect(ok).toMatchObject({ status: 'succeeded', readBack: 12.3 });
    const strict = await executeCommand(gw, { device: 'm2', point: 'scaled', value: 12.34, tolerance: 0.001 });
    expect(strict).toMatchObject({ status: 'failed', verified: false, readBack: 12.3 });
    expect(strict.reason).toMatch(/^READ_BACK_MISMATCH: wrote 12.34, read back 12.3/);
  });

  it('times out when the device answers later than the command may wait', async () => {
    const gw = await gatewayOf([device('m3', slow.port, 5000)]);
    await online(gw, 'm3');
    const r = await executeCommand(gw, { device: 'm3', point: 'sp', value: 5, timeoutMs: 500 });
    expect(r).toMatchObject({ status: 'timeout', verified: false });
    expect(r.reason).toMatch(/^COMMAND_TIMEOUT: the device did not accept the write within 500 ms/);
    expect(r.durationMs).toBeLessThan(1000);
  });

  it('fails with the driver’s code for a device that is not there', async () => {
    const gw = await gatewayOf([device('m4', 1, 300)]);
    const r = await executeCommand(gw, { device: 'm4', point: 'sp', value: 5 });
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/^MODBUS_/);
    expect((await executeCommand(gw, { device: 'nope', point: 'sp', value: 5 })).reason).toMatch(/^DEVICE_NOT_FOUND/);
  });
});

describe('command execution against an OPC UA server', () => {
  let server: OpcuaTestServer;
  beforeAll(async () => {
    server = await startOpcuaTestServer({ pkiDir: join(dir, 'opcua-server') });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('writes a node, reads it back, and names the server’s refusal', async () => {
    const gw = await gatewayOf([
      {
        id: 'ua1',
        protocol: 'opcua',
        endpointUrl: server.endpointUrl,
        timeoutMs: 1500,
        points: [
          { key: 'sp', dataType: 'float64', access: 'read-write', opcua: { nodeId: 'ns=1;s=Line1.Setpoint' } },
          { key: 'label', dataType: 'string', access: 'read-write', opcua: { nodeId: 'ns=1;s=Line1.Label' } },
          { key: 'temp', dataType: 'float64', access: 'read-write', opcua: { nodeId: 'ns=1;s=Line1.Temperature' } },
        ],
      },
    ]);
    await online(gw, 'ua1');
    expect(await executeCommand(gw, { device: 'ua1', point: 'sp', value: 33.25 })).toMatchObject({ status: 'succeeded', verified: true, readBack: 33.25 });
    expect(server.get('Setpoint')).toBe(33.25);
    expect(await executeCommand(gw, { device: 'ua1', point: 'label', value: 'B2' })).toMatchObject({ status: 'succeeded', readBack: 'B2' });
    // Marked writable in the configuration, but read-only on the server.
    const refused = await executeCommand(gw, { device: 'ua1', point: 'temp', value: 1 });
    expect(refused.status).toBe('failed');
    expect(refused.reason).toMatch(/^OPCUA_BAD_STATUS: .*BadNotWritable|BadUserAccessDenied/);
  });
});

describe.skipIf(!mosquittoUp)('command execution against a Sparkplug B edge node (verified by its DDATA)', () => {
  let node: SparkplugEdgeNode | undefined;
  afterEach(async () => {
    await node?.stop();
  });

  it('sends a DCMD and succeeds once the DDATA carries the value; times out when the node ignores it', async () => {
    const url = testMqttUrl();
    const group = unique('yt-cmd');
    let ignore = false;
    node = createSparkplugEdgeNode({
      url,
      groupId: group,
      edgeNodeId: 'gw1',
      metrics: [],
      devices: { meter: [{ name: 'Setpoint', type: 'Int32', value: -5, writable: true }] },
      reconnectPeriodMs: 100,
      onCommand: () => !ignore,
    });
    const gw = await gatewayOf([{ id: 'sp', protocol: 'mqtt', url, reconnectPeriodMs: 200, sparkplug: { hostId: unique('yt-host'), groupIds: [group] } }]);
    // The host subscribes before the node is born (its devices appear with the births).
    await new Promise((r) => setTimeout(r, 1000));
    await node.start();
    await waitFor(() => gw.status().devices.some((d) => d.device.endsWith('meter') && d.state === 'online'), 'the DBIRTH');
    const meter = gw.status().devices.find((d) => d.device.endsWith('meter'))!.device;
    expect(meter).toContain('meter');
    const ok = await executeCommand(gw, { device: meter, point: 'Setpoint', value: 12, timeoutMs: 3000 });
    expect(ok).toMatchObject({ status: 'succeeded', verified: true, readBack: 12 });
    ignore = true;
    const silent = await executeCommand(gw, { device: meter, point: 'Setpoint', value: 13, timeoutMs: 700 });
    expect(silent).toMatchObject({ status: 'timeout', verified: false });
    expect(silent.reason).toMatch(/no report of Setpoint carried 13 within 700 ms/);
  });
});
