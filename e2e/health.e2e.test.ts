/**
 * 设备健康 / Equipment health in a real browser (Debian's Chromium through playwright-core) against the whole
 * platform started in-process with the demo seed and its live virtual factory. The demo trains its
 * bearing-wear RUL model at start and binds it to the CNC profile. A bearing-wear fault is injected into
 * cnc-01 and the virtual factory's clock is moved on 3 hours of wear; the engineer assesses the fleet:
 * the list is sorted by risk with cnc-01 first, showing a lower health index, its reasons and a remaining
 * useful life, and the device page's card shows the same; both languages render, and a 420 px phone never
 * scrolls sideways.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { logInAs, screenshotDir, shutDown, startDemoBrowser, stepWithScreenshots } from './support.js';

const device = 'cnc-01';
/** Hours of wear the factory's clock is moved on: severity 1 then vibrates 5.5 × normal (failure at 6 ×). */
const wearHours = 3;

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;
let startedAt: number;

const step = stepWithScreenshots(() => page, 'health-');

/** Rows of the fleet table, in order: device name, health index and RUL as shown. */
const fleetRows = () =>
  page.locator('table tbody tr').evaluateAll((rows) =>
    rows.map((r) => ({
      device: r.querySelector('a')?.getAttribute('href') ?? '',
      health: Number(r.querySelector('[data-health]')?.getAttribute('data-health') ?? NaN),
      rul: r.querySelector('[data-rul]')?.textContent ?? '',
      reasons: Array.from(r.querySelectorAll('[data-kind]'), (li) => li.getAttribute('data-kind')),
      sparkline: r.querySelector('svg[role="img"]')?.getAttribute('aria-label') ?? '',
    })),
  );

describe('equipment health pages', () => {
  beforeAll(async () => {
    ({ platform, dataDir, browser, page, baseUrl } = await startDemoBrowser('yulian-e2e-health-'));
    startedAt = Date.now();
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('lists the fleet sorted by risk after a first assessment', async () => {
    await page.goto(`${baseUrl}/#/health`);
    await logInAs(page, 'demo-engineer', demoPassword);
    await page.getByRole('heading', { level: 1, name: '设备健康' }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '健康' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('button', { name: '立即评估' }).click();
    await page.getByRole('status').filter({ hasText: /已评估 \d+ 台设备/ }).waitFor();
    await expect.poll(async () => (await fleetRows()).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(8);
    const rows = await fleetRows();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.health).toBeGreaterThanOrEqual(rows[i - 1]!.health);
  }, 60_000);

  step('puts a CNC with bearing wear first, with a lower health index, its reasons and a remaining useful life', async () => {
    // The demo model is bound to the CNC profile once trained (a few seconds after start), and the
    // anomaly scores want a minute of history before the wear shows.
    await expect.poll(async () => (await platform.store.db.selectFrom('rul_bindings').select('id').execute()).length, { timeout: 60_000 }).toBe(1);
    const settle = 70_000 - (Date.now() - startedAt);
    if (settle > 0) await new Promise((r) => setTimeout(r, settle));
    await platform.factory!.injectFault(device, { kind: 'bearing-wear', severity: 1 });
    platform.factory!.step(wearHours * 3_600_000);

    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: '立即评估' }).click();
          await page.waitForTimeout(1_500);
          const rows = await fleetRows();
          return { first: rows[0]?.device, rul: rows[0]?.rul ?? '' };
        },
        { timeout: 60_000, interval: 3_000 },
      )
      .toMatchObject({ first: `#/devices/${device}`, rul: expect.stringMatching(/^\d+ 分钟$/) });
    const rows = await fleetRows();
    const worn = rows[0]!;
    const others = rows.filter((r) => r.device.startsWith('#/devices/cnc-') && r !== worn);
    expect(others.length).toBe(5);
    for (const o of others) expect(worn.health).toBeLessThan(o.health);
    expect(worn.reasons).toContain('anomaly');
    expect(worn.sparkline).toMatch(new RegExp(`^${device} 健康指数趋势：从 \\d+ 到 ${worn.health}$`));
    // The healthy CNCs' remaining life is at the model's cap.
    for (const o of others) expect(o.rul).toBe('≥ 120 分钟');
    const row = page.getByRole('row', { name: new RegExp(`1号数控机床`) });
    await row.getByText(/(vibration_rms|spindle_temp) 偏离正常/).waitFor();
  }, 180_000);

  step('shows the health and remaining useful life on the device page', async () => {
    await page.getByRole('row').filter({ hasText: '1号数控机床' }).getByRole('link').first().click();
    const card = page.getByTestId('device-health');
    await card.getByRole('heading', { name: '健康与剩余寿命' }).waitFor();
    expect(await card.getByTestId('device-rul').innerText()).toMatch(/^\d+ 分钟$/);
    const health = Number(await card.locator('[data-health]').getAttribute('data-health'));
    expect(health).toBeLessThan(80);
    await card.getByText(/(vibration_rms|spindle_temp) 偏离正常/).waitFor();
    await card.getByRole('img', { name: new RegExp(`^${device} 健康指数趋势`) }).waitFor();
    // The prediction becomes a work order (预测性维护), linked from the card and in the device's history.
    const rul = await card.getByTestId('device-rul').innerText();
    await card.getByRole('button', { name: '按预测创建工单' }).click();
    await card.getByRole('link', { name: `查看工单：预测性维护：${rul}` }).waitFor();
    await page.getByRole('list', { name: '设备履历' }).getByText(`创建工单“预测性维护：${rul}”`).waitFor({ timeout: 15_000 });
  });

  step('renders in English and never scrolls sideways on a 420 px phone', async () => {
    await mkdir(screenshotDir, { recursive: true });
    await page.goto(`${baseUrl}/#/health`);
    for (const [lang, button, heading] of [['en', 'English', 'Equipment health'], ['zh-CN', '中文', '设备健康']] as const) {
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
      if (lang === 'en') await page.locator('table tbody tr').first().getByText(/^\d+ min$/).waitFor();
      for (const width of [1366, 420]) {
        await page.setViewportSize({ width, height: 800 });
        const layout = await page.evaluate(() => {
          const wrap = document.querySelector('.table-wrap');
          return { tableOverflow: wrap ? wrap.scrollWidth - wrap.clientWidth : -1, pageOverflow: document.documentElement.scrollWidth - window.innerWidth };
        });
        await page.screenshot({ path: join(screenshotDir, `health-${lang}-${width}.png`), fullPage: true });
        expect(layout.tableOverflow, `${lang} at ${width} px: the table scrolls sideways`).toBeLessThanOrEqual(0);
        expect(layout.pageOverflow, `${lang} at ${width} px: the page scrolls sideways`).toBeLessThanOrEqual(0);
      }
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });
});
