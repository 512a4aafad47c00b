/**
 * 设备健康 / Equipment health in a real browser (Debian's Chromium through playwright-core) against the whole
 * platform started in-process with the demo seed and its live virtual factory. The demo trains its
 * bearing-wear RUL model at start and binds it to the CNC profile. A bearing-wear fault is injected into
 * cnc-01 and the virtual factory's clock is moved on 3 hours of wear; the engineer assesses the fleet:
 * the list is sorted by risk with cnc-01 first, showing a lower health index, its reasons and a remaining
 * useful life, and the device page's card shows the same. The fault is then aged further (3¾ and 4½ hours
 * of wear) with an assessment after each: the card's 剩余寿命趋势 plots the RUL falling from the model's cap
 * (healthy, before the fault) to well below it. The health page's 剩余寿命模型 shows the CNC profile's bound
 * model, binds it again and refuses a corrupted model file with MODEL_INVALID; both languages render, and a
 * 420 px phone never scrolls sideways.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, simBearingModelName, type Platform } from '@yulian/server';
import { logInAs, screenshotDir, shutDown, startDemoBrowser, stepWithScreenshots } from './support.js';

const device = 'cnc-01';
/** The demo's CNC profile (server demo/assets.ts), to which the demo binds its bearing-wear model. */
const demoCncProfileName = '数控机床 CNC machine (YL)';
/** Hours of wear the factory's clock is moved on: severity 1 then vibrates 5.5 × normal (failure at 6 ×). */
const wearHours = 3;

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;
let startedAt: number;

const step = stepWithScreenshots(() => page, 'health-');

/** Later ages of the bearing fault, hours: each wears the bearing more (it fails at 3⅓ hours of wear). */
const laterWearHours = [3.75, 4.5];

let engineerToken: string | undefined;

/** Calls the API as demo-engineer (logged in once). */
async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  if (!engineerToken) {
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-engineer', password: demoPassword }) });
    engineerToken = ((await login.json()) as { token: string }).token;
  }
  const token = engineerToken;
  const r = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

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
    // A healthy assessment first: the bearing's remaining life at the model's cap, the trend's first prediction.
    await expect
      .poll(
        async () => {
          await api('POST', '/api/v1/health/assess');
          return ((await api('GET', `/api/v1/devices/${device}/health`)) as { latest: { rul: number | null } | null }).latest?.rul ?? null;
        },
        { timeout: 60_000, interval: 3_000 },
      )
      .toBeGreaterThanOrEqual(0.97 * 120); // the demo model's cap: 120 minutes
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

  step('plots the remaining useful life falling from the model’s cap as the bearing wears on', async () => {
    // The bearing ages on (a later fault age: more wear, past the failure factor) and the engineer assesses
    // after each, so that the trend ends with predictions at increasing wear.
    for (const ageHours of laterWearHours) {
      await api('POST', '/api/v1/sim/faults', { device, kind: 'bearing-wear', severity: 1, ageHours });
      await new Promise((r) => setTimeout(r, 1_500)); // the gateway reads the machine each second
      await api('POST', '/api/v1/health/assess');
    }
    await page.reload();
    const chart = page.getByTestId('device-health').getByTestId('rul-trend');
    const series = chart.locator('[data-series="rul"]');
    await series.waitFor();
    const plotted = (await series.getAttribute('data-values'))!.split(',');
    const values = plotted.filter((v) => v !== '').map(Number);
    const cap = Number(await series.getAttribute('data-cap'));
    console.log(`plotted RUL (cap ${cap}): ${plotted.join(' ')}`);
    expect(await series.getAttribute('data-unit-seconds')).toBe('60');
    // Healthy before the fault: at the model's cap ("≥ 120 分钟"); then, worn, well below it.
    expect(values.length).toBeGreaterThanOrEqual(1 + laterWearHours.length);
    expect(values[0]).toBeGreaterThanOrEqual(0.97 * cap);
    const worn = values.slice(-laterWearHours.length);
    for (const v of worn) expect(v).toBeLessThan(0.97 * cap);
    expect(worn.reduce((a, v) => a + v, 0) / worn.length).toBeLessThanOrEqual(values[0]! - 0.3 * cap);
    const last = values[values.length - 1]!;
    await chart.getByRole('img', { name: `${device} 剩余寿命趋势（分钟）：从 ${values[0]} 到 ${last}` }).waitFor();
    await chart.getByText('剩余寿命趋势（分钟）', { exact: true }).waitFor();
    // The same values in the chart's data table, for screen readers.
    await chart.getByText('数据表').click();
    const table = chart.getByRole('table', { name: `${device} 剩余寿命数据` });
    expect(await table.locator('tbody td').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-rul-value')))).toEqual(plotted);
    expect(await table.locator('tbody tr').last().locator('td').innerText()).toBe(String(last));
  }, 60_000);

  step('shows the CNC profile’s bound model, binds it again and refuses a corrupted model file with MODEL_INVALID', async () => {
    await page.goto(`${baseUrl}/#/health`);
    const section = page.getByRole('region', { name: '剩余寿命模型' });
    expect(await section.getByLabel('设备型号', { exact: true }).locator('option:checked').innerText()).toBe(demoCncProfileName);
    const bound = section.getByLabel('已绑定的模型');
    await bound.getByText(simBearingModelName, { exact: true }).waitFor();
    await bound.getByText(/^\d+(\.\d)? 个周期（\d+ 台验证设备）$/).waitFor();
    // The binding form starts from the current mapping, which the server accepts as it is.
    const bind = section.getByRole('form', { name: `将模型绑定到 ${demoCncProfileName}` });
    expect(await bind.getByLabel('输入 1 的聚合方式').inputValue()).toBe('max');
    await bind.getByRole('button', { name: '绑定模型' }).click();
    await section.getByRole('status').filter({ hasText: `已将模型“${simBearingModelName}”绑定到 ${demoCncProfileName}。` }).waitFor();
    // A model file altered after training is refused, with the server's reason.
    const upload = section.getByRole('form', { name: '上传模型文件' });
    await upload.getByLabel('模型文件').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"yulian-rul-model","version":1,"body":{}}') });
    await upload.getByRole('button', { name: '上传模型' }).click();
    const alert = section.getByRole('alert');
    await alert.getByText('模型文件无效', { exact: false }).first().waitFor();
    expect(await alert.locator('code').innerText()).toBe('MODEL_INVALID');
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
