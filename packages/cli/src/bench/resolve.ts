import { type ChildProcess, fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@yulian/core';
import { type HandleServer, type RecordStore, createHandleService, createRecordStore, startHandleServer, udpReceiveBuffer } from '@yulian/identifier';
import { OpCode, OpFlag, type SiteInfo, decodeFrame, encodeMessage, encodeResolutionRequest, encodeValues, splitForUdp } from '@yulian/protocols';
import { freshStore } from './fresh-store.js';
import { benchHandle, benchValues } from './register-records.js';
import type { HttpLoadgenSettings, HttpRunOptions, HttpRunResult } from './resolve-http-loadgen.js';
import { type BenchHttpServer, resolveHttpLoad, startBareHttp, startNodeHttp, typicalAnswer } from './resolve-http.js';
import type { LoadgenSettings, RunOptions, RunResult } from './resolve-loadgen.js';
import type { BenchResult } from './types.js';

/** How the bench loads a server: outstanding requests, warm-up and timed period. */
export const resolveLoad = { window: 512, warmupMs: 2_000, durationMs: 10_000, lossMs: 200, unknownShare: 0.03, packets: 200_000 };

const site: SiteInfo = {
  version: 1, protocolMajor: 2, protocolMinor: 10, serial: 1, flags: 0x80, hashOption: 0, hashFilter: Buffer.alloc(0), attributes: [{ name: 'desc', value: 'bench node' }],
  servers: [{ id: 1, address: '127.0.0.1', publicKey: Buffer.alloc(0), interfaces: [{ type: 3, protocol: 0, port: 2641 }, { type: 3, protocol: 1, port: 2641 }] }],
};

/** A forked load generator: runs one measured run at a time. */
interface Loadgen<Options, Result> {
  child: ChildProcess;
  run(o: Options): Promise<Result>;
}

/** Forks a load generator (`script`, next to this file) and waits until its requests are encoded. */
async function startLoadgen<Settings, Options, Result>(script: string, settings: Settings): Promise<Loadgen<Options, Result>> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<{ type: string; message?: string } & Result> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`bench load generator exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as { type: string; message?: string } & Result);
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
/** What a round reports, over UDP (RunResult) or HTTP (HttpRunResult). */
interface RoundResult {
  answered: number;
  total: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  checked: number;
  wrong: string[];
}
/** A round's result with the server's CPU time per answer. */
type Round<R extends RoundResult> = R & { cpuUs: number };
/** One side's rounds summed up: mean rate, the worse round's percentiles, CPU per request. */
interface SideSummary {
  rate: number;
  seconds: number;
  p50: number;
  p99: number;
  /** Requests without an answer: lost datagrams (UDP), errors (HTTP). */
  failed: number;
  checked: number;
  cpuUs: number;
  rounds: string;
}
const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** Registers products 1 … rows through `insertMany`, values encoded per row, in batches of 10,000. Timed. */
export async function registerAll(records: RecordStore, rows: number): Promise<{ seconds: number; valueBytes: number }> {
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

/** Runs the rounds (bare, node, node, bare, …) through `run`, with the server's CPU time of each; throws on a wrong answer. */
async function runRounds<R extends RoundResult>(rounds: number, run: (side: Side) => Promise<R>): Promise<Record<Side, Array<Round<R>>>> {
  const results: Record<Side, Array<Round<R>>> = { node: [], bare: [] };
  const order: Side[] = [];
  for (let r = 0; r < rounds; r++) order.push(...(r % 2 === 0 ? (['bare', 'node'] as const) : (['node', 'bare'] as const)));
  for (const side of order) {
    // Both servers run in this process: its CPU time during a run is the server's.
    const cpu0 = process.cpuUsage();
    const r = await run(side);
    if (r.wrong.length) throw new Error(`wrong answers from the ${side} server: ${r.wrong.join('; ')}`);
    if (side === 'node' && r.checked === 0) throw new Error('no answer of the node was checked');
    const cpu = process.cpuUsage(cpu0);
    const round = { ...r, cpuUs: (cpu.user + cpu.system) / r.total };
    if (process.env['YULIAN_BENCH_DEBUG']) process.stderr.write(`${side}: ${JSON.stringify(round)}\n`);
    results[side].push(round);
  }
  return results;
}

/** One side's rounds summed up; `failed` counts a round's requests without an answer. */
function summarize<R extends RoundResult>(rs: Array<Round<R>>, failed: (r: R) => number): SideSummary {
  const rates = rs.map((r) => r.answered / r.seconds);
  const sum = (f: (r: Round<R>) => number): number => rs.reduce((a, r) => a + f(r), 0);
  return {
    rate: rates.reduce((a, b) => a + b, 0) / rs.length,
    seconds: sum((r) => r.seconds),
    p50: Math.max(...rs.map((r) => r.p50Ms)),
    p99: Math.max(...rs.map((r) => r.p99Ms)),
    failed: sum(failed),
    checked: sum((r) => r.checked),
    cpuUs: sum((r) => r.cpuUs) / rs.length,
    rounds: rates.map(fmt).join(' / '),
  };
}

/** The UDP half's rounds against the node's and the bare server's ports. */
async function runUdpRounds(loadgen: Loadgen<RunOptions, RunResult>, ports: Record<Side, number>, load: typeof resolveLoad, rounds: number): Promise<Record<Side, SideSummary>> {
  const results = await runRounds(rounds, (side) =>
    loadgen.run({ port: ports[side], window: load.window, warmupMs: load.warmupMs, durationMs: load.durationMs, lossMs: load.lossMs, verify: side === 'node' }),
  );
  return { node: summarize(results.node, (r) => r.lost), bare: summarize(results.bare, (r) => r.lost) };
}

/**
 * `yulian bench resolve`: `rows` identifiers (default 1,000,000) registered through `insertMany` into a
 * fresh SQLite store, then two halves over that store, each against its baseline in the same run:
 * Handle resolutions over UDP (see {@link udpHalf}) and `GET /api/handles/<identifier>` over HTTP (see
 * {@link benchResolveHttp}), each from a load generator in a child process. Rounds alternate bare, node,
 * node, bare; rates are averaged per side, percentiles are the worse round's.
 * @example await benchResolve({ rows: 20_000, load: { durationMs: 2_000 }, http: { durationMs: 2_000 } })
 */
export async function benchResolve(
  options: { rows?: number; rounds?: number; load?: Partial<typeof resolveLoad>; http?: Partial<typeof resolveHttpLoad> } = {},
): Promise<BenchResult[]> {
  const rows = options.rows ?? 1_000_000;
  const rounds = options.rounds ?? 2;
  const { store, cleanup } = await freshStore('sqlite', 'resolve');
  try {
    // Registration, timed: it doubles as a bulk-registration figure (values encoded per row).
    const records = createRecordStore(store);
    const registered = await registerAll(records, rows);
    const udp = await udpHalf({ records, rows, registered, rounds, load: { ...resolveLoad, ...options.load } });
    const http = await benchResolveHttp({ records, rows, rounds, ...(options.http ? { load: options.http } : {}) });
    return [udp, http];
  } finally {
    await cleanup();
  }
}

/**
 * The UDP half: the node (`createHandleService` + `startHandleServer`, in this process) against a bare
 * dgram server (in this process too) answering every packet with a fixed reply of a real answer's size.
 */
async function udpHalf(o: { records: RecordStore; rows: number; registered: { seconds: number; valueBytes: number }; rounds: number; load: typeof resolveLoad }): Promise<BenchResult> {
  const { records, rows, registered, rounds, load } = o;
  let loadgen: Loadgen<RunOptions, RunResult> | undefined;
  let server: HandleServer | undefined;
  let bare: Awaited<ReturnType<typeof bareUdpServer>> | undefined;
  try {
    loadgen = await startLoadgen<LoadgenSettings, RunOptions, RunResult>('./resolve-loadgen.js', { stored: rows, packets: load.packets, unknownShare: load.unknownShare });
    const service = createHandleService({ lookup: records.getSync ?? records.get, site });
    // The load generator is one source: the per-source limit (2,000/s by default) is lifted for the bench.
    server = await startHandleServer({ service, logger: silentLogger(), host: '127.0.0.1', port: 0, rate: { perSecond: 1e9, burst: 1e9 } });
    // The bare server's reply: a real answer of the node (a typical product), so both send as many bytes.
    const sample = await service.answer(decodeFrame(sampleRequest(benchHandle(2))));
    const [reply, ...more] = splitForUdp({ requestId: 1 }, sample.message);
    if (!reply || more.length) throw new Error(`a typical answer takes ${more.length + 1} UDP packets: the bench's records are too large`);
    bare = await bareUdpServer(reply);

    const { node, bare: base } = await runUdpRounds(loadgen, { node: server.port, bare: bare.port }, load, rounds);
    const stats = server.stats();
    if (stats.rateLimited) throw new Error(`${stats.rateLimited} requests were rate-limited: the bench must lift the per-source limit`);
    const absolute = 30_000;
    return {
      name: 'resolve (UDP)',
      description:
        `${rows.toLocaleString('en')} identifiers on SQLite (${Math.round(registered.valueBytes)} B of values each, registered at ${fmt(rows / registered.seconds)}/s through insertMany), ` +
        `Handle resolutions over UDP from a child process, ${load.window} outstanding, ${load.warmupMs / 1000} s warm-up + ${load.durationMs / 1000} s timed per round, ` +
        `${rounds * 2} rounds alternating; ${load.unknownShare * 100} % unknown identifiers; per-source rate limit lifted (1e9/s); answers ${reply.length} B; ` +
        `${node.checked} answers decoded and checked, every RC checked; CPU per request bare ÷ node ${(base.cpuUs / node.cpuUs).toFixed(2)}; absolute target ≥ ${fmt(absolute)}/s: ${node.rate >= absolute ? 'met' : 'NOT met'}`,
      measured: {
        label: `Yulian node (service + startHandleServer), p50 ${node.p50.toFixed(2)} ms, p99 ${node.p99.toFixed(2)} ms, ${node.cpuUs.toFixed(1)} µs CPU/request, ${node.failed} lost; rounds ${node.rounds}`,
        rate: node.rate,
        unit: 'resolutions/s',
        seconds: node.seconds,
      },
      baseline: {
        label: `bare dgram server, fixed reply, p50 ${base.p50.toFixed(2)} ms, p99 ${base.p99.toFixed(2)} ms, ${base.cpuUs.toFixed(1)} µs CPU/reply, ${base.failed} lost; rounds ${base.rounds}`,
        rate: base.rate,
        unit: 'replies/s',
        seconds: base.seconds,
      },
      ratio: node.rate / base.rate,
      target: 0.5,
    };
  } finally {
    loadgen?.child.kill();
    await server?.close();
    await bare?.close();
  }
}

