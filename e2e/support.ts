/**
 * What the browser tests share: the console build they serve, the platform they start with the demo
 * seed, the Chromium they drive, logging in through the form, and the step that leaves a screenshot
 * behind when it fails. The tests keep their own state; these helpers take and answer it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { it } from 'vitest';
import { loadConfig } from '@yulian/core';
import { startPlatform, type Platform } from '@yulian/server';

/** Debian's Chromium, which playwright-core drives. */
export const chromiumPath = '/usr/bin/chromium';
/** The monorepo's root folder. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** The web console's package folder. */
export const webDir = join(repoRoot, 'packages', 'web');
/** The built console's entry page, which the platform serves. */
export const builtIndex = join(webDir, 'dist', 'index.html');
/** Where the tests save their screenshots. */
export const screenshotDir = join(tmpdir(), 'yulian-e2e-screenshots');

/** One lock per checkout, outside the tree: held while a worker checks dist/ and builds it. */
const buildLockPath = join(tmpdir(), `yulian-e2e-console-build-${createHash('sha256').update(webDir).digest('hex').slice(0, 12)}.lock`);
/** A lock older than this is left over from a crashed run, whatever its holder's pid says. */
const staleLockMs = 180_000;
/** How long a worker waits for another's build before giving up (inside the 240 s set-up timeout). */
const lockWaitMs = 220_000;
const lockRetryMs = 200;

/** The newest modification time under `path` (a file or a folder, searched recursively). */
export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  const entries = readdirSync(path, { recursive: true, encoding: 'utf8' });
  return Math.max(stat.mtimeMs, ...entries.map((entry) => statSync(join(path, entry)).mtimeMs));
}

const sleepSync = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Whether the lock at `path` was left by a process that is gone, or is older than any build. */
function lockIsStale(path: string): boolean {
  const stat = statSync(path);
  if (Date.now() - stat.mtimeMs > staleLockMs) return true;
  const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
  if (!Number.isInteger(pid) || pid <= 0) return false; // being written just now
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Takes the build lock, waiting while another worker holds it; answers the lock's file descriptor. */
function acquireBuildLock(): number {
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    try {
      const fd = openSync(buildLockPath, 'wx');
      writeSync(fd, String(process.pid));
      return fd;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (lockIsStale(buildLockPath)) {
        rmSync(buildLockPath, { force: true });
        continue;
      }
    } catch (error) {
      // Released between our open and our look: try again at once.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Waited ${lockWaitMs / 1000} s for the console build lock ${buildLockPath}; remove it if no build is running.`);
    }
    sleepSync(lockRetryMs);
  }
}

/**
 * Builds the console when dist/ is missing or older than its sources, so the server serves this code;
 * workers running at once take turns under a lock file, so one builds and the others then find it fresh.
 */
export function ensureConsoleBuilt(): void {
  const lock = acquireBuildLock();
  try {
    // The bundle also holds the zod-free contracts module it imports (the district list).
    const sources = [...['src', 'index.html', 'vite.config.ts'].map((p) => join(webDir, p)), join(repoRoot, 'packages', 'contracts', 'src')].map(
      newestMtime,
    );
    if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= Math.max(...sources)) return;
    try {
      execFileSync('npm', ['run', 'build', '-w', '@yulian/web'], { cwd: repoRoot, stdio: 'pipe' });
    } catch (error) {
      const output = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
      throw new Error(`The web console could not be built ("npm run build -w @yulian/web"):\n${output}`);
    }
    if (!existsSync(builtIndex)) throw new Error(`The console build ran but ${builtIndex} is missing.`);
  } finally {
    closeSync(lock);
    rmSync(buildLockPath, { force: true });
  }
}

