/**
 * The 设备 / Devices pages in a real browser (Debian's Chromium through playwright-core) against the
 * whole platform started in-process with the demo seed. The test feeds telemetry itself, as a gateway
 * would, by enqueuing batches on the platform's bus: the list and a device's latest values must appear,
 * update without a reload, pause while the page is hidden and stay inside their tenant. A last step
 * checks the virtual factory of `YULIAN_DEMO=1` when it runs, and is skipped when it does not.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telemetryBatchSchema, type TelemetryBatch } from '@yulian/contracts';
import { telemetryBatchKey, telemetryQueue, telemetryQueueOptions } from '@yulian/core';
import { demoPassword, type Platform } from '@yulian/server';
import {
  ensureConsoleBuilt,
  launchPage,
  logIn as logInWith,
  requireChromium,
  screenshotDir,
  shutDown,
  startDemoPlatform,
  stepWithScreenshots,
  type LoginLabels,
} from './support.js';

/** Device names of our own, so they never collide with the virtual factory's `cnc-01`…. */
const suffix = randomBytes(3).toString('hex');
const press = `e2e-press-${suffix}`;
const oldPump = `e2e-pump-${suffix}`;
/** How long the virtual factory may take to deliver its first values, from the platform's start. */
const factoryWaitMs = 30_000;

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;
let startedAt = 0;
let demoTenantId: string;
let seq = 0;
/** Device API calls the page made, with the time, to see the polling rhythm. */
const deviceCalls: { path: string; at: number }[] = [];
const latestCalls = (): number => deviceCalls.filter((c) => c.path.endsWith('/latest')).length;

/** Runs one step; on failure saves a full-page screenshot to /tmp and says where. */
const step = stepWithScreenshots(() => page, 'devices-');

/** Logs a demo user in through the API and answers their token. */
async function apiToken(username: string): Promise<string> {
  const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: demoPassword } });
  expect(res.statusCode, `log in ${username}`).toBe(200);
  return res.json<{ token: string }>().token;
}

/** GET on the API as `token`. */
async function apiGet<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const res = await platform.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.json<T>() };
}

type SampleInput = TelemetryBatch['samples'][number];

/** Delivers samples as a gateway of the demo enterprise would: one batch on the telemetry queue. */
async function feed(samples: SampleInput[]): Promise<void> {
  const queue = platform.bus.workQueue(telemetryQueue, telemetryBatchSchema, telemetryQueueOptions);
  const batch: TelemetryBatch = { tenantId: demoTenantId, gateway: `gw-e2e-${suffix}`, seq: ++seq, samples };
  await queue.enqueue(batch, { idempotencyKey: telemetryBatchKey(batch) });
}

/** The press's four points at source time `ts`: a number, a text, a failed read and an uncertain one. */
const pressSamples = (ts: number, pressure: number): SampleInput[] => [
  { device: press, point: 'pressure_bar', ts, receivedTs: ts + 40, value: pressure, quality: 'good' },
  { device: press, point: 'model', ts, receivedTs: ts + 40, value: 'HP-200', quality: 'good' },
  { device: press, point: 'oil_temp_c', ts, receivedTs: ts + 40, value: null, quality: 'bad', reason: 'ILLEGAL_DATA_ADDRESS' },
  { device: press, point: 'stroke_count', ts, receivedTs: ts + 40, value: 48213, quality: 'uncertain', reason: 'STALE' },
];

/** Logs a demo user in through the form on the page. */
const logIn = (labels: LoginLabels, username: string): Promise<void> => logInWith(page, labels, username, demoPassword);

/** The cells of the row named `name` (its row header), row header first. */
async function rowTexts(name: string): Promise<string[]> {
  const row = page.getByRole('row', { name: new RegExp(`^${name}\\b`) });
  await row.waitFor();
  return (await row.locator('th, td').allInnerTexts()).map((t) => t.trim());
}

