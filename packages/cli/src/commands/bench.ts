import { arch, cpus, totalmem } from 'node:os';
import type { Command } from 'commander';
import { benchmarks, formatBench } from '../bench/index.js';

/** `yulian bench <name>`: runs a benchmark and its baseline in one run, prints both rates and the ratio. */
export function benchCommand(program: Command): void {
  program
    .command('bench')
    .description(`run a benchmark against its baseline (${Object.keys(benchmarks).join(', ')})`)
    .argument('[name]', 'benchmark name; all when omitted')
    .option('--rows <n>', 'rows or operations (default per benchmark)')
    .option('--json', 'print the result as JSON')
    .option('--size <size>', 'capture size for the pcap bench, e.g. 64m or 1g')
    .action(async (name: string | undefined, flags: { rows?: string; json?: boolean; size?: string }) => {
      const names = name ? [name] : Object.keys(benchmarks);
      for (const n of names) {
        const bench = benchmarks[n];
        if (!bench) {
          process.stderr.write(`yulian bench: no benchmark "${n}"; known: ${Object.keys(benchmarks).join(', ')}\n`);
          process.exit(2);
        }
        const out = await (await bench())({ ...(flags.rows ? { rows: Number(flags.rows) } : {}), ...(flags.size ? { size: flags.size } : {}) });
        const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${arch()}, Node ${process.version}`;
        for (const result of Array.isArray(out) ? out : [out]) {
          process.stdout.write(flags.json ? `${JSON.stringify({ ...result, machine, date: new Date().toISOString() })}\n` : `${formatBench(result)}\n  machine ${machine}, ${new Date().toISOString()}\n`);
        }
      }
    });
}
