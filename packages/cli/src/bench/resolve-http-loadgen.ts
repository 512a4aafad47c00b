// The HTTP load generator of `yulian bench resolve`, in a child process so its CPU is not counted against
// the server: pre-encoded `GET /api/handles/<identifier>` requests (random identifiers among those stored,
// a share of unknown ones) over a fixed number of keep-alive HTTP/1.1 connections, each sending its next
// request when the answer to the last one has arrived (no pipelining), a latency per request. Raw sockets
// and a minimal response reader rather than node:http's client, so that its own work per request (parser,
// agent, objects) does not cap the rate this one process can ask for. It checks the answers as it goes: every status (200,
// or 404 for the unknown ones), and every `checkEvery`-th answer's JSON (the right identifier, values
// present; an unknown one: responseCode 100).
// IPC: → { type: 'ready', requests }; ← { type: 'run', …HttpRunOptions } → { type: 'done', …HttpRunResult }.
import { type Socket, connect } from 'node:net';
import { LatencyLog, now, requestedIdentifiers, serveRuns } from './loadgen-kit.js';
import { benchPrefix } from './register-records.js';

/** What the parent passes as argv[2] (JSON). */
export interface HttpLoadgenSettings {
  /** Identifiers stored: products 1 … stored. */
  stored: number;
  /** Distinct requests to pre-encode. */
  requests: number;
  /** Share of requests for identifiers that do not exist (answered 404, RC 100). */
  unknownShare: number;
}

/** One measured run against one server. */
export interface HttpRunOptions {
  port: number;
  /** Keep-alive connections, each with one request outstanding at a time. */
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Check answers (the node): statuses by identifier, bodies parsed; a bare server's are only checked for 200. */
  verify: boolean;
  /** Every how many answers one is parsed and checked in full. */
  checkEvery: number;
  /** An answer not complete after this long is an error: its connection is dropped and opened again. */
  timeoutMs: number;
}

/** What a run reports. */
export interface HttpRunResult {
  /** Answers in the timed period, and in all (warm-up and drain too: what the server's CPU time covers). */
  answered: number;
  total: number;
  /** Requests that got no readable answer (connection closed or reset, timeout, unreadable response). */
  errors: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers parsed in full, and the problems found (empty when every answer was right). */
  checked: number;
  wrong: string[];
  /** Answers by HTTP status (timed period). */
  statuses: Record<number, number>;
  /** Bytes of the last answer's body. */
  bodyBytes: number;
}

const s = JSON.parse(process.argv[2] ?? '{}') as HttpLoadgenSettings;


const requests: Buffer[] = [];
const { handles: expected, unknown } = requestedIdentifiers(s.requests, s.stored, s.unknownShare);
for (let i = 0; i < s.requests; i++) {
  const handle = expected[i]!;
  // What curl sends; the identifiers are ASCII without reserved characters, so the path needs no escaping.
  requests.push(Buffer.from(`GET /api/handles/${handle} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n`, 'latin1'));
}
serveRuns({ requests: s.requests }, run);


const headEnd = Buffer.from('\r\n\r\n');

/** One complete response in `buf`: status, body and the bytes it takes; undefined while incomplete. */
function readResponse(buf: Buffer): { status: number; body: Buffer; length: number } | undefined {
  const end = buf.indexOf(headEnd);
  if (end < 0) return undefined;
  const head = buf.toString('latin1', 0, end);
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1];
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
  // Fastify answers strings and JSON with a content-length; anything else (chunked, HTTP/1.0) is not read.
  if (!status || !length) throw new Error(`unreadable response head: ${JSON.stringify(head.slice(0, 200))}`);
  const total = end + 4 + Number(length);
  if (buf.length < total) return undefined;
  return { status: Number(status), body: buf.subarray(end + 4, total), length: total };
}

