import { randomBytes } from 'node:crypto';
import { type MqttClient, connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { YulianError, servicesRequired } from '@yulian/core';
import { mqttConnectionSchema } from '@yulian/gateway';
import { type SparkplugPayload, decodeSparkplugPayload, encodeSparkplugPayload, parseSparkplugTopic } from '@yulian/protocols';
import { type EnergySensors, type EnergySensorsOptions, type VirtualFactory, energySensorDevices, factoryLayout, startEnergySensors, startVirtualFactory } from '@yulian/sim';

const mqttUrl = process.env['YULIAN_TEST_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';

/** True when the test Mosquitto accepts a connection; under YULIAN_REQUIRE_SERVICES=1 a missing one fails the suite. */
async function mosquittoAvailable(): Promise<boolean> {
  try {
    const c = await connectAsync(mqttUrl, { reconnectPeriod: 0, connectTimeout: 2000 });
    await c.endAsync();
    return true;
  } catch (e) {
    if (servicesRequired()) throw new Error(`Mosquitto at ${mqttUrl} is required (YULIAN_REQUIRE_SERVICES=1) but not reachable: ${(e as Error).message}`);
    return false;
  }
}
const mosquittoUp = await mosquittoAvailable();

/** A group id of this run only, so parallel runs and retained leftovers cannot interfere. */
const uniqueGroup = (): string => `yt-energy-${randomBytes(4).toString('hex')}`;

interface Message {
  type: string;
  device: string | undefined;
  payload: SparkplugPayload;
  /** Wall-clock ms of arrival. */
  at: number;
}

/** A plain MQTT.js subscriber to one Sparkplug group, decoding every message. */
async function record(group: string): Promise<{ client: MqttClient; messages: Message[]; until(check: (m: Message[]) => boolean, timeoutMs?: number): Promise<void>; close(): Promise<void> }> {
  const client = await connectAsync(mqttUrl, { reconnectPeriod: 0 });
  const messages: Message[] = [];
  client.on('message', (topic, bytes) => {
    const t = parseSparkplugTopic(topic);
    if (!t || t.kind === 'state') return;
    messages.push({ type: t.type, device: t.kind === 'device' ? t.deviceId : undefined, payload: decodeSparkplugPayload(bytes), at: Date.now() });
  });
  await client.subscribeAsync(`spBv1.0/${group}/#`, { qos: 1 });
  return {
    client,
    messages,
    async until(check, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (!check(messages)) {
        if (Date.now() > end) throw new Error(`timed out; got ${messages.map((m) => `${m.type}${m.device ? `/${m.device}` : ''}`).join(', ') || 'nothing'}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => client.endAsync(),
  };
}

const of = (type: string, device?: string) => (m: Message) => m.type === type && (device === undefined || m.device === device);
const count = (ms: Message[], type: string, device?: string): number => ms.filter(of(type, device)).length;
const bdSeqOf = (m: Message | undefined): unknown => m?.payload.metrics.find((x) => x.name === 'bdSeq')?.value;

/** Each device's metric names by alias, from its DBIRTH. */
function aliases(ms: Message[]): Map<number, { device: string; name: string }> {
  const out = new Map<number, { device: string; name: string }>();
  for (const m of ms.filter(of('DBIRTH'))) for (const x of m.payload.metrics) if (x.alias !== undefined && x.name) out.set(x.alias, { device: m.device!, name: x.name });
  return out;
}

/** The DDATA of one device as metric values by name. */
function reports(ms: Message[], device: string): { timestamp: number; at: number; values: Record<string, unknown> }[] {
  const names = aliases(ms);
  return ms.filter(of('DDATA', device)).map((m) => ({ timestamp: m.payload.timestamp ?? 0, at: m.at, values: Object.fromEntries(m.payload.metrics.map((x) => [names.get(x.alias ?? -1)?.name ?? '?', x.value])) }));
}

const started: { stop(): Promise<void> }[] = [];
const recorders: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  await Promise.all(recorders.splice(0).map((r) => r.close()));
});

async function sensors(options: Omit<EnergySensorsOptions, 'url'>): Promise<EnergySensors> {
  const s = await startEnergySensors({ url: mqttUrl, ...options });
  started.push(s);
  return s;
}
async function recorder(group: string): ReturnType<typeof record> {
  const r = await record(group);
  recorders.push(r);
  return r;
}
const powerMeterIds = energySensorDevices.filter((d) => d.kind === 'power-meter').map((d) => d.id);
const allBirths = (ms: Message[]): boolean => count(ms, 'NBIRTH') === 1 && count(ms, 'DBIRTH') === 10;

describe('energy sensors: configuration', () => {
  it('refuses a bad url, id or seed before connecting, and an unreachable broker without showing its password', async () => {
    await expect(startEnergySensors({ url: 'http://127.0.0.1:1883', seed: 1 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: /mqtt:\/\// });
    await expect(startEnergySensors({ url: mqttUrl, groupId: 'plant/a', seed: 1 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: /groupId/ });
    await expect(startEnergySensors({ url: mqttUrl, seed: 1.5 })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const refused = await startEnergySensors({ url: 'mqtt://meter:s3cret@127.0.0.1:1', seed: 1, connectTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(YulianError);
    expect(refused).toMatchObject({ code: 'MQTT_UNAVAILABLE' });
    expect((refused as Error).message).not.toContain('s3cret');
    await expect(startVirtualFactory({ realTime: false, mqtt: { url: 'tcp://127.0.0.1:1883' } })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe.skipIf(!mosquittoUp)('energy sensors over Sparkplug B through Mosquitto', () => {
  it('births ten devices with units, then reports about every second with plausible values and rising energy counters', async () => {
    const group = uniqueGroup();
    const rec = await recorder(group);
    const s = await sensors({ groupId: group, seed: 7 });
    await rec.until((ms) => energySensorDevices.every((d) => count(ms, 'DDATA', d.id) >= 3), 6000);
    const nbirth = rec.messages.find(of('NBIRTH'));
    expect(nbirth?.payload.seq).toBe(0);
    expect(bdSeqOf(nbirth)).toBe(0);
    expect(rec.messages.filter(of('DBIRTH')).map((m) => m.device)).toEqual(energySensorDevices.map((d) => d.id));
    const birth = (device: string, metric: string) => rec.messages.find(of('DBIRTH', device))?.payload.metrics.find((m) => m.name === metric);
    expect(birth('meter-cnc-line', 'Power/Active')).toMatchObject({ type: 'Float', properties: { engUnit: { value: 'kW' } } });
    expect(birth('meter-plant-main', 'Energy/Total')).toMatchObject({ type: 'Double', properties: { engUnit: { value: 'kWh' } } });
    expect(birth('meter-paint-oven', 'Config/ReportIntervalS')).toMatchObject({ type: 'UInt16', value: 1, properties: { writable: { value: true }, engUnit: { value: 's' } } });
    expect(birth('env-machining', 'Air/PM2.5')?.properties?.['engUnit']?.value).toBe('µg/m³');
    expect(birth('water-main', 'Water/Flow')?.properties?.['engUnit']?.value).toBe('m³/h');
    for (const d of energySensorDevices) for (const m of d.metrics) expect(birth(d.id, m.name)?.properties?.['engUnit']?.value, `${d.id} ${m.name}`).toBe(m.unit);

    for (const id of powerMeterIds) {
      const r = reports(rec.messages, id);
      for (let i = 1; i < r.length; i++) {
        // Simulation time moves in 100 ms ticks and the reports keep to a 1 s grid; a busy test machine
        // may delay one report by a tick or a few.
        expect(r[i]!.timestamp - r[i - 1]!.timestamp, id).toBeGreaterThanOrEqual(600);
        expect(r[i]!.timestamp - r[i - 1]!.timestamp, id).toBeLessThanOrEqual(1400);
        expect(r[i]!.at - r[i - 1]!.at, id).toBeGreaterThan(300);
        expect(r[i]!.at - r[i - 1]!.at, id).toBeLessThan(2000);
        expect(r[i]!.values['Energy/Total'] as number, id).toBeGreaterThan(r[i - 1]!.values['Energy/Total'] as number);
      }
      expect(r.at(-1)?.values['Voltage/LineToLine'] ?? birth(id, 'Voltage/LineToLine')?.value).toBeGreaterThanOrEqual(380);
    }
    const main = s.values('meter-plant-main');
    expect(main['Power/Active']).toBeGreaterThan(['meter-cnc-line', 'meter-compressors', 'meter-paint-oven'].reduce((sum, id) => sum + (s.values(id)['Power/Active'] ?? 0), 0));
    expect(main['Voltage/LineToLine']).toBeGreaterThanOrEqual(380);
    expect(main['Voltage/LineToLine']).toBeLessThanOrEqual(400);
    expect(main['Power/Factor']).toBeGreaterThan(0.9);
    expect(s.values('env-machining')['Air/Humidity']).toBeGreaterThan(20);
    expect(s.values('flow-air-paint')['Air/Pressure']).toBeGreaterThan(5.5);
    expect(s.devices().map((d) => d.id)).toEqual(energySensorDevices.map((d) => d.id));
    expect(s.sparkplug).toMatchObject({ groupId: group, edgeNodeId: 'energy-gw', url: mqttUrl });
    await s.stop();
    await rec.until((ms) => count(ms, 'NDEATH') === 1);
  });

  it('publishes the same births and data for the same seed stepped the same way, and other values for another seed', async () => {
    const groups = [uniqueGroup(), uniqueGroup(), uniqueGroup()];
    const recs = await Promise.all(groups.map(recorder));
    const [a, b, c] = await Promise.all(groups.map((groupId, i) => sensors({ groupId, seed: i < 2 ? 42 : 43, realTime: false })));
    for (let i = 0; i < 5; i++) for (const s of [a!, b!, c!]) s.step(1000);
    await Promise.all(recs.map((r) => r.until((ms) => count(ms, 'DDATA', 'water-main') === 5)));
    const published = (ms: Message[]) => ms.map(({ type, device, payload }) => ({ type, device, payload }));
    expect(published(recs[0]!.messages).length).toBeGreaterThanOrEqual(11 + 40);
    expect(published(recs[1]!.messages)).toEqual(published(recs[0]!.messages));
    expect(published(recs[2]!.messages)).not.toEqual(published(recs[0]!.messages));
    for (const d of energySensorDevices) expect(b!.values(d.id), d.id).toEqual(a!.values(d.id));
  });

  it('takes a DCMD write of Config/ReportIntervalS, reports that meter at the new period, and refuses writes out of range', async () => {
    const group = uniqueGroup();
    const rec = await recorder(group);
    const s = await sensors({ groupId: group, seed: 3, realTime: false });
    await rec.until(allBirths);
    const dcmd = (device: string, value: number) => rec.client.publishAsync(`spBv1.0/${group}/DCMD/energy-gw/${device}`, Buffer.from(encodeSparkplugPayload({ timestamp: Date.now(), metrics: [{ name: 'Config/ReportIntervalS', type: 'UInt16', value }] })));
    await dcmd('meter-compressors', 0);
    await dcmd('meter-cnc-line', 3);
    const names = aliases(rec.messages);
    await rec.until((ms) => ms.some((m) => of('DDATA', 'meter-cnc-line')(m) && m.payload.metrics.some((x) => names.get(x.alias ?? -1)?.name === 'Config/ReportIntervalS' && x.value === 3)));
    expect(s.values('meter-cnc-line')['Config/ReportIntervalS']).toBe(3);
    expect(s.values('meter-compressors')['Config/ReportIntervalS']).toBe(1);
    expect(count(rec.messages, 'DDATA')).toBe(1); // the accepted write, reported back; the refused one is not
    for (let i = 0; i < 6; i++) s.step(1000);
    await rec.until((ms) => count(ms, 'DDATA', 'water-main') === 6);
    const withPower = (id: string) => reports(rec.messages, id).filter((r) => 'Power/Active' in r.values);
    expect(withPower('meter-cnc-line').map((r) => r.timestamp - s.now())).toEqual([-3000, 0]);
    expect(withPower('meter-compressors')).toHaveLength(6);
  });

  it('drops off with its NDEATH will on comm-loss and comes back with births and bdSeq+1 when cleared', async () => {
    const group = uniqueGroup();
    const rec = await recorder(group);
    const s = await sensors({ groupId: group, seed: 4, realTime: false });
    await rec.until(allBirths);
    s.step(1000);
    await expect(s.injectFault('meter-paint-oven', { kind: 'comm-loss' })).resolves.toMatchObject({ device: 'meter-paint-oven', kind: 'comm-loss', since: s.now() });
    await rec.until((ms) => count(ms, 'NDEATH') === 1);
    expect(bdSeqOf(rec.messages.find(of('NDEATH')))).toBe(0);
    s.step(3000); // the sensors keep measuring; nothing gets out
    expect(s.faults()).toEqual([expect.objectContaining({ device: 'meter-paint-oven', kind: 'comm-loss' })]);
    await s.clearFault('meter-paint-oven', 'comm-loss');
    await rec.until((ms) => count(ms, 'NBIRTH') === 2 && count(ms, 'DBIRTH') === 20);
    const rebirth = rec.messages.filter(of('NBIRTH'))[1];
    expect(bdSeqOf(rebirth)).toBe(1);
    expect(rebirth?.payload.seq).toBe(0);
    const after = rec.messages.indexOf(rebirth!);
    expect(rec.messages.slice(rec.messages.findIndex(of('NDEATH')), after).filter(of('DDATA'))).toEqual([]);
    // The new births carry what the meters show now, 3 s of energy later.
    const energy = rec.messages.slice(after).find(of('DBIRTH', 'meter-plant-main'))?.payload.metrics.find((m) => m.name === 'Energy/Total')?.value;
    expect(energy).toBe(s.values('meter-plant-main')['Energy/Total']);
    s.step(1000);
    await rec.until((ms) => count(ms.slice(after), 'DDATA', 'water-main') === 1);
    expect(s.faults()).toEqual([]);
  });

  it('freezes a stuck metric, lets a drifting one creep by 5 % of its range per hour, and refuses faults a sensor cannot have', async () => {
    const [g1, g2] = [uniqueGroup(), uniqueGroup()];
    const rec = await recorder(g1);
    const [s, twin] = await Promise.all([sensors({ groupId: g1, seed: 8, realTime: false }), sensors({ groupId: g2, seed: 8, realTime: false })]);
    await rec.until(allBirths);
    const stuck = s.values('env-machining')['Air/Humidity'];
    await s.injectFault('env-machining', { kind: 'stuck-value', point: 'Air/Humidity' });
    await s.injectFault('meter-plant-main', { kind: 'sensor-drift' }); // Power/Active by default, range 0–800 kW
    for (let i = 0; i < 5; i++) for (const x of [s, twin]) x.step(1000);
    await rec.until((ms) => count(ms, 'DDATA', 'water-main') === 5);
    expect(reports(rec.messages, 'env-machining').every((r) => !('Air/Humidity' in r.values))).toBe(true);
    expect(s.values('env-machining')['Air/Humidity']).toBe(stuck);
    for (const x of [s, twin]) x.step(3_600_000);
    const drift = (s.values('meter-plant-main')['Power/Active'] ?? 0) - (twin.values('meter-plant-main')['Power/Active'] ?? 0);
    expect(drift).toBeCloseTo((0.05 * 800 * 3_605_000) / 3_600_000, 1); // since the injection, 5 s before the hour
    expect(s.values('meter-plant-main')['Energy/Total']).toBe(twin.values('meter-plant-main')['Energy/Total']);
    await expect(s.injectFault('meter-cnc-line', { kind: 'bearing-wear' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: /sensor-drift, stuck-value, comm-loss/ });
    await expect(s.injectFault('meter-cnc-line', { kind: 'stuck-value', point: 'Config/ReportIntervalS' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: /Power\/Active/ });
    await expect(s.injectFault('press-01', { kind: 'comm-loss' })).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    await s.clearFault('env-machining');
    expect(s.faults().map((f) => `${f.device} ${f.kind}`)).toEqual(['meter-plant-main sensor-drift']);
  });
});

describe.skipIf(!mosquittoUp)('energy sensors in the virtual factory', () => {
  const factories: VirtualFactory[] = [];
  afterEach(async () => {
    await Promise.all(factories.splice(0).map((f) => f.close()));
  });

  it('start and stop with the factory, measure its machines, and take faults through its fault API', async () => {
    const group = uniqueGroup();
    const rec = await recorder(group);
    const f = await startVirtualFactory({ seed: 5, host: '127.0.0.1', realTime: false, mqtt: { url: mqttUrl, groupId: group } });
    factories.push(f);
    await rec.until(allBirths);
    expect(f.sparkplug).toMatchObject({ groupId: group, edgeNodeId: 'energy-gw' });
    expect(f.sparkplug?.devices.map((d) => d.id)).toEqual(energySensorDevices.map((d) => d.id));
    expect(mqttConnectionSchema.parse(f.mqttConnectionConfigs()[0])).toMatchObject({ url: mqttUrl, sparkplug: { hostId: 'yulian', groupIds: [group] } });
    f.step(60_000);
    // The line meter sees the machines as they were one step before, plus the line's own 4–14 kW.
    const cncKw = factoryLayout.filter((m) => m.kind === 'cnc').reduce((sum, m) => sum + (f.values(m.id)['power'] as number), 0);
    f.step(1000);
    const line = f.values('meter-cnc-line')['Power/Active'] as number;
    expect(line - cncKw).toBeGreaterThan(3);
    expect(line - cncKw).toBeLessThan(16);
    await rec.until((ms) => count(ms, 'DDATA', 'water-main') === 2);
    await f.injectFault('env-paint-shop', { kind: 'comm-loss' });
    await rec.until((ms) => count(ms, 'NDEATH') === 1);
    expect(f.faults()).toEqual([expect.objectContaining({ device: 'env-paint-shop', kind: 'comm-loss' })]);
    await f.clearFault('env-paint-shop');
    await rec.until((ms) => count(ms, 'NBIRTH') === 2 && count(ms, 'DBIRTH') === 20);
    expect(bdSeqOf(rec.messages.filter(of('NBIRTH'))[1])).toBe(1);
    await expect(f.injectFault('meter-cnc-line', { kind: 'overheating' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await f.close();
    factories.splice(0);
    await rec.until((ms) => count(ms, 'NDEATH') === 2);
    expect(bdSeqOf(rec.messages.filter(of('NDEATH'))[1])).toBe(1);
  });
});
