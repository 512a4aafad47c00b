import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttributeIds,
  BrowseDirection,
  type BrowseResult,
  ClientMonitoredItem,
  type ClientSession,
  type ClientSessionRawSubscriptionService,
  type ClientSubscription,
  DataType,
  MonitoringMode,
  OPCUAClient,
  StatusCodes,
  TimestampsToReturn,
  type UserIdentityInfo,
  UserTokenType,
  VariantArrayType,
  makeBrowsePath,
} from 'node-opcua';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PointInput, pointSchema } from '@yulian/contracts';
import { type NorthboundDevice, type NorthboundOpcua, type NorthboundWrite, startNorthboundOpcua } from '@yulian/gateway';
import { freePort } from './support/opcua-test-server.js';

/**
 * Tenancy of the northbound server, as real OPC UA clients of three enterprises see it: alice (t1),
 * carol (t2), root (a platform user), and anonymous sessions.
 */
const users: Record<string, { user: string; canWrite: boolean; tenantId: string | null }> = {
  alice: { user: 'alice', canWrite: true, tenantId: 't1' },
  carol: { user: 'carol', canWrite: true, tenantId: 't2' },
  root: { user: 'root', canWrite: true, tenantId: null },
};
const login = (userName: string): UserIdentityInfo => ({ type: UserTokenType.UserName, userName, password: 'pw' });

const points = (inputs: PointInput[]) => inputs.map((p) => pointSchema.parse(p));
const device = (id: string, tenantId: string | null): NorthboundDevice => ({
  id,
  name: id,
  tenantId,
  points: points([
    { key: 'temp', unit: '°C', dataType: 'float64', min: -20, max: 200 },
    { key: 'speed_sp', dataType: 'uint16', access: 'read-write' },
  ]),
});

let dir: string;
let server: NorthboundOpcua;
const writes: NorthboundWrite[] = [];
const open: Array<() => Promise<unknown>> = [];

async function connect(identity?: UserIdentityInfo): Promise<{ session: ClientSession; client: OPCUAClient }> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0, initialDelay: 50, maxDelay: 100 } });
  await client.connect(`opc.tcp://127.0.0.1:${server.port}`);
  open.push(() => client.disconnect());
  const session = await client.createSession(identity);
  open.unshift(() => session.close());
  return { session, client };
}
const as = async (userName: string | null) => (await connect(userName === null ? undefined : login(userName))).session;

const devicesFolder = () => `ns=${server.namespaceIndex};i=2`;
const browse = (session: ClientSession, nodeId: string): Promise<BrowseResult> =>
  session.browse({ nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: 'HierarchicalReferences', includeSubtypes: true, resultMask: 63 });
