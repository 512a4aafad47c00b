import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect as connectNats } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bus, type Consumer, type Store, createBus, createStore, servicesRequired, silentLogger, startTelemetryIngest, testNatsUrl } from '@yulian/core';
import { type ModbusPeer, modbusPeerAvailable, startModbusPeer } from '../../protocols/test/peers/modbus-peer.js';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const natsUrl = testNatsUrl();
const natsUp = await connectNats({ servers: natsUrl, timeout: 1000 }).then(
  (nc) => nc.close().then(() => true),
  () => false,
);
if (servicesRequired() && (!natsUp || !modbusPeerAvailable())) throw new Error('NATS and pymodbus are required (YULIAN_REQUIRE_SERVICES=1)');

const run = (args: string[], cwd: string) => {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exit: new Promise<number | null>((resolve) => child.on('exit', resolve)) };
};

describe.skipIf(!natsUp || !modbusPeerAvailable())('yulian gateway (standalone)', () => {
  let dir: string;
  let peer: ModbusPeer;
  let store: Store;
  let bus: Bus;
  let ingest: Consumer;
  const streamPrefix = `YG_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-gw-cli-'));
    peer = await startModbusPeer({ host: '::1' });
    store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    bus = await createBus({ url: natsUrl, streamPrefix, logger: silentLogger() });
    ingest = await startTelemetryIngest({ store, bus, logger: silentLogger() });
  });
  afterAll(async () => {
    await ingest?.stop();
    await bus?.close();
    await store?.close();
    await peer?.stop();
    const nc = await connectNats({ servers: natsUrl });
    const jsm = await nc.jetstreamManager();
    for await (const info of jsm.streams.list()) if (info.config.name.startsWith(streamPrefix)) await jsm.streams.delete(info.config.name);
    await nc.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('polls a Modbus device from a YAML config and delivers its samples to the platform over NATS', async () => {
    await writeFile(
      join(dir, 'gw.yaml'),
      [
        'id: gw-line-1',
        'uplink:',
        `  bus: ${natsUrl}`,
        `  streamPrefix: ${streamPrefix}`,
        'devices:',
        '  - id: plc-1',
        '    protocol: modbus-tcp',
        "    host: '::1'",
        `    port: ${peer.port}`,
        '    pollIntervalMs: 200',
        '    points:',
        '      - { key: counter, dataType: uint16, modbus: { table: holding, address: 5000 } }',
        '      - { key: level, dataType: uint16, multiplier: 0.1, modbus: { table: input, address: 3 } }',
      ].join('\n'),
    );
    const gw = run(['gateway', '--config', 'gw.yaml'], dir);
    try {
      let rows: Array<{ point: string; value_num: number | null }> = [];
      for (let i = 0; i < 100 && rows.length < 4; i++) {
        await new Promise((r) => setTimeout(r, 100));
        rows = await store.db.selectFrom('telemetry_raw').select(['point', 'value_num']).where('device', '=', 'plc-1').execute();
      }
      expect(gw.output()).toContain('yulian gateway gw-line-1: polling 1 device(s)');
      expect(rows.find((r) => r.point === 'counter')?.value_num).toBe(5000);
      expect(rows.find((r) => r.point === 'level')?.value_num).toBeCloseTo(2.1);
    } finally {
      gw.child.kill('SIGTERM');
    }
    expect(await gw.exit).toBe(0);
  });

  it('exits with code 2 and names the failing setting of a bad config', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ id: 'gw bad', uplink: { bus: 'http://x' }, devices: [{ id: 'd', protocol: 'modbus-tcp', host: 'x', pollIntervalMs: 10, points: [] }] }));
    const gw = run(['gateway', '--config', 'bad.json'], dir);
    expect(await gw.exit).toBe(2);
    expect(gw.output()).toContain('invalid gateway configuration: id: letters, digits');
    expect(gw.output()).toContain('invalid gateway configuration: uplink.bus: a nats:// or tls:// URL');
    expect(gw.output()).toContain('invalid gateway configuration: devices.0.pollIntervalMs:');
  });
});
