/**
 * The 网关 / Gateways pages in a real browser (Debian's Chromium through playwright-core) against the
 * whole platform started in-process with the demo: the embedded gateway with the virtual factory's eight
 * machines, registering a gateway (its token shown once), adding a Modbus device by importing a CSV of
 * the demo plant's own register map — bad rows reported, the device then online with live values — a
 * 3,000-row import, and an OPC UA device picked by browsing the demo paint line's server through the
 * embedded gateway (and, with an older server's 404 stubbed, the message and adding nodes by their ID).
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { demoPassword, type Platform } from '@yulian/server';
import {
  ensureConsoleBuilt,
  launchPage,
  logIn,
  requireChromium,
  screenshotDir,
  shutDown,
  startDemoPlatform,
  stepWithScreenshots,
} from './support.js';

const suffix = randomBytes(3).toString('hex');
const newGateway = `e2e-gw-${suffix}`;
const newDevice = `e2e-cnc-${suffix}`;
const newOpcuaDevice = `e2e-paint-${suffix}`;

let browser: Browser;
let page: Page;
let platform: Platform;
let baseUrl: string;
let dataDir: string;
/** Console errors and uncaught exceptions of the page, other than the API answers the test provokes. */
const pageErrors: string[] = [];

const step = stepWithScreenshots(() => page, 'gateways-');

/** The cells of the row named `name` (its row header) in `scope`, row header first. */
async function rowTexts(name: string, scope: { getByRole: Page['getByRole'] } = page): Promise<string[]> {
  const row = scope.getByRole('row', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) });
  await row.waitFor();
  return (await row.locator('th, td').allInnerTexts()).map((t) => t.trim());
}

/** The ids of the devices configured on the embedded gateway (the demo's machines, its paint line, ours). */
async function embeddedDevices(): Promise<string[]> {
  return (await platform.gateways.configOf('embedded')).devices.map((d) => d.id);
}

