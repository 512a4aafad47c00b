/**
 * Enterprise grading and security inspections end to end in a real browser against the whole platform with
 * the demo seed: the demo enterprise's admin fills in the industrial questionnaire and submits it; the
 * authority confirms the proposed level 3, schedules an inspection on the level-3 checklist and records one
 * finding; the enterprise reports its rectification; the authority accepts it and the inspection closes.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { logInAs, screenshotDir, shutDown, startDemoBrowser, stepWithScreenshots } from './support.js';

const enterprise = '重庆渝联示范工厂';

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;

const step = stepWithScreenshots(() => page, 'security-grading-');

describe('enterprise grading and a security inspection, from self-assessment to a closed inspection', () => {
  beforeAll(async () => {
    ({ platform, dataDir, browser, page, baseUrl } = await startDemoBrowser('yulian-e2e-grading-'));
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('the enterprise admin fills in the questionnaire and submits it', async () => {
    await page.goto(`${baseUrl}/#/security/grading`);
    await logInAs(page, 'demo-admin', demoPassword);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '企业分级' }).click();
    await page.getByRole('heading', { level: 1, name: '企业分级' }).waitFor();
    await page.getByText('尚未定级。').waitFor();
    await page.getByLabel('企业类别').selectOption('industrial');
    await page.getByRole('button', { name: '开始自评' }).click();
    const form = page.getByRole('form', { name: '联网工业企业网络安全分类分级自评表' });
    await form.waitFor();
    // The highest choice of every item, with evidence for the first.
    const selects = form.getByRole('combobox');
    const count = await selects.count();
    for (let i = 0; i < count; i++) {
      const select = selects.nth(i);
      const last = await select.locator('option').last().getAttribute('value');
      await select.selectOption(last ?? '');
    }
    await form.getByLabel('佐证说明：企业规模（按《统计上大中小微型企业划分办法》）').fill('2025 年营收 52 亿元');
    await form.getByText(`得分 100/100，已答 ${count}/${count} 项。 建议等级：3 级`).waitFor();
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'security-grading-questionnaire.png'), fullPage: true });
    await form.getByRole('button', { name: '提交审核' }).click();
    await page.getByText('自评已提交，等待主管部门审核。').waitFor();
  });

  step('the authority confirms the proposed level', async () => {
    await logInAs(page, 'demo-authority', demoPassword);
    await page.goto(`${baseUrl}/#/security/grading`);
    await page.getByRole('heading', { level: 1, name: '企业分级' }).waitFor();
    await page.getByRole('button', { name: `审核：${enterprise}` }).click();
    const review = page.getByRole('region', { name: `审核：${enterprise}` });
    await review.getByText('2025 年营收 52 亿元', { exact: false }).waitFor();
    await review.getByLabel('意见').fill('同意');
    await review.getByRole('button', { name: '提交决定' }).click();
    await page.getByText(`${enterprise} 已定为 3 级。`).waitFor();
    await page.getByRole('row').filter({ hasText: enterprise }).filter({ hasText: '3 级' }).first().waitFor();
  });

  step('the authority schedules an inspection and records a finding', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '安全检查' }).click();
    await page.getByRole('heading', { level: 1, name: '安全检查' }).waitFor();
    await page.getByRole('button', { name: '安排检查' }).click();
    const dialog = page.getByRole('dialog', { name: '安排安全检查' });
    await dialog.getByLabel('企业').selectOption('DEMO-0001');
    await dialog.getByLabel('检查时间').fill('2026-06-01T09:00');
    await dialog.getByLabel('检查人员').fill('市经信委 王工、两江新区 李工');
    await dialog.getByRole('button', { name: '安排检查' }).click();
    await page.getByRole('button', { name: new RegExp(`^查看 ${enterprise}`) }).click();
    const detail = page.getByRole('region', { name: `检查详情：${enterprise}` });
    const results = detail.getByRole('combobox', { name: / 的结果$/ });
    await results.first().waitFor();
    const n = await results.count();
    for (let i = 0; i < n; i++) await results.nth(i).selectOption('pass');
    await detail.getByLabel('年度风险评估 的结果').selectOption('finding');
    await detail.getByLabel('年度风险评估 的严重程度').selectOption('high');
    await detail.getByLabel('年度风险评估 的问题描述').fill('2025 年度未开展风险评估');
    await detail.getByRole('button', { name: '完成检查' }).click();
    await detail.getByText('整改中').waitFor();
    await detail.getByRole('row').filter({ hasText: '2025 年度未开展风险评估' }).filter({ hasText: '待整改' }).waitFor();
  });

  step('the enterprise reports the rectification', async () => {
    await logInAs(page, 'demo-admin', demoPassword);
    await page.goto(`${baseUrl}/#/security/inspections`);
    const row = page.getByRole('row').filter({ hasText: '2025 年度未开展风险评估' });
    await row.getByRole('button', { name: '反馈整改' }).click();
    const dialog = page.getByRole('dialog', { name: '反馈整改情况' });
    await dialog.getByLabel('整改情况').fill('已委托第三方完成 2026 年度风险评估');
    await dialog.getByLabel('佐证材料').fill('https://docs.example.com/risk-2026.pdf');
    await dialog.getByRole('button', { name: '反馈整改' }).click();
    await row.filter({ hasText: '待核验' }).waitFor();
  });

  step('the authority accepts it and the inspection closes', async () => {
    await logInAs(page, 'demo-authority', demoPassword);
    await page.goto(`${baseUrl}/#/security/inspections`);
    const row = page.getByRole('row').filter({ hasText: '2025 年度未开展风险评估' });
    await row.getByRole('button', { name: '核验通过' }).click();
    await page.getByRole('row').filter({ hasText: enterprise }).filter({ hasText: '已办结' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'security-grading-closed.png'), fullPage: true });
  });
});
