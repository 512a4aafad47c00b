import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, ClientMonitoredItem, type ClientSession, DataType, OPCUACertificateManager, OPCUAClient, StatusCodes, TimestampsToReturn, VariantArrayType } from 'node-opcua';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pointSchema } from '@yulian/contracts';
import { type VirtualFactory, paintLineAlarmBits, paintLineDeviceConfig, paintLineNamespaceUri, paintLinePoints, startVirtualFactory } from '@yulian/sim';

const minute = 60_000;
const started: VirtualFactory[] = [];
const factory = async (seed = 9): Promise<VirtualFactory> => {
  const f = await startVirtualFactory({ seed, host: '127.0.0.1', realTime: false });
  started.push(f);
  return f;
};
const clients: OPCUAClient[] = [];
let dir: string;
let clientCm: OPCUACertificateManager;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yulian-paint-line-test-'));
  clientCm = new OPCUACertificateManager({ rootFolder: join(dir, 'client'), automaticallyAcceptUnknownCertificate: true });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  await Promise.all(started.splice(0).map((f) => f.close()));
});
afterAll(async () => {
  await clientCm?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** An anonymous session on the paint line, the way a gateway would open it. */
async function connect(f: VirtualFactory): Promise<ClientSession> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0, initialDelay: 50, maxDelay: 100 }, clientCertificateManager: clientCm });
  clients.push(client);
  await client.connect(f.opcuaDeviceConfigs()[0]!.endpointUrl);
  return client.createSession();
}
const nodeOf = (key: string): string => paintLinePoints.find((p) => p.key === key)!.opcua!.nodeId;
const readAll = async (session: ClientSession): Promise<Record<string, unknown>> => {
  const values = await session.read(paintLinePoints.map((p) => ({ nodeId: p.opcua!.nodeId, attributeId: AttributeIds.Value })));
  values.forEach((v, i) => expect(v.statusCode, paintLinePoints[i]!.key).toBe(StatusCodes.Good));
  return Object.fromEntries(values.map((v, i) => [paintLinePoints[i]!.key, v.value.value]));
};
const writeFloat = async (session: ClientSession, key: string, value: number) =>
  (await session.write({ nodeId: nodeOf(key), attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Float, arrayType: VariantArrayType.Scalar, value } } })).name;

