/**
 * The security situation end to end in a real browser (Debian's Chromium through playwright-core) against
 * the whole platform with the demo seed: a scripted Modbus attack from another loopback address hits a
 * demo machine through its guard; the authority opens 安全态势 and finds 两江新区 (the demo enterprise's
 * district) attacked on the district view, drills down to the enterprise's assets and sees the attacker
 * as an unregistered client; the enterprise's security analyst finds the event in 安全事件 and acknowledges it.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { runAttack } from '@yulian/sim';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { logInAs, screenshotDir, shutDown, startDemoBrowser, stepWithScreenshots } from './support.js';

const attacker = '127.0.0.83';
const enterprise = '重庆渝联示范工厂';

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;

const step = stepWithScreenshots(() => page, 'security-situation-');

describe('security situation: an attack shows on the district view and in the events list', () => {
  beforeAll(async () => {
    ({ platform, dataDir, browser, page, baseUrl } = await startDemoBrowser('yulian-e2e-situation-'));
    const cnc = platform.security.guards().find((g) => g.deviceId.startsWith('cnc'));
    if (!cnc) throw new Error('the demo has no guarded CNC machine');
    const report = await runAttack('unauthorized-command', { targets: [{ host: '127.0.0.1', port: cnc.listen.port, unitId: 1 }], from: attacker });
    expect(report.connections).toBeGreaterThan(0);
    const end = Date.now() + 15_000;
    for (;;) {
      await platform.security.flush();
      const events = await platform.security.events.list({ kind: 'all' }, { sourceIp: attacker });
      if (events.length > 0) break;
      if (Date.now() > end) throw new Error(`no security event from ${attacker}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('the authority sees 两江新区 attacked on the district view', async () => {
    await page.goto(`${baseUrl}/#/security`);
    await logInAs(page, 'demo-authority', demoPassword);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '安全态势' }).click();
    await page.getByRole('heading', { level: 1, name: '安全态势' }).waitFor();
    const districts = page.getByRole('table', { name: /^区县态势/ });
    const liangjiang = districts.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '两江新区' }) });
    await liangjiang.getByText(/受攻击/).waitFor();
    const events = Number(await liangjiang.locator('td[data-label="事件"]').innerText());
    expect(events).toBeGreaterThan(0);
    await liangjiang.getByText(/风险最高的企业 重庆渝联示范工厂/).waitFor();
    // The other demo enterprise's district shows, not attacked.
    const bishan = districts.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '璧山区' }) });
    expect(await bishan.getByText(/受攻击/).count()).toBe(0);
    // The top sources name the attacker; the top techniques name T0855 with its ATT&CK name.
    await page.getByRole('table', { name: /^主要攻击来源/ }).getByRole('rowheader', { name: attacker }).waitFor();
    await page.getByRole('table', { name: /^主要攻击技术/ }).getByText('T0855 未授权命令消息').waitFor();
    await page.getByRole('img', { name: '事件趋势图：每个时段的事件数' }).waitFor();
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'security-situation-district-view.png'), fullPage: true });
  });

  step('drills down from 两江新区 to the enterprise and its assets: the attacker is an unregistered client', async () => {
    await page.getByRole('table', { name: /^区县态势/ }).getByRole('button', { name: '两江新区' }).click();
    const list = page.getByRole('table', { name: /^两江新区 的企业/ });
    await list.getByRole('rowheader', { name: enterprise }).waitFor();
    await list.getByRole('button', { name: `查看资产：${enterprise}` }).click();
    const assets = page.getByRole('table', { name: new RegExp(`^${enterprise} 的资产`) });
    const row = assets.getByRole('row').filter({ has: page.getByRole('rowheader', { name: attacker }) });
    await row.getByText('未登记（流量发现）').waitFor();
    await row.getByText(/未登记的主机在访问工控设备/).waitFor();
    await assets.getByRole('row').filter({ hasText: '已登记设备' }).first().waitFor();
  });

  step('the authority puts the demo enterprise on the city list of critical protection objects', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '防护对象' }).click();
    await page.getByRole('heading', { level: 1, name: '关键保护对象' }).waitFor();
    const form = page.getByRole('form', { name: '列入关键保护对象' });
    await form.getByLabel('名录').selectOption('city');
    await form.getByLabel('企业编码').fill('DEMO-0001');
    await form.getByLabel('列入理由').fill('市级重点装备制造企业（端到端）');
    await form.getByRole('button', { name: '列入名录' }).click();
    await page.getByText('已列入市级名录。').waitFor();
    await page.getByRole('table', { name: /^关键保护对象/ }).getByRole('row').filter({ hasText: '市级重点装备制造企业（端到端）' }).getByRole('rowheader', { name: enterprise }).waitFor();
  });

  step('the enterprise’s analyst finds the event in 安全事件 and acknowledges it', async () => {
    await logInAs(page, 'demo-analyst', demoPassword);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '安全事件' }).click();
    await page.getByRole('heading', { level: 1, name: '安全事件' }).waitFor();
    await page.getByLabel('来源地址').fill(attacker);
    await page.getByRole('button', { name: '筛选' }).click();
    const row = page.getByRole('table', { name: /^安全事件/ }).getByRole('row').filter({ hasText: attacker }).first();
    await row.getByText(/T0855/).waitFor();
    await row.getByRole('combobox').selectOption('acknowledged');
    await page.getByText('事件状态已改为“已确认”。').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'security-situation-events.png'), fullPage: true });
  });

  step('the analyst sees the listing, the guards, and a rule file’s errors with their lines in 监测设置', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '防护对象' }).click();
    await page.getByRole('table', { name: /^关键保护对象/ }).getByRole('rowheader', { name: enterprise }).waitFor();
    expect(await page.getByRole('form', { name: '列入关键保护对象' }).count()).toBe(0);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '监测设置' }).click();
    await page.getByRole('heading', { level: 1, name: '监测设置' }).waitFor();
    await page.getByRole('table', { name: /^防护网关/ }).getByRole('rowheader', { name: /^cnc-/ }).first().waitFor();
    const check = page.getByRole('form', { name: '规则文件检查' });
    await check.getByLabel('规则文件（YAML）').fill('- id: 900001\n  level: 99\n  title: 坏规则\n');
    await check.getByRole('button', { name: '检查' }).click();
    await check.getByRole('alert').getByText(/第 \d+ 行第 \d+ 列/).first().waitFor();
  });
});
