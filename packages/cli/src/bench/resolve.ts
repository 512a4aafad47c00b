import { type ChildProcess, fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@yulian/core';
import { type HandleServer, type RecordStore, createHandleService, createRecordStore, startHandleServer, udpReceiveBuffer } from '@yulian/identifier';
import { OpCode, OpFlag, type SiteInfo, decodeFrame, encodeMessage, encodeResolutionRequest, encodeValues, splitForUdp } from '@yulian/protocols';
import { freshStore } from './fresh-store.js';
import { benchHandle, benchValues } from './register-records.js';
import type { LoadgenSettings, RunOptions, RunResult } from './resolve-loadgen.js';
import type { BenchResult } from './types.js';

/** How the bench loads a server: outstanding requests, warm-up and timed period. */
export const resolveLoad = { window: 512, warmupMs: 2_000, durationMs: 10_000, lossMs: 200, unknownShare: 0.03, packets: 200_000 };

const site: SiteInfo = {
  version: 1, protocolMajor: 2, protocolMinor: 10, serial: 1, flags: 0x80, hashOption: 0, hashFilter: Buffer.alloc(0), attributes: [{ name: 'desc', value: 'bench node' }],
  servers: [{ id: 1, address: '127.0.0.1', publicKey: Buffer.alloc(0), interfaces: [{ type: 3, protocol: 0, port: 2641 }, { type: 3, protocol: 1, port: 2641 }] }],
};

/** Forks the load generator and waits until its request packets are encoded. */
async function startLoadgen(settings: LoadgenSettings): Promise<{ child: ChildProcess; run(o: RunOptions): Promise<RunResult> }> {
  const child = fork(fileURLToPath(new URL('./resolve-loadgen.js', import.meta.url)), [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<{ type: string; message?: string } & RunResult> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`bench load generator exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as { type: string; message?: string } & RunResult);
      });
    });
  await next();
  return {
    child,
    async run(o) {
      const done = next();
      child.send({ type: 'run', ...o });
      const r = await done;
      if (r.type !== 'done') throw new Error(`bench load generator failed: ${r.message}`);
      return r;
    },
  };
}

/** The baseline: a bare dgram server answering every packet with one fixed reply, its request id patched in. */
async function bareUdpServer(reply: Buffer): Promise<{ port: number; close(): Promise<void> }> {
  // The node's receive buffer, so that both drop (or keep) the same bursts.
  const udp = createSocket({ type: 'udp4', recvBufferSize: udpReceiveBuffer });
  udp.on('message', (packet, rinfo) => {
    if (packet.length < 12) return;
    const out = Buffer.allocUnsafe(reply.length);
    reply.copy(out);
    packet.copy(out, 8, 8, 12);
    udp.send(out, rinfo.port, rinfo.address);
  });
  const port = await new Promise<number>((resolve) => udp.bind(0, '127.0.0.1', () => resolve(udp.address().port)));
  return { port, close: () => new Promise<void>((resolve) => udp.close(() => resolve())) };
}

type Side = 'node' | 'bare';
type Loadgen = Awaited<ReturnType<typeof startLoadgen>>;
/** One side's rounds summed up: mean rate, the worse round's percentiles, CPU per request. */
interface SideSummary {
  rate: number;
  seconds: number;
  p50: number;
  p99: number;
  lost: number;
  checked: number;
  cpuUs: number;
  rounds: string;
}
const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** Registers products 1 … rows through `insertMany`, values encoded per row, in batches of 10,000. Timed. */
async function registerAll(records: RecordStore, rows: number): Promise<{ seconds: number; valueBytes: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  let bytes = 0;
  let seconds = 0;
  for (let from = 1; from <= rows; from += 10_000) {
    const batch: Array<readonly [string, Buffer]> = [];
    const t0 = performance.now();
    for (let n = from; n < from + 10_000 && n <= rows; n++) {
      const vals = encodeValues(benchValues(n, timestamp));
      bytes += vals.length;
      batch.push([benchHandle(n), vals]);
    }
    const { inserted } = await records.insertMany(batch);
    seconds += (performance.now() - t0) / 1000;
    if (inserted !== batch.length) throw new Error(`registered ${inserted} of ${batch.length}`);
  }
  return { seconds, valueBytes: bytes / rows };
}

/** Runs the rounds (bare, node, node, bare, …) and sums each side up; throws on a wrong answer. */
async function runRounds(loadgen: Loadgen, ports: Record<Side, number>, load: typeof resolveLoad, rounds: number): Promise<Record<Side, SideSummary>> {
  const results: Record<Side, Array<RunResult & { cpuUs: number }>> = { node: [], bare: [] };
  const order: Side[] = [];
  for (let r = 0; r < rounds; r++) order.push(...(r % 2 === 0 ? (['bare', 'node'] as const) : (['node', 'bare'] as const)));
  for (const side of order) {
    // Both servers run in this process: its CPU time during a run is the server's.
    const cpu0 = process.cpuUsage();
    const r = await loadgen.run({ port: ports[side], window: load.window, warmupMs: load.warmupMs, durationMs: load.durationMs, lossMs: load.lossMs, verify: side === 'node' });
    if (r.wrong.length) throw new Error(`wrong answers from the ${side} server: ${r.wrong.join('; ')}`);
    if (side === 'node' && r.checked === 0) throw new Error('no answer of the node was checked');
    const cpu = process.cpuUsage(cpu0);
    const run = { ...r, cpuUs: (cpu.user + cpu.system) / r.total };
    if (process.env['YULIAN_BENCH_DEBUG']) process.stderr.write(`${side}: ${JSON.stringify(run)}\n`);
    results[side].push(run);
  }
  const summary = (rs: Array<RunResult & { cpuUs: number }>): SideSummary => {
    const rates = rs.map((r) => r.answered / r.seconds);
    const sum = (f: (r: RunResult & { cpuUs: number }) => number): number => rs.reduce((a, r) => a + f(r), 0);
    return {
      rate: rates.reduce((a, b) => a + b, 0) / rs.length,
      seconds: sum((r) => r.seconds),
      p50: Math.max(...rs.map((r) => r.p50Ms)),
      p99: Math.max(...rs.map((r) => r.p99Ms)),
      lost: sum((r) => r.lost),
      checked: sum((r) => r.checked),
      cpuUs: sum((r) => r.cpuUs) / rs.length,
      rounds: rates.map(fmt).join(' / '),
    };
  };
  return { node: summary(results.node), bare: summary(results.bare) };
}

/**
 * `yulian bench resolve`: `rows` identifiers (default 1,000,000) registered through `insertMany` into a
 * fresh SQLite store, then Handle resolutions over UDP from a load generator in a child process against
 * the node (`createHandleService` + `startHandleServer`, in this process) and, in the same run, a bare
 * dgram server (in this process too) answering every packet with a fixed reply of a real answer's size.
 * Rounds alternate bare, node, node, bare; rates are averaged per side, percentiles are the worse round's.
 */
export async function benchResolve(options: { rows?: number; rounds?: number; load?: Partial<typeof resolveLoad> } = {}): Promise<BenchResult[]> {
  const rows = options.rows ?? 1_000_000;
  const rounds = options.rounds ?? 2;
  const load = { ...resolveLoad, ...options.load };
  const { store, cleanup } = await freshStore('sqlite', 'resolve');
  let loadgen: Loadgen | undefined;
  let server: HandleServer | undefined;
  let bare: Awaited<ReturnType<typeof bareUdpServer>> | undefined;
  try {
    // Registration, timed: it doubles as a bulk-registration figure (values encoded per row).
    const records = createRecordStore(store);
    const registered = await registerAll(records, rows);
    loadgen = await startLoadgen({ stored: rows, packets: load.packets, unknownShare: load.unknownShare });
    const service = createHandleService({ lookup: records.getSync ?? records.get, site });
    // The load generator is one source: the per-source limit (2,000/s by default) is lifted for the bench.
    server = await startHandleServer({ service, logger: silentLogger(), host: '127.0.0.1', port: 0, rate: { perSecond: 1e9, burst: 1e9 } });
    // The bare server's reply: a real answer of the node (a typical product), so both send as many bytes.
    const sample = await service.answer(decodeFrame(sampleRequest(benchHandle(2))));
    const [reply, ...more] = splitForUdp({ requestId: 1 }, sample.message);
    if (!reply || more.length) throw new Error(`a typical answer takes ${more.length + 1} UDP packets: the bench's records are too large`);
    bare = await bareUdpServer(reply);

    const { node, bare: base } = await runRounds(loadgen, { node: server.port, bare: bare.port }, load, rounds);
    const stats = server.stats();
    if (stats.rateLimited) throw new Error(`${stats.rateLimited} requests were rate-limited: the bench must lift the per-source limit`);
    const absolute = 30_000;
    // TODO(issue 5, HTTP half): once the Handle.Net-compatible HTTP API exists, add a second result here:
    // GET /api/handles/<identifier> on the platform's Fastify server against a bare Fastify route answering
    // a fixed JSON body of the same size, both loaded over keep-alive HTTP/1.1 from this load generator.
    return [
      {
        name: 'resolve (UDP)',
        description:
          `${rows.toLocaleString('en')} identifiers on SQLite (${Math.round(registered.valueBytes)} B of values each, registered at ${fmt(rows / registered.seconds)}/s through insertMany), ` +
          `Handle resolutions over UDP from a child process, ${load.window} outstanding, ${load.warmupMs / 1000} s warm-up + ${load.durationMs / 1000} s timed per round, ` +
          `${rounds * 2} rounds alternating; ${load.unknownShare * 100} % unknown identifiers; per-source rate limit lifted (1e9/s); answers ${reply.length} B; ` +
          `${node.checked} answers decoded and checked, every RC checked; CPU per request bare ÷ node ${(base.cpuUs / node.cpuUs).toFixed(2)}; absolute target ≥ ${fmt(absolute)}/s: ${node.rate >= absolute ? 'met' : 'NOT met'}`,
        measured: {
          label: `Yulian node (service + startHandleServer), p50 ${node.p50.toFixed(2)} ms, p99 ${node.p99.toFixed(2)} ms, ${node.cpuUs.toFixed(1)} µs CPU/request, ${node.lost} lost; rounds ${node.rounds}`,
          rate: node.rate,
          unit: 'resolutions/s',
          seconds: node.seconds,
        },
        baseline: {
          label: `bare dgram server, fixed reply, p50 ${base.p50.toFixed(2)} ms, p99 ${base.p99.toFixed(2)} ms, ${base.cpuUs.toFixed(1)} µs CPU/reply, ${base.lost} lost; rounds ${base.rounds}`,
          rate: base.rate,
          unit: 'replies/s',
          seconds: base.seconds,
        },
        ratio: node.rate / base.rate,
        target: 0.5,
      },
    ];
  } finally {
    loadgen?.child.kill();
    await server?.close();
    await bare?.close();
    await cleanup();
  }
}

/** A one-packet resolution request for `handle` (request id 1). */
function sampleRequest(handle: string): Buffer {
  return encodeMessage(
    { requestId: 1 },
    { opCode: OpCode.RESOLUTION, responseCode: 0, opFlag: OpFlag.RECU | OpFlag.CACR | OpFlag.PUBL, siteInfoSerial: -1, recursionCount: 0, expiration: Math.floor(Date.now() / 1000) + 3600 },
    encodeResolutionRequest(handle),
  );
}
