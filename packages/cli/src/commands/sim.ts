import { createLogger } from '@yulian/core';
import { startVirtualFactory } from '@yulian/sim';
import type { Command } from 'commander';

/** `yulian sim`: the virtual factory alone, for a gateway (or any Modbus client) to poll. */
export function simCommand(program: Command): void {
  program
    .command('sim')
    .description('run the virtual factory alone: 6 CNC machines and 2 air compressors as Modbus TCP servers')
    .option('--host <address>', 'listen address (default :: = dual-stack)', '::')
    .option('--base-port <port>', 'first port; devices take consecutive ports (default 0 = free ports)', '0')
    .option('--seed <n>', 'seed of the simulation: the same seed gives the same signals', '2021')
    .action(async (flags: { host: string; basePort: string; seed: string }) => {
      const seed = Number(flags.seed);
      const basePort = Number(flags.basePort);
      if (!Number.isInteger(seed) || !Number.isInteger(basePort) || basePort < 0 || basePort > 65535) {
        process.stderr.write('yulian sim: --seed must be an integer and --base-port 0–65535\n');
        process.exit(2);
      }
      let factory;
      try {
        factory = await startVirtualFactory({ seed, host: flags.host, basePort, logger: createLogger({ level: 'warn' }) });
      } catch (e) {
        process.stderr.write(`yulian sim: cannot start: ${(e as Error).message}\n`);
        process.exit(1);
      }
      const lines = factory.devices().map((d) => `  ${d.id.padEnd(14)} ${d.name.zh} · ${d.name.en}   modbus-tcp ${flags.host}:${d.port} unit 1, ${d.points.length} points`);
      process.stdout.write(`渝联 virtual factory (seed ${seed}) is running:\n${lines.join('\n')}\nStop with Ctrl+C.\n`);
      const stop = (): void => void factory.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
