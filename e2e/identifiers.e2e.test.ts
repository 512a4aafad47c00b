/**
 * The 标识解析 / Identifiers pages in a real browser (Debian's Chromium through playwright-core) against
 * the whole platform started in-process with the demo seed (88 → 88.100 → 88.100.1). The demo enterprise's
 * admin browses 88.100.1, registers a product from the template (the server refuses a bad date first),
 * opens it, runs a small CSV bulk job with its per-row report and applies for a prefix, which the demo
 * registrar approves; the statistics page shows the plan's four targets in Chinese and in English.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { ensureConsoleBuilt, launchPage, logInAs, requireChromium, screenshotDir, shutDown, startDemoPlatform, stepWithScreenshots } from './support.js';

/** Suffixes and codes of our own, so a rerun on the same data never collides. */
const tag = randomBytes(3).toString('hex');
const suffix = `E2E-${tag}`;
const identifier = `88.100.1/${suffix}`;
// Prefixes are stored upper-case (prefix segments compare case-insensitively).
const requestedCode = `E2E${tag.toUpperCase()}`;
const appliedPrefix = `88.100.${requestedCode}`;

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;

const step = stepWithScreenshots(() => page, 'identifiers-');
/** Logs a demo user in through the form, after logging out whoever is in. */
const logInDemo = (username: string): Promise<void> => logInAs(page, username, demoPassword);

/** The cells of the row named `name` (its row header), row header first. */
async function rowTexts(name: string | RegExp): Promise<string[]> {
  const row = page.getByRole('row', { name });
  await row.first().waitFor();
  return (await row.first().locator('th, td').allInnerTexts()).map((t) => t.trim());
}

