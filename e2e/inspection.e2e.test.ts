/**
 * Spot inspection end to end on a phone-sized viewport (390 × 844, touch, mobile) in a real browser
 * (Debian's Chromium through playwright-core) against the whole platform with the demo seed: the demo
 * operator opens the phone page, picks the round of the VMC line, scans cnc-01's real QR code (the PNG the
 * platform serves, given to the camera input), is refused once for standing a kilometre away, checks in
 * next to the machine, fills the items with one out-of-range air pressure (flagged as it is typed), submits
 * and follows the link to the work order it opened. The page never scrolls sideways.
 */
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { join } from 'node:path';
import { chromiumPath, ensureConsoleBuilt, logIn, requireChromium, screenshotDir, shutDown, startDemoPlatform, stepWithScreenshots, zhLogin } from './support.js';

/** Where the demo's cnc-01 stands (packages/server/src/demo/inspection.ts). */
const cnc01 = { latitude: 29.6475, longitude: 106.5614 };
/** About 1.1 km north of it. */
const farAway = { latitude: cnc01.latitude + 0.01, longitude: cnc01.longitude };

let browser: Browser;
let context: BrowserContext;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;
let qrPng: Buffer;

const step = stepWithScreenshots(() => page, 'inspection-');

/** Calls the API as a demo user. */
async function api<T>(user: string, path: string): Promise<T> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: demoPassword }) });
  const { token } = (await login.json()) as { token: string };
  const r = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.ok, `GET ${path}: ${r.status}`).toBe(true);
  return (await r.json()) as T;
}

/** True when the page is no wider than the screen. */
async function expectNoSidewaysScroll(): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, 'the page scrolls sideways').toBeLessThanOrEqual(width);
}

describe('spot inspection on a phone: scan → check in → items → work order', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    ({ platform, dataDir } = await startDemoPlatform('yulian-e2e-inspection-', 'admin-Passw0rd'));
    baseUrl = platform.httpUrl;
    const { qrPngUrl } = await api<{ qrPngUrl: string }>('demo-operator', '/api/v1/devices/cnc-01/identifier');
    qrPng = Buffer.from(await (await fetch(`${baseUrl}${qrPngUrl}`)).arrayBuffer());
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'] });
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    await context.grantPermissions(['geolocation'], { origin: baseUrl });
    await context.setGeolocation(farAway);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('the operator opens the phone page and picks the round of the VMC line', async () => {
    await page.goto(`${baseUrl}/#/m/inspect`);
    await logIn(page, zhLogin, 'demo-operator', demoPassword);
    await page.getByRole('heading', { level: 1, name: '移动点检' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '我的点检任务' }).waitFor();
    await expectNoSidewaysScroll();
    // Rounds at 00:00, 08:00 and 16:00 with an 8 h window: one is always open (the one before may be overdue still).
    await page.getByRole('button', { name: /立式加工中心线日常点检.*进行中/ }).click();
    await page.getByRole('heading', { level: 2, name: /立式加工中心线日常点检/ }).waitFor();
    const devices = page.getByRole('list', { name: '路线上的设备' }).getByRole('listitem');
    expect(await devices.count()).toBe(3);
    await expectNoSidewaysScroll();
    await devices.first().getByRole('button', { name: '点检' }).click();
    await page.getByText('扫描设备上的标识二维码，确认到达现场后签到。').waitFor();
    await expectNoSidewaysScroll();
  });

  step('scanning cnc-01’s QR code a kilometre away is refused with the distance', async () => {
    await page.locator('input[type="file"]').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: qrPng });
    const alert = page.getByRole('alert').filter({ hasText: '距离设备太远，无法签到' });
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toMatch(/You are 1\d{3} m from .*; check in within 100 m/);
    expect(await alert.innerText()).toContain('INSPECTION_TOO_FAR');
    await expectNoSidewaysScroll();
  });

  step('next to the machine the check-in succeeds and the items are filled, one air pressure out of range', async () => {
    await context.setGeolocation({ ...cnc01, accuracy: 10 });
    await page.getByRole('button', { name: '重新定位并签到' }).click();
    const form = page.getByRole('form', { name: '点检项目' });
    await form.waitFor();
    await form.getByText(/已签到，距设备 \d+ 米/).waitFor();
    await form.getByRole('group', { name: /防护门与联锁/ }).getByLabel('合格', { exact: true }).check();
    await form.getByRole('group', { name: /油液泄漏/ }).getByLabel('正常', { exact: true }).check();
    await form.getByLabel(/导轨润滑油位/).fill('65');
    const pressure = form.getByLabel(/气源压力/);
    await pressure.fill('0.32');
    // Checked against the normal range as it is typed.
    await form.getByText('超出正常范围（0.5 – 0.7 MPa）').waitFor();
    expect(await pressure.getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('备注').fill('气源处理单元压力偏低');
    await expectNoSidewaysScroll();
    // For a look at the phone layout: the filled form, whole page.
    await page.screenshot({ path: join(screenshotDir, 'inspection-phone-form.png'), fullPage: true });
    await form.getByRole('button', { name: '提交点检结果' }).click();
  });

  step('the abnormal result opened a work order, which the link shows', async () => {
    await page.getByText('点检结果已提交：发现异常，已生成维修工单。').waitFor();
    await expectNoSidewaysScroll();
    const records = await api<{ items: Array<{ id: string; abnormal: boolean; workOrder: string; position: string }> }>('demo-operator', '/api/v1/devices/cnc-01/inspections');
    expect(records.items).toHaveLength(1);
    expect(records.items[0]).toMatchObject({ abnormal: true, position: 'verified' });
    await page.getByRole('link', { name: '查看维修工单' }).click();
    await page.waitForURL(`**/#/maintenance/orders/${records.items[0]!.workOrder}`);
    await page.getByRole('heading', { level: 1, name: /点检异常 Inspection: 气源压力/ }).waitFor();
    const history = await api<{ items: Array<{ kind: string; details: Record<string, unknown> }> }>('demo-operator', '/api/v1/devices/cnc-01/history?limit=20');
    expect(history.items.find((h) => h.kind === 'inspection')?.details).toMatchObject({ record: records.items[0]!.id, workOrder: records.items[0]!.workOrder });
  });
});
