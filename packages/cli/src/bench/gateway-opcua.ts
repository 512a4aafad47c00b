import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpcuaDevice, opcuaClientCertificate, opcuaDeviceSchema } from '@yulian/gateway';
import { AttributeIds, ClientMonitoredItemGroup, OPCUACertificateManager, OPCUAClient, TimestampsToReturn } from 'node-opcua';
import type { BenchResult } from './types.js';

const items = 10_000;
const publishingIntervalMs = 100;
const samplingIntervalMs = 100;

/** Starts the server with `count` variables in a child process, so that its CPU is not counted here. */
async function startFarm(count: number, pkiDir: string): Promise<{ endpointUrl: string; stop(): void }> {
  const child = fork(fileURLToPath(new URL('./opcua-farm.js', import.meta.url)), [String(count), pkiDir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(m as number));
    child.once('exit', (code) => reject(new Error(`OPC UA farm exited with ${code}`)));
  });
  return { endpointUrl: `opc.tcp://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/** The minimum a client does: connect, session, one subscription, all items in one ClientMonitoredItemGroup (one CreateMonitoredItems). */
async function bareStartup(endpointUrl: string, cm: OPCUACertificateManager): Promise<number> {
  const started = performance.now();
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm });
  await client.connect(endpointUrl);
  const session = await client.createSession();
  try {
    const subscription = await session.createSubscription2({ requestedPublishingInterval: publishingIntervalMs, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 60, publishingEnabled: true, maxNotificationsPerPublish: 0 });
    const seen = new Uint8Array(items);
    let got = 0;
    await new Promise<void>((resolve) => {
      const group = ClientMonitoredItemGroup.create(
        subscription,
        Array.from({ length: items }, (_, i) => ({ nodeId: `ns=1;s=v${i}`, attributeId: AttributeIds.Value })),
        { samplingInterval: samplingIntervalMs, queueSize: 1, discardOldest: true },
        TimestampsToReturn.Both,
      );
      group.on('changed', (_item, _value, index: number) => {
        if (seen[index]) return;
        seen[index] = 1;
        if (++got === items) resolve();
      });
    });
    return (performance.now() - started) / 1000;
  } finally {
    await session.close(true);
    await client.disconnect();
  }
}

/** The driver: `createOpcuaDevice(...).start()` until every point has delivered its first good value. */
async function driverStartup(endpointUrl: string, pkiDir: string): Promise<number> {
  const config = opcuaDeviceSchema.parse({
    id: 'farm',
    protocol: 'opcua',
    endpointUrl,
    publishingIntervalMs,
    samplingIntervalMs,
    points: Array.from({ length: items }, (_, i) => ({ key: `v${i}`, dataType: 'float64', opcua: { nodeId: `ns=1;s=v${i}` } })),
  });
  const seen = new Set<string>();
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const device = createOpcuaDevice(config, {
    pkiDir,
    onSamples: (samples) => {
      for (const s of samples) if (s.quality === 'good') seen.add(s.point);
      if (seen.size === items) done();
    },
  });
  const started = performance.now();
  device.start();
  try {
    await all;
    return (performance.now() - started) / 1000;
  } finally {
    await device.stop();
  }
}

/**
 * Start-up of 10,000 OPC UA monitored items (server with 10,000 Double variables in a child process,
 * publishing and sampling every 100 ms): from `createOpcuaDevice(...).start()` until the first value of
 * every point has arrived as a sample, against, in the same run, a bare node-opcua client doing the
 * minimum (connect, session, one subscription, one ClientMonitoredItemGroup of all 10,000 items). Both
 * sides have their certificates made beforehand; each runs three times alternately and the best run
 * counts. ratio = driver items/s ÷ bare items/s.
 */
export async function benchOpcuaStartup(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'yulian-bench-opcua-'));
  const farm = await startFarm(items, join(dir, 'server-pki'));
  const cm = new OPCUACertificateManager({ rootFolder: join(dir, 'bare-pki'), automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
  try {
    // Certificates and key pairs made, and node-opcua warmed up, before anything is timed.
    const pkiDir = join(dir, 'gateway-pki');
    await opcuaClientCertificate(pkiDir);
    const warm = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm });
    await warm.connect(farm.endpointUrl);
    await warm.disconnect();
    const bare: number[] = [];
    const driver: number[] = [];
    for (let run = 0; run < 3; run++) {
      bare.push(await bareStartup(farm.endpointUrl, cm));
      driver.push(await driverStartup(farm.endpointUrl, pkiDir));
    }
    const bareSeconds = Math.min(...bare);
    const driverSeconds = Math.min(...driver);
    const fmt = (runs: number[]): string => runs.map((s) => s.toFixed(2)).join(' / ');
    return {
      name: 'gateway-opcua',
      description: `start-up of ${items.toLocaleString('en')} OPC UA monitored items (server in a child process, publishing/sampling ${publishingIntervalMs} ms; best of 3)`,
      measured: { label: `createOpcuaDevice: start() → first value of every point (batches of 1000, 4 in flight; runs ${fmt(driver)} s)`, rate: items / driverSeconds, unit: 'items/s', seconds: driverSeconds },
      baseline: { label: `bare node-opcua client: connect, session, one subscription, one group of ${items} items (runs ${fmt(bare)} s)`, rate: items / bareSeconds, unit: 'items/s', seconds: bareSeconds },
      ratio: bareSeconds / driverSeconds,
    };
  } finally {
    farm.stop();
    await cm.dispose().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
