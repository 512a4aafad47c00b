import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter: it has python3-pymodbus, unlike a pyenv or venv `python3` on PATH. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./modbus_server.py', import.meta.url));
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** Only the tail of the peer's stderr is kept: enough to explain a failure. */
const STDERR_KEEP = 8_192;

/** Where and how the Modbus peer listens. */
export interface ModbusPeerOptions {
  /** Loopback address to bind; default `127.0.0.1`. */
  host?: '127.0.0.1' | '::1';
  /** Port to bind; default 0, a free port the peer picks. Pass a stopped peer's port to restart it there. */
  port?: number;
  /** Milliseconds every response waits before it is sent (requests still take effect at once); default 0. */
  delayMs?: number;
}

/** A running pymodbus server (units 1 and 2, data described in `modbus_server.py`). */
export interface ModbusPeer {
  host: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and resolves once the process has exited. */
  stop(): Promise<void>;
}

let pymodbusImportable: boolean | undefined;

/**
 * True when `/usr/bin/python3` can import pymodbus' server; checked once per process.
 * @example describe.skipIf(!modbusPeerAvailable() && process.env['YULIAN_REQUIRE_SERVICES'] !== '1')('…', …)
 */
export function modbusPeerAvailable(): boolean {
  pymodbusImportable ??=
    spawnSync(PYTHON, ['-c', 'import pymodbus.server.async_io'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return pymodbusImportable;
}

/**
 * Starts `modbus_server.py` on a free port and resolves once it prints `READY <port>`.
 * @example const peer = await startModbusPeer({ host: '::1' }); … await peer.stop();
 */
export async function startModbusPeer(options: ModbusPeerOptions = {}): Promise<ModbusPeer> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  const delayMs = options.delayMs ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) {
    throw new Error(`startModbusPeer: port must be a whole number from 0 (any free port) to 65535 (got ${requestedPort}).`);
  }
  if (!Number.isInteger(delayMs) || delayMs < 0) {
    throw new Error(`startModbusPeer: delayMs must be a whole number of milliseconds, 0 or more (got ${delayMs}).`);
  }
  const args = [SCRIPT, '--host', host, '--port', String(requestedPort), '--delay-ms', String(delayMs), '--stop-on-stdin-eof'];
  // stdin stays an open pipe: when this process dies, its end closes and the peer exits too.
  const child = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  const port = await waitForReady(child, () => stderr);
  return { host, port, stop: () => stopPeer(child) };
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (why: string): void => {
      cleanup();
      child.kill('SIGKILL');
      const tail = stderr().trim();
      reject(new Error(`Modbus peer (${PYTHON} ${SCRIPT}) ${why}.${tail ? `\nIts stderr:\n${tail}` : ' It wrote nothing to stderr.'}`));
    };
    const onData = (chunk: string): void => {
      stdout += chunk;
      const match = /^READY (\d+)\r?$/m.exec(stdout);
      if (match?.[1] === undefined) return;
      cleanup();
      resolve(Number(match[1]));
    };
    const onError = (error: Error): void => fail(`could not be started: ${error.message}`);
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`exited before it was ready (${signal ?? `exit code ${code}`})`);
    const timer = setTimeout(() => fail(`did not print READY within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

async function stopPeer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
