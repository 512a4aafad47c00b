/**
 * 告警通知 / alarm notifications in a real browser (Debian's Chromium through playwright-core) against the
 * whole platform started in-process with the demo seed and its live virtual factory. The demo engineer
 * adds a webhook channel (a local HTTP server), sends its test message and subscribes to it; the demo
 * operator's 告警 page announces a new alarm pushed over the live socket without a reload, and the webhook
 * receives it; the operator shelves the alarm with a reason and finds it under 已搁置告警; a channel whose
 * endpoint is down leaves dead letters, one of which the engineer sends again once the endpoint is back.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { loadConfig } from '@yulian/core';
import { demoPassword, type Platform, startPlatform } from '@yulian/server';
import { ensureConsoleBuilt, launchPage, logInAs, requireChromium, stepWithScreenshots } from './support.js';

const ruleName = `E2E 通知 ${randomBytes(3).toString('hex')}`;
const device = 'cnc-03';

interface Hook {
  url: string;
  port: number;
  bodies: Array<{ path: string; body: { type?: string; event?: { alarm?: { ruleName?: string } } } }>;
  close(): Promise<void>;
}

/** A local webhook endpoint recording what it receives. */
async function webhook(port = 0): Promise<Hook> {
  const bodies: Hook['bodies'] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', body: JSON.parse(text) as Hook['bodies'][number]['body'] });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    bodies,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;
let hook: Hook;
let downPort: number;

const step = stepWithScreenshots(() => page, 'notifications-');
const logInDemo = (username: string): Promise<void> => logInAs(page, username, demoPassword);

/** Calls the API as a demo user (set-up the browser does not need to show). */
async function api(user: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: demoPassword }) });
  const { token } = (await login.json()) as { token: string };
  const r = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return r.json();
}

describe('alarm notifications', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    hook = await webhook();
    const down = await webhook();
    downPort = down.port;
    await down.close();
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-e2e-notifications-'));
    platform = await startPlatform(
      loadConfig({
        env: { YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_DATA_DIR: dataDir, YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd', YULIAN_DEMO: '1', YULIAN_NOTIFY_RETRY_BASE_MS: '50', YULIAN_NOTIFY_MAX_ATTEMPTS: '2' },
      }),
      { quiet: true },
    );
    baseUrl = platform.httpUrl;
    ({ browser, page } = await launchPage());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await hook?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  step('lets the engineer add a webhook channel, send its test message and subscribe to it', async () => {
    await page.goto(`${baseUrl}/#/alarms/notifications`);
    await logInDemo('demo-engineer');
    await page.getByRole('heading', { level: 1, name: '告警通知' }).waitFor();
    await page.getByRole('navigation', { name: '告警分区' }).getByRole('link', { name: '告警通知' }).waitFor();
    const add = page.getByRole('form', { name: '添加渠道' });
    await add.getByLabel('渠道名称').fill('值班 Webhook');
    await add.getByLabel('类型').selectOption('webhook');
    await add.getByLabel('地址').fill(`${hook.url}/alarms`);
    await add.getByLabel('签名密钥').fill('e2e-secret');
    await add.getByRole('button', { name: '添加渠道' }).click();
    await page.getByText('已添加渠道“值班 Webhook”。').waitFor();
    await page.getByRole('row', { name: /值班 Webhook/ }).getByText('已设签名密钥', { exact: false }).waitFor();

    await page.getByRole('button', { name: '测试渠道 值班 Webhook' }).click();
    await page.getByText('已向“值班 Webhook”发送测试消息。').waitFor();
    expect(hook.bodies.some((b) => b.body.type === 'test')).toBe(true);

    // A second channel whose endpoint is down: its messages end as dead letters.
    await add.getByLabel('渠道名称').fill('备用 Webhook');
    await add.getByLabel('地址').fill(`http://127.0.0.1:${downPort}/late`);
    await add.getByRole('button', { name: '添加渠道' }).click();
    await page.getByText('已添加渠道“备用 Webhook”。').waitFor();

    const subscribe = page.getByRole('form', { name: '订阅' });
    for (const name of ['值班 Webhook', '备用 Webhook']) {
      await subscribe.getByLabel('渠道').selectOption({ label: name });
      await subscribe.getByRole('button', { name: '订阅' }).click();
      await page.getByText(`已订阅“${name}”。`).waitFor();
    }
    await page.getByRole('table', { name: '我的订阅' }).getByRole('row', { name: /值班 Webhook/ }).waitFor();
  });

  step('announces a new alarm on the operator’s open 告警 page without a reload, and the webhook gets it', async () => {
    await logInDemo('demo-operator');
    await page.goto(`${baseUrl}/#/alarms`);
    await page.getByRole('heading', { level: 1, name: '告警' }).waitFor();
    await api('demo-engineer', 'POST', '/api/v1/alarm-rules', { name: ruleName, severity: 'major', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: -50 }, device });
    const toast = page.getByRole('status').filter({ hasText: `新告警：${ruleName}（${device}）` });
    await toast.waitFor({ timeout: 20_000 });
    await page.getByText(/条新告警/).waitFor();
    await page.getByRole('row', { name: new RegExp(ruleName) }).waitFor();
    await expect.poll(() => hook.bodies.some((b) => b.body.type === 'alarm.raised' && b.body.event?.alarm?.ruleName === ruleName), { timeout: 20_000 }).toBe(true);
    await toast.getByRole('button', { name: '知道了' }).click();
    await toast.waitFor({ state: 'detached' });
  });

  step('shelves the alarm with a reason: it leaves the active list and shows under 已搁置告警', async () => {
    await page.getByRole('button', { name: `告警详情：${ruleName}（${device}）` }).click();
    const dialog = page.getByRole('dialog', { name: `告警：${ruleName}（${device}）` });
    await dialog.waitFor();
    const shelve = dialog.getByRole('form', { name: '搁置' });
    await shelve.getByLabel('搁置时长').selectOption('240');
    await shelve.getByLabel('搁置原因').fill('传感器校准中');
    await shelve.getByRole('button', { name: '搁置' }).click();
    await dialog.getByRole('button', { name: '取消搁置' }).waitFor();
    await dialog.getByText(/传感器校准中/).first().waitFor();
    await dialog.getByRole('button', { name: '关闭' }).last().click();
    await page.getByRole('row', { name: new RegExp(ruleName) }).waitFor({ state: 'detached' });
    await page.getByLabel('范围').selectOption('shelved');
    await page.getByRole('row', { name: new RegExp(ruleName) }).getByText(/搁置至/).waitFor();
  });

  step('lists the down endpoint’s messages as dead letters and sends one again once the endpoint is back', async () => {
    await logInDemo('demo-engineer');
    await page.goto(`${baseUrl}/#/alarms/notifications`);
    // The demo plant raises alarms of its own: whichever reached the down endpoint first is a dead letter now.
    const dead = page.getByRole('table', { name: '死信（多次发送失败）' });
    const firstDead = dead.getByRole('button', { name: /^重新投递/ }).first();
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('heading', { level: 1, name: '告警通知' }).waitFor();
          await page.getByText('没有死信。').or(firstDead).first().waitFor();
          return firstDead.count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    const back = await webhook(downPort);
    try {
      await firstDead.click();
      await page.getByText('已重新投递。').waitFor();
      await expect.poll(() => back.bodies.some((b) => b.path === '/late' && b.body.type === 'alarm.raised'), { timeout: 20_000 }).toBe(true);
    } finally {
      await back.close();
    }
  });
});