/** Fails with the package to install when Debian's Chromium is missing. */
export function requireChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium package (apt-get install chromium).`);
  }
}

/** Starts the whole platform on free ports with the demo seed and a fresh data folder named `dataDirPrefix…` under /tmp. */
export async function startDemoPlatform(dataDirPrefix: string, adminPassword: string): Promise<{ platform: Platform; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), dataDirPrefix));
  const config = loadConfig({
    env: {
      YULIAN_HTTP_PORT: '0',
      YULIAN_MQTT_PORT: '0',
      YULIAN_HANDLE_PORT: '0',
      YULIAN_OPCUA_PORT: '0',
      YULIAN_DATA_DIR: dataDir,
      YULIAN_ADMIN_PASSWORD: adminPassword,
      YULIAN_DEMO: '1',
    },
  });
  try {
    return { platform: await startPlatform(config, { quiet: true }), dataDir };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Launches headless Chromium and opens one 1366 × 900 page with a 10 s default timeout. */
export async function launchPage(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.setDefaultTimeout(10_000);
    return { browser, page };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * What most browser tests start from: Chromium present, the console built, the platform with the demo on free
 * ports in a fresh data folder (`dataDirPrefix…`), and one page. Close it all with {@link shutDown}.
 * @example beforeAll(async () => void ({ platform, dataDir, browser, page, baseUrl } = await startDemoBrowser('yulian-e2e-x-')), 240_000);
 */
export async function startDemoBrowser(dataDirPrefix: string): Promise<{ platform: Platform; dataDir: string; browser: Browser; page: Page; baseUrl: string }> {
  requireChromium();
  ensureConsoleBuilt();
  const { platform, dataDir } = await startDemoPlatform(dataDirPrefix, 'admin-Passw0rd');
  try {
    const { browser, page } = await launchPage();
    return { platform, dataDir, browser, page, baseUrl: platform.httpUrl };
  } catch (error) {
    await shutDown({ platform, dataDir });
    throw error;
  }
}

/** Closes the browser, then the platform, then removes the data folder; each part may be missing after a failed set-up. */
export async function shutDown(parts: { browser?: Browser; platform?: Platform; dataDir?: string }): Promise<void> {
  await parts.browser?.close();
  await parts.platform?.close();
  if (parts.dataDir) await rm(parts.dataDir, { recursive: true, force: true });
}

/** The accessible names of the login form's fields and button, in the page's language. */
export interface LoginLabels {
  username: string;
  password: string;
  submit: string;
}

/** Fills in the login form on `page` and submits it. */
export async function logIn(page: Page, labels: LoginLabels, username: string, password: string): Promise<void> {
  await page.getByLabel(labels.username, { exact: true }).fill(username);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
}

/** The Chinese login form's labels (the console's default language). */
export const zhLogin: LoginLabels = { username: '用户名', password: '密码', submit: '登录' };

/** Logs a user in through the Chinese form, after logging out whoever is in, and waits for the console. */
export async function logInAs(page: Page, username: string, password: string): Promise<void> {
  const logout = page.getByRole('button', { name: '退出登录' });
  if (await logout.isVisible()) await logout.click();
  await logIn(page, zhLogin, username, password);
  await page.getByRole('navigation', { name: '主导航' }).waitFor();
}

/** A test step: its name, its body and, optionally, its own timeout. */
export type Step = (name: string, body: () => Promise<void>, timeout?: number) => void;

/** Makes `step`, which runs one step and on failure saves a full-page screenshot of `page()` to /tmp (named `prefix` + step) and says where. */
export function stepWithScreenshots(page: () => Page | undefined, prefix = ''): Step {
  return (name, body, timeout) => {
    it(
      name,
      async () => {
        try {
          await body();
        } catch (error) {
          await mkdir(screenshotDir, { recursive: true });
          const file = join(screenshotDir, `${prefix}${name.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 80)}.png`);
          await page()
            ?.screenshot({ path: file, fullPage: true })
            .catch(() => undefined);
          throw new Error(`${error instanceof Error ? error.message : String(error)}\n(screenshot: ${file}; url: ${page()?.url()})`, {
            cause: error,
          });
        }
      },
      timeout,
    );
  };
}
