/**
 * Traceability in a real browser (Debian's Chromium through playwright-core) against the whole platform
 * with the demo seed: the public page `/r/<identifier>` of a demo device on a 375 × 667 phone screen, no
 * login, in Chinese and then English; and a device page of the console showing the device's identifier
 * and QR code.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { ensureConsoleBuilt, launchPage, logIn, requireChromium, shutDown, startDemoPlatform, stepWithScreenshots } from './support.js';

let browser: Browser;
let page: Page;
let phone: Page | undefined;
let platform: Platform;
let dataDir: string;
/** The page the current step drives, for the screenshot of a failure. */
let current: () => Page | undefined = () => page;

const step = stepWithScreenshots(() => current(), 'trace-');

describe('traceability pages', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    ({ platform, dataDir } = await startDemoPlatform('yulian-e2e-trace-', 'admin-Passw0rd'));
    ({ browser, page } = await launchPage());
  }, 240_000);

  afterAll(async () => {
    await phone?.close();
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('shows a demo device’s public page on a phone, without login, in Chinese and then English', async () => {
    phone = await browser.newPage({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    phone.setDefaultTimeout(10_000);
    current = () => phone;
    const answer = await phone.goto(`${platform.httpUrl}/r/88.100.1/dev.cnc-01`);
    expect(answer?.status()).toBe(200);
    await phone.getByRole('heading', { level: 1, name: '88.100.1/dev.cnc-01' }).waitFor();
    expect(await phone.locator('html').getAttribute('lang')).toBe('zh-CN');
    await phone.getByRole('heading', { name: '标识信息' }).waitFor();
    await phone.getByText('设备名称', { exact: false }).first().waitFor();
    // Nothing wider than the phone: no sideways scrolling.
    const widths = await phone.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.client).toBe(375);
    expect(widths.scroll).toBeLessThanOrEqual(375);
    const qr = phone.getByRole('img', { name: '本页链接的二维码' });
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);

    await phone.getByRole('link', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'Record' }).waitFor();
    expect(await phone.locator('html').getAttribute('lang')).toBe('en');
    await phone.getByText('Serial number').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  step('shows an unknown identifier as not found on the phone', async () => {
    current = () => phone;
    const answer = await phone!.goto(`${platform.httpUrl}/r/88.100.1/dev.no-such-machine`);
    expect(answer?.status()).toBe(404);
    await phone!.getByRole('heading', { level: 1, name: '标识不存在' }).waitFor();
  });

  step('shows the device’s identifier and QR code on its console page', async () => {
    current = () => page;
    await page.goto(`${platform.httpUrl}/#/devices/cnc-01`);
    await logIn(page, { username: '用户名', password: '密码', submit: '登录' }, 'demo-engineer', demoPassword);
    const card = page.getByRole('region', { name: '标识与二维码' });
    await card.waitFor();
    expect(await card.getByTestId('device-identifier-value').innerText()).toBe('88.100.1/dev.cnc-01');
    const img = card.getByRole('img', { name: '标识 88.100.1/dev.cnc-01 的二维码' });
    await img.waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLImageElement>('[data-testid="device-identifier"] img');
      return el !== null && el.complete && el.naturalWidth > 0;
    });
    expect(await img.getAttribute('src')).toBe('/qr/svg/88.100.1/dev.cnc-01');
    expect(await card.getByRole('link', { name: '打开公开页面' }).getAttribute('href')).toBe('/r/88.100.1/dev.cnc-01');
  });
});
