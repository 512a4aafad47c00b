import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTenants, createAuditLog, createLogger, createStore, loadConfig } from '@yulian/core';
import { modbusDeviceSchema } from '@yulian/gateway';
import { type ModbusPoint, createModbusTcpClient, planReads, readPoints, writePoint } from '@yulian/protocols';
import { type SecurityMonitor, startSecurityMonitor } from '@yulian/server';
import { type VirtualFactory, startVirtualFactory } from '@yulian/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const logger = createLogger({ level: 'silent' });

/**
 * Ten minutes of the demo plant's normal traffic in simulated time, through the real guards: the
 * gateway's poll cycle of every machine each simulated second (the same coalesced reads the gateway's
 * Modbus driver makes, from its address), an engineer's setpoint change every two minutes through the
 * gateway, logins with the odd typo. Learning for the first five minutes, enforcing the learned baseline
 * for the last five. Not one security event may come of it.
 */
describe('normal demo traffic over 10 minutes of simulated time', () => {
  let dir: string;
  let factory: VirtualFactory;
  let monitor: SecurityMonitor;
  let closeStore: () => Promise<void>;
  const tenantId = 'tenant-demo';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-normal-traffic-'));
    factory = await startVirtualFactory({ seed: 2021, host: '127.0.0.1', realTime: false, burstIntervalMs: 0, logger });
    const store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    closeStore = () => store.close();
    const config = loadConfig({ env: { YULIAN_DATA_DIR: dir } });
    monitor = await startSecurityMonitor({ store, logger, config: config.security, dataDir: dir, audit: createAuditLog(store.db), now: () => factory.now() });
    monitor.setCommanders([{ tenantId, ip: '127.0.0.1' }]);
  }, 60_000);
  afterAll(async () => {
    await monitor?.close();
    await factory?.close();
    await closeStore?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('raises no security event, learning or enforcing', async () => {
    const machines = await Promise.all(
      factory.deviceConfigs('127.0.0.1').map(async (raw) => {
        const config = modbusDeviceSchema.parse(raw);
        const guard = await monitor.guardModbus({ deviceId: config.id, tenantId, upstream: { host: config.host, port: config.port }, points: config.points });
        const points = config.points.filter((p): p is ModbusPoint => p.modbus !== undefined);
        return { config, points, blocks: planReads(points), client: createModbusTcpClient({ host: '127.0.0.1', port: guard.address.port, timeoutMs: 2000 }) };
      }),
    );
    expect(machines.length).toBeGreaterThanOrEqual(5);
    monitor.baseline.setMode(tenantId, 'learning', factory.now());
    let reads = 0;
    let writes = 0;
    for (let second = 1; second <= 600; second++) {
      factory.step(1000);
      if (second === 300) monitor.baseline.setMode(tenantId, 'enforcing', factory.now());
      for (const m of machines) {
        const readings = await readPoints(m.client, m.config.unitId, m.blocks);
        reads += readings.length;
      }
      if (second % 120 === 60) {
        // An engineer's setpoint change, sent by the gateway (the platform's command path), inside the range.
        const cnc = machines.find((m) => m.config.id.startsWith('cnc'))!;
        await writePoint(cnc.client, cnc.config.unitId, cnc.points.find((p) => p.key === 'feed_override')!, 90 + (second % 7));
        writes++;
      }
      if (second % 90 === 0) {
        const ip = '10.20.0.15';
        if (second % 270 === 0) monitor.observe({ kind: 'platform', ts: factory.now(), tenantId, action: 'auth.login', outcome: 'failure', actor: 'demo-operator', ip });
        monitor.observe({ kind: 'platform', ts: factory.now() + 1, tenantId, action: 'auth.login', outcome: 'success', actor: 'demo-operator', ip });
      }
    }
    await Promise.all(machines.map((m) => m.client.close()));
    await monitor.flush();
    expect(reads).toBeGreaterThan(600 * machines.length);
    expect(writes).toBe(5);
    // Every guard saw its machine's traffic, all of it matched request to response.
    for (const g of monitor.guards()) expect(g.stats.transactions).toBeGreaterThanOrEqual(600);
    expect(monitor.baseline.state(tenantId).mode).toBe('enforcing');
    expect(monitor.engine.stats().observations).toBeGreaterThan(600 * machines.length);
    const events = await monitor.events.list(allTenants, { limit: 100 });
    expect(events.map((e) => `${e.ruleId} ${e.titleEn} from ${e.source.ip}`)).toEqual([]);
  }, 240_000);
});
