import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttributeIds,
  BrowseDirection,
  ClientMonitoredItem,
  type ClientSession,
  DataType,
  type DataValue,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  StatusCodes,
  TimestampsToReturn,
  type UserIdentityInfo,
  UserTokenType,
  type VariantOptions,
  VariantArrayType,
} from 'node-opcua';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PointInput, pointSchema } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import { type NorthboundDevice, type NorthboundOpcua, type NorthboundWrite, northboundNamespaceUri, startNorthboundOpcua } from '@yulian/gateway';
import { freePort } from './support/opcua-test-server.js';

const users: Record<string, { user: string; canWrite: boolean; tenantId: string | null }> = {
  alice: { user: 'alice', canWrite: true, tenantId: 't1' },
  bob: { user: 'bob', canWrite: false, tenantId: 't1' },
};
const authenticate = async (username: string, password: string) => (password === 'pw' ? (users[username] ?? null) : null);
const login = (userName: string): UserIdentityInfo => ({ type: UserTokenType.UserName, userName, password: 'pw' });

const writes: NorthboundWrite[] = [];
let writeError: unknown;
const onWrite = async (request: NorthboundWrite): Promise<void> => {
  writes.push(request);
  if (writeError) throw writeError;
};

const points = (inputs: PointInput[]) => inputs.map((p) => pointSchema.parse(p));
const press: NorthboundDevice = {
  id: 'press-01',
  name: '1号冲压机 Press 1',
  tenantId: 't1',
  points: points([
    { key: 'temp', name: '油温 Oil temperature', unit: '°C', dataType: 'float32', min: -20, max: 200 },
    { key: 'count', name: '冲次 Strokes', dataType: 'uint32' },
    { key: 'speed_sp', name: '速度设定 Speed setpoint', dataType: 'uint16', access: 'read-write', min: 0, max: 1000 },
    { key: 'enabled', dataType: 'bool', access: 'read-write' },
    { key: 'big', dataType: 'int64', access: 'read-write' },
    { key: 'load', unit: '%', dataType: 'uint16', multiplier: 0.1, access: 'read-write', max: 150 },
    { key: 'model', dataType: 'string' },
  ]),
};

let dir: string;
let server: NorthboundOpcua;
let clientCm: OPCUACertificateManager;
const open: Array<{ close(): Promise<void> }> = [];

/** A real node-opcua client session; closed after each test. */
async function connect(options: { url?: string; identity?: UserIdentityInfo; secure?: boolean } = {}): Promise<ClientSession> {
  const client = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 50, maxDelay: 100 },
    clientCertificateManager: clientCm,
    securityMode: options.secure ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None,
    securityPolicy: options.secure ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None,
  });
  await client.connect(options.url ?? `opc.tcp://127.0.0.1:${server.port}`);
  open.push({ close: () => client.disconnect() });
  const session = await client.createSession(options.identity);
  open.unshift({ close: () => session.close() });
  return session;
}

const read = (session: ClientSession, nodeId: string, attributeId = AttributeIds.Value): Promise<DataValue> => session.read({ nodeId, attributeId });
const write = async (session: ClientSession, nodeId: string, value: VariantOptions) =>
  (await session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { arrayType: VariantArrayType.Scalar, ...value } } })).name;
