import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import { describe, expect, it } from 'vitest';
import { type PointInput, type Sample, pointSchema } from '@yulian/contracts';
import { type BrowseNode, browseOpcua, createOpcuaDevice, opcuaDeviceSchema, pointsFromBrowse } from '@yulian/gateway';
import { useOpcuaTestServer, waitFor } from './support/opcua-fixture.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const node = (name: string) => ({ nodeId: `ns=1;s=${name}` });

// IPv6 throughout, as the Modbus tests do; the other OPC UA test files use 127.0.0.1.
const opcua = useOpcuaTestServer('device', { host: '::1' });
const options = () => ({ endpointUrl: opcua.server.endpointUrl, securityMode: 'None', securityPolicy: 'None', auth: { type: 'anonymous' }, pkiDir: join(opcua.dir, 'gateway-pki') }) as const;
const find = (nodes: readonly BrowseNode[], name: string): BrowseNode | undefined => {
  for (const n of nodes) {
    if (n.displayName === name) return n;
    const inner = find(n.children ?? [], name);
    if (inner) return inner;
  }
  return undefined;
};
const count = (nodes: readonly BrowseNode[]): number => nodes.reduce((n, x) => n + 1 + count(x.children ?? []), 0);

/** A device on the test server; every sample and every onSamples call is recorded. */
function startDevice(points: PointInput[]) {
  const calls: Sample[][] = [];
  const latest = new Map<string, Sample>();
  const config = opcuaDeviceSchema.parse({ id: 'press-7', protocol: 'opcua', endpointUrl: opcua.server.endpointUrl, publishingIntervalMs: 100, samplingIntervalMs: 50, timeoutMs: 2000, points });
  const device = opcua.run(
    createOpcuaDevice(config, {
      onSamples: (s) => {
        calls.push(s);
        for (const x of s) latest.set(x.point, x);
      },
      pkiDir: join(opcua.dir, 'gateway-pki'),
    }),
  );
  return { device, calls, latest, all: () => calls.flat() };
}

describe('OPC UA device subscriptions', () => {
  it('subscribes over IPv6 and turns each data change into a scaled sample with the source timestamp, one onSamples call per publish response', async () => {
    const d = startDevice([
      { key: 'temp', dataType: 'float64', multiplier: 2, offset: 1, opcua: node('Line1.Temperature') },
      { key: 'count', dataType: 'int64', opcua: node('Line1.Count') },
      { key: 'running', dataType: 'bool', opcua: node('Line1.Running') },
      { key: 'label', dataType: 'string', opcua: node('Line1.Label') },
      { key: 'health', dataType: 'float64', opcua: node('Line1.Health') },
      { key: 'ghost', dataType: 'float64', opcua: node('Line1.DoesNotExist') },
    ]);
    expect(opcua.server.endpointUrl).toMatch(/^opc\.tcp:\/\/\[::1\]:\d+$/);
    await waitFor(() => d.latest.size === 6, 5000, 'a sample of every point');
    expect(d.latest.get('temp')).toMatchObject({ device: 'press-7', value: 41, quality: 'good' });
    expect(d.latest.get('count')).toMatchObject({ value: -5_000_000_000, quality: 'good' });
    expect(d.latest.get('running')).toMatchObject({ value: true, quality: 'good' });
    expect(d.latest.get('label')).toMatchObject({ value: 'A', quality: 'good' });
    expect(d.latest.get('health')).toMatchObject({ quality: 'bad', reason: 'BadSensorFailure' });
    expect(d.latest.get('ghost')).toMatchObject({ value: null, quality: 'bad', reason: 'BadNodeIdUnknown' });
    // The five initial values came in one publish response, hence one call.
    expect(d.calls.some((c) => c.length === 5)).toBe(true);

    opcua.server.set('Health', 5, StatusCodes.UncertainLastUsableValue);
    await waitFor(() => d.latest.get('health')?.quality === 'uncertain', 3000, 'an uncertain value');
    expect(d.latest.get('health')).toMatchObject({ value: 5, reason: 'UncertainLastUsableValue' });

    const setAt = Date.now();
    opcua.server.set('Temperature', 25);
    await waitFor(() => d.latest.get('temp')?.value === 51, 3000, 'the new temperature');
    const temp = d.latest.get('temp');
    expect(temp?.ts).toBeGreaterThanOrEqual(setAt - 5);
    expect(temp?.receivedTs).toBeGreaterThanOrEqual(temp?.ts ?? Infinity);
    const status = d.device.devices()[0];
    expect(status).toMatchObject({ device: 'press-7', protocol: 'opcua', state: 'online', lastError: undefined });
    expect(status?.counters).toMatchObject({ connects: 1, reconnects: 0, refusedItems: 1, monitoredItems: 5 });
    expect(status?.counters.dataChanges).toBeGreaterThanOrEqual(6);
    expect(status?.counters.badStatus).toBeGreaterThanOrEqual(1);
  });

  it('suppresses changes inside an absolute or percent deadband and reports the ones beyond it', async () => {
    opcua.server.set('Line2.Temperature', 30);
    opcua.server.set('Level', 50);
    const d = startDevice([
      { key: 'abs', dataType: 'float64', opcua: { ...node('Line2.Temperature'), deadband: { type: 'absolute', value: 0.5 } } },
      { key: 'pct', dataType: 'float64', opcua: { ...node('Line1.Level'), deadband: { type: 'percent', value: 2 } } },
    ]);
    await waitFor(() => d.latest.get('abs')?.value === 30 && d.latest.get('pct')?.value === 50, 5000, 'initial values');
    for (const [abs, pct] of [
      [30.2, 50.5],
      [30.4, 51],
      [31, 55],
    ] as const) {
      opcua.server.set('Line2.Temperature', abs);
      opcua.server.set('Level', pct);
      await sleep(250);
    }
    await waitFor(() => d.latest.get('abs')?.value === 31 && d.latest.get('pct')?.value === 55, 3000, 'the changes beyond the deadbands');
    expect(d.all().map((s) => s.value)).toEqual(expect.not.arrayContaining([30.2, 30.4, 50.5, 51]));
  });
});

