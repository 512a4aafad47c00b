import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, BrowseDirection, type ClientSession, type ClientSessionRawSubscriptionService, DataType, MonitoringMode, OPCUAClient, StatusCodes, TimestampsToReturn, UserTokenType } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '@yulian/core';
import { northboundNamespaceUri } from '@yulian/gateway';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';

/**
 * The platform's northbound OPC UA server, as an outside OPC UA client (SCADA, MES) uses it: browse the
 * demo plant's machines, read live values, write a setpoint that reaches the Modbus PLC.
 */
describe('northbound OPC UA server of the platform', () => {
  let platform: Platform;
  let dataDir: string;
  const clients: OPCUAClient[] = [];

  const session = async (user: string | null): Promise<ClientSession> => {
    // endpointMustExist (node-opcua's default): the server must advertise the address clients use.
    const client = OPCUAClient.create({ connectionStrategy: { maxRetry: 1, initialDelay: 100 } });
    clients.push(client);
    await client.connect(`opc.tcp://localhost:${platform.opcua.server.port}`);
    return user === null ? client.createSession() : client.createSession({ type: UserTokenType.UserName, userName: user, password: demoPassword });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-opcua-nb-'));
    platform = await startPlatform(
      loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }),
      { quiet: true },
    );
  });
  afterAll(async () => {
    for (const c of clients) await c.disconnect().catch(() => undefined);
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the demo machines under Objects/Yulian/Devices with live, good values', async () => {
    expect(platform.ports.find((p) => p.service === 'OPC UA server')?.port).toBe(platform.opcua.server.port);
    const s = await session('demo-operator');
    const ns = (await s.readNamespaceArray()).indexOf(northboundNamespaceUri);
    expect(ns).toBeGreaterThan(0);
    const devices = await s.browse({ nodeId: `ns=${ns};s=cnc-01`, browseDirection: BrowseDirection.Forward, resultMask: 63 });
    const names = devices.references?.map((r) => r.browseName.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['spindle_speed', 'spindle_speed_sp', 'vibration_rms']));
    let value = await s.read({ nodeId: `ns=${ns};s=cnc-01.spindle_temp`, attributeId: AttributeIds.Value });
    for (let i = 0; i < 50 && value.statusCode !== StatusCodes.Good; i++) {
      await new Promise((r) => setTimeout(r, 100));
      value = await s.read({ nodeId: `ns=${ns};s=cnc-01.spindle_temp`, attributeId: AttributeIds.Value });
    }
    expect(value.statusCode).toBe(StatusCodes.Good);
    expect(value.value.value).toBeGreaterThan(10);
    expect(value.sourceTimestamp?.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it('writes a setpoint through the gateway to the PLC for an operator, and refuses analysts, other enterprises and anonymous writers', async () => {
    const op = await session('demo-operator');
    const ns = (await op.readNamespaceArray()).indexOf(northboundNamespaceUri);
    const nodeId = `ns=${ns};s=cnc-02.spindle_speed_sp`;
    const dt = (await op.read({ nodeId, attributeId: AttributeIds.DataType })).value.value as { value: number };
    const dataType = dt.value === DataType.Double ? DataType.Double : (dt.value as DataType);
    const status = await op.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType, value: 4321 } } });
    expect(status).toBe(StatusCodes.Good);
    // The PLC has it: the next polls read it back.
    const deadline = Date.now() + 8000;
    let seen: unknown;
    while (Date.now() < deadline && seen !== 4321) {
      await new Promise((r) => setTimeout(r, 200));
      seen = platform.factory?.values('cnc-02')['spindle_speed_sp'];
    }
    expect(seen).toBe(4321);

    const analyst = await session('demo-analyst');
    expect(await analyst.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType, value: 1000 } } })).toBe(StatusCodes.BadUserAccessDenied);
    const other = await session('demo2-admin');
    expect(await other.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType, value: 1000 } } })).toBe(StatusCodes.BadUserAccessDenied);
    expect(platform.factory?.values('cnc-02')['spindle_speed_sp']).toBe(4321);

    await expect(session(null)).rejects.toThrow(); // anonymous is off by default
    const audit = await platform.store.db.selectFrom('audit_log').select(['action', 'actor', 'outcome', 'target']).where('action', '=', 'device.write').execute();
    expect(audit).toEqual(expect.arrayContaining([{ action: 'device.write', actor: 'demo-operator', outcome: 'success', target: 'cnc-02.spindle_speed_sp' }]));
  });

  it('shows an enterprise’s machines to its own users only: another enterprise’s admin cannot browse or read cnc-01, a platform admin sees every device', async () => {
    const opened = clients.length;
    onTestFinished(async () => {
      for (const c of clients.splice(opened)) await c.disconnect().catch(() => undefined);
    });
    /** The device names under Objects/Yulian/Devices, as `s` may browse them from Objects. */
    const devicesSeenBy = async (s: ClientSession): Promise<string[]> => {
      const children = async (nodeId: string) => (await s.browse({ nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: 'HierarchicalReferences', includeSubtypes: true, resultMask: 63 })).references ?? [];
      const yulian = (await children('ObjectsFolder')).find((r) => r.browseName.name === 'Yulian');
      const devices = (await children(yulian!.nodeId.toString())).find((r) => r.browseName.name === 'Devices');
      return (await children(devices!.nodeId.toString())).map((r) => r.browseName.name ?? '').sort();
    };
    const op = await session('demo-operator');
    const ns = (await op.readNamespaceArray()).indexOf(northboundNamespaceUri);
    const demo = await devicesSeenBy(op);
    expect(demo).toEqual(expect.arrayContaining(['cnc-01', 'cnc-02']));
    const other = await session('demo2-admin');
    const others = await devicesSeenBy(other);
    expect(others).not.toContain('cnc-01');
    expect(others.filter((d) => demo.includes(d))).toEqual([]);
    const adminClient = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 1, initialDelay: 100 } });
    clients.push(adminClient);
    await adminClient.connect(`opc.tcp://127.0.0.1:${platform.opcua.server.port}`);
    const admin = await adminClient.createSession({ type: UserTokenType.UserName, userName: 'admin', password: 'admin-Passw0rd' });
    expect(await devicesSeenBy(admin)).toEqual(expect.arrayContaining([...demo, ...others]));

    expect((await other.browse({ nodeId: `ns=${ns};s=cnc-01`, browseDirection: BrowseDirection.Both, resultMask: 63 })).statusCode).toBe(StatusCodes.BadNodeIdUnknown);
    const reads = [
      { nodeId: `ns=${ns};s=cnc-01.spindle_temp`, attributeId: AttributeIds.Value },
      { nodeId: `ns=${ns};s=cnc-01.spindle_temp`, attributeId: AttributeIds.DisplayName },
      { nodeId: `ns=${ns};s=cnc-01`, attributeId: AttributeIds.DisplayName },
    ];
    expect((await other.read(reads)).map((dv) => dv.statusCode)).toEqual([StatusCodes.BadUserAccessDenied, StatusCodes.BadUserAccessDenied, StatusCodes.BadUserAccessDenied]);
    for (const s of [op, admin]) {
      const [value, ...names] = await s.read(reads);
      expect(value?.statusCode).not.toBe(StatusCodes.BadUserAccessDenied);
      expect(names.map((dv) => dv.statusCode)).toEqual([StatusCodes.Good, StatusCodes.Good]);
    }
  });

  it('refuses another enterprise’s subscription to cnc-01 and accepts its own enterprise’s and a platform admin’s', async () => {
    const opened = clients.length;
    onTestFinished(async () => {
      for (const c of clients.splice(opened)) await c.disconnect().catch(() => undefined);
    });
    /** The status of a monitored item on cnc-01.spindle_temp that `userName` asks for. */
    const created = async (userName: string, password = demoPassword) => {
      const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 1, initialDelay: 100 } });
      clients.push(client);
      await client.connect(`opc.tcp://127.0.0.1:${platform.opcua.server.port}`);
      const s = await client.createSession({ type: UserTokenType.UserName, userName, password });
      const ns = (await s.readNamespaceArray()).indexOf(northboundNamespaceUri);
      const subscription = await s.createSubscription2({ requestedPublishingInterval: 100, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100, publishingEnabled: true });
      try {
        const response = await (s as ClientSession & ClientSessionRawSubscriptionService).createMonitoredItems({
          subscriptionId: subscription.subscriptionId,
          timestampsToReturn: TimestampsToReturn.Both,
          itemsToCreate: [{ itemToMonitor: { nodeId: `ns=${ns};s=cnc-01.spindle_temp`, attributeId: AttributeIds.Value }, monitoringMode: MonitoringMode.Reporting, requestedParameters: { clientHandle: 1, samplingInterval: 0, queueSize: 1 } }],
        });
        return response.results?.[0]?.statusCode;
      } finally {
        await subscription.terminate();
      }
    };
    expect(await created('demo2-admin')).toBe(StatusCodes.BadUserAccessDenied);
    expect(await created('demo-operator')).toBe(StatusCodes.Good);
    expect(await created('admin', 'admin-Passw0rd')).toBe(StatusCodes.Good);
  });

  it('falls back to a free port when the OPC UA port is taken, and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yulian-opcua-nb2-'));
    const taken = platform.opcua.server.port;
    const second = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dir, YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_OPCUA_PORT: String(taken), YULIAN_HANDLE_PORT: '0', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
    try {
      const opened = second.ports.find((p) => p.service === 'OPC UA server');
      expect(opened).toMatchObject({ fallbackFrom: taken });
      expect(opened?.port).not.toBe(taken);
    } finally {
      await second.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
