/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against the whole
 * platform started in-process on free ports with the demo seed. The steps share one page and run in
 * order: the admin creates an enterprise and its administrator, who then sees only their own tenant.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@yulian/core';
import { startPlatform } from '@yulian/server';

const chromiumPath = '/usr/bin/chromium';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const webDir = join(repoRoot, 'packages', 'web');
const builtIndex = join(webDir, 'dist', 'index.html');
const screenshotDir = join(tmpdir(), 'yulian-e2e-screenshots');

const adminPassword = 'admin-Passw0rd';
const suffix = randomBytes(3).toString('hex');
const enterpriseName = 'E2E Precision Works';
const enterpriseCode = `E2E-${suffix.toUpperCase()}`;
const tenantAdmin = { username: `e2e-admin-${suffix}`, displayName: 'E2E Administrator', password: 'e2e-Passw0rd-1' };

/** The newest modification time under `path` (a file or a folder, searched recursively). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  const entries = readdirSync(path, { recursive: true, encoding: 'utf8' });
  return Math.max(stat.mtimeMs, ...entries.map((entry) => statSync(join(path, entry)).mtimeMs));
}

/** Builds the console when dist/ is missing or older than its sources, so the server serves this code. */
function ensureConsoleBuilt(): void {
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => newestMtime(join(webDir, p)));
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= Math.max(...sources)) return;
  try {
    execFileSync('npm', ['run', 'build', '-w', '@yulian/web'], { cwd: repoRoot, stdio: 'pipe' });
  } catch (error) {
    const output = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
    throw new Error(`The web console could not be built ("npm run build -w @yulian/web"):\n${output}`);
  }
  if (!existsSync(builtIndex)) throw new Error(`The console build ran but ${builtIndex} is missing.`);
}

let browser: Browser;
let page: Page;
let baseUrl: string;
let dataDir: string;
let closePlatform: (() => Promise<void>) | undefined;
let demoEnterpriseId: string;