describe('OPC UA device writes and method calls', () => {
  it('writes values converted to the node’s DataType and reads them back', async () => {
    const d = startDevice([
      { key: 'setpoint', dataType: 'float64', access: 'read-write', multiplier: 0.1, opcua: node('Line1.Setpoint') },
      { key: 'mode', dataType: 'int16', access: 'read-write', opcua: node('Line1.Mode') },
      { key: 'running', dataType: 'bool', access: 'read-write', opcua: node('Line1.Running') },
      { key: 'label', dataType: 'string', access: 'read-write', opcua: node('Line1.Label') },
      { key: 'temp', dataType: 'float64', opcua: node('Line1.Temperature') },
      { key: 'sneaky', dataType: 'float64', access: 'read-write', opcua: node('Line1.Count') },
    ]);
    await waitFor(() => d.device.devices()[0]?.state === 'online', 5000, 'online');
    await d.device.write('press-7', 'setpoint', 42.5);
    expect(opcua.server.get('Setpoint')).toBe(425);
    await waitFor(() => d.latest.get('setpoint')?.value === 42.5, 3000, 'the setpoint read back');
    await d.device.write('press-7', 'mode', 3.4);
    expect(opcua.server.get('Mode')).toBe(3);
    await d.device.write('press-7', 'running', false);
    expect(opcua.server.get('Running')).toBe(false);
    await d.device.write('press-7', 'label', 'B-2');
    await waitFor(() => d.latest.get('label')?.value === 'B-2', 3000, 'the label read back');

    await expect(d.device.write('press-7', 'mode', 70_000)).rejects.toMatchObject({ code: 'VALUE_OUT_OF_RANGE' });
    await expect(d.device.write('press-7', 'temp', 1)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'temp is read-only.' });
    await expect(d.device.write('press-7', 'nope', 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(d.device.write('press-9', 'mode', 1)).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    // Writable in the config, not on the server: the server's status is the error.
    await expect(d.device.write('press-7', 'sneaky', 1)).rejects.toMatchObject({ details: { opcua: 'OPCUA_BAD_STATUS', statusCode: 'BadNotWritable' } });
  });

  it('calls a method given as objectNodeId|methodNodeId and returns its output arguments', async () => {
    const d = startDevice([{ key: 'temp', dataType: 'float64', opcua: node('Line1.Temperature') }]);
    await waitFor(() => d.device.devices()[0]?.state === 'online', 5000, 'online');
    await expect(d.device.call?.('press-7', 'ns=1;s=Line1|ns=1;s=Line1.Add', [2, 3.5])).resolves.toEqual([5.5]);
    await expect(d.device.call?.('press-7', 'ns=1;s=Line1|ns=1;s=Line1.Add', [2])).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/takes 2 argument\(s\) \(a, b\), got 1/) });
    await expect(d.device.call?.('press-7', 'ns=1;s=Line1.Add', [])).rejects.toThrow(/objectNodeId\|methodNodeId/);
    await expect(d.device.call?.('press-7', 'ns=1;s=Line1|ns=1;s=Line1.Nope', [])).rejects.toMatchObject({ details: { opcua: 'OPCUA_BAD_STATUS' } });
  });
});