const children = async (session: ClientSession, nodeId: string) =>
  ((await session.browse({ nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: 'HierarchicalReferences', includeSubtypes: true, resultMask: 63 })).references ?? []).map((r) => ({
    name: r.browseName.name ?? '',
    display: r.displayName.text ?? '',
    nodeId: r.nodeId.toString(),
  }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yulian-northbound-'));
  // The test client's certificate goes into the server's trust list before the server starts.
  clientCm = new OPCUACertificateManager({ rootFolder: join(dir, 'client'), automaticallyAcceptUnknownCertificate: true });
  await clientCm.initialize();
  const probe = OPCUAClient.create({ clientCertificateManager: clientCm });
  await probe.createDefaultCertificate();
  await mkdir(join(dir, 'pki', 'server', 'trusted', 'certs'), { recursive: true });
  await copyFile(probe.certificateFile, join(dir, 'pki', 'server', 'trusted', 'certs', 'test-client.pem'));
  server = await startNorthboundOpcua({ port: await freePort('127.0.0.1'), host: '127.0.0.1', pkiDir: join(dir, 'pki'), authenticate, allowAnonymous: true, onWrite });
  server.upsertDevice(press);
});
afterEach(async () => {
  for (const c of open.splice(0)) await c.close().catch(() => undefined);
  writes.length = 0;
  writeError = undefined;
});
afterAll(async () => {
  await server?.close();
  await clientCm?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('northbound OPC UA server', () => {
  it('lets a client browse from the Objects folder to Yulian/Devices/<device> and its typed point variables', async () => {
    const session = await connect({ identity: login('bob') });
    const ns = (await session.readNamespaceArray()).indexOf(northboundNamespaceUri);
    expect(ns).toBe(server.namespaceIndex);
    const yulian = (await children(session, 'ObjectsFolder')).find((c) => c.name === 'Yulian')!;
    const devices = (await children(session, yulian.nodeId)).find((c) => c.name === 'Devices')!;
    expect(await children(session, devices.nodeId)).toEqual([{ name: 'press-01', display: '1号冲压机 Press 1', nodeId: `ns=${ns};s=press-01` }]);
    const variables = await children(session, `ns=${ns};s=press-01`);
    expect(variables.map((v) => v.name)).toEqual(press.points.map((p) => p.key));
    expect(variables[0]).toEqual({ name: 'temp', display: '油温 Oil temperature', nodeId: server.nodeIdOf('press-01', 'temp') });
    const types = await Promise.all(variables.map(async (v) => ((await read(session, v.nodeId, AttributeIds.DataType)).value.value as { value: number }).value));
    // Float, UInt32, UInt16, Boolean, Int64, Double (a scaled uint16), String
    expect(types).toEqual([DataType.Float, DataType.UInt32, DataType.UInt16, DataType.Boolean, DataType.Int64, DataType.Double, DataType.String]);
    const units = (await children(session, server.nodeIdOf('press-01', 'temp'))).find((c) => c.name === 'EngineeringUnits')!;
    expect((await read(session, units.nodeId)).value.value).toMatchObject({ displayName: { text: '°C' }, unitId: 4408652 });
    expect((await read(session, server.nodeIdOf('press-01', 'load'), AttributeIds.Description)).value.value.text).toBe('load [%]');
  });

  it('shows the latest sample’s value, status and source time, and WaitingForInitialData before any', async () => {
    const session = await connect({ identity: login('bob') });
    const node = server.nodeIdOf('press-01', 'count');
    expect((await read(session, node)).statusCode).toBe(StatusCodes.BadWaitingForInitialData);
    const ts = Date.UTC(2025, 2, 3, 8, 0, 0);
    const before = server.stats();
    server.update([
      { device: 'press-01', point: 'temp', ts, receivedTs: ts + 5, value: 61.25, quality: 'good' },
      { device: 'press-01', point: 'count', ts, receivedTs: ts + 5, value: 1200, quality: 'uncertain' },
      { device: 'press-01', point: 'model', ts, receivedTs: ts + 5, value: null, quality: 'bad', reason: 'MODBUS_TIMEOUT' },
      { device: 'press-01', point: 'big', ts, receivedTs: ts + 5, value: -5_000_000_000, quality: 'good' },
      { device: 'press-01', point: 'temp', ts: ts - 1000, receivedTs: ts + 6, value: 10, quality: 'good' }, // older: skipped
      { device: 'press-01', point: 'count', ts, receivedTs: ts + 5, value: -1, quality: 'good' }, // not a uint32
      { device: 'press-99', point: 'temp', ts, receivedTs: ts + 5, value: 1, quality: 'good' },
    ]);
    const temp = await read(session, server.nodeIdOf('press-01', 'temp'));
    expect(temp.value.value).toBe(61.25);
    expect(temp.statusCode).toBe(StatusCodes.Good);
    expect(temp.sourceTimestamp?.getTime()).toBe(ts);
    const count = await read(session, node);
    expect([count.value.value, count.statusCode]).toEqual([1200, StatusCodes.UncertainLastUsableValue]);
    expect((await read(session, server.nodeIdOf('press-01', 'model'))).statusCode).toBe(StatusCodes.BadNoCommunication);
    expect((await read(session, server.nodeIdOf('press-01', 'big'))).value.value).toEqual([0xfffffffe, 0xd5fa0e00]);
    const after = server.stats();
    expect([after.updates - before.updates, after.stale - before.stale, after.invalid - before.invalid, after.unknown - before.unknown]).toEqual([4, 1, 1, 1]);
  });

  it('notifies a subscribed client of update()', async () => {
    const session = await connect({ identity: login('bob') });
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 50, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100, publishingEnabled: true });
    open.unshift({ close: () => subscription.terminate() });
    const item = await ClientMonitoredItem.create(subscription, { nodeId: server.nodeIdOf('press-01', 'temp'), attributeId: AttributeIds.Value }, { samplingInterval: 0, queueSize: 10, discardOldest: true }, TimestampsToReturn.Both);
    const seen: unknown[] = [];
    const got = new Promise<void>((resolve) =>
      item.on('changed', (dv) => {
        seen.push(dv.value.value);
        if (dv.value.value === 88.5) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    server.update([{ device: 'press-01', point: 'temp', ts: Date.now(), receivedTs: Date.now(), value: 88.5, quality: 'good' }]);
    await got;
    expect(seen.at(-1)).toBe(88.5);
  });

  it('passes a writer’s writes to onWrite with typed values, and tells each user what they may write', async () => {
    const alice = await connect({ identity: login('alice') });
    expect(await write(alice, server.nodeIdOf('press-01', 'speed_sp'), { dataType: DataType.UInt16, value: 250 })).toBe('Good');
    expect(await write(alice, server.nodeIdOf('press-01', 'enabled'), { dataType: DataType.Boolean, value: false })).toBe('Good');
    expect(await write(alice, server.nodeIdOf('press-01', 'big'), { dataType: DataType.Int64, value: [1, 5] })).toBe('Good');
    expect(await write(alice, server.nodeIdOf('press-01', 'load'), { dataType: DataType.Double, value: 12.5 })).toBe('Good');
    expect(writes).toEqual([
      { device: 'press-01', point: 'speed_sp', value: 250, user: 'alice' },
      { device: 'press-01', point: 'enabled', value: false, user: 'alice' },
      { device: 'press-01', point: 'big', value: 2 ** 32 + 5, user: 'alice' },
      { device: 'press-01', point: 'load', value: 12.5, user: 'alice' },
    ]);
    const bob = await connect({ identity: login('bob') });
    const access = async (s: ClientSession, key: string) => (await read(s, server.nodeIdOf('press-01', key), AttributeIds.UserAccessLevel)).value.value as number;
    expect([await access(alice, 'speed_sp'), await access(bob, 'speed_sp'), await access(alice, 'temp')]).toEqual([3, 1, 1]);
  });

  it('refuses writes by read-only and anonymous users, to read-only points and of unfitting values, without calling onWrite', async () => {
    const bob = await connect({ identity: login('bob') });
    const anonymous = await connect();
    const alice = await connect({ identity: login('alice') });
    const speed = server.nodeIdOf('press-01', 'speed_sp');
    expect(await write(bob, speed, { dataType: DataType.UInt16, value: 300 })).toBe('BadUserAccessDenied');
    expect(await write(anonymous, speed, { dataType: DataType.UInt16, value: 300 })).toBe('BadUserAccessDenied');
    expect(await write(alice, server.nodeIdOf('press-01', 'count'), { dataType: DataType.UInt32, value: 1 })).toBe('BadNotWritable');
    expect(await write(alice, speed, { dataType: DataType.Double, value: 300 })).toBe('BadTypeMismatch');
    expect(await write(alice, speed, { dataType: DataType.UInt16, value: 1001 })).toBe('BadOutOfRange');
    expect(writes).toEqual([]);
    expect(server.stats().writesRefused).toBeGreaterThanOrEqual(5);
    // Reading stays open to the enterprise's read-only users.
    expect((await read(bob, server.nodeIdOf('press-01', 'temp'))).statusCode.isGood()).toBe(true);
  });

  it('answers a write that onWrite rejects with the mapped Bad status', async () => {
    const alice = await connect({ identity: login('alice') });
    const speed = server.nodeIdOf('press-01', 'speed_sp');
    const cases: Array<[unknown, string]> = [
      [new YulianError('FORBIDDEN'), 'BadUserAccessDenied'],
      [new YulianError('VALUE_OUT_OF_RANGE'), 'BadOutOfRange'],
      [new YulianError('MODBUS_UNREACHABLE'), 'BadCommunicationError'],
      [new Error('gateway offline'), 'BadCommunicationError'],
    ];
    for (const [error, status] of cases) {
      writeError = error;
      expect(await write(alice, speed, { dataType: DataType.UInt16, value: 10 }), status).toBe(status);
    }
    expect(writes).toHaveLength(4);
  });

  it('adds, replaces and removes variables as the device’s points change, and keeps unchanged ones', async () => {
    const session = await connect({ identity: login('bob') });
    const ts = Date.now();
    server.update([{ device: 'press-01', point: 'temp', ts, receivedTs: ts, value: 42, quality: 'good' }]);
    const changed = { ...press, name: 'Press 1 (rebuilt)', points: [...points([{ key: 'pressure', unit: 'bar', dataType: 'float64' }]), ...press.points.filter((p) => p.key !== 'count')] };
    server.upsertDevice(changed);
    try {
      const keys = (await children(session, server.nodeIdOf('press-01'))).map((c) => c.name);
      expect(keys.sort()).toEqual(changed.points.map((p) => p.key).sort());
      expect((await read(session, server.nodeIdOf('press-01', 'count'))).statusCode).toBe(StatusCodes.BadNodeIdUnknown);
      expect((await read(session, server.nodeIdOf('press-01', 'temp'))).value.value).toBe(42);
      expect((await read(session, server.nodeIdOf('press-01'), AttributeIds.DisplayName)).value.value.text).toBe('Press 1 (rebuilt)');
      // A device whose NodeId would be one of press-01's variables is refused.
      expect(() => server.upsertDevice({ id: 'press-01.temp', name: '', tenantId: null, points: [] })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
      server.upsertDevice({ id: 'press-02', name: 'Press 2', tenantId: 't2', points: points([{ key: 'temp', dataType: 'float32' }]) });
      expect(server.removeDevice('press-02')).toBe(true);
      expect((await read(session, server.nodeIdOf('press-02', 'temp'))).statusCode).toBe(StatusCodes.BadNodeIdUnknown);
      expect(server.removeDevice('press-02')).toBe(false);
    } finally {
      server.upsertDevice(press);
    }
  });

  it('serves Basic256Sha256 SignAndEncrypt to a trusted client and refuses a wrong password', async () => {
    const secure = await connect({ identity: login('alice'), secure: true });
    expect((await read(secure, server.nodeIdOf('press-01', 'temp'))).statusCode.isGood()).toBe(true);
    await expect(connect({ identity: { type: UserTokenType.UserName, userName: 'alice', password: 'nope' } })).rejects.toThrow(/BadUserAccessDenied|BadIdentityTokenRejected/);
  });
});
