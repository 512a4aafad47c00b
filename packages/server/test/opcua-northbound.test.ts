import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, BrowseDirection, type ClientSession, DataType, OPCUAClient, StatusCodes, UserTokenType } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 1, initialDelay: 100 } });
    clients.push(client);
    await client.connect(`opc.tcp://127.0.0.1:${platform.opcua.server.port}`);
    return user === null ? client.createSession() : client.createSession({ type: UserTokenType.UserName, userName: user, password: demoPassword });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-opcua-nb-'));
    platform = await startPlatform(
      loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }),
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

  it('falls back to a free port when the OPC UA port is taken, and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yulian-opcua-nb2-'));
    const taken = platform.opcua.server.port;
    const second = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dir, YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_OPCUA_PORT: String(taken), YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
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