/** Runs one step; on failure saves a full-page screenshot to /tmp and says where. */
function step(name: string, body: () => Promise<void>): void {
  it(name, async () => {
    try {
      await body();
    } catch (error) {
      await mkdir(screenshotDir, { recursive: true });
      const file = join(screenshotDir, `${name.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 80)}.png`);
      await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n(screenshot: ${file}; url: ${page?.url()})`, {
        cause: error,
      });
    }
  });
}

/** The bearer token the console keeps in localStorage. */
const consoleToken = (): Promise<string | null> => page.evaluate(() => localStorage.getItem('yulian.token'));

/** The usernames / enterprise names in the first column of the page's table, once `expected` is among them. */
async function firstColumn(expected: string): Promise<string[]> {
  const rowHeaders = page.getByRole('table').getByRole('rowheader');
  await rowHeaders.filter({ hasText: expected }).first().waitFor();
  // "e2e-admin-… (you)": keep the name, drop the marker.
  return (await rowHeaders.allInnerTexts()).map((text) => text.replace(/\s*[（(].*$/, '').trim());
}

async function logIn(labels: { username: string; password: string; submit: string }, username: string, password: string) {
  await page.getByLabel(labels.username, { exact: true }).fill(username);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
}

describe('web console', () => {
  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(`${chromiumPath} is missing: install Debian's chromium package (apt-get install chromium).`);
    }
    ensureConsoleBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-e2e-'));
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
    const platform = await startPlatform(config, { quiet: true });
    closePlatform = () => platform.close();
    baseUrl = platform.httpUrl;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.setDefaultTimeout(10_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await closePlatform?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  step('shows the API error in Chinese when the password is wrong', async () => {
    await page.goto(`${baseUrl}/`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await logIn({ username: '用户名', password: '密码', submit: '登录' }, 'admin', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('用户名或密码错误');
    expect(await alert.innerText()).toContain('INVALID_CREDENTIALS');
  });

  step('logs the admin in and shows the home page in Chinese', async () => {
    await logIn({ username: '用户名', password: '密码', submit: '登录' }, 'admin', adminPassword);
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '设备' }).waitFor();
    await nav.getByRole('link', { name: '首页' }).waitFor();
    expect(await nav.getByRole('link', { name: '首页' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('heading', { level: 1, name: /你好/ }).waitFor();
    await page.getByText('平台管理员').first().waitFor();
    expect(await consoleToken()).toBeTruthy();
  });

  step('switches to English and remembers the choice after a reload', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Devices' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'Devices' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('yulian.lang'))).toBe('en');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  step('opens a deep link to a placeholder page', async () => {
    await page.goto(`${baseUrl}/#/identifiers`);
    await page.getByRole('heading', { level: 1, name: 'Identifiers' }).waitFor();
    await page.getByText('coming in a later release').waitFor();
  });

  step('creates an enterprise in 两江新区', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Enterprises' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enterprises' }).waitFor();
    await page.getByRole('button', { name: 'New enterprise' }).click();
    const form = page.getByRole('form', { name: 'New enterprise' });
    await form.getByLabel('Name', { exact: true }).fill(enterpriseName);
    await form.getByLabel('Code', { exact: true }).fill(enterpriseCode);
    await form.getByLabel('District', { exact: true }).selectOption('两江新区');
    await form.getByLabel('Industry', { exact: true }).fill('Precision machining');
    await form.getByRole('button', { name: 'Create enterprise' }).click();
    await page.getByRole('status').filter({ hasText: enterpriseName }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(enterpriseName) });
    await row.waitFor();
    expect(await row.innerText()).toContain(enterpriseCode);
    expect(await row.innerText()).toContain('Liangjiang New Area');

    const token = await consoleToken();
    const answer = await page.request.get(`${baseUrl}/api/v1/enterprises`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status()).toBe(200);
    const { items } = (await answer.json()) as { items: { id: string; code: string }[] };
    const demo = items.find((e) => e.code === 'DEMO-0001');
    expect(demo, 'the demo seed should have created enterprise DEMO-0001').toBeDefined();
    demoEnterpriseId = demo?.id ?? '';
  });

  step('creates an enterprise administrator for the new enterprise', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Username', { exact: true }).fill(tenantAdmin.username);
    await form.getByLabel('Display name', { exact: true }).fill(tenantAdmin.displayName);
    await form.getByLabel('Initial password', { exact: true }).fill(tenantAdmin.password);
    await form.getByLabel('Role', { exact: true }).selectOption('enterprise-admin');
    await form.getByLabel('Enterprise', { exact: true }).selectOption({ label: enterpriseName });
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: tenantAdmin.username }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(tenantAdmin.username) });
    expect(await row.innerText()).toContain('Enterprise administrator');
    expect(await row.innerText()).toContain(enterpriseName);
  });

  step('logs out and logs in as the new enterprise administrator', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await consoleToken()).toBeNull();
    await logIn({ username: 'Username', password: 'Password', submit: 'Log in' }, tenantAdmin.username, tenantAdmin.password);
    await page.getByRole('heading', { level: 1, name: /Hello/ }).waitFor();
    await page.getByRole('banner').getByText(tenantAdmin.displayName).waitFor();
  });

  step('shows the enterprise administrator only the users of their own enterprise', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    const usernames = await firstColumn(tenantAdmin.username);
    expect(usernames).toContain(tenantAdmin.username);
    expect(usernames).not.toContain('admin');
    expect(usernames).not.toContain('demo-admin');
    expect(usernames).not.toContain('demo-operator');
  });

  step('shows the enterprise administrator only their own enterprise', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Enterprises' }).click();
    const names = await firstColumn(enterpriseName);
    expect(names).toEqual([enterpriseName]);
  });

  step("answers 404 when the enterprise administrator asks for another tenant's enterprise", async () => {
    expect(demoEnterpriseId).toBeTruthy();
    const token = await consoleToken();
    const answer = await page.request.get(`${baseUrl}/api/v1/enterprises/${encodeURIComponent(demoEnterpriseId)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status()).toBe(404);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('ENTERPRISE_NOT_FOUND');
  });
});
