/**
 * 振动诊断 / Vibration diagnosis in a real browser (Debian's Chromium through playwright-core) against the
 * whole platform started in-process with the demo seed and its live virtual factory. The demo engineer
 * opens air compressor 1 from its device page, measures a healthy burst (no fault found, zone A), then
 * the compressor's bearing is given wear and the next burst shows the outer-race finding at BPFO, with
 * BPFO marked in the envelope spectrum and the table of marked frequencies within one bin of the
 * bearing's kinematic frequency; the page renders in English too and never scrolls sideways on a phone.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { logInAs, screenshotDir, shutDown, startDemoBrowser, stepWithScreenshots } from './support.js';

const device = 'compressor-01';

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;

const step = stepWithScreenshots(() => page, 'diagnosis-');
const findings = () => page.getByRole('region', { name: '诊断结论' });
/** The number in a cell of the marked-frequencies table. */
const cellNumber = async (row: ReturnType<Page['getByRole']>, column: number): Promise<number> => Number(await row.getByRole('cell').nth(column).innerText());

describe('vibration diagnosis page', () => {
  beforeAll(async () => {
    ({ platform, dataDir, browser, page, baseUrl } = await startDemoBrowser('yulian-e2e-diagnosis-'));
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('opens the diagnosis from the device page and measures a healthy burst', async () => {
    await page.goto(`${baseUrl}/#/devices/${device}`);
    await logInAs(page, 'demo-engineer', demoPassword);
    await page.getByRole('link', { name: '振动诊断', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `振动诊断 ${device}` }).waitFor();
    await page.getByRole('button', { name: '立即采集' }).click();
    await findings().getByText('未见异常').waitFor();
    await page.getByRole('region', { name: '波形指标' }).getByText('A 区').waitFor();
    expect(await findings().locator('[data-kind^="bearing"]').count()).toBe(0);
    await page.getByRole('heading', { name: '轴承 ZA-2115 故障特征频率' }).waitFor();
  });

  step('shows the injected bearing wear as an outer-race finding with BPFO marked within one bin', async () => {
    await platform.factory!.injectFault(device, { kind: 'bearing-wear', severity: 1 });
    await page.getByRole('button', { name: '立即采集' }).click();
    const finding = findings().getByRole('listitem').filter({ hasText: '轴承外圈故障（BPFO）' });
    await finding.waitFor();
    await finding.getByText(/包络谱 [\d.]+ Hz 处的谱线高出本底 [\d.]+ dB/).waitFor();

    // The bearing's BPFO as the page lists it, and the marked line found there.
    const facts = page.locator('.diagnosis-bearing');
    const bpfoHz = Number((await facts.locator('div', { hasText: 'BPFO' }).locator('dd').innerText()).replace(' Hz', ''));
    const resolutionHz = 25_600 / 16_384;
    const table = page.getByRole('table', { name: /标记频率/ });
    const row = table.getByRole('row', { name: /^BPFO\b/ });
    await row.waitFor();
    expect(Math.abs((await cellNumber(row, 2)) - bpfoHz)).toBeLessThanOrEqual(resolutionHz);
    expect(await cellNumber(row, 3)).toBeGreaterThan(12);
    await table.getByRole('row', { name: /^1×/ }).waitFor();

    // Both spectra are drawn, the envelope spectrum with BPFO among its marks.
    const charts = page.getByTestId('spectrum-chart');
    await expect.poll(() => charts.count()).toBe(2);
    expect(await charts.nth(0).getAttribute('aria-label')).toMatch(/加速度频谱，标记频率：1× /);
    expect(await charts.nth(1).getAttribute('aria-label')).toMatch(/BPFO [\d.]+ Hz.*2×BPFO/);
    const painted = await charts.nth(1).evaluate((el) => {
      const canvas = el.querySelector('canvas');
      return canvas !== null && canvas.width > 0 && canvas.height > 0;
    });
    expect(painted).toBe(true);
  });

  step('renders in English and never scrolls sideways on a 420 px phone', async () => {
    await mkdir(screenshotDir, { recursive: true });
    for (const [lang, button] of [['en', 'English'], ['zh-CN', '中文']] as const) {
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: lang === 'en' ? `Vibration diagnosis ${device}` : `振动诊断 ${device}` }).waitFor();
      await page.getByText(lang === 'en' ? 'Bearing outer race defect (BPFO)' : '轴承外圈故障（BPFO）').waitFor();
      for (const width of [1366, 420]) {
        await page.setViewportSize({ width, height: 800 });
        const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        await page.screenshot({ path: join(screenshotDir, `diagnosis-${lang}-${width}.png`), fullPage: true });
        expect(pageOverflow, `${lang} at ${width} px: the page scrolls sideways`).toBeLessThanOrEqual(0);
      }
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });
});
