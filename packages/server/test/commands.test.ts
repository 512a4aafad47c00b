import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@yulian/core';
import { type Gateway, type GatewayLink, createBusSender, createPlatformLink, startGateway, startGatewayLink, startPlatformSync } from '@yulian/gateway';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';
import { type ModbusPeer, modbusPeerAvailable, startModbusPeer } from '../../protocols/test/peers/modbus-peer.js';
import { type OpcuaTestServer, startOpcuaTestServer } from '../../gateway/test/support/opcua-test-server.js';

const available = modbusPeerAvailable();
if (process.env['YULIAN_REQUIRE_SERVICES'] === '1' && !available) throw new Error('pymodbus is required (YULIAN_REQUIRE_SERVICES=1) but missing');

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitFor = async <T>(fn: () => Promise<T | undefined> | T | undefined, what: string, ms = 20_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};

/** Reads holding registers straight from the Modbus server (FC 3), not through anything under test. */
function readHolding(port: number, address: number, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const req = Buffer.alloc(12);
    req.writeUInt16BE(7, 0);
    req.writeUInt16BE(6, 4);
    req.writeUInt8(1, 6);
    req.writeUInt8(3, 7);
    req.writeUInt16BE(address, 8);
    req.writeUInt16BE(count, 10);
    let buf = Buffer.alloc(0);
    s.setTimeout(5000, () => s.destroy(new Error('no answer')));
    s.on('connect', () => s.write(req));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 9 || buf.length < 9 + (buf[8] ?? 0)) return;
      s.end();
      resolve(Array.from({ length: count }, (_, i) => buf.readUInt16BE(9 + 2 * i)));
    });
    s.on('error', reject);
  });
}
const float32At = async (port: number, address: number): Promise<number> => {
  const [hi, lo] = await readHolding(port, address, 2);
  const b = Buffer.alloc(4);
  b.writeUInt16BE(hi ?? 0, 0);
  b.writeUInt16BE(lo ?? 0, 2);
  return b.readFloatBE(0);
};

