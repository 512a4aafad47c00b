import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isYulianError, loadConfig } from '@yulian/core';
import { type Gateway, createBusSender, createPlatformLink, startGateway, startPlatformSync } from '@yulian/gateway';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';

const waitFor = async <T>(fn: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

type Json = Record<string, unknown>;

describe('gateway management', () => {
  let platform: Platform;
  let dataDir: string;
  const token: Record<string, string> = {};
  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, as: string, payload?: unknown) => {
    const res = await platform.app.inject({ method, url, headers: { authorization: `Bearer ${token[as]}` }, ...(payload === undefined ? {} : { payload: payload as Json }) });
    return { status: res.statusCode, body: (res.body ? res.json() : null) as Json };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-gateways-'));
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    for (const user of ['demo-admin', 'demo-engineer', 'demo-operator', 'demo2-admin']) {
      const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: demoPassword } });
      token[user] = res.json<{ token: string }>().token;
    }
  });
  afterAll(async () => {
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the embedded gateway online with each demo machine’s connection state', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    await platform.embeddedGateway.sync();
    const list = (await api('GET', '/api/v1/gateways', 'demo-admin')).body as { items: Array<{ id: string; online: boolean; status: { devices: Array<{ device: string; state: string; protocol: string }> } }> };
    const embedded = list.items.find((g) => g.id === 'embedded');
    expect(embedded?.online).toBe(true);
    expect(embedded?.status.devices.find((d) => d.device === 'cnc-01')).toMatchObject({ state: 'online', protocol: 'modbus-tcp' });
    const devices = (await api('GET', '/api/v1/devices', 'demo-admin')).body as { items: Array<{ device: string; gatewayId: string; state: string; source: string }> };
    expect(devices.items.find((d) => d.device === 'cnc-01')).toMatchObject({ gatewayId: 'embedded', state: 'online', source: 'configured' });
    // Another enterprise sees neither the gateway nor its devices.
    const other = (await api('GET', '/api/v1/gateways', 'demo2-admin')).body as { items: unknown[] };
    expect(other.items).toEqual([]);
  });

  it('registers a gateway by token, pushes device configuration down to it and receives its status', async () => {
    const created = await api('POST', '/api/v1/gateways', 'demo-engineer', { id: 'gw-line-2', name: 'Line 2' });
    expect(created.status).toBe(201);
    const gwToken = (created.body as { token: string }).token;
    expect(gwToken).toMatch(/^ylg_/);

    const link = createPlatformLink({ url: platform.httpUrl, token: gwToken });
    const assignment = await link.fetchAssignment();
    expect(assignment).toMatchObject({ gateway: { id: 'gw-line-2', name: 'Line 2' }, devices: [] });
    const demoTenant = assignment.gateway.tenantId;
    expect(demoTenant).not.toBeNull();

    // The gateway claims another enterprise in its batches; the platform stores them under the registered one.
    const gateway: Gateway = startGateway({
      id: 'gw-line-2',
      devices: assignment.devices,
      configVersion: assignment.version,
      bufferPath: join(dataDir, 'gw-line-2', 'buffer.db'),
      send: createBusSender({ connect: async () => platform.bus, ownsBus: false, gateway: 'gw-line-2', tenantId: 'someone-else' }),
    });
    const sync = startPlatformSync({ link, gateway, intervalMs: 200 });
    try {
      const cnc = platform.factory!.deviceConfigs('127.0.0.1')[0] as unknown as Json;
      const config = { ...cnc, id: 'line2-cnc', name: 'Line 2 CNC', pollIntervalMs: 200 };
      const added = await api('POST', '/api/v1/devices', 'demo-engineer', { gatewayId: 'gw-line-2', config });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ id: 'line2-cnc', gatewayId: 'gw-line-2', protocol: 'modbus-tcp', source: 'configured' });

      // Pushed: the gateway picks the device up on its next status report and polls it.
      await waitFor(async () => (gateway.status().devices.find((d) => d.device === 'line2-cnc')?.state === 'online' ? true : undefined), 'the pushed device online at the gateway');
      const latest = await waitFor(async () => {
        const r = await api('GET', '/api/v1/devices/line2-cnc/latest', 'demo-admin');
        return r.status === 200 ? r.body : undefined;
      }, 'telemetry of the pushed device');
      expect((latest as { items: unknown[] }).items.length).toBeGreaterThan(5);
      expect((await api('GET', '/api/v1/devices/line2-cnc/latest', 'demo2-admin')).status).toBe(404);
      const rows = await platform.store.db.selectFrom('telemetry_raw').select('tenant_id').distinct().where('device', '=', 'line2-cnc').execute();
      expect(rows).toEqual([{ tenant_id: demoTenant }]);

      // Status up: the platform shows the gateway online with the device's state and the buffer.
      const seen = await waitFor(async () => {
        const g = (await api('GET', '/api/v1/gateways/gw-line-2', 'demo-operator')).body as { online: boolean; configVersion: number; status: { configVersion: number; buffer: { samples: number }; devices: Array<{ device: string; state: string }> } };
        return g.status?.devices?.some((d) => d.device === 'line2-cnc' && d.state === 'online') ? g : undefined;
      }, 'status with the device online');
      expect(seen.online).toBe(true);
      expect(seen.status.configVersion).toBe(seen.configVersion);
      expect(typeof seen.status.buffer.samples).toBe('number');

      // A removed device stops at the gateway.
      expect((await api('DELETE', '/api/v1/devices/line2-cnc', 'demo-engineer')).status).toBe(204);
      await waitFor(async () => (gateway.status().devices.length === 0 ? true : undefined), 'the removed device gone from the gateway');
    } finally {
      sync.stop();
      await gateway.stop();
    }

    // A replaced token stops working at once.
    const rotated = await api('POST', '/api/v1/gateways/gw-line-2/token', 'demo-admin');
    expect(rotated.status).toBe(200);
    await expect(link.fetchAssignment()).rejects.toSatisfy((e: unknown) => isYulianError(e) && e.code === 'GATEWAY_TOKEN_INVALID');
    const raw = await platform.app.inject({ url: '/api/v1/gateway/config', headers: { authorization: `Bearer ${gwToken}` } });
    expect(raw.statusCode).toBe(401);
    expect(raw.json()).toMatchObject({ error: { code: 'GATEWAY_TOKEN_INVALID' } });
  });

  it('reads the paint line over OPC UA, and browses its server to pick points', async () => {
    const latest = await waitFor(async () => {
      const r = await api('GET', '/api/v1/devices/paint-line-1/latest', 'demo-operator');
      const items = (r.body as { items?: Array<{ point: string; value: unknown; quality: string }> }).items ?? [];
      return items.some((p) => p.point === 'zone1_temp' && p.quality === 'good') ? items : undefined;
    }, 'paint line values', 20_000);
    expect(Number(latest.find((p) => p.point === 'zone1_temp')?.value)).toBeGreaterThan(100);
    await platform.embeddedGateway.sync();
    const devices = (await api('GET', '/api/v1/devices', 'demo-admin')).body as { items: Array<{ device: string; protocol: string; state: string }> };
    expect(devices.items.find((d) => d.device === 'paint-line-1')).toMatchObject({ protocol: 'opcua', state: 'online' });

    const browsed = await api('POST', '/api/v1/gateways/embedded/browse', 'demo-engineer', { endpointUrl: platform.factory!.opcuaEndpointUrl.replace('localhost', '127.0.0.1'), depth: 4 });
    expect(browsed.status).toBe(200);
    const flat: Array<{ nodeId: string; nodeClass: string; writable?: boolean }> = [];
    const walk = (nodes: Array<{ nodeId: string; nodeClass: string; writable?: boolean; children?: unknown[] }>) =>
      nodes.forEach((n) => {
        flat.push(n);
        walk((n.children ?? []) as typeof nodes);
      });
    walk((browsed.body as { nodes: Array<{ nodeId: string; nodeClass: string; children?: unknown[] }> }).nodes);
    expect(flat.find((n) => n.nodeId.endsWith('PaintLine.Oven.Zone1.Setpoint'))).toMatchObject({ nodeClass: 'Variable', writable: true });
    const refused = await api('POST', '/api/v1/gateways/embedded/browse', 'demo-engineer', { endpointUrl: 'opc.tcp://127.0.0.1:1' });
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ error: { code: 'OPCUA_UNREACHABLE' } });
    expect((await api('POST', '/api/v1/gateways/embedded/browse', 'demo-operator', { endpointUrl: 'opc.tcp://127.0.0.1:1' })).status).toBe(403);
  });

  it('discovers the ten Sparkplug B sensors from their births on the embedded broker and stores their values', async () => {
    const sensors = await waitFor(async () => {
      await platform.embeddedGateway.sync();
      const list = (await api('GET', '/api/v1/devices', 'demo-admin')).body as { items: Array<{ device: string; source: string; protocol: string; state: string; points: number }> };
      const found = list.items.filter((d) => d.source === 'discovered');
      return found.length >= 10 ? found : undefined;
    }, 'ten discovered sensors', 20_000);
    const meter = sensors.find((d) => d.device.endsWith('/meter-plant-main'));
    expect(meter).toMatchObject({ protocol: 'sparkplug', state: 'online' });
    expect(meter?.points).toBeGreaterThanOrEqual(5);
    const latest = await waitFor(async () => {
      const r = await api('GET', `/api/v1/devices/${encodeURIComponent(meter!.device)}/latest`, 'demo-operator');
      return r.status === 200 ? (r.body as { items: Array<{ point: string; value: unknown; quality: string }> }).items : undefined;
    }, 'sensor values');
    const power = latest.find((p) => p.point.startsWith('Power'));
    expect(power).toMatchObject({ quality: 'good' });
    expect(Number(power?.value)).toBeGreaterThan(0);
    // Other enterprises see none of them.
    const other = (await api('GET', '/api/v1/devices', 'demo2-admin')).body as { items: unknown[] };
    expect(other.items).toEqual([]);

    // The broker connection's password is never shown, and an update that sends the mask back keeps it.
    const connection = (await api('GET', '/api/v1/devices', 'demo-admin')).body as { items: Array<{ device: string; protocol: string }> };
    const mqttId = connection.items.find((d) => d.protocol === 'mqtt')!.device;
    const shown = (await api('GET', `/api/v1/devices/${mqttId}`, 'demo-operator')).body as { config: Record<string, unknown> };
    expect(shown.config['password']).toBe('********');
    const stored = await platform.gateways.getDevice({ kind: 'all' }, mqttId);
    expect(String(stored.config['password'])).toMatch(/^ylt_/);
    const updated = await api('PUT', `/api/v1/devices/${mqttId}`, 'demo-engineer', { gatewayId: 'embedded', config: { ...shown.config, name: 'Sensors / 传感器' } });
    expect(updated.status).toBe(200);
    expect((await platform.gateways.getDevice({ kind: 'all' }, mqttId)).config).toMatchObject({ name: 'Sensors / 传感器', password: stored.config['password'] });
  });

  it('rejects a device configuration that does not fit its protocol, naming the field', async () => {
    const res = await api('POST', '/api/v1/devices', 'demo-engineer', { gatewayId: 'embedded', config: { id: 'bad-1', protocol: 'modbus-tcp', host: '10.0.0.5', pollIntervalMs: 10, points: [] } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'DEVICE_CONFIG_INVALID' } });
    expect(JSON.stringify(res.body)).toContain('pollIntervalMs');
    const unknown = await api('POST', '/api/v1/devices', 'demo-engineer', { gatewayId: 'embedded', config: { id: 'bad-2', protocol: 'bacnet' } });
    expect(unknown.status).toBe(400);
    expect((await api('GET', '/api/v1/devices/bad-1', 'demo-admin')).status).toBe(404);
  });

  it('keeps gateways to their enterprise and their management to engineers and admins', async () => {
    expect((await api('POST', '/api/v1/gateways', 'demo-operator', { id: 'gw-op' })).status).toBe(403);
    const cnc = platform.factory!.deviceConfigs('127.0.0.1')[0] as unknown as Json;
    const foreign = await api('POST', '/api/v1/devices', 'demo2-admin', { gatewayId: 'embedded', config: { ...cnc, id: 'sneaky' } });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ error: { code: 'GATEWAY_NOT_FOUND' } });
    const dup = await api('POST', '/api/v1/gateways', 'demo-admin', { id: 'embedded' });
    expect(dup.status).toBe(409);
    expect((await api('DELETE', '/api/v1/gateways/embedded', 'demo2-admin')).status).toBe(404);
  });

  it('injects a communication loss into a virtual machine by API: the gateway reports it offline, and online again once cleared', async () => {
    expect((await api('POST', '/api/v1/sim/faults', 'demo-operator', { device: 'cnc-03', kind: 'comm-loss' })).status).toBe(403);
    expect((await api('POST', '/api/v1/sim/faults', 'demo2-admin', { device: 'cnc-03', kind: 'comm-loss' })).status).toBe(404);
    expect((await api('POST', '/api/v1/sim/faults', 'demo-engineer', { device: 'cnc-03', kind: 'melting' })).status).toBe(400);
    const injected = await api('POST', '/api/v1/sim/faults', 'demo-engineer', { device: 'cnc-03', kind: 'comm-loss' });
    expect(injected.status).toBe(201);
    expect(injected.body).toMatchObject({ device: 'cnc-03', kind: 'comm-loss' });
    expect(((await api('GET', '/api/v1/sim/faults', 'demo-operator')).body as { items: unknown[] }).items).toEqual([expect.objectContaining({ device: 'cnc-03', kind: 'comm-loss' })]);
    expect(((await api('GET', '/api/v1/sim/faults', 'demo2-admin')).body as { items: unknown[] }).items).toEqual([]);
    const stateOf = async () => {
      await platform.embeddedGateway.sync();
      const list = (await api('GET', '/api/v1/devices', 'demo-admin')).body as { items: Array<{ device: string; state: string; lastError: string | null }> };
      return list.items.find((d) => d.device === 'cnc-03');
    };
    const offline = await waitFor(async () => {
      const d = await stateOf();
      return d?.state === 'offline' ? d : undefined;
    }, 'cnc-03 offline', 15_000);
    expect(offline.lastError).toBeTruthy();
    expect((await api('DELETE', '/api/v1/sim/faults/cnc-03', 'demo-engineer')).status).toBe(204);
    await waitFor(async () => ((await stateOf())?.state === 'online' ? true : undefined), 'cnc-03 online again', 20_000);
    const audit = (await api('GET', '/api/v1/audit?limit=20', 'demo-admin')).body as { items: Array<{ action: string; target: string }> };
    expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(['sim.fault.inject', 'sim.fault.clear']));
  });

  it('starts with the demo on a data directory first used without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yulian-gateways-nodemo-'));
    const env = { YULIAN_DATA_DIR: dir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' };
    try {
      const plain = await startPlatform(loadConfig({ env }), { quiet: true });
      expect((await plain.gateways.get({ kind: 'all' }, 'embedded')).tenantId).toBeNull();
      await plain.close();
      const demo = await startPlatform(loadConfig({ env: { ...env, YULIAN_DEMO: '1' } }), { quiet: true });
      try {
        expect((await demo.gateways.getDevice({ kind: 'all' }, 'cnc-01')).gatewayId).toBe('embedded');
      } finally {
        await demo.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