const listed = async (session: ClientSession, nodeId = devicesFolder()) => ((await browse(session, nodeId)).references ?? []).map((r) => r.browseName.name).sort();
const status = (result: { statusCode: { name: string } }) => result.statusCode.name;
const subscribe = async (session: ClientSession): Promise<ClientSubscription> => {
  const subscription = await session.createSubscription2({ requestedPublishingInterval: 50, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100, publishingEnabled: true });
  open.unshift(() => subscription.terminate());
  return subscription;
};
const sample = (id: string, value: number) => ({ device: id, point: 'temp', ts: Date.now(), receivedTs: Date.now(), value, quality: 'good' as const });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yulian-northbound-tenancy-'));
  server = await startNorthboundOpcua({
    port: await freePort(),
    host: '127.0.0.1',
    pkiDir: join(dir, 'pki'),
    allowAnonymous: true,
    authenticate: async (username, password) => (password === 'pw' ? (users[username] ?? null) : null),
    onWrite: async (request) => {
      writes.push(request);
    },
  });
  server.upsertDevice(device('press-01', 't1'));
  server.upsertDevice(device('mill-01', 't2'));
  server.upsertDevice(device('boiler-01', null));
  server.update([sample('press-01', 61.5), sample('mill-01', 42), sample('boiler-01', 90)]);
});
afterEach(async () => {
  for (const close of open.splice(0)) await close().catch(() => undefined);
  writes.length = 0;
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('northbound OPC UA server, per enterprise', () => {
  it('lists in Devices only the devices of the session’s enterprise, all of them to a platform user and none to an anonymous session', async () => {
    expect(await listed(await as('alice'))).toEqual(['press-01']);
    expect(await listed(await as('carol'))).toEqual(['mill-01']);
    expect(await listed(await as('root'))).toEqual(['boiler-01', 'mill-01', 'press-01']);
    const anonymous = await as(null);
    expect(await listed(anonymous)).toEqual([]);
    expect(await listed(anonymous, 'ObjectsFolder')).toContain('Yulian'); // the folders stay browsable
  });

  it('filters the Devices folder before paging it, so BrowseNext hands out no other enterprise’s device either', async () => {
    const carol = await as('carol');
    carol.requestedMaxReferencesPerNode = 1;
    const page = await browse(carol, devicesFolder());
    expect(page.references?.map((r) => r.browseName.name)).toEqual(['mill-01']);
    expect(page.continuationPoint ?? null).toBeNull();
    const root = await as('root');
    root.requestedMaxReferencesPerNode = 1;
    const first = await browse(root, devicesFolder());
    expect(first.references).toHaveLength(1);
    const rest = await root.browseNext(first.continuationPoint!, false);
    expect(rest.references).toHaveLength(1);
  });

  it('answers BadNodeIdUnknown to a Browse that starts at another enterprise’s device, point or property', async () => {
    const alice = await as('alice');
    const units = ((await browse(alice, server.nodeIdOf('press-01', 'temp'))).references ?? []).find((r) => r.browseName.name === 'EngineeringUnits')!;
    expect(await listed(alice, server.nodeIdOf('press-01'))).toEqual(['speed_sp', 'temp']);
    const carol = await as('carol');
    for (const nodeId of [server.nodeIdOf('press-01'), server.nodeIdOf('press-01', 'temp'), units.nodeId.toString()]) {
      const result = await carol.browse({ nodeId, browseDirection: BrowseDirection.Both, resultMask: 63 });
      expect([nodeId, status(result), result.references ?? []]).toEqual([nodeId, 'BadNodeIdUnknown', []]);
    }
  });

  it('answers BadUserAccessDenied to reads of any attribute of another enterprise’s nodes, next to readable ones', async () => {
    const alice = await as('alice');
    const units = ((await browse(alice, server.nodeIdOf('press-01', 'temp'))).references ?? []).find((r) => r.browseName.name === 'EngineeringUnits')!.nodeId.toString();
    const nodes = [
      { nodeId: server.nodeIdOf('press-01', 'temp'), attributeId: AttributeIds.Value },
      { nodeId: server.nodeIdOf('press-01', 'temp'), attributeId: AttributeIds.DisplayName },
      { nodeId: server.nodeIdOf('press-01', 'temp'), attributeId: AttributeIds.UserAccessLevel },
      { nodeId: server.nodeIdOf('press-01'), attributeId: AttributeIds.BrowseName },
      { nodeId: units, attributeId: AttributeIds.Value },
      { nodeId: server.nodeIdOf('boiler-01', 'temp'), attributeId: AttributeIds.Value },
      { nodeId: server.nodeIdOf('mill-01', 'temp'), attributeId: AttributeIds.Value },
      { nodeId: server.nodeIdOf('nowhere', 'temp'), attributeId: AttributeIds.Value },
    ];
    const carol = await as('carol');
    expect((await carol.read(nodes)).map(status)).toEqual([...Array<string>(6).fill('BadUserAccessDenied'), 'Good', 'BadNodeIdUnknown']);
    expect((await alice.read(nodes)).map(status)).toEqual(['Good', 'Good', 'Good', 'Good', 'Good', 'BadUserAccessDenied', 'BadUserAccessDenied', 'BadNodeIdUnknown']);
    expect((await (await as('root')).read(nodes)).map(status)).toEqual([...Array<string>(7).fill('Good'), 'BadNodeIdUnknown']);
    const anonymous = await as(null);
    expect((await anonymous.read(nodes.slice(5, 7))).map(status)).toEqual(['BadUserAccessDenied', 'BadUserAccessDenied']);
    expect(server.stats().denied).toBeGreaterThanOrEqual(10);
  });

  it('refuses monitored items on another enterprise’s nodes with BadUserAccessDenied and publishes none of their changes', async () => {
    const carol = await as('carol');
    const subscription = await subscribe(carol);
    const item = (clientHandle: number, nodeId: string, attributeId = AttributeIds.Value) => ({
      itemToMonitor: { nodeId, attributeId },
      monitoringMode: MonitoringMode.Reporting,
      requestedParameters: { clientHandle, samplingInterval: 0, queueSize: 10, discardOldest: true },
    });
    const seen: number[] = [];
    subscription.on('raw_notification', (message) => {
      for (const data of message.notificationData ?? []) for (const n of (data as { monitoredItems?: Array<{ clientHandle: number }> }).monitoredItems ?? []) seen.push(n.clientHandle);
    });
    // The raw service (ClientSession leaves it out of its type), to see each item's own status.
    const response = await (carol as ClientSession & ClientSessionRawSubscriptionService).createMonitoredItems({
      subscriptionId: subscription.subscriptionId,
      timestampsToReturn: TimestampsToReturn.Both,
      itemsToCreate: [item(1, server.nodeIdOf('mill-01', 'temp')), item(2, server.nodeIdOf('press-01', 'temp')), item(3, server.nodeIdOf('press-01'), AttributeIds.EventNotifier), item(4, server.nodeIdOf('press-01', 'temp'), AttributeIds.DisplayName)],
    });
    expect(response.results?.map(status)).toEqual(['Good', 'BadUserAccessDenied', 'BadUserAccessDenied', 'BadUserAccessDenied']);
    await new Promise((r) => setTimeout(r, 150));
    server.update([sample('press-01', 70), sample('mill-01', 43)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([1]));
  });

  it('resolves a browse path into another enterprise’s device to BadNoMatch', async () => {
    const ns = server.namespaceIndex;
    const path = (to: string) => makeBrowsePath('ObjectsFolder', `/${ns}:Yulian/${ns}:Devices${to}`);
    const translate = async (userName: string | null, to: string) => {
      const result = await (await as(userName)).translateBrowsePath(path(to));
      return [status(result), (result.targets ?? []).map((t) => t.targetId.toString())];
    };
    expect(await translate('alice', `/${ns}:press-01/${ns}:temp`)).toEqual(['Good', [server.nodeIdOf('press-01', 'temp')]]);
    expect(await translate('root', `/${ns}:press-01/${ns}:temp`)).toEqual(['Good', [server.nodeIdOf('press-01', 'temp')]]);
    expect(await translate('carol', `/${ns}:press-01/${ns}:temp`)).toEqual(['BadNoMatch', []]);
    expect(await translate('carol', `/${ns}:press-01`)).toEqual(['BadNoMatch', []]);
    expect(await translate(null, `/${ns}:boiler-01`)).toEqual(['BadNoMatch', []]);
    expect(await translate('carol', '')).toEqual(['Good', [devicesFolder()]]);
  });

  it('refuses writes and history reads of another enterprise’s points with BadUserAccessDenied, without calling onWrite', async () => {
    const value = { value: { dataType: DataType.UInt16, arrayType: VariantArrayType.Scalar, value: 7 } };
    const carol = await as('carol');
    expect(await carol.write({ nodeId: server.nodeIdOf('press-01', 'speed_sp'), attributeId: AttributeIds.Value, value })).toBe(StatusCodes.BadUserAccessDenied);
    // A read-only point of another enterprise too, rather than BadNotWritable, which would tell it exists.
    expect(await carol.write({ nodeId: server.nodeIdOf('press-01', 'temp'), attributeId: AttributeIds.Value, value })).toBe(StatusCodes.BadUserAccessDenied);
    expect(writes).toEqual([]);
    const root = await as('root');
    expect(await root.write({ nodeId: server.nodeIdOf('press-01', 'speed_sp'), attributeId: AttributeIds.Value, value })).toBe(StatusCodes.Good);
    expect(writes).toEqual([{ device: 'press-01', point: 'speed_sp', value: 7, user: 'root' }]);

    const start = new Date(Date.now() - 60_000);
    const history = async (session: ClientSession) => status(await session.readHistoryValue(server.nodeIdOf('press-01', 'temp'), start, new Date()));
    expect(await history(carol)).toBe('BadUserAccessDenied');
    // The points keep no history; the owner is told so, not refused.
    expect(await history(await as('alice'))).toBe('BadHistoryOperationUnsupported');
  });

  it('hides a device from its former enterprise once it moves to another, ending that enterprise’s monitored items', async () => {
    server.upsertDevice(device('lathe-01', 't1'));
    try {
      server.update([sample('lathe-01', 20)]);
      const alice = await as('alice');
      const item = await ClientMonitoredItem.create(await subscribe(alice), { nodeId: server.nodeIdOf('lathe-01', 'temp'), attributeId: AttributeIds.Value }, { samplingInterval: 0, queueSize: 10 }, TimestampsToReturn.Both);
      const values: Array<[unknown, string]> = [];
      item.on('changed', (dv) => values.push([dv.value.value, dv.statusCode.name]));
      await new Promise((r) => setTimeout(r, 200));
      expect(values).toEqual([[20, 'Good']]);

      server.upsertDevice(device('lathe-01', 't2'));
      server.update([sample('lathe-01', 21)]);
      await new Promise((r) => setTimeout(r, 300));
      expect(values.map(([v]) => v)).not.toContain(21);
      expect(values.at(-1)?.[1]).toMatch(/^Bad/);
      expect(await listed(alice)).toEqual(['press-01']);
      expect(status(await alice.read({ nodeId: server.nodeIdOf('lathe-01', 'temp'), attributeId: AttributeIds.Value }))).toBe('BadUserAccessDenied');
      const carol = await as('carol');
      expect(await listed(carol)).toEqual(['lathe-01', 'mill-01']);
      expect((await carol.read({ nodeId: server.nodeIdOf('lathe-01', 'temp'), attributeId: AttributeIds.Value })).value.value).toBe(21);
    } finally {
      server.removeDevice('lathe-01');
    }
  });

  it('sees a session that changes its identity to anonymous as anonymous', async () => {
    const { session, client } = await connect(login('alice'));
    expect(await listed(session)).toEqual(['press-01']);
    expect(await client.changeSessionIdentity(session, { type: UserTokenType.Anonymous })).toBe(StatusCodes.Good);
    expect(await listed(session)).toEqual([]);
    expect(status(await session.read({ nodeId: server.nodeIdOf('press-01', 'temp'), attributeId: AttributeIds.Value }))).toBe('BadUserAccessDenied');
    expect(await client.changeSessionIdentity(session, login('carol'))).toBe(StatusCodes.Good);
    expect(await listed(session)).toEqual(['mill-01']);
  });
});
