/**
 * Predictive maintenance end to end in a real browser (Debian's Chromium through playwright-core) against
 * the whole platform with the demo seed and its live virtual factory: a bearing fault injected into a
 * demo compressor raises the demo's early-warning alarm (an anomaly rule that learned the compressor's
 * normal vibration); the demo operator acknowledges it, creates a work order from it, starts it (the
 * compressor goes under maintenance) and finishes it (back in service); the compressor's page tells the
 * whole story in its history.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import { logInAs, shutDown, startDemoBrowser, stepWithScreenshots } from './support.js';

const device = 'compressor-01';
const ruleName = '振动异常预警 Vibration early warning';
/** The early warning's row of the compressor (the rule watches both compressors: its profile's). */
const alarmRow = () => page.getByRole('row').filter({ hasText: ruleName }).filter({ hasText: device });
const resolution = '更换电机端轴承，振动恢复正常。';
/**
 * The early-warning rule's detector learns the compressor's normal vibration from its first 120 values
 * (one a second) before it judges any: the fault goes in after that.
 */
const warmUpMs = 135_000;

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;
let startedAt: number;

const step = stepWithScreenshots(() => page, 'maintenance-');

/** Calls the API as a demo user (the fault injection is the simulator's, not a console page). */
async function api(user: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: demoPassword }) });
  const { token } = (await login.json()) as { token: string };
  const r = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  expect(r.ok, `${method} ${path}: ${r.status}`).toBe(true);
  return r.json();
}

describe('predictive maintenance: early warning → work order → back in service', () => {
  beforeAll(async () => {
    ({ platform, dataDir, browser, page, baseUrl } = await startDemoBrowser('yulian-e2e-maintenance-'));
    startedAt = Date.now();
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step(
    'a bearing fault injected into a compressor raises the early-warning alarm on the operator’s list',
    async () => {
      await page.goto(`${baseUrl}/#/alarms`);
      await logInAs(page, 'demo-operator', demoPassword);
      await page.getByRole('heading', { level: 1, name: '告警' }).waitFor();
      // Nothing flagged the compressor while it ran normally.
      await new Promise((r) => setTimeout(r, Math.max(0, startedAt + warmUpMs - Date.now())));
      expect(await alarmRow().count()).toBe(0);
      // A bearing that has been wearing for half an hour: the compressor vibrates 75 % more than it learned.
      await api('demo-engineer', 'POST', '/api/v1/sim/faults', { device, kind: 'bearing-wear', severity: 1, ageHours: 0.5 });
      const row = alarmRow();
      await row.waitFor({ timeout: 30_000 });
      expect(await row.innerText()).toContain('警告');
      expect(await row.innerText()).toContain('未确认');
    },
    240_000,
  );

  step('the operator acknowledges it and creates a work order from it', async () => {
    const row = alarmRow();
    await row.getByRole('button', { name: `确认告警：${ruleName}（${device}）` }).click();
    await page.getByText(`已确认告警：${ruleName}（${device}）。`).waitFor();
    await row.getByRole('button', { name: `告警详情：${ruleName}（${device}）` }).click();
    const dialog = page.getByRole('dialog', { name: `告警：${ruleName}（${device}）` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '创建工单' }).click();
    const link = dialog.getByRole('link', { name: `查看工单：${ruleName}` });
    await link.waitFor();
    // The alarm records it among its notes.
    await dialog.getByText(/工单已创建/).waitFor();
    await link.click();
    await page.getByRole('heading', { level: 1, name: `工单：${ruleName}` }).waitFor();
    const facts = page.getByRole('definition').filter({ hasText: '待处理' });
    await facts.waitFor();
  });

  step('starting the work order takes the compressor out of service, finishing it brings it back', async () => {
    await page.getByRole('button', { name: '开始处理' }).click();
    await page.getByText(`工单已开始，设备 ${device} 转为维护中。`).waitFor();
    expect(((await api('demo-operator', 'GET', `/api/v1/devices/${device}/asset`)) as { lifecycle: string }).lifecycle).toBe('under_maintenance');
    await page.getByLabel('添加记录').fill('拆检电机端轴承，外圈有剥落。');
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await page.getByText('拆检电机端轴承，外圈有剥落。').waitFor();
    await page.getByLabel('处理结果').fill(resolution);
    await page.getByRole('button', { name: '完成工单' }).click();
    await page.getByText(`工单已完成，设备 ${device} 恢复在用。`).waitFor();
    await page.getByRole('definition').filter({ hasText: '已完成' }).waitFor();
    // A finished work order offers nothing more to do.
    expect(await page.getByRole('button', { name: '开始处理' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '完成工单' }).count()).toBe(0);
  });

  step('the compressor’s history shows the alarm, the work order and the maintenance, in order', async () => {
    await page.getByRole('link', { name: device }).first().click();
    const history = page.getByRole('list', { name: '设备履历' });
    await history.waitFor();
    const lines = (await history.getByRole('listitem').allInnerTexts()).reverse().join('\n');
    const expected = [
      `告警触发：${ruleName}`,
      `告警已确认：${ruleName}`,
      `创建工单“${ruleName}”`,
      `开始处理工单“${ruleName}”`,
      '状态 在用 → 维护中',
      `工单“${ruleName}”记录：拆检电机端轴承，外圈有剥落。`,
      `完成工单“${ruleName}”：${resolution}`,
      '状态 维护中 → 在用',
    ];
    let at = -1;
    for (const text of expected) {
      const next = lines.indexOf(text, at + 1);
      expect(next, `history line “${text}” after position ${at} in:\n${lines}`).toBeGreaterThan(at);
      at = next;
    }
    // Who did it is on each line.
    expect(lines).toContain('demo-operator');
  });
});
