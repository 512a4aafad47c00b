/**
 * The console's 点检管理 in a real browser (Debian's Chromium through playwright-core) against the whole
 * platform with the demo seed: the demo engineer opens it from the side nav and sees the demo's round of the
 * VMC line, edits the CNC standard (a duplicate item key is refused and marked at that item), creates a route over the lathe line (cnc-04..06, reordered in the dialog) and a plan for it, and
 * the round the new plan issues at once appears in the rounds list.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { logInAs, shutDown, startDemoBrowser, stepWithScreenshots } from './support.js';

/** The demo's plan (packages/server/src/demo/inspection.ts). */
const demoPlan = '立式加工中心线 三班点检 VMC line, every shift';
const routeName = '车床线日常点检 Lathe line daily round';
const planName = '车床线 三班点检 Lathe line, every shift';

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;

const step = stepWithScreenshots(() => page, 'inspection-setup-');
const cncStandard = '数控机床日常点检 CNC daily inspection';

/** Reads the API as the demo engineer. */
async function api<T>(path: string): Promise<T> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-engineer', password: demoPassword }) });
  const { token } = (await login.json()) as { token: string };
  const r = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.ok, `GET ${path}: ${r.status}`).toBe(true);
  return (await r.json()) as T;
}
const roundRow = (plan: string) => page.getByRole('table', { name: '点检任务' }).getByRole('row').filter({ hasText: plan });

describe('点检管理: the engineer sets up a route and a plan, and oversees the rounds', () => {
  beforeAll(async () => {
    ({ platform, dataDir, browser, page, baseUrl } = await startDemoBrowser('yulian-e2e-inspection-setup-'));
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('the engineer opens 点检管理 and sees the demo’s round', async () => {
    await page.goto(`${baseUrl}/#/`);
    await logInAs(page, 'demo-engineer', demoPassword);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '点检管理' }).click();
    await page.getByRole('heading', { level: 1, name: '点检任务' }).waitFor();
    const row = roundRow(demoPlan).first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/进行中|已超时|已完成/);
    expect(await row.innerText()).toContain('demo-operator');
    expect(await row.innerText()).toMatch(/\d+\/3/);
  });

  step('edits the CNC standard; a refused item is marked where it is', async () => {
    await page.getByRole('navigation', { name: '点检管理分区' }).getByRole('link', { name: '点检标准' }).click();
    await page.getByRole('button', { name: `编辑点检标准：${cncStandard}` }).click();
    const dialog = page.getByRole('dialog', { name: `编辑点检标准：${cncStandard}` });
    await dialog.getByLabel('项 5 标识').fill('guard');
    await dialog.getByRole('button', { name: '保存' }).click();
    // The server names the item (details.field = items.4): its message is shown in that item's box.
    await dialog.getByRole('listitem', { name: '点检项 5' }).getByRole('alert').filter({ hasText: 'Item key guard is used twice.' }).waitFor();
    await dialog.getByLabel('项 5 标识').fill('chips');
    await dialog.getByLabel('项 3 下限').fill('40');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText(`已保存点检标准“${cncStandard}”。`).waitFor();
    const { items } = await api<{ items: { name: string; items: { key: string; min?: number }[] }[] }>('/api/v1/inspection/standards');
    const oil = items.find((s) => s.name === cncStandard)?.items.find((i) => i.key === 'oil_level');
    expect(oil?.min).toBe(40);
  });

  step('creates a route over cnc-04..06 in walking order', async () => {
    await page.getByRole('navigation', { name: '点检管理分区' }).getByRole('link', { name: '路线与计划' }).click();
    await page.getByRole('button', { name: '新建路线' }).click();
    const dialog = page.getByRole('dialog', { name: '新建点检路线' });
    await dialog.getByLabel('路线名称').fill(routeName);
    for (const device of ['cnc-05', 'cnc-04', 'cnc-06']) {
      await dialog.getByLabel('选择设备').selectOption(device);
      await dialog.getByRole('button', { name: '加入路线' }).click();
    }
    await dialog.getByRole('button', { name: '上移 cnc-04' }).click();
    expect(await dialog.getByRole('list', { name: '路线设备（巡检顺序）' }).getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('cnc-04'),
      expect.stringContaining('cnc-05'),
      expect.stringContaining('cnc-06'),
    ]);
    await dialog.getByRole('button', { name: '创建' }).click();
    await page.getByText(`已创建点检路线“${routeName}”。`).waitFor();
    const row = page.getByRole('table', { name: '点检路线' }).getByRole('row').filter({ hasText: routeName });
    expect(await row.innerText()).toContain('cnc-04 → cnc-05 → cnc-06');
  });

  step('creates a plan for it; its round appears in the rounds list', async () => {
    await page.getByRole('button', { name: '新建计划' }).click();
    const dialog = page.getByRole('dialog', { name: '新建点检计划' });
    await dialog.getByLabel('计划名称').fill(planName);
    await dialog.getByLabel('点检路线').selectOption({ label: routeName });
    await dialog.getByLabel('每天时间').fill('00:00, 08:00, 16:00');
    await dialog.getByLabel('点检人').fill('demo-operator, nobody-here');
    await dialog.getByRole('button', { name: '创建' }).click();
    // The server names the field it refuses: the unknown assignee is shown at 点检人.
    await dialog.getByText('No user nobody-here').waitFor();
    await dialog.getByLabel('点检人').fill('demo-operator, demo-engineer');
    await dialog.getByRole('button', { name: '创建' }).click();
    await page.getByText(`已创建点检计划“${planName}”。`).waitFor();
    await page.getByRole('navigation', { name: '点检管理分区' }).getByRole('link', { name: '点检任务' }).click();
    const row = roundRow(planName).first();
    await row.waitFor();
    expect(await row.innerText()).toContain(routeName);
    expect(await row.innerText()).toContain('0/3');
    expect(await row.innerText()).toContain('进行中');
  });
});
