// `yulian bench pcap [--size 64m|1g]`: passive capture analysis (issue 7). Writes a capture of Modbus
// polling (see pcap-capture.ts) to a temp dir, analyses it with @yulian/security in a child process
// (streamed from disk: packets, Modbus transactions and MiB per CPU second, peak RSS) and, in the same run, with
// tshark doing the equivalent work — `tshark -n -r <file> -Y mbtcp -T fields -e mbtcp.trans_id -e
// modbus.func_code`: every packet dissected, TCP reassembled, one line per Modbus PDU — whose lines are
// counted as they stream. The ratios are Yulian ÷ tshark, per CPU second of each.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePollingCapture } from './pcap-capture.js';
import type { BenchResult } from './types.js';

/** Parses 64m, 1g, 500k or a byte count. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw new Error(`--size: expected a size such as 64m or 1g, got "${text}"`);
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

interface Worker {
  seconds: number;
  cpuSeconds: number;
  packets: number;
  bytes: number;
  transactions: number;
  pdus: number;
  anomalies: number;
  maxRssBytes: number;
}

function runYulian(file: string): Worker {
  const worker = fileURLToPath(new URL('./pcap-worker.js', import.meta.url));
  const r = spawnSync(process.execPath, [worker, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`pcap worker failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Worker;
}

/**
 * Runs tshark on the file, counting its output lines as they stream; its CPU time from bash's `times`
 * (children's user and system time), its peak RSS from /proc.
 */
async function runTshark(file: string): Promise<{ seconds: number; cpuSeconds: number; lines: number; maxRssBytes: number }> {
  const started = performance.now();
  const script = 'tshark -n -r "$1" -Y mbtcp -T fields -e mbtcp.trans_id -e modbus.func_code 2>/dev/null; s=$?; times >&2; exit $s';
  const child = spawn('bash', ['-c', script, 'bench-pcap', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let times = '';
  child.stderr.on('data', (chunk: Buffer) => (times += chunk.toString()));
  let lines = 0;
  let maxRssBytes = 0;
  const sample = (): void => {
    try {
      // bash's child: tshark.
      const pid = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0];
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) maxRssBytes = Math.max(maxRssBytes, Number(hwm[1]) * 1024);
    } catch {
      // Not started yet, or gone.
    }
  };
  const timer = setInterval(sample, 100);
  child.stdout.on('data', (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`tshark exited with ${code}`);
  // `times` prints the shell's own times, then its children's: "0m1.234s 0m0.123s".
  const children = times.trim().split('\n').at(-1) ?? '';
  const cpuSeconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds, lines, maxRssBytes };
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The pcap bench: Yulian's capture analysis against tshark on the same capture. */
export async function benchPcap(options: { rows?: number; size?: string } = {}): Promise<BenchResult[]> {
  const target = options.size ? parseSize(options.size) : 64 * 2 ** 20;
  if (!existsSync('/usr/bin/tshark') && spawnSync('tshark', ['-v']).status !== 0) throw new Error('the pcap bench compares with tshark: install it (apt-get install tshark)');
  const dir = mkdtempSync(join(tmpdir(), 'yulian-bench-pcap-'));
  try {
    const file = join(dir, 'polling.pcap');
    const w0 = performance.now();
    const written = writePollingCapture(file, target);
    process.stderr.write(`bench pcap: wrote ${mb(written.bytes)} (${written.packets.toLocaleString('en')} packets, ${written.transactions.toLocaleString('en')} transactions) in ${((performance.now() - w0) / 1000).toFixed(1)} s\n`);
    const y = runYulian(file);
    // tshark keeps every frame's state, so its memory grows with the capture (600 MiB for 64 MiB): above
    // 256 MiB it is not run, and the bench reports Yulian's figures and peak RSS alone.
    const t = target <= 256 * 2 ** 20 ? await runTshark(file) : { seconds: Number.NaN, cpuSeconds: Number.NaN, lines: Number.NaN, maxRssBytes: Number.NaN };
    // Rates are per CPU second (user + system) of each side: other work on the machine changes wall
    // time, not CPU time. Wall times are printed too.
    const details = [
      `wall: Yulian ${y.seconds.toFixed(1)} s, tshark ${t.seconds.toFixed(1)} s`,
      `Yulian ${(y.bytes / 2 ** 20 / y.cpuSeconds).toFixed(1)} MiB and ${Math.round(y.transactions / y.cpuSeconds).toLocaleString('en')} transactions per CPU s, peak RSS ${mb(y.maxRssBytes)}`,
      Number.isNaN(t.seconds) ? 'tshark not run above 256 MiB' : `tshark ${(y.bytes / 2 ** 20 / t.cpuSeconds).toFixed(1)} MiB per CPU s, peak RSS ${mb(t.maxRssBytes)}`,
      `Modbus PDUs: Yulian ${y.pdus.toLocaleString('en')}, tshark ${t.lines.toLocaleString('en')}; anomalies ${y.anomalies}`,
    ];
    process.stderr.write(`bench pcap: ${details.join('; ')}\n`);
    const description = `a ${mb(y.bytes)} capture of Modbus polling (${y.packets.toLocaleString('en')} packets, ${y.transactions.toLocaleString('en')} transactions) — ${details.join('; ')}`;
    return [
      {
        name: 'pcap',
        description: `packets decoded per second, ${description}`,
        measured: { label: 'yulian analyzeCapture', rate: y.packets / y.cpuSeconds, unit: 'packets per CPU s', seconds: y.cpuSeconds },
        baseline: { label: 'tshark -Y mbtcp -T fields', rate: y.packets / t.cpuSeconds, unit: 'packets per CPU s', seconds: t.cpuSeconds },
        ratio: t.cpuSeconds / y.cpuSeconds,
      },
      {
        name: 'pcap-modbus',
        description: 'Modbus PDUs (requests and responses) decoded per second on the same capture; Yulian also pairs them into transactions',
        measured: { label: 'yulian analyzeCapture', rate: y.pdus / y.cpuSeconds, unit: 'PDUs per CPU s', seconds: y.cpuSeconds },
        baseline: { label: 'tshark -Y mbtcp -T fields', rate: t.lines / t.cpuSeconds, unit: 'PDUs per CPU s', seconds: t.cpuSeconds },
        ratio: y.pdus / y.cpuSeconds / (t.lines / t.cpuSeconds),
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
