/**
 * Early-warning notices end to end in a real browser (Debian's Chromium through playwright-core) against
 * the whole platform with the demo seed: the authority issues a signed notice to the demo enterprise
 * (named by code, previewing the recipients first); the enterprise's security analyst sees it in the
 * inbox with its signature verified, acknowledges it and reports disposal; the authority accepts the
 * disposal and the notice shows closed.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { logInAs, screenshotDir, shutDown, startDemoBrowser, stepWithScreenshots } from './support.js';

const title = '某型PLC远程代码执行漏洞预警（端到端）';
const enterprise = '重庆渝联示范工厂';
const summary = '已将全部 PLC 固件升级至 2.4.1，并在边界防火墙限制 502 端口。';

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;
let noticeUrl: string;

const step = stepWithScreenshots(() => page, 'security-notices-');

describe('early-warning notice: issued by the authority, acknowledged and disposed by the enterprise, closed', () => {
  beforeAll(async () => {
    ({ platform, dataDir, browser, page, baseUrl } = await startDemoBrowser('yulian-e2e-notices-'));
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('the authority issues a notice to the demo enterprise', async () => {
    await page.goto(`${baseUrl}/#/security/notices`);
    await logInAs(page, 'demo-authority', demoPassword);
    await page.getByRole('heading', { level: 1, name: '预警通报' }).waitFor();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '预警通报' }).waitFor();
    await page.getByRole('button', { name: '发布通报' }).click();
    const form = page.getByRole('region', { name: '发布预警通报' });
    await form.getByLabel('类别').selectOption('vulnerability');
    await form.getByLabel('危害等级').selectOption('critical');
    await form.getByLabel('标题', { exact: true }).fill(title);
    await form.getByLabel('通报内容').fill('某型号 PLC 固件存在远程代码执行漏洞，攻击者可经 Modbus/TCP 502 端口写入恶意逻辑。');
    await form.getByLabel('漏洞编号').fill('CVE-2026-12345');
    await form.getByLabel('处置建议').fill('升级固件至 2.4.1\n在边界防火墙限制 502 端口访问');
    await form.getByLabel('指定企业').fill('DEMO-0001');
    await form.getByRole('button', { name: '预览接收企业' }).click();
    await form.getByRole('list', { name: '将接收通报的企业' }).getByText(/重庆渝联示范工厂（DEMO-0001/).waitFor();
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'security-notices-issue-form.png'), fullPage: true });
    await form.getByRole('button', { name: '签发通报' }).click();
    await page.getByRole('heading', { level: 1, name: `通报：${title}` }).waitFor();
    noticeUrl = page.url();
    // Numbered, signed, and verified.
    await page.getByRole('definition').filter({ hasText: /渝工信安通〔\d{4}〕\d+号/ }).waitFor();
    await page.getByText('签名已验证').waitFor();
    const recipients = page.getByRole('region', { name: '接收企业' });
    await recipients.getByRole('row').filter({ hasText: enterprise }).filter({ hasText: '待确认' }).waitFor();
  });

  step('the enterprise’s analyst finds it in the inbox, verified, and acknowledges it', async () => {
    await page.goto(`${baseUrl}/#/security/notices`);
    await logInAs(page, 'demo-analyst', demoPassword);
    // Logging in lands on the home page; the notices are in the main navigation.
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '预警通报' }).click();
    await page.getByRole('heading', { level: 1, name: '收到的通报' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: title });
    await row.filter({ hasText: '待确认' }).waitFor();
    await row.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: `通报：${title}` }).waitFor();
    await page.getByText('签名已验证').waitFor();
    await page.getByRole('button', { name: '确认收到' }).click();
    await page.getByText('已确认收到通报。').waitFor();
    await page.getByRole('region', { name: '本企业处置' }).getByText('已确认收到').waitFor();
  });

  step('the analyst reports the disposal', async () => {
    const form = page.getByRole('form', { name: '处置反馈' });
    await form.getByLabel('处置情况').fill(summary);
    await form.getByLabel('采取的措施').fill('固件升级\n防火墙访问控制');
    await page.screenshot({ path: join(screenshotDir, 'security-notices-enterprise.png'), fullPage: true });
    await form.getByRole('button', { name: '提交处置反馈' }).click();
    await page.getByText('处置反馈已提交，等待主管部门审核。').waitFor();
    await page.getByRole('region', { name: '本企业处置' }).getByText('已反馈处置').waitFor();
    expect(await page.getByRole('form', { name: '处置反馈' }).count()).toBe(0);
  });

  step('the authority accepts the disposal and the notice shows closed', async () => {
    await page.goto(noticeUrl);
    await logInAs(page, 'demo-authority', demoPassword);
    await page.goto(noticeUrl);
    await page.getByRole('heading', { level: 1, name: `通报：${title}` }).waitFor();
    const row = page.getByRole('region', { name: '接收企业' }).getByRole('row').filter({ hasText: enterprise });
    await row.getByText(summary, { exact: false }).waitFor();
    await row.getByLabel(`审核意见：${enterprise}`).fill('处置到位，同意办结。');
    await row.getByRole('button', { name: `通过：${enterprise}` }).click();
    await page.getByText(`已通过 ${enterprise} 的处置反馈。`).waitFor();
    await page.getByRole('definition').filter({ hasText: '已办结' }).waitFor();
    await row.getByText('已通过：处置到位，同意办结。').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'security-notices-closed.png'), fullPage: true });
    // The list says so too.
    await page.getByRole('link', { name: '返回通报列表' }).click();
    await page.getByRole('row').filter({ hasText: title }).filter({ hasText: '已办结' }).waitFor();
  });
});
