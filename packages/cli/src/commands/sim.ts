import { createLogger } from '@yulian/core';
import type { Command } from 'commander';

/** `yulian sim`: the virtual factory alone, for a gateway (or any Modbus client) to poll. */
export function simCommand(program: Command): void {
  program
    .command('sim')
    .description('run the virtual factory alone: 6 CNC machines and 2 air compressors as Modbus TCP servers, a paint line as an OPC UA server')
    .option('--host <address>', 'listen address (default :: = dual-stack)', '::')
    .option('--base-port <port>', 'first port; devices take consecutive ports (default 0 = free ports)', '0')
    .option('--opcua-port <port>', 'the paint line\'s OPC UA port (default 0 = a free port)', '0')
    .option('--seed <n>', 'seed of the simulation: the same seed gives the same signals', '2021')
    .option('--fault <device:kind[:point]>', 'inject a fault at start (repeatable); kinds: bearing-wear, imbalance, misalignment, overheating, sensor-drift, stuck-value, comm-loss', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (flags: { host: string; basePort: string; opcuaPort: string; seed: string; fault: string[] }) => {
      const seed = Number(flags.seed);
      const basePort = Number(flags.basePort);
      if (!Number.isInteger(seed) || !Number.isInteger(basePort) || basePort < 0 || basePort > 65535) {
        process.stderr.write('yulian sim: --seed must be an integer and --base-port 0–65535\n');
        process.exit(2);
      }
      // Loaded here: the factory's OPC UA paint line pulls in node-opcua, seconds other commands need not pay.
      const { faultKinds, faultSpecSchema, startVirtualFactory } = await import('@yulian/sim');
      const logger = createLogger({ level: 'warn' });
      (await import('@yulian/gateway')).routeOpcuaLogs(logger);
      let factory;
      try {
        factory = await startVirtualFactory({ seed, host: flags.host, basePort, opcuaPort: Number(flags.opcuaPort) || 0, logger });
      } catch (e) {
        process.stderr.write(`yulian sim: cannot start: ${(e as Error).message}\n`);
        process.exit(1);
      }
      for (const f of flags.fault) {
        const [device = '', kind, point] = f.split(':');
        const spec = faultSpecSchema.safeParse({ kind, ...(point ? { point } : {}) });
        if (!spec.success) {
          process.stderr.write(`yulian sim: --fault ${f}: kind must be one of ${faultKinds.join(', ')}\n`);
          await factory.close();
          process.exit(2);
        }
        try {
          await factory.injectFault(device, spec.data);
        } catch (e) {
          process.stderr.write(`yulian sim: --fault ${f}: ${(e as Error).message}\n`);
          await factory.close();
          process.exit(2);
        }
      }
      const lines = factory.devices().map((d) => `  ${d.id.padEnd(14)} ${d.name.zh} · ${d.name.en}   modbus-tcp ${flags.host}:${d.port} unit 1, ${d.points.length} points`);
      lines.push(`  ${'paint-line-1'.padEnd(14)} 涂装线 · Paint line   opcua ${factory.opcuaEndpointUrl} (security None, anonymous)`);
      process.stdout.write(`渝联 virtual factory (seed ${seed}) is running:\n${lines.join('\n')}\n${flags.fault.length ? `faults: ${flags.fault.join(', ')}\n` : ''}Stop with Ctrl+C.\n`);
      const stop = (): void => void factory.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
