/**
 * The 告警 / Alarms pages in a real browser (Debian's Chromium through playwright-core) against the whole
 * platform started in-process with the demo seed and its live virtual factory. The demo engineer writes a
 * rule whose expression the server refuses (the position is marked at the field), fixes it to one that
 * always holds on the demo CNC, and sees its alarm arrive on the list; the demo operator acknowledges it,
 * takes it and adds a note; both languages render, and a 420 px phone never scrolls sideways.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { ensureConsoleBuilt, launchPage, logInAs, requireChromium, screenshotDir, shutDown, startDemoPlatform, stepWithScreenshots } from './support.js';

/** A rule name of our own, so a rerun on the same data never collides. */
const ruleName = `E2E 主轴温度 ${randomBytes(3).toString('hex')}`;
const device = 'cnc-01';
const note = '已到现场检查，温度传感器正常。';

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;

const step = stepWithScreenshots(() => page, 'alarms-');
/** Logs a demo user in through the form, after logging out whoever is in. */
const logInDemo = (username: string): Promise<void> => logInAs(page, username, demoPassword);

/** The alarm row of our rule (its row header is the rule's name). */
const alarmRow = () => page.getByRole('row', { name: new RegExp(ruleName) });

describe('alarm pages', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    ({ platform, dataDir } = await startDemoPlatform('yulian-e2e-alarms-', 'admin-Passw0rd'));
    baseUrl = platform.httpUrl;
    ({ browser, page } = await launchPage());
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('shows the server’s refusal of an expression at the field, with the position marked', async () => {
    await page.goto(`${baseUrl}/#/alarms/rules`);
    await logInDemo('demo-engineer');
    await page.getByRole('heading', { level: 1, name: '告警规则' }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '告警' }).getAttribute('aria-current')).toBe('true');
    await page.getByRole('navigation', { name: '告警分区' }).getByRole('link', { name: '告警规则' }).waitFor();

    await page.getByRole('button', { name: '新建规则' }).click();
    const dialog = page.getByRole('dialog', { name: '新建告警规则' });
    await dialog.waitFor();
    await dialog.getByLabel('规则名称 *').fill(ruleName);
    await dialog.getByLabel('级别', { exact: true }).selectOption('critical');
    await dialog.getByLabel('设备', { exact: true }).selectOption(device);
    await dialog.getByLabel('条件类型').selectOption('expression');
    const expression = dialog.getByLabel('表达式 *');
    await expression.fill('spindle_temp > > 80');
    await dialog.getByRole('button', { name: '创建', exact: true }).click();

    await expect.poll(() => expression.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    const marker = dialog.locator('.alarm-position');
    expect(await marker.getAttribute('data-position')).toBe('15');
    expect(await marker.locator('mark').innerText()).toBe('>');
    expect(await marker.locator('figcaption').innerText()).toContain('第 1 行第 16 个字符');
    await dialog.getByText(/第 16 个字符有误/).waitFor();
    expect(await dialog.getByLabel('规则名称 *').getAttribute('aria-invalid')).toBeNull();
  });

  step('saves the fixed rule, which always holds on the demo CNC', async () => {
    const dialog = page.getByRole('dialog', { name: '新建告警规则' });
    const expression = dialog.getByLabel('表达式 *');
    await expression.fill('spindle_temp > -50');
    // Editing the expression drops the marker: it described the text as sent.
    await dialog.locator('.alarm-position').waitFor({ state: 'detached' });
    // Tried on the device's stored history first: it would have fired once and still be active.
    await dialog.getByRole('button', { name: '用近 7 天数据试运行' }).click();
    await expect.poll(() => dialog.getByTestId('rule-trial').innerText(), { timeout: 10_000 }).toMatch(new RegExp(`在 ${device} 上，该规则近 7 天会触发 1 次（\\d+ 个样本）。 当前会处于告警状态。`));
    await dialog.getByRole('button', { name: '创建', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: `已创建规则“${ruleName}”` }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(ruleName) });
    const cells = (await row.locator('th, td').allInnerTexts()).map((t) => t.trim());
    expect(cells.slice(0, 3)).toEqual([ruleName, '紧急', device]);
    expect(cells[3]).toContain('spindle_temp > -50');
    await row.getByRole('button', { name: `编辑规则 ${ruleName}` }).waitFor();
  });

  step('lists the alarm the rule raises from live demo data, active and unacknowledged', async () => {
    await page.getByRole('navigation', { name: '告警分区' }).getByRole('link', { name: '告警', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '告警' }).waitFor();
    await alarmRow().waitFor({ timeout: 20_000 });
    const row = alarmRow();
    await row.getByText('未确认').waitFor();
    await row.getByText('紧急').waitFor();
    expect(await row.getByRole('link', { name: device }).getAttribute('href')).toBe(`#/devices/${device}`);
    // The engineer may acknowledge too; the operator does it below.
    await row.getByRole('button', { name: `确认告警：${ruleName}（${device}）` }).waitFor();
  });

  step('lets the operator acknowledge the alarm, take it and add a note, but not edit rules', async () => {
    await logInDemo('demo-operator');
    await page.goto(`${baseUrl}/#/alarms/rules`);
    await page.getByRole('row', { name: new RegExp(ruleName) }).waitFor();
    expect(await page.getByRole('button', { name: '新建规则' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: `编辑规则 ${ruleName}` }).count()).toBe(0);

    await page.goto(`${baseUrl}/#/alarms`);
    await alarmRow().waitFor({ timeout: 15_000 });
    await alarmRow().getByRole('button', { name: `确认告警：${ruleName}（${device}）` }).click();
    await page.getByRole('status').filter({ hasText: `已确认告警：${ruleName}（${device}）` }).waitFor();
    await alarmRow().getByText('已确认', { exact: true }).waitFor();
    await alarmRow().getByText('demo-operator 已确认').waitFor();
    expect(await alarmRow().getByRole('button', { name: /确认告警/ }).count()).toBe(0);

    await alarmRow().getByRole('button', { name: `告警详情：${ruleName}（${device}）` }).click();
    const dialog = page.getByRole('dialog', { name: `告警：${ruleName}（${device}）` });
    await dialog.waitFor();
    await dialog.getByText('还没有处置记录。').waitFor();
    await dialog.getByRole('button', { name: '指派给我' }).click();
    expect(await dialog.getByLabel('处理人').inputValue()).toBe('demo-operator');
    await dialog.getByRole('button', { name: '指派', exact: true }).click();
    await alarmRow().getByText('处理人：demo-operator').waitFor();

    await dialog.getByLabel('添加处置记录').fill(note);
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    const comment = dialog.getByRole('listitem').filter({ hasText: note });
    await comment.waitFor();
    expect(await comment.innerText()).toMatch(/^demo-operator · /);
    expect(await dialog.getByLabel('添加处置记录').inputValue()).toBe('');
    await dialog.getByRole('button', { name: '关闭' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  step('renders in English and never scrolls sideways on a 420 px phone', async () => {
    await mkdir(screenshotDir, { recursive: true });
    for (const [lang, button] of [['en', 'English'], ['zh-CN', '中文']] as const) {
      await page.getByRole('button', { name: button, exact: true }).click();
      for (const [view, hash, heading] of [
        ['list', '#/alarms', lang === 'en' ? 'Alarms' : '告警'],
        ['rules', '#/alarms/rules', lang === 'en' ? 'Alarm rules' : '告警规则'],
      ] as const) {
        await page.goto(`${baseUrl}/${hash}`);
        await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
        await page.getByRole('row', { name: new RegExp(ruleName) }).waitFor({ timeout: 15_000 });
        if (view === 'list') {
          const row = alarmRow();
          await row.getByText(lang === 'en' ? 'Acknowledged' : '已确认', { exact: true }).waitFor();
          await row.getByText(lang === 'en' ? 'Critical' : '紧急', { exact: true }).waitFor();
        }
        for (const width of [1366, 420]) {
          await page.setViewportSize({ width, height: 800 });
          const layout = await page.evaluate(() => {
            const wrap = document.querySelector('.table-wrap');
            return { tableOverflow: wrap ? wrap.scrollWidth - wrap.clientWidth : -1, pageOverflow: document.documentElement.scrollWidth - window.innerWidth };
          });
          await page.screenshot({ path: join(screenshotDir, `alarms-${view}-${lang}-${width}.png`), fullPage: true });
          expect(layout.tableOverflow, `${view} ${lang} at ${width} px: the table scrolls sideways`).toBeLessThanOrEqual(0);
          expect(layout.pageOverflow, `${view} ${lang} at ${width} px: the page scrolls sideways`).toBeLessThanOrEqual(0);
        }
        await page.setViewportSize({ width: 1366, height: 900 });
      }
    }
  });
});