describe('OPC UA device configuration', () => {
  const base = { id: 'x', protocol: 'opcua', endpointUrl: 'opc.tcp://10.0.0.5:4840' };
  it('fills in the defaults and accepts IPv4, IPv6 and host-name endpoints', () => {
    const c = opcuaDeviceSchema.parse({ ...base, points: [] });
    expect(c).toMatchObject({ securityMode: 'None', securityPolicy: 'None', auth: { type: 'anonymous' }, publishingIntervalMs: 1000, batchSize: 1000 });
    for (const endpointUrl of ['opc.tcp://[::1]:4840', 'opc.tcp://[fd00::5]:48010/UA/Server', 'opc.tcp://plc-7.local']) expect(opcuaDeviceSchema.safeParse({ ...base, endpointUrl, points: [] }).success).toBe(true);
    for (const endpointUrl of ['http://10.0.0.5:4840', 'opc.tcp://', 'opc.tcp://host:70000', 'opc.tcp://user:pw@host:4840']) expect(opcuaDeviceSchema.safeParse({ ...base, endpointUrl, points: [] }).success).toBe(false);
  });

  it('rejects points without an OPC UA address, duplicate keys, bad NodeIds and SignAndEncrypt without Basic256Sha256, naming what is wrong', () => {
    const bad = opcuaDeviceSchema.safeParse({
      ...base,
      securityMode: 'SignAndEncrypt',
      points: [
        { key: 'a', dataType: 'float64' },
        { key: 'a', dataType: 'float64', opcua: node('A') },
        { key: 'b', dataType: 'float64', opcua: { nodeId: 'Line1.Temperature' } },
      ],
    });
    const text = JSON.stringify(bad.error?.issues);
    expect(text).toMatch(/point a needs an opcua address/);
    expect(text).toMatch(/duplicate point key a/);
    expect(text).toMatch(/point b: Line1.Temperature is not a NodeId/);
    expect(text).toMatch(/SignAndEncrypt needs securityPolicy Basic256Sha256/);
    expect(opcuaDeviceSchema.safeParse({ ...base, points: [], auth: { type: 'username', username: 'op' } }).success).toBe(false);
  });
});