describe('virtual paint line over OPC UA', () => {
  it('serves plausible oven, conveyor and booth values at the NodeIds its device config names', async () => {
    const f = await factory(7);
    f.step(5 * minute);
    const [config] = f.opcuaDeviceConfigs();
    expect(config).toMatchObject({ id: 'paint-line-1', protocol: 'opcua', endpointUrl: f.opcuaEndpointUrl, securityMode: 'None', securityPolicy: 'None', auth: { type: 'anonymous' }, publishingIntervalMs: 1000 });
    expect(f.opcuaEndpointUrl).toMatch(/^opc\.tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(paintLineDeviceConfig('opc.tcp://192.0.2.7:4840').points).toEqual(config!.points);
    expect(config!.points.map((p) => pointSchema.parse(p))).toEqual(config!.points);
    expect(nodeOf('zone1_temp')).toBe('ns=2;s=PaintLine.Oven.Zone1.Temperature');
    const session = await connect(f);
    expect((await session.readNamespaceArray())[2]).toBe(paintLineNamespaceUri);
    const served = await readAll(session);
    // The server holds what the simulation published, float32-rounded as a client reads it.
    expect(served).toEqual(f.values('paint-line-1'));
    for (const n of [1, 2, 3, 4]) expect(served[`zone${n}_temp`], `zone ${n}`).toSatisfy((t: number) => t > 160 && t < 200);
    expect(served['conveyor_speed']).toBeCloseTo(3, 1);
    expect(served['booth_humidity']).toSatisfy((h: number) => h >= 40 && h <= 80);
    expect(served['booth_temp']).toSatisfy((t: number) => t > 18 && t < 30);
    expect(served).toMatchObject({ running: true, alarm_word: 0 });
    const parts = served['parts_painted'] as number;
    f.step(2 * minute); // 3 m/min over 0.8 m hangers: 7–8 parts
    expect(((await readAll(session))['parts_painted'] as number) - parts).toSatisfy((d: number) => d >= 7 && d <= 8);
  });

  it('heats a zone along a first-order lag after a setpoint written over OPC UA, while its twin holds', async () => {
    const [a, b] = await Promise.all([factory(21), factory(21)]);
    const session = await connect(a);
    expect(await writeFloat(session, 'zone2_sp', 205)).toBe('Good');
    expect(await writeFloat(session, 'conveyor_speed_sp', 9)).toBe('Good'); // clamped to the 6 m/min maximum
    const typed = await session.write({ nodeId: nodeOf('zone3_sp'), attributeId: AttributeIds.Value, value: { value: { dataType: DataType.String, value: 'hot' } } });
    expect(typed).toBe(StatusCodes.BadTypeMismatch);
    expect((await session.read({ nodeId: nodeOf('zone2_sp'), attributeId: AttributeIds.Value })).value.value).toBe(205);
    const heating: number[] = [];
    for (let i = 0; i < 12; i++) {
      for (const f of [a, b]) f.step(minute);
      heating.push(a.values('paint-line-1')['zone2_temp'] as number);
      expect(b.values('paint-line-1')['zone2_temp'] as number).toBeCloseTo(185, -0.5);
    }
    // About 3 K in the first minute, then ever less: no jump to the setpoint, and no overshoot.
    expect(heating[0]! - 185).toSatisfy((d: number) => d > 1.5 && d < 5);
    for (let i = 1; i < heating.length; i++) expect(heating[i]!).toBeGreaterThan(heating[i - 1]! - 0.6);
    expect(heating.at(-1)!).toSatisfy((t: number) => t > 200 && t < 205.6);
    expect((await readAll(session))['conveyor_speed_sp']).toBe(6);
    // Everything else is the twin's: the same seed stepped the same way gives the same line (zone 1
    // excepted: the faster conveyor brings in more cold parts).
    const strip = (v: Record<string, unknown>) => ({ ...v, zone1_temp: 0, zone2_temp: 0, zone2_sp: 0, conveyor_speed: 0, conveyor_speed_sp: 0, parts_painted: 0 });
    expect(strip(a.values('paint-line-1'))).toEqual(strip(b.values('paint-line-1')));
  });

  it('overheats one zone past its limit, trips the line with the alarm bits set, and recovers once cleared', async () => {
    const f = await factory();
    await f.injectFault('paint-line-1', { kind: 'overheating', point: 'zone2_temp' });
    expect(f.faults()).toEqual([expect.objectContaining({ device: 'paint-line-1', kind: 'overheating', point: 'zone2_temp', severity: 1 })]);
    for (let i = 0; i < 20; i++) f.step(minute);
    const hot = await readAll(await connect(f));
    expect(hot['zone2_temp']).toSatisfy((t: number) => t > 230);
    expect(hot['zone3_temp']).toSatisfy((t: number) => t < 200);
    const alarm = hot['alarm_word'] as number;
    expect(alarm & (1 << paintLineAlarmBits.zone2OverTemperature)).not.toBe(0);
    expect(alarm & (1 << paintLineAlarmBits.lineTripped)).not.toBe(0);
    expect(alarm & (1 << paintLineAlarmBits.zone3OverTemperature)).toBe(0);
    expect(hot).toMatchObject({ running: false, conveyor_speed: 0 });
    await f.clearFault('paint-line-1', 'overheating');
    for (let i = 0; i < 30; i++) f.step(minute);
    expect(f.values('paint-line-1')).toMatchObject({ alarm_word: 0, running: true });
  });

  it('freezes a stuck zone reading and drifts another against its fault-free twin, and refuses faults it cannot have', async () => {
    const [f, twin] = await Promise.all([factory(3), factory(3)]);
    await f.injectFault('paint-line-1', { kind: 'stuck-value' });
    await f.injectFault('paint-line-1', { kind: 'sensor-drift', point: 'booth_humidity', severity: 1 });
    const start = f.values('paint-line-1');
    const frozen = new Set<unknown>();
    const moving = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      for (const g of [f, twin]) g.step(minute);
      frozen.add(f.values('paint-line-1')['zone3_temp']);
      moving.add(twin.values('paint-line-1')['zone3_temp']);
    }
    expect([...frozen]).toEqual([start['zone3_temp']]);
    expect(moving.size).toBe(5);
    for (const g of [f, twin]) g.step(55 * minute);
    // 5 % of the 0–100 %RH range per hour at severity 1: 5 %RH after the hour, on top of the true value.
    const humidity = (g: VirtualFactory) => g.values('paint-line-1')['booth_humidity'] as number;
    expect(humidity(f) - humidity(twin)).toBeCloseTo(5, 0);
    expect(f.values('paint-line-1')['zone4_temp']).toBe(twin.values('paint-line-1')['zone4_temp']);
    await expect(f.injectFault('paint-line-1', { kind: 'bearing-wear' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/no bearing/) });
    await expect(f.injectFault('paint-line-1', { kind: 'overheating', point: 'booth_temp' })).rejects.toMatchObject({ message: expect.stringMatching(/pass one of zone1_temp/) });
    await expect(f.injectFault('paint-line-1', { kind: 'stuck-value', point: 'running' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('drops its clients and closes its endpoint on comm-loss, and serves the same port again once cleared', async () => {
    const f = await factory(5);
    const session = await connect(f);
    expect((await session.read({ nodeId: nodeOf('running'), attributeId: AttributeIds.Value })).value.value).toBe(true);
    await f.injectFault('paint-line-1', { kind: 'comm-loss' });
    await expect(session.read({ nodeId: nodeOf('running'), attributeId: AttributeIds.Value })).rejects.toThrow();
    await expect(connect(f)).rejects.toThrow();
    await f.clearFault('paint-line-1', 'comm-loss');
    const again = await connect(f);
    expect((await again.read({ nodeId: nodeOf('zone1_temp'), attributeId: AttributeIds.Value })).statusCode).toBe(StatusCodes.Good);
  });

  it('notifies a gateway-style subscription as simulated time advances, with simulation time as source time', async () => {
    const f = await factory(11);
    const session = await connect(f);
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 100, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100, publishingEnabled: true });
    const item = await ClientMonitoredItem.create(subscription, { nodeId: nodeOf('parts_painted'), attributeId: AttributeIds.Value }, { samplingInterval: 100, queueSize: 10, discardOldest: true }, TimestampsToReturn.Both);
    const seen: Array<{ value: number; source: number }> = [];
    item.on('changed', (dv) => seen.push({ value: dv.value.value as number, source: dv.sourceTimestamp?.getTime() ?? 0 }));
    await new Promise((r) => setTimeout(r, 300));
    f.step(minute);
    const target = f.values('paint-line-1')['parts_painted'];
    for (let i = 0; i < 40 && seen.at(-1)?.value !== target; i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen.at(-1)).toEqual({ value: target, source: f.now() });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    await subscription.terminate();
  });

  it('gives other seeds other lines', async () => {
    const [a, b] = await Promise.all([factory(42), factory(43)]);
    for (const f of [a, b]) f.step(10 * minute);
    expect(a.values('paint-line-1')['zone1_temp']).not.toBe(b.values('paint-line-1')['zone1_temp']);
    expect(a.values('paint-line-1')['parts_painted']).not.toBe(b.values('paint-line-1')['parts_painted']);
  });
});
