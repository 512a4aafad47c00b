import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root (this file runs from packages/cli/dist/bench/). */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const webDir = join(repoRoot, 'packages', 'web');
const builtIndex = join(webDir, 'dist', 'index.html');
/** The browser tests' build lock (e2e/support.ts), so a bench and a test run never build the console at once. */
const lockPath = join(tmpdir(), `yulian-e2e-console-build-${createHash('sha256').update(webDir).digest('hex').slice(0, 12)}.lock`);

const newestMtime = (path: string): number => {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path, { recursive: true, encoding: 'utf8' }).map((entry) => statSync(join(path, entry)).mtimeMs));
};

/** Whether the lock was left by a process that is gone, or is older than any build (3 min). */
function lockIsStale(): boolean {
  const stat = statSync(lockPath);
  if (Date.now() - stat.mtimeMs > 180_000) return true;
  const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function acquireLock(): Promise<number> {
  const deadline = Date.now() + 220_000;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      return fd;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (lockIsStale()) {
        rmSync(lockPath, { force: true });
        continue;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (Date.now() >= deadline) throw new Error(`bench floormap: waited 220 s for the console build lock ${lockPath}; remove it if no build is running.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Builds the web console (`npm run build -w @yulian/web`) when dist/ is missing or older than its
 * sources, as the browser tests' `ensureConsoleBuilt` does and under the same lock; `npm run bench`
 * has usually built it already, so this matters when the bench runs as `yulian bench floormap`.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const lock = await acquireLock();
  try {
    const sources = [...['src', 'index.html', 'vite.config.ts'].map((p) => join(webDir, p)), join(repoRoot, 'packages', 'contracts', 'src')].map(newestMtime);
    if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= Math.max(...sources)) return;
    try {
      execFileSync('npm', ['run', 'build', '-w', '@yulian/web'], { cwd: repoRoot, stdio: 'pipe' });
    } catch (error) {
      throw new Error(`bench floormap: the web console could not be built ("npm run build -w @yulian/web"):\n${error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error)}`);
    }
    if (!existsSync(builtIndex)) throw new Error(`bench floormap: the console build ran but ${builtIndex} is missing.`);
  } finally {
    closeSync(lock);
    rmSync(lockPath, { force: true });
  }
}