/** A CSV cell, quoted when it holds a comma, a quote or a line break. */
const cell = (value: unknown): string => {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const columns = ['key', 'name', 'unit', 'dataType', 'table', 'address', 'byteOrder', 'multiplier', 'offset', 'access', 'min', 'max', 'length', 'bit'] as const;

interface CsvPoint {
  key: string;
  name?: string;
  unit?: string;
  dataType: string;
  access?: string;
  multiplier?: number;
  offset?: number;
  min?: number;
  max?: number;
  modbus?: { table: string; address: number; length?: number; bit?: number; byteOrder?: string };
}

/**
 * The register map as CSV, holding registers written as Modicon references (40001 + address, table
 * left empty) as many device manuals list them, the other tables with their 0-based address.
 */
function registerMapCsv(points: readonly CsvPoint[]): string {
  const rows = points.map((p) => {
    const m = p.modbus ?? { table: 'holding', address: 0 };
    const modicon = m.table === 'holding';
    const values: Record<(typeof columns)[number], unknown> = {
      key: p.key,
      name: p.name,
      unit: p.unit,
      dataType: p.dataType,
      table: modicon ? '' : m.table,
      address: modicon ? 40001 + m.address : m.address,
      byteOrder: m.byteOrder,
      multiplier: p.multiplier,
      offset: p.offset,
      access: p.access,
      min: p.min,
      max: p.max,
      length: m.length,
      bit: m.bit,
    };
    return columns.map((c) => cell(values[c])).join(',');
  });
  return [columns.join(','), ...rows].join('\r\n');
}

/** Checks that the page does not scroll sideways at 1366 px and 420 px, and leaves screenshots. */
async function checkLayout(name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  for (const width of [1366, 420]) {
    await page.setViewportSize({ width, height: 800 });
    const overflow = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth - window.innerWidth,
      tables: Array.from(document.querySelectorAll('.table-wrap'), (w) => w.scrollWidth - w.clientWidth),
    }));
    await page.screenshot({ path: join(screenshotDir, `gateways-${name}-${width}.png`), fullPage: true });
    expect(overflow.page, `${name} at ${width} px: the page scrolls sideways`).toBeLessThanOrEqual(0);
    for (const table of overflow.tables) expect(table, `${name} at ${width} px: a table scrolls sideways`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

describe('gateways pages', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    ({ platform, dataDir } = await startDemoPlatform('yulian-e2e-gateways-', 'admin-Passw0rd'));
    baseUrl = platform.httpUrl;
    ({ browser, page } = await launchPage());
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // The browser logs every 4xx answer; the steps provoke 400s and 404s on purpose and check them.
      if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[04]/.test(message.text())) {
        pageErrors.push(message.text());
      }
    });
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('lists the embedded gateway online with its 8 demo machines (and the paint line), in Chinese', async () => {
    expect(platform.demoDevices, 'the demo runs its virtual factory').toHaveLength(8);
    const configured = await embeddedDevices();
    for (const machine of platform.demoDevices) expect(configured).toContain(machine.id);
    await page.goto(`${baseUrl}/#/gateways`);
    await logIn(page, { username: '用户名', password: '密码', submit: '登录' }, 'demo-engineer', demoPassword);
    await page.getByRole('heading', { level: 1, name: '网关' }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '网关' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('table', { name: /网关列表/ }).waitFor();
    await page.getByText('实时', { exact: true }).waitFor();
    // The machines come online within a poll; the gateway says so in its next report. Besides the
    // configured devices it reports those its MQTT connections discovered, so the total is the gateway's.
    const online = async (): Promise<{ text: string; online: number; total: number }> => {
      await platform.embeddedGateway.sync();
      const text = (await rowTexts('embedded')).slice(1, 4).join(' | ');
      const [, on = '0', all = '0'] = /(\d+) \/ (\d+) 在线$/.exec(text) ?? [];
      return { text, online: Number(on), total: Number(all) };
    };
    await expect.poll(async () => (await online()).online, { timeout: 20_000, interval: 1_000 }).toBeGreaterThanOrEqual(configured.length);
    const { text, total } = await online();
    expect(text).toMatch(/^在线 \| (刚刚|\d+ 秒前) \| \d+ \/ \d+ 在线$/);
    expect(total).toBeGreaterThanOrEqual(configured.length);
    const [, , , , buffered, dropped, uplink] = await rowTexts('embedded');
    expect(buffered).toMatch(/^[\d,]+$/);
    expect(dropped).toBe('0');
    expect(uplink).toBe('正常');
  });

  step('registers a gateway and shows its token once, with a gw.yaml to paste', async () => {
    await page.getByRole('button', { name: '注册网关' }).click();
    const dialog = page.getByRole('dialog', { name: '注册网关' });
    await dialog.getByLabel('网关编号', { exact: true }).fill('bad id!');
    await dialog.getByRole('button', { name: '注册', exact: true }).click();
    await dialog.getByText('网关编号须为 1–64 位字母、数字、下划线、点或短横线。').waitFor();
    expect(await dialog.getByLabel('网关编号', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('网关编号', { exact: true }).fill(newGateway);
    await dialog.getByLabel('网关名称', { exact: true }).fill('二号线网关');
    await dialog.getByRole('button', { name: '注册', exact: true }).click();

    const tokenDialog = page.getByRole('dialog', { name: `网关 ${newGateway} 的令牌` });
    await tokenDialog.getByText(/令牌只显示这一次/).waitFor();
    const token = await tokenDialog.getByLabel('令牌', { exact: true }).inputValue();
    expect(token).toMatch(/^ylg_[A-Za-z0-9_-]{20,}$/);
    const yaml = await tokenDialog.getByRole('figure').locator('pre').innerText();
    const host = new URL(baseUrl).hostname;
    expect(yaml.trim()).toBe([`id: ${newGateway}`, 'platform:', `  url: ${baseUrl}`, `  token: ${token}`, 'uplink:', `  bus: nats://${host}:4222`].join('\n'));
    await tokenDialog.getByRole('button', { name: '复制令牌' }).click();
    await tokenDialog.getByText('已复制', { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    // The token is the gateway's: it fetches the (empty) configuration with it.
    const config = await platform.app.inject({ url: '/api/v1/gateway/config', headers: { authorization: `Bearer ${token}` } });
    expect(config.statusCode).toBe(200);
    expect(config.json<{ gateway: { id: string } }>().gateway.id).toBe(newGateway);

    await tokenDialog.getByRole('button', { name: '我已保存令牌' }).click();
    await tokenDialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: `已注册网关“${newGateway}”。` }).waitFor();
    expect(await page.content(), 'the token is gone from the page once the dialog is closed').not.toContain(token);
    const [, status, lastSeen, devices] = await rowTexts(newGateway);
    expect([status, lastSeen, devices]).toEqual(['从未上报', '从未', '0 / 0 在线']);
  });

  step('opens the embedded gateway: figures, and its devices with state, protocol and counters', async () => {
    await page.getByRole('link', { name: 'embedded', exact: true }).click();
    await page.waitForURL('**/#/gateways/embedded');
    await page.getByRole('heading', { level: 1, name: '网关 embedded' }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '网关' }).getAttribute('aria-current')).toBe('true');
    const figures = page.getByRole('region', { name: '概况' });
    await figures.getByText(/^v\d+$/).waitFor();
    const table = page.getByRole('table', { name: /网关的设备/ });
    await table.waitFor();
    expect(await table.getByRole('rowheader').count()).toBeGreaterThanOrEqual((await embeddedDevices()).length);
    for (const machine of platform.demoDevices) expect((await rowTexts(machine.id, table))[2], machine.id).toBe('在线');
    const [device, protocol, state, since, counters] = await rowTexts('cnc-01', table);
    expect(device).toContain('cnc-01');
    expect(protocol).toBe('modbus-tcp');
    expect(state).toBe('在线');
    expect(since).toMatch(/(刚刚|秒前|分钟前)$/);
    expect(counters).toMatch(/cycles\s*[\d,]+/);
    await checkLayout('gateway-zh');
  });

  step('reports the bad rows of a CSV by line and column and keeps the good ones', async () => {
    await page.getByRole('link', { name: '添加 Modbus 设备' }).click();
    await page.getByRole('heading', { level: 1, name: '添加 Modbus TCP 设备' }).waitFor();
    const csv = [
      'key,name,unit,dataType,table,address',
      'temp_1,温度 1,°C,int16,input,0',
      'temp_2,温度 2,°C,double,input,1',
      'temp_3,"温度 3, 出口",°C,int16,input,x',
      'temp_1,温度 1 again,°C,int16,input,3',
      ',no key,,int16,input,4',
      'flow,流量,m3/h,float32,,30006',
      'valve,阀门,,bool,,7',
    ].join('\n');
    await page.getByLabel('或粘贴 CSV 内容').fill(csv);
    await page.getByRole('button', { name: '导入粘贴的内容' }).click();
    await page.getByRole('status').filter({ hasText: '已读取“粘贴的内容”的 7 行：新增 2 个数据点，覆盖 0 个。' }).waitFor();
    await page.getByRole('alert').filter({ hasText: '5 行未导入，共 5 个问题' }).waitFor();
    const issues = page.getByRole('table', { name: /导入问题/ });
    expect(await rowTexts('3', issues)).toEqual(['3', 'dataType', 'dataType 须为以下之一：bool, int16, uint16, int32, uint32, int64, float32, float64, string。']);
    expect(await rowTexts('4', issues)).toEqual(['4', 'address', 'address 不是数字。']);
    expect(await rowTexts('5', issues)).toEqual(['5', 'key', 'key “temp_1” 与第 2 行重复。']);
    expect(await rowTexts('6', issues)).toEqual(['6', 'key', 'key 不能为空。']);
    expect((await rowTexts('8', issues))[1]).toBe('address');
    const points = page.getByRole('table', { name: /^数据点/ });
    expect(await points.getByRole('rowheader').allInnerTexts()).toEqual(['temp_1', 'flow']);
    expect((await rowTexts('flow', points))[4]).toBe('input 5');

    // Fixed, the bad rows merge into the good ones.
    await page.getByLabel('合并：同名 key 覆盖，新 key 追加').check();
    await page.getByLabel('或粘贴 CSV 内容').fill(['key,dataType,table,address', 'temp_2,float64,input,1', 'temp_3,int16,input,2', 'valve,bool,coil,7', 'flow,float32,input,6'].join('\n'));
    await page.getByRole('button', { name: '导入粘贴的内容' }).click();
    await page.getByRole('status').filter({ hasText: '新增 3 个数据点，覆盖 1 个。' }).waitFor();
    expect(await page.getByRole('table', { name: /导入问题/ }).count()).toBe(0);
    expect(await points.getByRole('rowheader').allInnerTexts()).toEqual(['temp_1', 'flow', 'temp_2', 'temp_3', 'valve']);
    expect((await rowTexts('flow', points))[4]).toBe('input 6');

    // One point by hand, with the same checks as a CSV row.
    await page.getByRole('button', { name: '添加数据点' }).click();
    const dialog = page.getByRole('dialog', { name: '添加数据点' });
    await dialog.getByLabel('标识', { exact: true }).fill('temp_1');
    await dialog.getByLabel('地址', { exact: true }).fill('-1');
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    await dialog.getByText('address 不能小于 0。').waitFor();
    await dialog.getByLabel('地址', { exact: true }).fill('9');
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    await dialog.getByText('已有数据点使用标识“temp_1”。').waitFor();
    await dialog.getByLabel('标识', { exact: true }).fill('pressure');
    await dialog.getByLabel('数据类型', { exact: true }).selectOption('float32');
    await dialog.getByLabel('字节序', { exact: true }).selectOption('CDAB');
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await rowTexts('pressure', points)).slice(0, 6)).toEqual(['pressure', '—', '—', 'float32', 'holding 9', 'CDAB']);
    await points.getByRole('button', { name: '删除 pressure' }).click();
    expect(await points.getByRole('rowheader').count()).toBe(5);

    // The template downloads, and is a register map the import reads.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV 模板' }).click()]);
    expect(download.suggestedFilename()).toBe('register-map-template.csv');
    const template = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(template.startsWith('\uFEFFkey,name,unit,dataType,table,address,byteOrder,multiplier,offset,access,min,max,length,bit\r\n')).toBe(true);
  });

  step("imports the demo plant's own register map and places a refused configuration's issues on the field and point", async () => {
    const machine = platform.factory?.deviceConfigs('127.0.0.1')[0];
    if (!machine) throw new Error('the demo runs no virtual factory');
    const port = platform.demoDevices.find((d) => d.id === machine.id)?.port;
    expect(port, `${machine.id}'s port`).toBeDefined();
    const csv = registerMapCsv(machine.points as CsvPoint[]);

    await page.getByLabel('替换现有数据点').check();
    await page.getByLabel('CSV 文件').setInputFiles({ name: `${machine.id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const count = machine.points.length;
    await page.getByRole('status').filter({ hasText: `已读取“${machine.id}.csv”的 ${count} 行：新增 ${count} 个数据点，覆盖 0 个。` }).waitFor();
    const points = page.getByRole('table', { name: /^数据点/ });
    await points.locator('caption').filter({ hasText: `共 ${count} 个数据点` }).waitFor();
    expect((await rowTexts('spindle_speed_sp', points))[4], 'Modicon 40001 is holding register 0').toBe('holding 0');
    expect((await rowTexts('vibration_rms', points)).slice(4, 6)).toEqual(['input 4', machine.points.find((p) => p.key === 'vibration_rms')?.modbus?.byteOrder ?? 'ABCD']);

    const connection = page.getByRole('form', { name: '连接' });
    await connection.getByLabel('设备编号', { exact: true }).fill(newDevice);
    await connection.getByLabel('设备名称', { exact: true }).fill('E2E 数控机床');
    await connection.getByLabel('主机地址', { exact: true }).fill('127.0.0.1');
    await connection.getByLabel('端口', { exact: true }).fill('70000');
    await page.getByRole('button', { name: '添加设备' }).click();
    await connection.getByText('端口须为 1–65535 的整数。').waitFor();
    await connection.getByLabel('端口', { exact: true }).fill(String(port));

    // A refusal (stubbed: this console and server agree, so the real one does not refuse) lands on the
    // field and on the point its paths name.
    const fourth = machine.points[3]?.key ?? '';
    await page.route('**/api/v1/devices', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({
              error: {
                code: 'DEVICE_CONFIG_INVALID',
                message: 'points.3.modbus.address: Too big; host: unreachable name',
                details: { issues: [{ path: 'points.3.modbus.address', message: 'Too big: expected number to be <=65535' }, { path: 'host', message: 'unreachable name' }] },
              },
            }),
          })
        : route.fallback(),
    );
    try {
      await page.getByRole('button', { name: '添加设备' }).click();
      await page.getByRole('alert').filter({ hasText: '设备配置不符合要求。' }).waitFor();
      await connection.getByText('unreachable name').waitFor();
      expect(await connection.getByLabel('主机地址', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      expect(await points.getByRole('row', { name: new RegExp(`^${fourth}\\b`) }).getAttribute('class')).toBe('is-invalid');
      await page.getByRole('button', { name: `编辑第 4 个数据点（${fourth}）` }).click();
      const dialog = page.getByRole('dialog', { name: `编辑第 4 个数据点（${fourth}）` });
      await dialog.getByText('Too big: expected number to be <=65535').first().waitFor();
      expect(await dialog.getByLabel('地址', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await dialog.getByRole('button', { name: '取消' }).click();
    } finally {
      await page.unroute('**/api/v1/devices');
    }
  });

  step('adds the device for real and sees it online on the gateway page and live on its device page', async () => {
    await page.getByRole('button', { name: '添加设备' }).click();

    await page.waitForURL('**/#/gateways/embedded');
    await page.getByRole('status').filter({ hasText: `已添加设备“${newDevice}”` }).waitFor();
    const devices = page.getByRole('table', { name: /网关的设备/ });
    await expect
      .poll(
        async () => {
          await platform.embeddedGateway.sync();
          return (await rowTexts(newDevice, devices))[2];
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe('在线');
    expect((await rowTexts(newDevice, devices))[1]).toBe('modbus-tcp');

    await devices.getByRole('link', { name: newDevice }).click();
    await page.getByRole('heading', { level: 1, name: `设备 ${newDevice}` }).waitFor();
    await expect.poll(async () => (await rowTexts('spindle_temp'))[2], { timeout: 10_000 }).toBe('良好');
    expect((await rowTexts('model'))[1]).toMatch(/^YL-/);
    expect((await rowTexts('spindle_temp'))[1]).toMatch(/^-?[\d,.]+$/);
  });

  step('imports 3,000 rows without freezing and shows them a page at a time', async () => {
    await page.goto(`${baseUrl}/#/gateways/embedded/modbus`);
    await page.getByRole('heading', { level: 1, name: '添加 Modbus TCP 设备' }).waitFor();
    const rows = Array.from({ length: 3000 }, (_, i) => `p_${i},"Point ${i}, line ${i % 7}",bar,float32,holding,${i * 2},CDAB,0.01,,,0,100,,`);
    const csv = ['key,name,unit,dataType,table,address,byteOrder,multiplier,offset,access,min,max,length,bit', ...rows].join('\n');
    await page.evaluate(() => {
      const w = window as unknown as { e2eLongest: number };
      w.e2eLongest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.e2eLongest = Math.max(w.e2eLongest, entry.duration);
      }).observe({ type: 'longtask' });
    });
    const started = Date.now();
    await page.getByLabel('CSV 文件').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const points = page.getByRole('table', { name: /^数据点/ });
    await points.locator('caption').filter({ hasText: '共 3,000 个数据点' }).waitFor();
    const elapsed = Date.now() - started;
    const longest = await page.evaluate(() => (window as unknown as { e2eLongest: number }).e2eLongest);
    console.log(`3,000-row CSV: imported and shown in ${elapsed} ms; longest main-thread task ${Math.round(longest)} ms`);
    expect(elapsed, 'import of 3,000 rows until the table shows them').toBeLessThan(5_000);
    expect(longest, 'longest main-thread task during the import').toBeLessThan(3_000);

    expect(await points.getByRole('rowheader').count(), 'one page of rows in the DOM').toBe(50);
    const pages = page.getByRole('navigation', { name: '数据点分页' });
    await pages.getByText('第 1–50 条，共 3,000 条').waitFor();
    await pages.getByRole('button', { name: '下一页' }).click();
    await pages.getByText('第 51–100 条，共 3,000 条').waitFor();
    expect(await points.getByRole('rowheader').first().innerText()).toBe('p_50');
    await pages.getByLabel('页码').selectOption({ label: '第 60 / 60 页' });
    expect((await rowTexts('p_2999', points)).slice(0, 9)).toEqual(['p_2999', 'Point 2999, line 3', 'bar', 'float32', 'holding 5998', 'CDAB', '×0.01', '只读', '0 … 100']);
  });

  step('says plainly when the server has no browse API (an older server’s 404, stubbed), and takes nodes by their ID', async () => {
    await page.route('**/api/v1/gateways/embedded/browse', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ROUTE_NOT_FOUND', message: 'Route POST:/api/v1/gateways/embedded/browse not found' } }) }),
    );
    try {
      await page.goto(`${baseUrl}/#/gateways/embedded/opcua`);
      await page.getByRole('heading', { level: 1, name: '添加 OPC UA 设备' }).waitFor();
      await page.getByRole('button', { name: '浏览地址空间' }).click();
      await page.getByText('请填写此项。').waitFor();
      await page.getByLabel('服务器地址（Endpoint URL）').fill('opc.tcp://127.0.0.1:4840');
      await page.getByRole('button', { name: '浏览地址空间' }).click();
      await page.getByRole('alert').filter({ hasText: '此平台版本还不能浏览 OPC UA 地址空间。' }).waitFor();
    } finally {
      await page.unroute('**/api/v1/gateways/embedded/browse');
    }
    const manual = page.getByRole('form', { name: '按节点 ID 添加' });
    await manual.getByLabel('节点 ID').fill('PaintLine.Running');
    await manual.getByRole('button', { name: '添加节点' }).click();
    await manual.getByText('节点 ID 形如 ns=2;s=Oven.Temp、ns=3;i=1001 或 i=2258。').waitFor();
    await manual.getByLabel('节点 ID').fill('ns=2;s=PaintLine.PartsPainted');
    await manual.getByLabel('数据类型').selectOption('uint32');
    await manual.getByRole('button', { name: '添加节点' }).click();
    const chosen = page.getByRole('table', { name: /已选数据点/ });
    expect((await rowTexts('PaintLine.PartsPainted', chosen)).slice(0, 5)).toEqual(['PaintLine.PartsPainted', 'PaintLine.PartsPainted', 'uint32', '只读', 'ns=2;s=PaintLine.PartsPainted']);
  });

  step("browses the paint line's OPC UA server through the embedded gateway and adds a device of the ticked variables, which comes online", async () => {
    const endpointUrl = platform.factory?.opcuaEndpointUrl;
    if (!endpointUrl) throw new Error('the demo runs no paint line');
    const browses: Array<{ nodeId?: string; depth?: number }> = [];
    const onRequest = (request: { url(): string; method(): string; postDataJSON(): unknown }) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/gateways/embedded/browse')) browses.push(request.postDataJSON() as (typeof browses)[number]);
    };
    page.on('request', onRequest);
    try {
      await page.goto(`${baseUrl}/#/gateways`);
      await page.goto(`${baseUrl}/#/gateways/embedded/opcua`);
      await page.getByRole('heading', { level: 1, name: '添加 OPC UA 设备' }).waitFor();
      const form = page.getByRole('form', { name: '连接' });
      await form.getByLabel('设备编号', { exact: true }).fill(newOpcuaDevice);
      await form.getByLabel('服务器地址（Endpoint URL）').fill(endpointUrl);
      await page.getByRole('button', { name: '浏览地址空间' }).click();
      const tree = page.getByRole('list', { name: '地址空间' });
      await tree.getByRole('button', { name: '展开 PaintLine' }).click({ timeout: 30_000 });
      // Checkboxes are named by the display names (the server's are bilingual, e.g. 涂装件数 Parts painted).
      await tree.getByRole('checkbox', { name: /Parts painted/ }).check({ timeout: 30_000 });
      await tree.getByRole('checkbox', { name: /Running/ }).check();
      await tree.getByRole('button', { name: '展开 Conveyor' }).click();
      await tree.getByRole('checkbox', { name: /Conveyor speed$/ }).check({ timeout: 30_000 });
      expect(browses.map((b) => [b.nodeId ?? '(Objects)', b.depth])).toEqual([
        ['(Objects)', 1],
        ['ns=2;s=PaintLine', 1],
        ['ns=2;s=PaintLine.Conveyor', 1],
      ]);

      const chosen = page.getByRole('table', { name: /已选数据点/ });
      expect((await rowTexts('PartsPainted', chosen)).slice(2, 4)).toEqual(['uint32', '只读']);
      expect((await rowTexts('Running', chosen)).slice(2, 4)).toEqual(['bool', '读写']);
      expect((await rowTexts('Speed', chosen)).slice(2, 5)).toEqual(['float32', '只读', 'ns=2;s=PaintLine.Conveyor.Speed']);

      const [created] = await Promise.all([
        page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/devices')),
        page.getByRole('button', { name: '添加设备' }).click(),
      ]);
      expect(created.postDataJSON()).toMatchObject({
        gatewayId: 'embedded',
        config: { id: newOpcuaDevice, protocol: 'opcua', endpointUrl, securityMode: 'None', securityPolicy: 'None', auth: { type: 'anonymous' }, publishingIntervalMs: 1000 },
      });
      await page.waitForURL('**/#/gateways/embedded');
      await page.getByRole('status').filter({ hasText: `已添加设备“${newOpcuaDevice}”` }).waitFor();
      const devices = page.getByRole('table', { name: /网关的设备/ });
      await expect
        .poll(
          async () => {
            await platform.embeddedGateway.sync();
            return (await rowTexts(newOpcuaDevice, devices)).slice(1, 3).join(' | ');
          },
          { timeout: 20_000, interval: 1_000 },
        )
        .toBe('opcua | 在线');
      await devices.getByRole('link', { name: newOpcuaDevice }).click();
      await page.getByRole('heading', { level: 1, name: `设备 ${newOpcuaDevice}` }).waitFor();
      await expect.poll(async () => (await rowTexts('PartsPainted'))[2], { timeout: 10_000 }).toBe('良好');
      expect((await rowTexts('PartsPainted'))[1]).toMatch(/^[\d,]+$/);
      // A bool as the store keeps it: 1 or 0.
      expect((await rowTexts('Running'))[1]).toMatch(/^(true|false|1|0)$/);
    } finally {
      page.off('request', onRequest);
    }
  }, 90_000);

  step('shows the gateways in English, fitting 1366 px and 420 px, and the page logged no errors', async () => {
    await page.goto(`${baseUrl}/#/gateways/embedded`);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Gateway embedded' }).waitFor();
    const devices = page.getByRole('table', { name: /Devices of the gateway/ });
    expect((await rowTexts(newDevice, devices))[2]).toBe('Online');
    expect((await rowTexts(newOpcuaDevice, devices))[2]).toBe('Online');
    await checkLayout('gateway-en');
    await page.getByRole('link', { name: 'Back to gateways' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gateways' }).waitFor();
    expect((await rowTexts('embedded')).slice(1, 4).join(' | ')).toMatch(/^Online \| (just now|\d+ s ago) \| \d+ \/ \d+ online$/);
    await checkLayout('list-en');
    await page.goto(`${baseUrl}/#/gateways/embedded/modbus`);
    await page.getByRole('heading', { level: 1, name: 'Add a Modbus TCP device' }).waitFor();
    await checkLayout('modbus-en');
    await page.goto(`${baseUrl}/#/gateways/embedded/opcua`);
    await page.getByRole('heading', { level: 1, name: 'Add an OPC UA device' }).waitFor();
    await checkLayout('opcua-en');
    expect(pageErrors).toEqual([]);
  });
});