describe('browsing an OPC UA server', () => {
  it('returns the tree under Objects with data types and writability, without the server’s standard objects', async () => {
    const tree = await browseOpcua(options());
    expect(tree.map((n) => n.displayName)).toEqual(['Plant']);
    const plant = tree[0];
    expect(plant).toMatchObject({ nodeId: 'ns=1;s=Plant', browseName: '1:Plant', nodeClass: 'Object' });
    expect(plant?.children?.map((n) => n.displayName).sort()).toEqual(['Line1', 'Line2']);
    expect(find(tree, 'Line1')?.children?.map((n) => n.displayName).sort()).toEqual(['Add', 'Count', 'Health', 'Label', 'Level', 'Mode', 'Running', 'Setpoint', 'Temperature']);
    expect(find(tree, 'Temperature')).toEqual({ nodeId: 'ns=1;s=Line1.Temperature', browseName: '1:Temperature', displayName: 'Temperature', nodeClass: 'Variable', dataType: 'Double', writable: false });
    expect(find(tree, 'Setpoint')).toMatchObject({ dataType: 'Double', writable: true });
    expect(find(tree, 'Count')).toMatchObject({ dataType: 'Int64', writable: false });
    expect(find(tree, 'Running')).toMatchObject({ dataType: 'Boolean', writable: true });
    expect(find(tree, 'Level')).toMatchObject({ dataType: 'Double', nodeClass: 'Variable' });
    expect(find(tree, 'Level')?.children).toBeUndefined();
    expect(find(tree, 'Add')).toMatchObject({ nodeId: 'ns=1;s=Line1.Add', nodeClass: 'Method' });
  });

  it('stops at the given depth and node count, starts at the given root, and includes the standard objects on request', async () => {
    const shallow = await browseOpcua({ ...options(), depth: 1 });
    expect(shallow).toEqual([{ nodeId: 'ns=1;s=Plant', browseName: '1:Plant', displayName: 'Plant', nodeClass: 'Object' }]);
    expect(count(await browseOpcua({ ...options(), maxNodes: 3 }))).toBe(3);
    const line1 = await browseOpcua({ ...options(), rootNodeId: 'ns=1;s=Line1', depth: 1 });
    expect(line1.map((n) => n.displayName)).toContain('Setpoint');
    const withServer = await browseOpcua({ ...options(), depth: 1, includeStandardObjects: true });
    expect(withServer.map((n) => n.nodeId)).toEqual(expect.arrayContaining(['ns=0;i=2253', 'ns=1;s=Plant']));
  });

  it('makes valid, unique points of the browsed variables', async () => {
    const points = pointsFromBrowse(await browseOpcua(options()));
    const byKey = new Map(points.map((p) => [p.key, p]));
    expect([...byKey.keys()].sort()).toEqual(['Count', 'Health', 'Label', 'Level', 'Line1.Temperature', 'Line2.Temperature', 'Mode', 'Running', 'Setpoint']);
    expect(byKey.get('Setpoint')).toEqual({ key: 'Setpoint', name: 'Setpoint', dataType: 'float64', access: 'read-write', opcua: { nodeId: 'ns=1;s=Line1.Setpoint' } });
    expect(byKey.get('Count')).toMatchObject({ dataType: 'int64', access: 'read' });
    expect(byKey.get('Mode')).toMatchObject({ dataType: 'int16', access: 'read-write' });
    expect(byKey.get('Running')).toMatchObject({ dataType: 'bool' });
    expect(byKey.get('Label')).toMatchObject({ dataType: 'string' });
    for (const p of points) expect(pointSchema.safeParse(p).success).toBe(true);
  });

  it('sanitises browse names into keys, keeps them unique and skips variables a point cannot carry', () => {
    const v = (name: string, dataType?: string): BrowseNode => ({ nodeId: `ns=2;s=${name}`, browseName: `2:${name}`, displayName: name, nodeClass: 'Variable', ...(dataType ? { dataType } : {}), writable: false });
    const tree: BrowseNode[] = [
      { nodeId: 'ns=2;s=A', browseName: '2:Zone A', displayName: 'Zone A', nodeClass: 'Object', children: [v('Temp °C', 'Float'), v('温度', 'Double'), v('温度', 'Double'), v('Blob', 'ExtensionObject'), v('Any')] },
      { nodeId: 'ns=2;s=B', browseName: '2:Zone B', displayName: 'Zone B', nodeClass: 'Object', children: [v('Temp °C', 'Float'), v('x'.repeat(80), 'UInt32')] },
    ];
    const keys = pointsFromBrowse(tree).map((p) => p.key);
    expect(keys).toEqual(['Zone_A.Temp_C', 'Zone_A.point', 'Zone_A.point_2', 'Zone_B.Temp_C', 'x'.repeat(64)]);
    for (const p of pointsFromBrowse(tree)) expect(pointSchema.safeParse(p).success).toBe(true);
  });
});
