import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModbusDevice, modbusDeviceSchema, openSampleBuffer } from '@yulian/gateway';
import { createModbusTcpClient } from '@yulian/protocols';
import type { BenchResult } from './types.js';

/** Starts `count` Modbus TCP servers in a child process, so their CPU is not counted here. */
async function startDevices(count: number): Promise<{ ports: number[]; stop(): void }> {
  const child = fork(fileURLToPath(new URL('./modbus-farm.js', import.meta.url)), [String(count)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise<number[]>((resolve, reject) => {
    child.once('message', (m) => resolve(m as number[]));
    child.once('exit', (code) => reject(new Error(`device farm exited with ${code}`)));
  });
  return { ports, stop: () => child.kill('SIGTERM') };
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * (a) 100 Modbus devices × 100 holding registers polled every second: the full gateway path (poller,
 * planner, decoding, samples into the disk buffer) against, in the same run, a bare loop of the
 * client reading the same registers without making samples. Both are paced at 1 s, so the figure to
 * compare is CPU time per sample; the ratio is bare CPU ÷ gateway CPU (1.0 = the gateway adds nothing).
 */
export async function benchGateway(options: { rows?: number } = {}): Promise<BenchResult> {
  const devices = 100;
  const registers = 100;
  const seconds = options.rows ? Math.max(3, Math.round(options.rows)) : 10;
  const farm = await startDevices(devices);
  const dir = mkdtempSync(join(tmpdir(), 'yulian-bench-gateway-'));
  try {
    // Baseline: one FC3 read of 100 registers per device per second, nothing else.
    const clients = farm.ports.map((port) => createModbusTcpClient({ host: '127.0.0.1', port }));
    let bareRegisters = 0;
    let cpu0 = cpuSeconds();
    let t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      const started = performance.now();
      const answers = await Promise.all(clients.map((c) => c.request(1, { fc: 3, address: 0, count: registers })));
      for (const a of answers) if (a.kind === 'registers') bareRegisters += a.values.length;
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - started))));
    }
    const bareCpu = cpuSeconds() - cpu0;
    const bareWall = (performance.now() - t0) / 1000;
    await Promise.all(clients.map((c) => c.close()));

    // The gateway: pollers → samples → disk buffer.
    const buffer = openSampleBuffer({ path: join(dir, 'buffer.db'), maxBytes: 2 ** 30 });
    let samples = 0;
    let good = 0;
    const pollers = farm.ports.map((port, i) =>
      createModbusDevice(
        modbusDeviceSchema.parse({
          id: `dev-${i}`,
          protocol: 'modbus-tcp',
          host: '127.0.0.1',
          port,
          pollIntervalMs: 1000,
          points: Array.from({ length: registers }, (_, r) => ({ key: `r${r}`, dataType: 'uint16', multiplier: 0.1, modbus: { table: 'holding', address: r } })),
        }),
        {
          onSamples: (s) => {
            buffer.append(s);
            samples += s.length;
            for (const x of s) if (x.quality === 'good') good++;
          },
        },
      ),
    );
    const rss0 = process.memoryUsage().rss;
    cpu0 = cpuSeconds();
    t0 = performance.now();
    for (const p of pollers) p.start();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    await Promise.all(pollers.map((p) => p.stop()));
    const gatewayCpu = cpuSeconds() - cpu0;
    const gatewayWall = (performance.now() - t0) / 1000;
    const rss = process.memoryUsage().rss;
    const overruns = pollers.reduce((n, p) => n + (p.status().counters.overruns ?? 0), 0);
    buffer.close();
    if (good !== samples) throw new Error(`${samples - good} samples were not good`);

    const gatewayPerSample = gatewayCpu / samples;
    const barePerSample = bareCpu / bareRegisters;
    return {
      name: 'gateway',
      description: `(a) ${devices} Modbus TCP devices × ${registers} registers every 1 s for ${seconds} s (devices in a child process); overruns ${overruns}; RSS ${Math.round(rss / 2 ** 20)} MiB (+${Math.round((rss - rss0) / 2 ** 20)} MiB)`,
      measured: { label: `gateway (poll, decode, samples → disk buffer): CPU ${((gatewayCpu / gatewayWall) * 100).toFixed(1)} % of a core, ${(gatewayPerSample * 1e6).toFixed(2)} µs CPU/sample`, rate: samples / gatewayWall, unit: 'samples/s', seconds: gatewayWall },
      baseline: { label: `bare client reads: CPU ${((bareCpu / bareWall) * 100).toFixed(1)} % of a core, ${(barePerSample * 1e6).toFixed(2)} µs CPU/register`, rate: bareRegisters / bareWall, unit: 'registers/s', seconds: bareWall },
      ratio: barePerSample / gatewayPerSample,
    };
  } finally {
    farm.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
