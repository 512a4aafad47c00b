/**
 * The acceptance walk through monitoring and control, in a real browser (Debian's Chromium through
 * playwright-core) against the whole platform started in-process with the demo and its virtual factory:
 * log in, open the demo's CNC machine, watch a live value change (pushed over the WebSocket, with polling
 * held back), send a setpoint and a critical command through their confirmations, see them succeed with
 * the read-back value, find the audit entry, then open the demo dashboard — with the demo plant on its
 * floor map, machines coloured by status —, edit it and show it in the large-screen mode (大屏). Screenshots of each stage are kept in e2e/artifacts/ as test artefacts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { ensureConsoleBuilt, launchPage, logIn, repoRoot, requireChromium, shutDown, startDemoPlatform, stepWithScreenshots } from './support.js';

/** Where this test keeps its screenshots: inside the checkout, so CI can collect them. */
const artifactsDir = join(repoRoot, 'e2e', 'artifacts');
/** How long the virtual factory may take to bring cnc-01 online, from the platform's start. */
const factoryWaitMs = 30_000;
/** The setpoint the test writes: inside cnc-01's range (100–10 000 rpm), away from its default of 8 000. */
const newSpeed = 6500;

let browser: Browser;
let page: Page;
let platform: Platform;
let dataDir: string;
let baseUrl: string;
const startedAt = Date.now();

const step = stepWithScreenshots(() => page, 'monitoring-failed-');
/** Saves a full-page screenshot, from the top: a page scrolled down would show its sticky header mid-way. */
const shot = async (name: string) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifactsDir, `monitoring-${name}.png`), fullPage: true });
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The text of cnc-01's value cell for `point` in the live values table. */
const valueOf = (point: string) => page.locator(`[data-point="${point}"]`).innerText();