/** Pretends the tab went to the background (or came back), as the browser would tell the page. */
async function setHidden(hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('devices pages', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    ({ platform, dataDir } = await startDemoPlatform('yulian-e2e-devices-', 'admin-Passw0rd'));
    startedAt = Date.now();
    baseUrl = platform.httpUrl;
    const me = await apiGet<{ tenantId: string }>('/api/v1/auth/me', await apiToken('demo-engineer'));
    demoTenantId = me.body.tenantId;
    ({ browser, page } = await launchPage());
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/v1/devices')) deviceCalls.push({ path: url.pathname, at: Date.now() });
    });
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('lists a device that sent telemetry as online, and an old one as offline, in Chinese', async () => {
    const now = Date.now();
    await feed(pressSamples(now - 1_000, 6.1254));
    await feed([{ device: oldPump, point: 'flow_m3h', ts: now - 5 * 60_000, receivedTs: now - 5 * 60_000 + 30, value: 12.5, quality: 'good' }]);

    await page.goto(`${baseUrl}/#/devices`);
    await logIn({ username: '用户名', password: '密码', submit: '登录' }, 'demo-engineer');
    await page.getByRole('heading', { level: 1, name: '设备' }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '设备' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('table', { name: /设备列表/ }).waitFor();
    await page.getByText('实时', { exact: true }).waitFor();
    await page.getByText(/更新于 \d{2}:\d{2}:\d{2}/).waitFor();

    // Known only from its telemetry (no gateway reports it): no protocol or gateway, state by freshness.
    const [name, status, protocol, gateway, points, last] = await rowTexts(press);
    expect(name).toBe(press);
    expect(status).toBe('在线');
    expect([protocol, gateway]).toEqual(['—', '—']);
    expect(points).toBe('4');
    expect(last).toMatch(/^(刚刚|\d+ 秒前)$/);
    const pump = await rowTexts(oldPump);
    expect(pump.slice(1)).toEqual(['离线', '—', '—', '1', '5 分钟前']);
  });

  step("opens a device from the list and shows each point's value, quality and times", async () => {
    await page.getByRole('row', { name: new RegExp(`^${press}\\b`) }).getByRole('link', { name: press }).click();
    await page.waitForURL(`**/#/devices/${press}`);
    await page.getByRole('heading', { level: 1, name: `设备 ${press}` }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '设备' }).getAttribute('aria-current')).toBe('true');
    await page.getByRole('table', { name: /最新数据/ }).waitFor();

    const pressure = await rowTexts('pressure_bar');
    expect(pressure[1]).toBe('6.125');
    expect(pressure[2]).toBe('良好');
    expect(pressure[3]).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(pressure[4]).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect((await rowTexts('model'))[1]).toBe('HP-200');
    const oil = await rowTexts('oil_temp_c');
    expect(oil[1]).toBe('—');
    expect(oil[2]).toContain('异常');
    expect(oil[2]).toContain('ILLEGAL_DATA_ADDRESS');
    const stroke = await rowTexts('stroke_count');
    expect(stroke[1]).toBe('48,213');
    expect(stroke[2]).toContain('不确定');
  });

  step('shows a newer value on the next refresh, without reloading the page', async () => {
    await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));
    await feed(pressSamples(Date.now(), 7.5));
    await expect.poll(async () => (await rowTexts('pressure_bar'))[1], { timeout: 10_000 }).toBe('7.5');
    expect(await page.evaluate(() => (window as unknown as { e2eSamePage?: boolean }).e2eSamePage)).toBe(true);
  });

  step('refreshes about every 2 s with one request at a time, and pauses while the page is hidden', async () => {
    const before = latestCalls();
    await sleep(6_500);
    const during = latestCalls() - before;
    expect(during, 'requests in 6.5 s at one per 2 s plus the answer time').toBeGreaterThanOrEqual(2);
    expect(during).toBeLessThanOrEqual(4);

    await setHidden(true);
    await page.getByText('已暂停', { exact: true }).waitFor();
    await sleep(300); // a request already in flight may still finish
    const hiddenFrom = latestCalls();
    await sleep(4_500);
    expect(latestCalls(), 'no requests while hidden').toBe(hiddenFrom);
    await setHidden(false);
    await page.getByText('实时', { exact: true }).waitFor();
    await expect.poll(latestCalls, { timeout: 1_000 }).toBeGreaterThan(hiddenFrom);
  });

  step('shows a failed refresh with the error and carries on polling', async () => {
    let failed = 0;
    await page.route('**/api/v1/devices/*/latest', async (route) => {
      failed += 1;
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'store unavailable' } }),
      });
    });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('服务暂不可用');
    // The values stay on screen under the alert.
    expect((await rowTexts('pressure_bar'))[1]).toBe('7.5');
    await expect.poll(() => failed, { timeout: 6_000 }).toBeGreaterThanOrEqual(2);
    await page.unroute('**/api/v1/devices/*/latest');
    await alert.waitFor({ state: 'detached', timeout: 6_000 });
  });

  step('shows the device page in English, and both pages fit 1366 px and 420 px in both languages', async () => {
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Device ${press}` }).waitFor();
    await page.getByRole('table', { name: /Latest values/ }).waitFor();
    expect((await rowTexts('pressure_bar'))[2]).toBe('Good');
    expect((await rowTexts('oil_temp_c'))[2]).toMatch(/Bad\s+ILLEGAL_DATA_ADDRESS/);
    expect((await rowTexts('stroke_count'))[2]).toMatch(/^Uncertain/);
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByText(/updated \d{2}:\d{2}:\d{2}/).waitFor();

    await mkdir(screenshotDir, { recursive: true });
    for (const [lang, button] of [['en', 'English'], ['zh-CN', '中文']] as const) {
      await page.getByRole('button', { name: button, exact: true }).click();
      for (const [view, hash] of [['device', `#/devices/${press}`], ['list', '#/devices']] as const) {
        await page.goto(`${baseUrl}/${hash}`);
        await page.getByRole('row', { name: new RegExp(`^${view === 'list' ? press : 'pressure_bar'}\\b`) }).waitFor();
        for (const width of [1366, 420]) {
          await page.setViewportSize({ width, height: 768 });
          const layout = await page.evaluate(() => {
            const wrap = document.querySelector('.table-wrap');
            return {
              tableOverflow: wrap ? wrap.scrollWidth - wrap.clientWidth : -1,
              pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
            };
          });
          await page.screenshot({ path: join(screenshotDir, `devices-${view}-${lang}-${width}.png`), fullPage: true });
          expect(layout.tableOverflow, `${view} ${lang} at ${width} px: the table scrolls sideways`).toBeLessThanOrEqual(0);
          expect(layout.pageOverflow, `${view} ${lang} at ${width} px: the page scrolls sideways`).toBeLessThanOrEqual(0);
        }
      }
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByRole('button', { name: 'English', exact: true }).click();
  });

  step('goes back to the list and stops polling the device it left', async () => {
    // The press last reported during the earlier steps; a fresh sample keeps it online.
    await feed(pressSamples(Date.now(), 7.75));
    await page.goto(`${baseUrl}/#/devices/${press}`);
    await page.getByRole('link', { name: 'Back to devices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
    const [, status, , , , last] = await rowTexts(press);
    expect(status).toBe('Online');
    expect(last).toMatch(/^(just now|\d+ s ago)$/);
    await sleep(300);
    const left = latestCalls();
    await sleep(3_000);
    expect(latestCalls(), 'the device page polls no more once left').toBe(left);
  });

  step('explains an unknown device in English', async () => {
    await page.goto(`${baseUrl}/#/devices/no-such-device`);
    await page.getByRole('heading', { level: 1, name: 'Device no-such-device' }).waitFor();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('No such device');
    expect(await alert.innerText()).toContain('DEVICE_NOT_FOUND');
    await page.getByText('No values from this device yet.').waitFor();
  });

  step("shows another enterprise's administrator none of these devices", async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.goto(`${baseUrl}/#/devices`);
    await logIn({ username: 'Username', password: 'Password', submit: 'Log in' }, 'demo2-admin');
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
    await page.locator('table[aria-busy="false"]').waitFor();
    const theirs = await apiGet<{ items: { device: string }[] }>('/api/v1/devices', await apiToken('demo2-admin'));
    // A row header holds the device id and, when it differs, the device's name on a second line.
    const names = (await page.getByRole('table').getByRole('rowheader').allInnerTexts()).map((t) => t.split('\n')[0]?.trim());
    expect(names).not.toContain(press);
    expect(names).not.toContain(oldPump);
    expect(names).toEqual(theirs.body.items.map((d) => d.device));
    if (theirs.body.items.length === 0) {
      await page.getByText('No devices yet. They appear here once added to a gateway, or once the devices behind a gateway send data.').waitFor();
    }
    await page.goto(`${baseUrl}/#/devices/${press}`);
    expect(await page.getByRole('alert').innerText()).toContain('DEVICE_NOT_FOUND');
  });

  step('shows the authority and the registrar that they may not open the devices pages', async () => {
    for (const username of ['demo-authority', 'demo-registrar']) {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.goto(`${baseUrl}/#/devices`);
      await logIn({ username: 'Username', password: 'Password', submit: 'Log in' }, username);
      await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
      await page.getByText('Your role cannot open this page.').waitFor();
      expect(await page.getByRole('table').count()).toBe(0);
      await page.goto(`${baseUrl}/#/devices/${press}`);
      await page.getByText('Your role cannot open this page.').waitFor();
    }
  });

  it('shows the virtual factory’s cnc-01 online with values that change, when the demo runs it', async (context) => {
    const token = await apiToken('demo-engineer');
    let factory: { device: string }[] = [];
    // Asked at least once: the earlier steps usually take longer than the factory's wait.
    for (;;) {
      const list = await apiGet<{ items: { device: string }[] }>('/api/v1/devices', token);
      factory = list.body.items.filter((d) => !d.device.startsWith('e2e-'));
      if (factory.some((d) => d.device === 'cnc-01') || Date.now() - startedAt >= factoryWaitMs) break;
      await sleep(1_000);
    }
    if (!factory.some((d) => d.device === 'cnc-01')) {
      context.skip(`no virtual factory: demo-engineer sees no cnc-01 ${factoryWaitMs / 1000} s after the start`);
      return;
    }
    try {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.goto(`${baseUrl}/#/devices`);
      await logIn({ username: 'Username', password: 'Password', submit: 'Log in' }, 'demo-engineer');
      await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
      expect((await rowTexts('cnc-01'))[1]).toBe('Online');
      await page.getByRole('row', { name: /^cnc-01\b/ }).getByRole('link', { name: 'cnc-01' }).click();
      await page.getByRole('heading', { level: 1, name: 'Device cnc-01' }).waitFor();
      const numbers = async (): Promise<Record<string, string>> => {
        await page.getByRole('table').getByRole('rowheader').first().waitFor();
        const rows = await page.getByRole('table').getByRole('row').filter({ has: page.getByRole('rowheader') }).all();
        const values: Record<string, string> = {};
        for (const row of rows) {
          const [point, value] = (await row.locator('th, td').allInnerTexts()).map((t) => t.trim());
          if (point && value && /^-?[\d,.]+$/.test(value)) values[point] = value;
        }
        return values;
      };
      const first = await numbers();
      expect(Object.keys(first).length, 'cnc-01 has numeric points').toBeGreaterThan(0);
      const preferred = 'spindle_rpm' in first ? ['spindle_rpm'] : Object.keys(first);
      await expect
        .poll(async () => {
          const next = await numbers();
          return preferred.some((point) => next[point] !== undefined && next[point] !== first[point]);
        }, { timeout: 10_000, interval: 1_000 })
        .toBe(true);
      await mkdir(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, 'devices-cnc-01-en-1366.png'), fullPage: true });
    } catch (error) {
      await mkdir(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, 'devices-virtual-factory.png'), fullPage: true }).catch(() => undefined);
      throw error;
    }
  }, 60_000);
});
