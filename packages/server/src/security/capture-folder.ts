import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger, isYulianError } from '@yulian/core';
import type { SecurityMonitor } from './monitor.js';

/** What the folder watcher counts. */
export interface CaptureFolderStats {
  analysed: number;
  rejected: number;
  /** The last scan's files still growing (left for the next scan). */
  waiting: number;
}

/** A running folder watcher. */
export interface CaptureFolder {
  readonly dir: string;
  /** One scan now (tests; the timer calls the same). */
  scan(): Promise<void>;
  stats(): CaptureFolderStats;
  close(): Promise<void>;
}

const captureName = /\.(pcap|pcapng|cap)$/i;

/**
 * Watches `<dir>/incoming/<enterprise code>/` for capture files, the way a sensor's rotated captures or
 * a technician's USB copy arrive: a file whose size stayed the same since the previous scan is analysed
 * (as a stream, in bounded memory), then moved to `done/<code>/` with a `.summary.json` beside it, or to
 * `rejected/<code>/` with a `.error.txt` saying why (too large, malformed, unknown enterprise code).
 * A bad file never stops the watcher.
 */
export async function startCaptureFolder(options: {
  dir: string;
  monitor: Pick<SecurityMonitor, 'analyzeCapture' | 'flush' | 'stats'>;
  tenantOf: (code: string) => Promise<string | null | undefined>;
  maxBytes: number;
  logger: Logger;
  intervalMs?: number;
}): Promise<CaptureFolder> {
  const log = options.logger.child({ component: 'capture-folder' });
  const incoming = join(options.dir, 'incoming');
  await mkdir(incoming, { recursive: true });
  const counters: CaptureFolderStats = { analysed: 0, rejected: 0, waiting: 0 };
  const sizes = new Map<string, number>();
  let running: Promise<void> | undefined;

  const move = async (from: string, to: 'done' | 'rejected', code: string, name: string, note: { file: string; text: string }): Promise<void> => {
    const dir = join(options.dir, to, code);
    await mkdir(dir, { recursive: true });
    const target = join(dir, `${Date.now()}-${name}`);
    await rename(from, target);
    await writeFile(`${target}${note.file}`, note.text);
  };

  const handle = async (code: string, name: string, path: string, size: number): Promise<void> => {
    const reject = async (why: string): Promise<void> => {
      counters.rejected++;
      log.warn({ file: `${code}/${name}`, reason: why }, 'capture rejected');
      await move(path, 'rejected', code, name, { file: '.error.txt', text: `${why}\n` });
    };
    if (size > options.maxBytes) return reject(`CAPTURE_TOO_LARGE: ${size} bytes; at most ${options.maxBytes} are accepted (YULIAN_CAPTURE_MAX_BYTES).`);
    const tenantId = await options.tenantOf(code);
    if (tenantId === undefined) return reject(`ENTERPRISE_NOT_FOUND: no enterprise with code ${code}; put captures in incoming/<enterprise code>/.`);
    const before = options.monitor.stats().events;
    try {
      const summary = await options.monitor.analyzeCapture(createReadStream(path, { highWaterMark: 256 * 1024 }), { tenantId });
      await options.monitor.flush();
      counters.analysed++;
      const events = options.monitor.stats().events - before;
      log.info({ file: `${code}/${name}`, packets: summary.packets, transactions: summary.modbus.transactions, events }, 'capture analysed');
      await move(path, 'done', code, name, { file: '.summary.json', text: `${JSON.stringify({ ...summary, events }, null, 2)}\n` });
    } catch (e) {
      await reject(isYulianError(e) ? `${e.code}: ${e.message}` : `CAPTURE_MALFORMED: ${(e as Error).message}`);
    }
  };

  const scanOnce = async (): Promise<void> => {
    let waiting = 0;
    const seen = new Set<string>();
    for (const code of await readdir(incoming).catch(() => [] as string[])) {
      const dir = join(incoming, code);
      if (!(await stat(dir).catch(() => undefined))?.isDirectory()) continue;
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (!captureName.test(name)) continue;
        const path = join(dir, name);
        const s = await stat(path).catch(() => undefined);
        if (!s?.isFile()) continue;
        seen.add(path);
        // Still being copied: wait until its size holds still for one interval.
        if (sizes.get(path) !== s.size) {
          sizes.set(path, s.size);
          waiting++;
          continue;
        }
        sizes.delete(path);
        await handle(code, name, path, s.size).catch((err: unknown) => log.error({ err, file: path }, 'capture could not be moved'));
      }
    }
    for (const path of sizes.keys()) if (!seen.has(path)) sizes.delete(path);
    counters.waiting = waiting;
  };
  const scan = (): Promise<void> => (running ??= scanOnce().finally(() => (running = undefined)));

  const timer = setInterval(() => void scan().catch((err: unknown) => log.error({ err }, 'capture folder scan failed')), options.intervalMs ?? 5_000);
  timer.unref();
  log.info({ dir: incoming }, 'watching for captures (pcap/pcapng) in incoming/<enterprise code>/');
  return {
    dir: options.dir,
    scan,
    stats: () => ({ ...counters }),
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