function run(o: HttpRunOptions): Promise<HttpRunResult> {
  return new Promise((resolve) => {
    const latencies = new LatencyLog();
    let timed = false;
    let stopping = false;
    let answered = 0;
    let total = 0;
    let errors = 0;
    let seen = 0;
    let checked = 0;
    let cursor = 0;
    let t0 = 0;
    let seconds = 0;
    let bodyBytes = 0;
    const wrong: string[] = [];
    const statuses: Record<number, number> = {};
    const problem = (text: string): void => void (wrong.length < 10 && wrong.push(text));

    /** One keep-alive connection: its socket, the request it waits for and the bytes read of the answer. */
    interface Connection {
      socket: Socket | undefined;
      request: number;
      sentAt: number;
      buffered: Buffer | undefined;
      busy: boolean;
    }
    const pool: Connection[] = [];

    const open = (c: Connection): void => {
      const socket = connect({ port: o.port, host: '127.0.0.1', noDelay: true });
      c.socket = socket;
      c.buffered = undefined;
      socket.on('data', (chunk: Buffer) => onData(c, chunk));
      // A connection that fails or is closed under a request: an error (fail opens it again while the run
      // lasts). One not waiting for an answer is only ever closed at the end of the run.
      const lose = (): void => {
        if (c.socket !== socket) return;
        if (c.busy) fail(c);
        else c.socket = undefined;
      };
      socket.on('error', lose);
      socket.on('close', lose);
    };

    const sendNext = (c: Connection): void => {
      if (stopping) return void c.socket?.end();
      const i = cursor;
      cursor = (cursor + 1) % s.requests;
      c.request = i;
      c.busy = true;
      c.sentAt = now();
      c.socket!.write(requests[i]!);
    };

    const fail = (c: Connection): void => {
      c.busy = false;
      errors++;
      const socket = c.socket;
      c.socket = undefined;
      socket?.destroy();
      if (stopping) return void done();
      open(c);
      sendNext(c);
    };

    function onData(c: Connection, chunk: Buffer): void {
      const t = now();
      const buf = c.buffered ? Buffer.concat([c.buffered, chunk]) : chunk;
      let r: ReturnType<typeof readResponse>;
      try {
        r = readResponse(buf);
      } catch (e) {
        problem((e as Error).message);
        return fail(c);
      }
      if (!r) return void (c.buffered = buf);
      c.buffered = undefined;
      if (!c.busy || r.length !== buf.length) {
        problem(`${r.length !== buf.length ? buf.length - r.length : r.length} bytes nobody asked for`);
        return fail(c);
      }
      c.busy = false;
      total++;
      bodyBytes = r.body.length;
      if (timed) {
        latencies.add(t - c.sentAt);
        answered++;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
      check(c.request, r.status, r.body);
      if (!stopping) sendNext(c);
      else {
        c.socket?.end();
        done();
      }
    }

    function check(i: number, status: number, body: Buffer): void {
      if (!o.verify) return void (status !== 200 && problem(`bare server: status ${status}`));
      const want = unknown[i] ? 404 : 200;
      if (status !== want) return problem(`${expected[i]}: status ${status}, expected ${want}`);
      if (++seen % o.checkEvery !== 0) return;
      checked++;
      try {
        const answer = JSON.parse(body.toString('utf8')) as { responseCode?: number; handle?: string; values?: Array<{ type?: string; data?: { value?: unknown } }> };
        const rc = unknown[i] ? 100 : 1;
        if (answer.responseCode !== rc) return problem(`${expected[i]}: responseCode ${answer.responseCode}, expected ${rc}`);
        if (answer.handle !== expected[i]) return problem(`asked ${expected[i]}, answered ${answer.handle}`);
        if (unknown[i]) return;
        const suffix = expected[i]!.slice(benchPrefix.length + 1);
        const url = answer.values?.find((v) => v.type === 'URL')?.data?.value;
        if (typeof url !== 'string' || !url.endsWith(suffix)) problem(`${expected[i]}: no URL of its own among ${answer.values?.length ?? 0} values`);
      } catch (e) {
        problem(`${expected[i]}: answer is not JSON (${(e as Error).message})`);
      }
    }

    // A request unanswered for timeoutMs: an error, not a hang of the whole run.
    const sweep = setInterval(() => {
      const limit = now() - o.timeoutMs * 1e6;
      for (const c of pool) if (c.busy && c.sentAt < limit) fail(c);
    }, 100);

    let finished = false;
    function done(): void {
      if (finished || pool.some((c) => c.busy)) return;
      finished = true;
      clearInterval(sweep);
      for (const c of pool) c.socket?.destroy();
      const { p50Ms, p99Ms } = latencies.percentiles();
      resolve({ answered, total, errors, seconds, p50Ms, p99Ms, checked, wrong, statuses, bodyBytes });
    }

    for (let k = 0; k < o.connections; k++) {
      const c: Connection = { socket: undefined, request: 0, sentAt: 0, buffered: undefined, busy: false };
      pool.push(c);
      open(c);
      // Written before the connection is up: the socket sends it once connected.
      sendNext(c);
    }
    setTimeout(() => {
      timed = true;
      t0 = now();
      setTimeout(() => {
        // The timed period ends here: requests still outstanding are drained, not counted.
        timed = false;
        seconds = (now() - t0) / 1e9;
        stopping = true;
        done();
      }, o.durationMs);
    }, o.warmupMs);
  });
}
