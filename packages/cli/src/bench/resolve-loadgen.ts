// The load generator of `yulian bench resolve`, in a child process so its CPU is not counted against the
// node: pre-encoded Handle resolution requests (random identifiers among those stored, a share of unknown
// ones) sent over UDP with a fixed window of outstanding requests, answers matched by request id, a
// latency per request. It checks the answers as it goes: every answer's response code, and every
// `checkEvery`-th answer decoded in full (the right identifier, values present).
// IPC: → { type: 'ready', packets }; ← { type: 'run', …RunOptions } → { type: 'done', …RunResult }.
import { createSocket } from 'node:dgram';
import { OpCode, OpFlag, ResponseCode, decodeFrame, decodeResolutionResponse, encodeMessage, encodeResolutionRequest } from '@yulian/protocols';
import { LatencyLog, now, requestedIdentifiers, serveRuns } from './loadgen-kit.js';
import { benchPrefix } from './register-records.js';

/** What the parent passes as argv[2] (JSON). */
export interface LoadgenSettings {
  /** Identifiers stored: products 1 … stored. */
  stored: number;
  /** Distinct request packets to pre-encode. */
  packets: number;
  /** Share of requests for identifiers that do not exist (answered RC 100). */
  unknownShare: number;
}

/** One measured run against one server. */
export interface RunOptions {
  port: number;
  /** Requests outstanding at any time. */
  window: number;
  warmupMs: number;
  durationMs: number;
  /** Check answers (the node); a bare server's fixed reply is only matched by request id. */
  verify: boolean;
  /** An unanswered request is counted lost after this long and its slot reused. */
  lossMs: number;
}

/** What a run reports. */
export interface RunResult {
  /** Answers in the timed period, and in all (warm-up and drain too: what the server's CPU time covers). */
  answered: number;
  total: number;
  lost: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers decoded in full, and the problems found (empty when every answer was right). */
  checked: number;
  wrong: string[];
  /** Answers by response code (timed period). */
  codes: Record<number, number>;
}

const s = JSON.parse(process.argv[2] ?? '{}') as LoadgenSettings;
const checkEvery = 1000;


const packets: Buffer[] = [];
const { handles: expected, unknown } = requestedIdentifiers(s.packets, s.stored, s.unknownShare);
const expiration = Math.floor(Date.now() / 1000) + 86_400;
for (let i = 0; i < s.packets; i++) {
  const handle = expected[i]!;
  const header = { opCode: OpCode.RESOLUTION, responseCode: 0, opFlag: OpFlag.RECU | OpFlag.CACR | OpFlag.PUBL, siteInfoSerial: -1, recursionCount: 0, expiration };
  // Request id = packet index + 1: a packet is never sent again while it is outstanding.
  packets.push(encodeMessage({ requestId: i + 1 }, header, encodeResolutionRequest(handle)));
}
serveRuns({ packets: s.packets }, run);


function run(o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Up to `window` answers may queue here while this process is descheduled: a socket buffer of the
    // default size (208 KiB) holds fewer than 200 of them and would drop the rest (capped by net.core.rmem_max).
    const socket = createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
    const sentAt = new Float64Array(s.packets);
    const outstanding = new Set<number>();
    const latencies = new LatencyLog();
    let timed = false;
    let stopping = false;
    let answered = 0;
    let total = 0;
    let lost = 0;
    let seen = 0;
    let checked = 0;
    let cursor = 0;
    let t0 = 0;
    const wrong: string[] = [];
    const codes: Record<number, number> = {};
    const problem = (text: string): void => void (wrong.length < 10 && wrong.push(text));

    const sendNext = (): void => {
      // Skip a packet still outstanding (lost and not yet timed out): its request id is taken.
      while (outstanding.has(cursor)) cursor = (cursor + 1) % s.packets;
      const i = cursor;
      cursor = (cursor + 1) % s.packets;
      outstanding.add(i);
      sentAt[i] = now();
      socket.send(packets[i]!);
    };

    socket.on('message', (answer) => {
      const t = now();
      if (answer.length < 28) return problem(`answer of ${answer.length} bytes`);
      const i = answer.readUInt32BE(8) - 1;
      if (!outstanding.delete(i)) return; // an answer after its request was counted lost
      total++;
      if (timed) {
        latencies.add(t - sentAt[i]!);
        answered++;
        const rc = answer.readUInt32BE(24);
        codes[rc] = (codes[rc] ?? 0) + 1;
      }
      if (o.verify) verify(answer, i);
      if (!stopping) sendNext();
      else if (outstanding.size === 0) finish();
    });

    function verify(answer: Buffer, i: number): void {
      const rc = answer.readUInt32BE(24);
      const want = unknown[i] ? ResponseCode.HANDLE_NOT_FOUND : ResponseCode.SUCCESS;
      if (rc !== want) return problem(`${expected[i]}: RC ${rc}, expected ${want}`);
      if (++seen % checkEvery !== 0) return;
      checked++;
      try {
        const m = decodeFrame(answer);
        if (m.envelope.requestId !== i + 1) return problem(`request ${i + 1} answered as ${m.envelope.requestId}`);
        if (rc !== ResponseCode.SUCCESS) return;
        const r = decodeResolutionResponse(m.body, m.header.opFlag);
        if (r.handle !== expected[i]) problem(`asked ${expected[i]}, answered ${r.handle}`);
        else if (!r.values.some((v) => v.type === 'URL' && v.data.toString('utf8').endsWith(expected[i]!.slice(benchPrefix.length + 1)))) problem(`${expected[i]}: no URL of its own among ${r.values.length} values`);
      } catch (e) {
        problem(`${expected[i]}: answer does not decode (${(e as Error).message})`);
      }
    }

    // Requests unanswered for lossMs are lost (a full socket buffer drops datagrams): free their slots.
    const sweep = setInterval(() => {
      const limit = now() - o.lossMs * 1e6;
      for (const i of outstanding) {
        if (sentAt[i]! >= limit) continue;
        outstanding.delete(i);
        if (timed) lost++;
        if (!stopping) sendNext();
      }
      if (stopping && outstanding.size === 0) finish();
    }, 50);

    let seconds = 0;
    let finished = false;
    function finish(): void {
      if (finished) return;
      finished = true;
      clearInterval(sweep);
      socket.close();
      const { p50Ms, p99Ms } = latencies.percentiles();
      resolve({ answered, total, lost, seconds, p50Ms, p99Ms, checked, wrong, codes });
    }

    socket.on('error', (e) => {
      clearInterval(sweep);
      reject(e);
    });
    socket.connect(o.port, '127.0.0.1', () => {
      for (let k = 0; k < o.window; k++) sendNext();
      setTimeout(() => {
        timed = true;
        t0 = now();
        setTimeout(() => {
          // The timed period ends here: answers still outstanding are drained, not counted.
          timed = false;
          seconds = (now() - t0) / 1e9;
          stopping = true;
        }, o.durationMs);
      }, o.warmupMs);
    });
  });
}