/**
 * The HTTP half of `yulian bench resolve`, over records of products 1 … `rows` (see {@link registerAll}):
 * `GET /api/handles/<identifier>` answered by `handlesApi` over `localBackend(records)` on Fastify, as
 * `yulian id-node --http-port` serves it, against a bare Fastify route answering a real answer's JSON,
 * pre-serialised; both in this process, loaded over keep-alive HTTP/1.1 connections from a child process.
 * No ratio target (the issue sets none). Throws on a wrong answer of either side.
 * @example await benchResolveHttp({ records, rows: 5_000, rounds: 1, load: { warmupMs: 200, durationMs: 800 } })
 */
export async function benchResolveHttp(o: { records: RecordStore; rows: number; rounds?: number; load?: Partial<typeof resolveHttpLoad> }): Promise<BenchResult> {
  const rounds = o.rounds ?? 2;
  const load = { ...resolveHttpLoad, ...o.load };
  let loadgen: Loadgen<HttpRunOptions, HttpRunResult> | undefined;
  let nodeHttp: BenchHttpServer | undefined;
  let bareHttp: BenchHttpServer | undefined;
  try {
    const settings = { stored: o.rows, requests: load.requests, unknownShare: load.unknownShare };
    const lg = await startLoadgen<HttpLoadgenSettings, HttpRunOptions, HttpRunResult>('./resolve-http-loadgen.js', settings);
    loadgen = lg;
    nodeHttp = await startNodeHttp(o.records);
    // The bare route's body: the node's answer for a typical product, so both send about as many bytes.
    const body = await typicalAnswer(nodeHttp);
    bareHttp = await startBareHttp(body);
    const ports: Record<Side, number> = { node: nodeHttp.port, bare: bareHttp.port };
    const { connections, warmupMs, durationMs, checkEvery, timeoutMs } = load;
    const results = await runRounds(rounds, (side) => lg.run({ port: ports[side], connections, warmupMs, durationMs, checkEvery, timeoutMs, verify: side === 'node' }));
    const node = summarize(results.node, (r) => r.errors);
    const base = summarize(results.bare, (r) => r.errors);
    const bytes = Buffer.byteLength(body);
    return {
      name: 'resolve (HTTP)',
      description:
        `the same ${o.rows.toLocaleString('en')} identifiers on SQLite, GET /api/handles/<identifier> from a child process over ${connections} keep-alive HTTP/1.1 connections ` +
        `(one request outstanding on each, no pipelining), ${warmupMs / 1000} s warm-up + ${durationMs / 1000} s timed per round, ${rounds * 2} rounds alternating; ` +
        `${load.unknownShare * 100} % unknown identifiers (404); answers ${bytes} B of JSON (a typical one); every status checked, ${node.checked} answers parsed and checked; ` +
        `CPU per request bare ÷ node ${(base.cpuUs / node.cpuUs).toFixed(2)}; no target`,
      measured: {
        label: `Yulian node (handlesApi over localBackend on Fastify, as id-node --http-port), p50 ${node.p50.toFixed(2)} ms, p99 ${node.p99.toFixed(2)} ms, ${node.cpuUs.toFixed(1)} µs CPU/request, ${node.failed} errors; rounds ${node.rounds}`,
        rate: node.rate,
        unit: 'requests/s',
        seconds: node.seconds,
      },
      baseline: {
        label: `bare Fastify route, fixed ${bytes} B JSON body, p50 ${base.p50.toFixed(2)} ms, p99 ${base.p99.toFixed(2)} ms, ${base.cpuUs.toFixed(1)} µs CPU/request, ${base.failed} errors; rounds ${base.rounds}`,
        rate: base.rate,
        unit: 'requests/s',
        seconds: base.seconds,
      },
      ratio: node.rate / base.rate,
    };
  } finally {
    loadgen?.child.kill();
    await nodeHttp?.close();
    await bareHttp?.close();
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