describe('monitoring and control in the console', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    mkdirSync(artifactsDir, { recursive: true });
    ({ platform, dataDir } = await startDemoPlatform('yulian-e2e-monitoring-', 'admin-Passw0rd'));
    baseUrl = platform.httpUrl;
    ({ browser, page } = await launchPage());
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('logs in and opens the demo CNC machine, online, with its facts', async () => {
    await page.goto(`${baseUrl}/#/devices`);
    await logIn(page, { username: '用户名', password: '密码', submit: '登录' }, 'demo-admin', demoPassword);
    await page.getByRole('heading', { level: 1, name: '设备' }).waitFor();
    const link = page.getByRole('row', { name: /^cnc-01\b/ }).getByRole('link', { name: 'cnc-01' });
    await link.waitFor({ timeout: Math.max(5_000, factoryWaitMs - (Date.now() - startedAt)) });
    await link.click();
    await page.getByRole('heading', { level: 1, name: '设备 cnc-01' }).waitFor();
    const facts = page.getByRole('definition');
    await expect.poll(() => facts.allInnerTexts(), { timeout: 15_000 }).toEqual(
      expect.arrayContaining(['modbus-tcp', 'embedded', expect.stringMatching(/^1号数控机床/), expect.stringMatching(/^在线/), expect.stringContaining('已连接')]),
    );
    await page.getByRole('table', { name: /最新数据/ }).waitFor();
    await page.locator('[data-point="spindle_speed_sp"]').waitFor();
  }, 60_000);

  step('shows a live value change pushed over the WebSocket while polling is held back', async () => {
    // Every /latest request waits until the step ends, so a change on screen can only come from the socket.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route) => {
      await held;
      await route.continue().catch(() => undefined);
    };
    await page.route('**/api/v1/devices/*/latest', hold);
    try {
      await sleep(2_500); // let any request already under way finish
      const first = await valueOf('vibration_rms');
      await expect.poll(() => valueOf('vibration_rms'), { timeout: 10_000, interval: 250 }).not.toBe(first);
    } finally {
      release();
      await page.unroute('**/api/v1/devices/*/latest', hold);
    }
    // The trend chart drew the last hour from the server's series.
    await page.getByRole('img', { name: /cnc-01/ }).first().waitFor();
    await page.getByText(/(原始数据|服务器已降采样)/).waitFor();
    await shot('device-page');
  }, 40_000);

  step('sends a setpoint through the confirmation and shows it succeeded with the value read back', async () => {
    const panel = page.getByRole('region', { name: '远程控制' });
    await panel.getByLabel('数据点', { exact: true }).selectOption('spindle_speed_sp');
    await expect.poll(() => panel.getByText(/允许范围 100 – 10000 rpm/).count()).toBeGreaterThan(0);
    await panel.getByLabel('新值', { exact: true }).fill(String(newSpeed));
    await panel.getByRole('button', { name: '下发…' }).click();

    const dialog = page.getByRole('dialog', { name: '确认下发指令' });
    await dialog.waitFor();
    const summary = await dialog.locator('dd').allInnerTexts();
    expect(summary[0]).toBe('cnc-01');
    expect(summary[1]).toContain('spindle_speed_sp');
    expect(summary[2]).toBe('8,000 rpm');
    expect(summary[3]).toBe('6,500 rpm');
    await shot('command-confirm');
    await dialog.getByRole('button', { name: '确认下发' }).click();

    const result = panel.getByRole('status');
    await expect.poll(() => result.innerText(), { timeout: 10_000 }).toMatch(/成功\s+spindle_speed_sp 写入 6,500 rpm，回读值 6,500 rpm/);
    // The simulator took the setpoint: the value read back by the gateway's next poll shows in the table.
    await expect.poll(() => valueOf('spindle_speed_sp'), { timeout: 10_000 }).toBe('6,500');
    const history = page.getByRole('table', { name: /最近指令/ });
    await expect.poll(() => history.getByRole('row').nth(1).innerText(), { timeout: 5_000 }).toMatch(/spindle_speed_sp\s+6,500\s+成功\s+6,500\s+demo-admin/);
    await shot('command-result');
  }, 40_000);

  step('asks twice before a command to a critical point', async () => {
    const panel = page.getByRole('region', { name: '远程控制' });
    await panel.getByLabel('数据点', { exact: true }).selectOption('enabled');
    await panel.getByText('这是关键数据点：下发前需要二次确认。').waitFor();
    await panel.getByLabel('新值', { exact: true }).selectOption('true');
    await panel.getByRole('button', { name: '下发…' }).click();
    await page.getByRole('dialog', { name: '确认下发指令' }).getByRole('button', { name: '确认下发' }).click();
    const second = page.getByRole('dialog', { name: '二次确认：关键数据点' });
    await second.waitFor();
    await shot('command-critical');
    await second.getByRole('button', { name: '我已确认，下发' }).click();
    await expect.poll(() => panel.getByRole('status').innerText(), { timeout: 10_000 }).toMatch(/成功\s+enabled 写入 是 \/ 开，回读值 是 \/ 开/);
  }, 30_000);

  step('finds the command in the audit log', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审计日志' }).click();
    await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
    await page.getByLabel('操作类型', { exact: true }).selectOption('device.command');
    const row = page.getByRole('row').filter({ hasText: '下发指令' }).filter({ hasText: 'spindle_speed_sp' });
    await row.first().waitFor();
    const text = await row.first().innerText();
    expect(text).toContain('demo-admin');
    expect(text).toContain('cnc-01');
    expect(text).toContain(String(newSpeed));
    await shot('audit');
  }, 20_000);

  step('opens the demo dashboard with live widgets and every machine online', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '看板' }).click();
    await page.getByRole('heading', { level: 1, name: '看板' }).waitFor();
    await page.getByRole('link', { name: '示范工厂总览 Plant overview' }).click();
    await page.getByRole('heading', { level: 1, name: '示范工厂总览 Plant overview' }).waitFor();
    const status = page.getByRole('region', { name: '设备状态 Machine status' });
    await expect.poll(() => status.locator('[data-state="online"]').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(8);
    await expect.poll(() => page.getByTestId('value-cnc-01-spindle_speed').innerText(), { timeout: 10_000 }).toMatch(/^[\d,.]+$/);
    await sleep(1_500); // let the charts draw
    await shot('dashboard');
  }, 40_000);

  step('shows the demo plant on the floor map with each machine coloured by its status', async () => {
    const map = page.getByRole('region', { name: '车间平面图 Floor map' });
    await map.getByRole('group', { name: /渝联示范工厂/ }).waitFor();
    await map.locator('img.floor-plan').waitFor();
    for (const device of ['cnc-01', 'cnc-06', 'compressor-01', 'compressor-02']) {
      await expect.poll(() => map.locator(`[data-device="${device}"]`).getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
    }
    // An online dot is green: the colour comes from its state, not from the order of the list.
    expect(await map.locator('[data-device="cnc-01"]').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(30, 158, 69)');
    await map.screenshot({ path: join(artifactsDir, 'monitoring-floor-map.png') });
  }, 30_000);

  step('adds a widget in edit mode and saves the dashboard', async () => {
    await page.getByRole('button', { name: '编辑', exact: true }).click();
    await page.getByRole('button', { name: '添加组件' }).click();
    const dialog = page.getByRole('dialog', { name: '添加组件' });
    await dialog.getByLabel('组件类型').selectOption('value');
    await dialog.getByLabel('标题').fill('进给倍率 Feed override');
    await dialog.getByLabel('设备').selectOption('cnc-01');
    await dialog.getByLabel('数据点').fill('feed_override');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('button', { name: '编辑', exact: true }).waitFor();
    const widget = page.getByRole('region', { name: '进给倍率 Feed override' });
    await expect.poll(() => widget.getByTestId('value-cnc-01-feed_override').innerText(), { timeout: 10_000 }).toBe('100');
  }, 30_000);

  step('shows the dashboard in the large-screen mode without the console’s navigation', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('link', { name: '大屏模式' }).click();
    await page.waitForURL(/#\/screen\//);
    await page.getByTestId('screen').waitFor();
    expect(await page.getByRole('navigation', { name: '主导航' }).isVisible()).toBe(false);
    expect((await page.getByTestId('screen').boundingBox())?.width, 'the screen spans the whole window').toBeGreaterThanOrEqual(1900);
    const background = await page.getByTestId('screen').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(7, 17, 31)');
    await expect.poll(() => page.getByText('已连接').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.is-screen .status-tile[data-state="online"]').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(8);
    await page.locator('.is-screen .floor-dot[data-state="online"]').first().waitFor();
    await sleep(1_500);
    await shot('screen');
    await page.getByRole('link', { name: '退出大屏' }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    await page.setViewportSize({ width: 1366, height: 900 });
  }, 40_000);
});