describe('identifier pages', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    ({ platform, dataDir } = await startDemoPlatform('yulian-e2e-identifiers-', 'admin-Passw0rd'));
    baseUrl = platform.httpUrl;
    ({ browser, page } = await launchPage());
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('browses the demo enterprise’s identifiers under 88.100.1, in Chinese', async () => {
    await page.goto(`${baseUrl}/#/identifiers`);
    await logInDemo('demo-admin');
    await page.getByRole('heading', { level: 1, name: '标识解析' }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '标识解析' }).getAttribute('aria-current')).toBe('page');
    const sections = page.getByRole('navigation', { name: '标识解析分区' });
    for (const name of ['标识', '批量注册', '企业前缀', '统计']) await sections.getByRole('link', { name, exact: true }).waitFor();
    await page.getByRole('table', { name: /前缀 88\.100\.1 下的标识/ }).waitFor();
    await page.getByRole('link', { name: '88.100.1/RV40E.202106.0023' }).waitFor();
    await page.getByRole('link', { name: '88.100.1/dev.cnc-01' }).waitFor();
  });

  step('registers a product from the template after the server refuses a bad production date', async () => {
    await page.getByRole('button', { name: '注册标识' }).click();
    const dialog = page.getByRole('dialog', { name: '按模板注册标识' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('模板').inputValue()).toBe('product');
    expect(await dialog.getByLabel('前缀 *').inputValue()).toBe('88.100.1');
    await dialog.getByLabel('后缀 *').fill(suffix);
    await dialog.getByLabel('产品名称 *').fill('深沟球轴承 6205');
    await dialog.getByLabel('型号').fill('6205-2RS');
    await dialog.getByLabel('批次').fill('2025-B07');
    await dialog.getByLabel('生产日期').fill('2025-02-30');
    await dialog.getByLabel('生产企业 *').fill('重庆渝联演示机械有限公司');
    await dialog.getByRole('button', { name: '注册', exact: true }).click();

    const date = dialog.getByLabel('生产日期');
    await expect.poll(() => date.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    await dialog.getByText('不是有效日期，请按 YYYY-MM-DD 填写。').waitFor();
    expect(await dialog.getByLabel('产品名称 *').getAttribute('aria-invalid')).toBeNull();

    await date.fill('2025-02-28');
    await dialog.getByRole('button', { name: '注册', exact: true }).click();
    await page.waitForURL(`**/#/identifiers/${encodeURIComponent(identifier)}`, { timeout: 15_000 });
  });

  step('opens the new identifier with its values, QR code and public page link', async () => {
    await page.getByRole('heading', { level: 1, name: `标识 ${identifier}` }).waitFor();
    await page.getByRole('status').filter({ hasText: `已注册标识 ${identifier}` }).waitFor();
    await page.getByText('模板：产品').waitFor();
    await page.getByRole('table', { name: /标识数据/ }).waitFor();
    expect(await rowTexts(/^2 /)).toEqual(['2', expect.stringContaining('product.name'), 'string', '深沟球轴承 6205', '86400 s (1 d)', expect.any(String)]);
    expect((await rowTexts(/^5 /))[3]).toBe('2025-02-28');
    expect((await rowTexts(/^100 /))[3]).toContain('0.NA/88.100.1:300');
    expect((await rowTexts(/^1001 /))[3]).toBe('product@1');
    // Registered under the demo enterprise's prefix, so signed with its SM2 key; the server checked it.
    expect(await page.locator('[data-signature]').getAttribute('data-signature')).toBe('valid');
    await page.getByText('✓ SM2 签名有效').waitFor();
    await page.getByText(/签名者 300:0\.NA\/88\.100\.1/).waitFor();
    const qr = page.getByRole('img', { name: `标识 ${identifier} 的二维码` });
    expect(await qr.getAttribute('src')).toBe(`/qr/svg/88.100.1/${suffix}`);
    expect(await page.getByRole('link', { name: '打开公共页' }).getAttribute('href')).toBe(`/r/88.100.1/${suffix}`);

    // The same record through the API a Handle client uses.
    const resolved = await fetch(`${baseUrl}/api/handles/${identifier}?type=product.productionDate`).then((r) => r.json() as Promise<{ values: Array<{ data: { value: string } }> }>);
    expect(resolved.values[0]?.data.value).toBe('2025-02-28');
  });

  step('refuses to register an identifier that exists already', async () => {
    await page.goto(`${baseUrl}/#/identifiers`);
    await page.getByRole('button', { name: '注册标识' }).click();
    const dialog = page.getByRole('dialog', { name: '按模板注册标识' });
    await dialog.getByLabel('后缀 *').fill(suffix);
    await dialog.getByLabel('产品名称 *').fill('另一个产品');
    await dialog.getByLabel('生产企业 *').fill('别家');
    await dialog.getByRole('button', { name: '注册', exact: true }).click();
    await dialog.getByText('该标识已存在，请换一个后缀。').waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
    await page.goto(`${baseUrl}/#/identifiers/${encodeURIComponent(identifier)}`);
    expect((await rowTexts(/^2 /))[3]).toBe('深沟球轴承 6205');
  });

  step('edits the identifier through its template, the server checking the fields again', async () => {
    await page.getByRole('button', { name: '编辑', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `编辑标识 ${identifier}` });
    expect(await dialog.getByLabel('批次').inputValue()).toBe('2025-B07');
    await dialog.getByLabel('生产日期').fill('28.02.2025');
    await dialog.getByLabel('批次').fill('2025-B08');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.getByText('不是有效日期，请按 YYYY-MM-DD 填写。').waitFor();
    await dialog.getByLabel('生产日期').fill('2025-02-27');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `已保存标识 ${identifier}` }).waitFor();
    expect((await rowTexts(/^4 /))[3]).toBe('2025-B08');
    expect((await rowTexts(/^5 /))[3]).toBe('2025-02-27');
  });

  step('does not offer to edit a device identifier the platform registered in its own layout', async () => {
    await page.goto(`${baseUrl}/#/identifiers/${encodeURIComponent('88.100.1/dev.cnc-01')}`);
    await page.getByRole('heading', { level: 1, name: '标识 88.100.1/dev.cnc-01' }).waitFor();
    await page.getByText('模板：设备').waitFor();
    await page.getByText(/不能按模板编辑/).waitFor();
    expect(await page.getByRole('button', { name: '编辑', exact: true }).count()).toBe(0);
    expect((await rowTexts(/^4 /))[1]).toContain('device.serial');
  });

  step('deletes an identifier after asking', async () => {
    const doomed = `88.100.1/${suffix}-gone`;
    const token = await platform.app
      .inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'demo-admin', password: demoPassword } })
      .then((r) => r.json<{ token: string }>().token);
    const put = await platform.app.inject({
      method: 'PUT',
      url: `/api/handles/${doomed}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { values: [{ index: 2, type: 'product.name', data: { format: 'string', value: '待删除' } }] },
    });
    expect(put.statusCode).toBe(201);
    await page.goto(`${baseUrl}/#/identifiers/${encodeURIComponent(doomed)}`);
    await page.getByRole('button', { name: '删除标识' }).click();
    const dialog = page.getByRole('dialog', { name: '删除标识' });
    expect(await dialog.innerText()).toContain(doomed);
    await dialog.getByRole('button', { name: '删除', exact: true }).click();
    await page.waitForURL('**/#/identifiers');
    await page.getByRole('status').filter({ hasText: `已删除标识 ${doomed}` }).waitFor();
    const listed = await platform.app.inject({ url: '/api/handles?prefix=88.100.1&page=0&pageSize=1000', headers: { authorization: `Bearer ${token}` } });
    expect(listed.json<{ handles: string[] }>().handles).not.toContain(doomed);
  });

  step('uploads a small CSV bulk job, sees it complete and reads its per-row report', async () => {
    await page.getByRole('navigation', { name: '标识解析分区' }).getByRole('link', { name: '批量注册' }).click();
    await page.getByRole('heading', { level: 1, name: '批量注册' }).waitFor();
    const form = page.getByRole('form', { name: '新建批量注册任务' });
    await expect.poll(() => form.getByLabel('前缀 *').inputValue()).toBe('88.100.1');
    const csv = [
      'suffix,name,model,batch,productionDate,manufacturer',
      `B-${tag}-1,齿轮箱,GB-1,2025-01,2025-01-15,渝联`,
      `B-${tag}-2,齿轮箱,GB-1,2025-01,2025-13-01,渝联`,
      `B-${tag}-3,齿轮箱,GB-1,2025-01,,渝联`,
    ].join('\n');
    await form.getByLabel('文件 *').setInputFiles({ name: 'gearboxes.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`) });
    await form.getByRole('button', { name: '上传并开始' }).click();
    await page.getByRole('status').filter({ hasText: '已创建前缀 88.100.1 的批量注册任务' }).waitFor();

    const table = page.getByRole('table', { name: /批量注册任务/ });
    const row = table.getByRole('row').filter({ hasText: '88.100.1' }).first();
    await expect.poll(async () => (await row.locator('td').allInnerTexts()).join('|'), { timeout: 15_000 }).toContain('已完成');
    const cells = (await row.locator('td').allInnerTexts()).map((t) => t.trim());
    expect(cells[3]).toContain('100%');
    expect(cells[4]).toBe('2');
    expect(cells[5]).toBe('1');

    await row.getByRole('button', { name: '错误报告' }).click();
    const report = page.getByRole('dialog', { name: '错误报告 · 88.100.1' });
    await report.getByRole('table', { name: /逐行错误/ }).waitFor();
    expect(await rowTexts(/^3 /)).toEqual(['3', 'productionDate', 'INVALID_DATE', expect.stringContaining('2025-13-01')]);
    await report.getByRole('button', { name: '关闭' }).click();
  });

  step('applies for a prefix as the enterprise admin', async () => {
    await page.getByRole('navigation', { name: '标识解析分区' }).getByRole('link', { name: '企业前缀' }).click();
    const form = page.getByRole('form', { name: '申请企业前缀' });
    await form.getByLabel('企业名称 *').fill('重庆渝联演示机械有限公司');
    await form.getByLabel('统一社会信用代码 *').fill('91350100M000100Y4X');
    await form.getByLabel('联系人 *').fill('张工 13800000000');
    await form.getByLabel('申请的企业编号').fill(requestedCode);
    await form.getByRole('button', { name: '提交申请' }).click();
    // A wrong check character is the server's to find; it names the field.
    await form.getByRole('alert').filter({ hasText: '统一社会信用代码无效' }).waitFor();
    expect(await form.getByLabel('统一社会信用代码 *').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('统一社会信用代码 *').fill('91350100M000100Y43');
    await form.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('status').filter({ hasText: `已提交前缀 ${appliedPrefix} 的申请` }).waitFor();
    expect((await rowTexts(new RegExp(`^${appliedPrefix.replaceAll('.', '\\.')}`)))[2]).toContain('待审核');
  });

  step('approves the application with a quota as the registrar', async () => {
    await logInDemo('demo-registrar');
    await page.goto(`${baseUrl}/#/identifiers/prefixes`);
    await page.getByRole('heading', { level: 1, name: '企业前缀' }).waitFor();
    expect(await page.getByLabel('状态').inputValue()).toBe('pending');
    await page.getByRole('button', { name: `批准 ${appliedPrefix}` }).click();
    const dialog = page.getByRole('dialog', { name: `批准前缀 ${appliedPrefix}` });
    await dialog.getByLabel('配额').fill('5000');
    await dialog.getByRole('button', { name: '批准', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `已批准前缀 ${appliedPrefix}` }).waitFor();

    await page.getByLabel('状态').selectOption('approved');
    const cells = await rowTexts(new RegExp(`^${appliedPrefix.replaceAll('.', '\\.')}`));
    expect(cells[2]).toContain('已批准');
    expect(cells[3]).toBe('5,000');
  });

  step('shows the statistics against the plan’s four targets, in Chinese and in English', async () => {
    await page.getByRole('navigation', { name: '标识解析分区' }).getByRole('link', { name: '统计' }).click();
    await page.getByRole('heading', { level: 1, name: '标识统计' }).waitFor();
    for (const [name, target] of [
      ['标识注册量', '目标 200亿'],
      ['标识解析量', '目标 80亿'],
      ['二级节点', '目标 40'],
      ['接入企业', '目标 3,000'],
    ]) {
      const card = page.getByRole('region', { name });
      expect(await card.innerText()).toContain(target);
    }
    // Enterprises are counted once however many prefixes they hold: the demo enterprise has two now.
    expect(await page.getByRole('region', { name: '接入企业' }).locator('.target-current').innerText()).toBe('1');
    await page.getByRole('table', { name: /各前缀统计/ }).waitFor();
    await page.getByRole('img', { name: /每日注册量与解析量图表/ }).waitFor();

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Identifier statistics' }).waitFor();
    for (const [name, target] of [
      ['Registrations', 'Target 20B'],
      ['Resolutions', 'Target 8B'],
      ['Secondary nodes', 'Target 40'],
      ['Enterprises', 'Target 3,000'],
    ]) {
      expect(await page.getByRole('region', { name, exact: true }).innerText()).toContain(target);
    }
    await page.getByRole('table', { name: /Per prefix/ }).waitFor();
  });

  step('fits the identifier pages at 1366 px and 420 px without scrolling sideways', async () => {
    await mkdir(screenshotDir, { recursive: true });
    for (const width of [1366, 420]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [view, path] of [
        ['list', '/identifiers'],
        ['record', `/identifiers/${encodeURIComponent(identifier)}`],
        ['bulk', '/identifiers/bulk'],
        ['prefixes', '/identifiers/prefixes'],
        ['stats', '/identifiers/stats'],
      ] as const) {
        await page.goto(`${baseUrl}/#${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(screenshotDir, `identifiers-${view}-${width}.png`), fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
      }
    }
    await page.setViewportSize({ width: 1366, height: 900 });
  });
});