describe.skipIf(!available)('remote control end to end (pymodbus, OPC UA, gateway link)', () => {
  let platform: Platform;
  let dataDir: string;
  let peer: ModbusPeer;
  let slowPeer: ModbusPeer;
  let opcua: OpcuaTestServer;
  const token: Record<string, string> = {};
  const timings: Record<string, number[]> = {};
  const api = async (method: 'GET' | 'POST', url: string, as: string, payload?: unknown) => {
    const res = await platform.app.inject({ method, url, headers: { authorization: `Bearer ${token[as]}` }, remoteAddress: '10.1.2.3', ...(payload === undefined ? {} : { payload: payload as Json }) });
    return { status: res.statusCode, body: (res.body ? res.json() : null) as Json };
  };
  /** Sends a command and records its round trip under `label`. */
  const command = async (device: string, body: Json, as = 'demo-operator', label = device) => {
    const t0 = performance.now();
    const res = await api('POST', `/api/v1/devices/${device}/commands`, as, body);
    (timings[label] ??= []).push(Math.round(performance.now() - t0));
    return res;
  };
  const login = async (username: string, password = demoPassword) => {
    const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    token[username] = res.json<{ token: string }>().token;
  };
  const addDevice = async (gatewayId: string, config: Json) => {
    const res = await api('POST', '/api/v1/devices', 'demo-engineer', { gatewayId, config });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const online = (gw: { status(): { devices: Array<{ device: string; state: string }> } }, device: string) =>
    waitFor(() => (gw.status().devices.find((d) => d.device === device)?.state === 'online' ? true : undefined), `${device} online`);

  const modbusDevice = (id: string, port: number, extra: Json = {}) => ({
    id,
    protocol: 'modbus-tcp',
    host: '127.0.0.1',
    port,
    pollIntervalMs: 500,
    timeoutMs: 1000,
    points: [
      { key: 'setpoint', dataType: 'float32', access: 'read-write', unit: '°C', min: 0, max: 100, modbus: { table: 'holding', address: 100 } },
      { key: 'speed', dataType: 'uint16', access: 'read-write', multiplier: 0.1, min: 0, max: 500, minCommandIntervalMs: 0, modbus: { table: 'holding', address: 102 } },
      { key: 'valve', dataType: 'bool', access: 'read-write', critical: true, minCommandIntervalMs: 0, modbus: { table: 'holding', address: 103, bit: 2 } },
      { key: 'count', dataType: 'uint16', modbus: { table: 'holding', address: 104 } },
    ],
    actions: [{ name: 'open-valve', point: 'valve', value: true }],
    ...extra,
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-commands-'));
    [peer, slowPeer] = await Promise.all([startModbusPeer(), startModbusPeer({ delayMs: 2500 })]);
    opcua = await startOpcuaTestServer({ pkiDir: join(dataDir, 'opcua-server-pki') });
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    for (const user of ['demo-admin', 'demo-engineer', 'demo-operator']) await login(user);
    const created = await api('POST', '/api/v1/users', 'demo-admin', { username: 'cmd-viewer', password: 'Viewer-Passw0rd-1', role: 'viewer' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await login('cmd-viewer', 'Viewer-Passw0rd-1');

    await addDevice('embedded', modbusDevice('cmd-modbus', peer.port));
    await addDevice('embedded', {
      id: 'cmd-opcua',
      protocol: 'opcua',
      endpointUrl: opcua.endpointUrl,
      timeoutMs: 1500,
      publishingIntervalMs: 200,
      samplingIntervalMs: 100,
      points: [
        { key: 'setpoint', dataType: 'float64', access: 'read-write', min: -50, max: 50, opcua: { nodeId: 'ns=1;s=Line1.Setpoint' } },
        { key: 'mode', dataType: 'int16', access: 'read-write', critical: true, opcua: { nodeId: 'ns=1;s=Line1.Mode' } },
        { key: 'temperature', dataType: 'float64', opcua: { nodeId: 'ns=1;s=Line1.Temperature' } },
      ],
    });
    // The slow device answers after 2.5 s, its driver waits 5 s, the command only 800 ms.
    await addDevice('embedded', modbusDevice('cmd-slow', slowPeer.port, { timeoutMs: 5000, pollIntervalMs: 1000 }));
    await platform.embeddedGateway.sync();
    const gw = platform.embeddedGateway.gateway;
    await Promise.all([online(gw, 'cmd-modbus'), online(gw, 'cmd-opcua'), online(gw, 'cmd-slow'), online(gw, 'paint-line-1')]);
  });
  afterAll(async () => {
    await platform?.close();
    await Promise.all([peer?.stop(), slowPeer?.stop(), opcua?.stop().catch(() => undefined)]);
    await rm(dataDir, { recursive: true, force: true });
    // The measured round trips, for the report.
    console.log('command round trips (ms):', JSON.stringify(timings));
  });

  it('writes a Modbus setpoint, reads it back and records who sent it from where', async () => {
    const res = await command('cmd-modbus', { point: 'setpoint', value: 42.5 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ device: 'cmd-modbus', gatewayId: 'embedded', point: 'setpoint', value: 42.5, status: 'succeeded', verified: true, readBack: 42.5, requestedBy: 'demo-operator', ip: '10.1.2.3' });
    expect(await float32At(peer.port, 100)).toBe(42.5);
    // A scaled integer point reads back within half a raw step.
    await sleep(1000);
    const speed = await command('cmd-modbus', { point: 'speed', value: 123.4 });
    expect(speed.body).toMatchObject({ status: 'succeeded', verified: true });
    expect(await readHolding(peer.port, 102, 1)).toEqual([1234]);
  });

  it('refuses a value out of range with the range, and writes nothing', async () => {
    await sleep(1000);
    const res = await command('cmd-modbus', { point: 'setpoint', value: 150 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALUE_OUT_OF_RANGE', details: { min: 0, max: 100 } } });
    expect((res.body['error'] as { message: string }).message).toContain('0…100 °C');
    expect(await float32At(peer.port, 100)).toBe(42.5);
    // The refusal does not count against the rate limit: a good value goes through at once.
    expect((await command('cmd-modbus', { point: 'setpoint', value: 43 })).body).toMatchObject({ status: 'succeeded' });
  });

  it('refuses a second command to the same point within its minimum interval', async () => {
    await sleep(1000);
    expect((await command('cmd-modbus', { point: 'setpoint', value: 44 })).status).toBe(200);
    const res = await command('cmd-modbus', { point: 'setpoint', value: 45 });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ error: { code: 'COMMAND_RATE_LIMITED' } });
    expect(await float32At(peer.port, 100)).toBe(44);
  });

  it('refuses a critical point without confirmation and writes it with one', async () => {
    const before = await readHolding(peer.port, 103, 1);
    const refused = await command('cmd-modbus', { point: 'valve', value: true });
    expect(refused.status).toBe(428);
    expect(refused.body).toMatchObject({ error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(await readHolding(peer.port, 103, 1)).toEqual(before);
    const action = await command('cmd-modbus', { action: 'open-valve' });
    expect(action.status).toBe(428);
    const ok = await command('cmd-modbus', { action: 'open-valve', confirm: true });
    expect(ok.body).toMatchObject({ status: 'succeeded', action: 'open-valve', point: 'valve', value: true, readBack: true });
    expect(((await readHolding(peer.port, 103, 1))[0] ?? 0) & 4).toBe(4);
  });

  it('answers 404 with a code for unknown devices and points, and 409 for read-only points', async () => {
    expect((await command('no-such-device', { point: 'x', value: 1 })).body).toMatchObject({ error: { code: 'DEVICE_NOT_FOUND' } });
    const point = await command('cmd-modbus', { point: 'nope', value: 1 });
    expect(point.status).toBe(404);
    expect(point.body).toMatchObject({ error: { code: 'POINT_NOT_FOUND' } });
    const readOnly = await command('cmd-modbus', { point: 'count', value: 1 });
    expect(readOnly.status).toBe(409);
    expect(readOnly.body).toMatchObject({ error: { code: 'POINT_NOT_WRITABLE' } });
  });

  it('refuses a viewer with 403', async () => {
    const res = await command('cmd-modbus', { point: 'setpoint', value: 10 }, 'cmd-viewer');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await api('GET', '/api/v1/devices/cmd-modbus/commands', 'cmd-viewer')).status).toBe(200);
  });

  it('writes an OPC UA test-server setpoint with read-back, and refuses out of range and unconfirmed critical writes', async () => {
    const ok = await command('cmd-opcua', { point: 'setpoint', value: -12.25 });
    expect(ok.body).toMatchObject({ status: 'succeeded', verified: true, readBack: -12.25 });
    expect(opcua.get('Setpoint')).toBe(-12.25);
    await sleep(1000);
    const out = await command('cmd-opcua', { point: 'setpoint', value: 51 });
    expect(out.status).toBe(400);
    expect((out.body['error'] as { message: string }).message).toContain('-50…50');
    expect(opcua.get('Setpoint')).toBe(-12.25);
    expect((await command('cmd-opcua', { point: 'mode', value: 3 })).status).toBe(428);
    expect(opcua.get('Mode')).toBe(1);
    expect((await command('cmd-opcua', { point: 'mode', value: 3, confirm: true })).body).toMatchObject({ status: 'succeeded', readBack: 3 });
    expect(opcua.get('Mode')).toBe(3);
  });

  it('writes a setpoint of the OPC UA paint-line simulator and leaves it alone when out of range', async () => {
    const ok = await command('paint-line-1', { point: 'zone1_sp', value: 185.5 }, 'demo-operator', 'paint-line-1');
    expect(ok.body).toMatchObject({ status: 'succeeded', verified: true });
    expect(platform.factory!.values('paint-line-1')['zone1_sp']).toBeCloseTo(185.5, 3);
    await sleep(1000);
    const out = await command('paint-line-1', { point: 'zone1_sp', value: 400 });
    expect(out.body).toMatchObject({ error: { code: 'VALUE_OUT_OF_RANGE', details: { min: 120, max: 220 } } });
    expect(platform.factory!.values('paint-line-1')['zone1_sp']).toBeCloseTo(185.5, 3);
  });

  it('times out with a reason when the Modbus server stops answering in time', async () => {
    const res = await command('cmd-slow', { point: 'setpoint', value: 7, timeoutMs: 800 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'timeout', verified: false });
    expect(res.body['reason']).toMatch(/^COMMAND_TIMEOUT: .*800 ms/);
    expect(res.body['durationMs']).toBeLessThan(2000);
  });

  it('fails with a reason when the OPC UA server is gone', async () => {
    await opcua.stop();
    await sleep(1000);
    const res = await command('cmd-opcua', { point: 'setpoint', value: 1, timeoutMs: 3000 });
    expect(res.status).toBe(200);
    expect(['failed', 'timeout']).toContain(res.body['status']);
    expect(res.body['reason']).toMatch(/OPCUA_UNREACHABLE|COMMAND_TIMEOUT/);
  });

  it('sends a command to a remote gateway over its link, and refuses at once when the gateway is gone', async () => {
    const created = await api('POST', '/api/v1/gateways', 'demo-engineer', { id: 'gw-remote', name: 'Remote' });
    expect(created.status).toBe(201);
    const gwToken = (created.body as { token: string }).token;
    await addDevice('gw-remote', modbusDevice('remote-modbus', peer.port, { points: [{ key: 'setpoint', dataType: 'float32', access: 'read-write', min: 0, max: 100, modbus: { table: 'holding', address: 200 } }] }));
    const http = createPlatformLink({ url: platform.httpUrl, token: gwToken });
    const a = await http.fetchAssignment();
    const gateway: Gateway = startGateway({ id: 'gw-remote', devices: a.devices, configVersion: a.version, bufferPath: join(dataDir, 'gw-remote', 'buffer.db'), send: createBusSender({ connect: async () => platform.bus, ownsBus: false, gateway: 'gw-remote', tenantId: a.gateway.tenantId }) });
    const sync = startPlatformSync({ link: http, gateway, intervalMs: 500 });
    const connects: string[] = [];
    const disconnects: string[] = [];
    platform.gatewayLinks.onConnect((id) => connects.push(id));
    platform.gatewayLinks.onDisconnect((id) => disconnects.push(id));
    let link: GatewayLink | undefined;
    try {
      // Before the link is up the gateway is offline for commands: refused, not queued.
      const early = await command('remote-modbus', { point: 'setpoint', value: 5 });
      expect(early.status).toBe(503);
      expect(early.body).toMatchObject({ error: { code: 'GATEWAY_OFFLINE' } });

      link = startGatewayLink({ url: platform.httpUrl, token: gwToken, gateway });
      await link.opened();
      await waitFor(() => (platform.gatewayLinks.isConnected('gw-remote') ? true : undefined), 'the link registered');
      expect(connects).toContain('gw-remote');
      await online(gateway, 'remote-modbus');
      for (const v of [61.5, 62.5, 63.5]) {
        const res = await command('remote-modbus', { point: 'setpoint', value: v }, 'demo-operator', 'remote-modbus (link)');
        expect(res.body, JSON.stringify(res.body)).toMatchObject({ gatewayId: 'gw-remote', status: 'succeeded', verified: true, readBack: v });
        expect(await float32At(peer.port, 200)).toBe(v);
        await sleep(1000);
      }
      expect(link.stats()).toMatchObject({ connected: true, commands: 3 });

      // A bad token does not open a link.
      const rogue = startGatewayLink({ url: platform.httpUrl, token: 'ylg_not-a-real-token-at-all-000000', gateway });
      await sleep(500);
      expect(rogue.stats()).toMatchObject({ connected: false });
      expect(rogue.stats().lastError).toMatch(/401/);
      await rogue.stop();

      await link.stop();
      await waitFor(() => (platform.gatewayLinks.isConnected('gw-remote') ? undefined : true), 'the link gone');
      expect(disconnects).toContain('gw-remote');
      const t0 = performance.now();
      const gone = await command('remote-modbus', { point: 'setpoint', value: 70 });
      const refusedInMs = performance.now() - t0;
      expect(gone.status).toBe(503);
      expect(gone.body).toMatchObject({ error: { code: 'GATEWAY_OFFLINE' } });
      expect(refusedInMs).toBeLessThan(500);
      expect(await float32At(peer.port, 200)).toBe(63.5);
    } finally {
      await link?.stop();
      sync.stop();
      await gateway.stop();
    }
  });

  it('lists a device’s commands newest first and keeps every command in the audit log', async () => {
    const list = await api('GET', '/api/v1/devices/cmd-modbus/commands', 'demo-operator');
    const items = (list.body as { items: Array<{ value: unknown; status: string; createdAt: string }> }).items;
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(items[0]).toMatchObject({ point: 'valve', status: 'succeeded' });
    expect(items.map((i) => i.createdAt)).toEqual([...items.map((i) => i.createdAt)].sort().reverse());
    const rows = await platform.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'device.command').orderBy('id').execute();
    const entries = rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Json }));
    const ok = entries.find((e) => e.target === 'cmd-modbus' && e.details['value'] === 42.5);
    expect(ok).toMatchObject({ actor: 'demo-operator', ip: '10.1.2.3', outcome: 'success', details: { status: 'succeeded', point: 'setpoint' } });
    expect(entries.find((e) => e.details['value'] === 150)).toMatchObject({ actor: 'demo-operator', ip: '10.1.2.3', outcome: 'failure', details: { refused: 'VALUE_OUT_OF_RANGE' } });
    expect(entries.find((e) => e.target === 'cmd-slow')).toMatchObject({ outcome: 'failure', details: { status: 'timeout' } });
    expect(entries.find((e) => e.target === 'remote-modbus' && e.details['refused'] === 'GATEWAY_OFFLINE')).toBeDefined();
    expect(entries.filter((e) => e.target === 'remote-modbus' && e.outcome === 'success')).toHaveLength(3);
    // Another enterprise sees nothing of them.
    await login('demo2-admin');
    expect((await api('GET', '/api/v1/devices/cmd-modbus/commands', 'demo2-admin')).status).toBe(404);
  });
});
