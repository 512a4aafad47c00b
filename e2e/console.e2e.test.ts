/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against the whole
 * platform started in-process on free ports with the demo seed. The steps share one page and run in
 * order: the admin creates an enterprise and its administrator, edits that user and reads the audit log;
 * the new administrator changes their own password, logs in again and sees only their own tenant.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type Platform } from '@yulian/server';
import {
  ensureConsoleBuilt,
  launchPage,
  logIn as logInWith,
  requireChromium,
  screenshotDir,
  shutDown,
  startDemoPlatform,
  stepWithScreenshots,
  type LoginLabels,
} from './support.js';

const adminPassword = 'admin-Passw0rd';
const suffix = randomBytes(3).toString('hex');
const enterpriseName = 'E2E Precision Works';
const enterpriseCode = `E2E-${suffix.toUpperCase()}`;
const tenantAdmin = { username: `e2e-admin-${suffix}`, displayName: 'E2E Administrator', password: 'e2e-Passw0rd-1' };
/** What the platform admin renames the tenant admin to, and the password the tenant admin then chooses. */
const editedDisplayName = 'E2E Plant Administrator';
const newPassword = 'e2e-Passw0rd-2';
/** The enterprise roles in the console's display order: all a user of an enterprise may be given. */
const enterpriseRoles = ['enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'];

let browser: Browser;
let page: Page;
let baseUrl: string;
let dataDir: string;
let platform: Platform | undefined;
let demoEnterpriseId: string;
/** API calls the page made, as "METHOD /api/v1/path", to prove the browser checked a form on its own. */
const apiCalls: string[] = [];
const callsTo = (call: string): number => apiCalls.filter((c) => c === call).length;

/** Runs one step; on failure saves a full-page screenshot to /tmp and says where. */
const step = stepWithScreenshots(() => page);

/** The bearer token the console keeps in localStorage. */
const consoleToken = (): Promise<string | null> => page.evaluate(() => localStorage.getItem('yulian.token'));

/** The usernames / enterprise names in the first column of the page's table, once `expected` is among them. */
async function firstColumn(expected: string): Promise<string[]> {
  const rowHeaders = page.getByRole('table').getByRole('rowheader');
  await rowHeaders.filter({ hasText: expected }).first().waitFor();
  // "e2e-admin-… (you)": keep the name, drop the marker.
  return (await rowHeaders.allInnerTexts()).map((text) => text.replace(/\s*[（(].*$/, '').trim());
}

/** The body cells of the page's table, row by row, once the table has finished loading. */
async function tableCells(): Promise<string[][]> {
  const table = page.getByRole('table');
  await page.locator('table[aria-busy="false"], table:not([aria-busy])').first().waitFor();
  const rows = table.getByRole('row').filter({ has: page.getByRole('cell') });
  const texts: string[][] = [];
  for (const row of await rows.all()) texts.push((await row.getByRole('cell').allInnerTexts()).map((t) => t.trim()));
  return texts;
}

/** Logs in through the form on the page. */
const logIn = (labels: LoginLabels, username: string, password: string): Promise<void> => logInWith(page, labels, username, password);

describe('web console', () => {
  beforeAll(async () => {
    requireChromium();
    ensureConsoleBuilt();
    ({ platform, dataDir } = await startDemoPlatform('yulian-e2e-', adminPassword));
    baseUrl = platform.httpUrl;
    ({ browser, page } = await launchPage());
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(`${request.method()} ${url.pathname}`);
    });
  }, 240_000);

  afterAll(async () => {
    await shutDown({ browser, platform, dataDir });
  }, 60_000);

  step('shows the API error in Chinese when the password is wrong', async () => {
    await page.goto(`${baseUrl}/`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await logIn({ username: '用户名', password: '密码', submit: '登录' }, 'admin', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('用户名或密码错误');
    expect(await alert.innerText()).toContain('INVALID_CREDENTIALS');
  });

  step('logs the admin in and shows the home page in Chinese', async () => {
    await logIn({ username: '用户名', password: '密码', submit: '登录' }, 'admin', adminPassword);
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '设备' }).waitFor();
    await nav.getByRole('link', { name: '首页' }).waitFor();
    expect(await nav.getByRole('link', { name: '首页' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('heading', { level: 1, name: /你好/ }).waitFor();
    await page.getByText('平台管理员').first().waitFor();
    expect(await consoleToken()).toBeTruthy();
  });

  step('switches to English and remembers the choice after a reload', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Devices' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'Devices' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('yulian.lang'))).toBe('en');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  step('opens a deep link to a placeholder page', async () => {
    // 安全态势 (#/security) is a real page now; 服务 is still to come.
    await page.goto(`${baseUrl}/#/services`);
    await page.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    await page.getByText('coming in a later release').waitFor();
  });

  step('creates an enterprise in 两江新区', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Enterprises' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enterprises' }).waitFor();
    await page.getByRole('button', { name: 'New enterprise' }).click();
    const form = page.getByRole('form', { name: 'New enterprise' });
    await form.getByLabel('Name', { exact: true }).fill(enterpriseName);
    // Typed in lower case; codes are stored and shown in capitals.
    await form.getByLabel('Code', { exact: true }).fill(enterpriseCode.toLowerCase());
    await form.getByLabel('District', { exact: true }).selectOption('两江新区');
    await form.getByLabel('Industry', { exact: true }).fill('Precision machining');
    await form.getByRole('button', { name: 'Create enterprise' }).click();
    await page.getByRole('status').filter({ hasText: enterpriseName }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(enterpriseName) });
    await row.waitFor();
    expect(await row.innerText()).toContain(enterpriseCode);
    expect(await row.innerText()).toContain('Liangjiang New Area');

    const token = await consoleToken();
    const answer = await page.request.get(`${baseUrl}/api/v1/enterprises`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status()).toBe(200);
    const { items } = (await answer.json()) as { items: { id: string; code: string }[] };
    const demo = items.find((e) => e.code === 'DEMO-0001');
    expect(demo, 'the demo seed should have created enterprise DEMO-0001').toBeDefined();
    demoEnterpriseId = demo?.id ?? '';
  });

  step('checks the new user form in the browser and explains the rules in English', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    const before = callsTo('POST /api/v1/users');
    await form.getByLabel('Username', { exact: true }).fill('-no spaces');
    await form.getByLabel('Initial password', { exact: true }).fill('short');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByText('A username has 2–64 letters, digits, dots, underscores or dashes').waitFor();
    await form.getByText('A password needs at least 8 characters.').waitFor();
    expect(await form.getByLabel('Username', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username');
    expect(callsTo('POST /api/v1/users'), 'an invalid form must not reach the server').toBe(before);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
  });

  step('creates an enterprise administrator for the new enterprise', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Username', { exact: true }).fill(tenantAdmin.username);
    await form.getByLabel('Display name', { exact: true }).fill(tenantAdmin.displayName);
    await form.getByLabel('Initial password', { exact: true }).fill(tenantAdmin.password);
    await form.getByLabel('Role', { exact: true }).selectOption('enterprise-admin');
    await form.getByLabel('Enterprise', { exact: true }).selectOption({ label: enterpriseName });
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: tenantAdmin.username }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(tenantAdmin.username) });
    expect(await row.innerText()).toContain('Enterprise administrator');
    expect(await row.innerText()).toContain(enterpriseName);
  });

  step("edits the new administrator's display name and role in a dialog", async () => {
    const row = page.getByRole('row', { name: new RegExp(tenantAdmin.username) });
    await row.getByRole('button', { name: `Edit ${tenantAdmin.username}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit user “${tenantAdmin.username}”` });
    const role = dialog.getByLabel('Role', { exact: true });
    // A user of an enterprise is offered the enterprise roles only, never a platform role.
    expect(await role.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(
      enterpriseRoles,
    );
    await dialog.getByLabel('Display name', { exact: true }).fill(editedDisplayName);
    await role.selectOption('engineer');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: `User “${tenantAdmin.username}” saved.` }).waitFor();
    await row.getByText(editedDisplayName).waitFor();
    expect(await row.innerText()).toContain('Engineer');
    expect(await row.innerText()).not.toContain('Enterprise administrator');

    // Back to enterprise administrator, which the next steps need; the audit log then holds two role changes.
    await row.getByRole('button', { name: `Edit ${tenantAdmin.username}` }).click();
    await dialog.getByLabel('Role', { exact: true }).selectOption('enterprise-admin');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Enterprise administrator').waitFor();
    expect(await row.innerText()).toContain(editedDisplayName);
  });

  step('offers no role change, disabling or deleting on the admin’s own row', async () => {
    const own = page.getByRole('row', { name: /^admin\b/ });
    expect(await own.getByRole('button').allInnerTexts()).toEqual(['Edit']);
    await own.getByRole('button', { name: 'Edit admin' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit user “admin”' });
    expect(await dialog.getByLabel('Role', { exact: true }).isDisabled()).toBe(true);
    await dialog.getByText('You cannot change your own role.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  step('shows the role changes in the audit log with localised action names', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    // Column 2 is the action, column 3 the target, column 4 the outcome.
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Change role' });
    await expect
      .poll(async () => {
        const rows = await tableCells();
        return rows.length >= 2 && rows.every((cells) => cells[2] === 'Change role') ? rows : undefined;
      }, { timeout: 10_000 })
      .toBeDefined();
    const roleChanges = await tableCells();
    expect(roleChanges.filter((cells) => cells[3] === tenantAdmin.username && cells[4] === 'Success')).toHaveLength(2);

    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'All actions' });
    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Latest 1000' });
    await expect.poll(async () => (await tableCells()).some((cells) => cells[2] === 'Create enterprise'), { timeout: 10_000 }).toBe(true);
    const all = await tableCells();
    // The enterprise is named, not shown by its id.
    expect(all.find((cells) => cells[2] === 'Create enterprise')?.[3]).toBe(enterpriseName);
    expect(all.some((cells) => cells[2] === 'Log in')).toBe(true);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
    const zhRows = await tableCells();
    expect(zhRows.filter((cells) => cells[2] === '变更角色' && cells[3] === tenantAdmin.username && cells[4] === '成功')).toHaveLength(2);
    expect(zhRows.some((cells) => cells[2] === '创建企业' && cells[3] === enterpriseName)).toBe(true);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  });

  step('fits the user table at 1366 px and stacks it at 420 px, in English and Chinese', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await mkdir(screenshotDir, { recursive: true });
    for (const [lang, button] of [['en', 'English'], ['zh-CN', '中文']] as const) {
      await page.getByRole('button', { name: button, exact: true }).click();
      for (const width of [1366, 420]) {
        await page.setViewportSize({ width, height: 768 });
        const deleteButtons = page.getByRole('table').getByRole('button', { name: /^(Delete|删除) / });
        await deleteButtons.first().waitFor();
        const layout = await page.evaluate(() => {
          const wrap = document.querySelector('.table-wrap');
          const rights = Array.from(document.querySelectorAll('table button')).map((b) => b.getBoundingClientRect().right);
          return {
            tableOverflow: wrap ? wrap.scrollWidth - wrap.clientWidth : -1,
            pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
            rightmostButton: Math.max(...rights),
            wrapRight: wrap?.getBoundingClientRect().right ?? 0,
          };
        });
        await page.screenshot({ path: join(screenshotDir, `users-${lang}-${width}.png`) });
        expect(layout.tableOverflow, `${lang} at ${width} px: the user table scrolls sideways`).toBeLessThanOrEqual(0);
        expect(layout.pageOverflow, `${lang} at ${width} px: the page scrolls sideways`).toBeLessThanOrEqual(0);
        expect(layout.rightmostButton, `${lang} at ${width} px: a row button is cut off`).toBeLessThanOrEqual(layout.wrapRight);
      }
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  });

  step('logs out and logs in as the new enterprise administrator', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await consoleToken()).toBeNull();
    await logIn({ username: 'Username', password: 'Password', submit: 'Log in' }, tenantAdmin.username, tenantAdmin.password);
    await page.getByRole('heading', { level: 1, name: /Hello/ }).waitFor();
    await page.getByRole('banner').getByText(editedDisplayName).waitFor();
  });

  step('keeps the session when the current password is wrong, and checks the new one in the browser', async () => {
    const tokenBefore = await consoleToken();
    await page.getByRole('banner').getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.getByLabel('Current password', { exact: true }).fill('not-my-password');
    await dialog.getByLabel('New password', { exact: true }).fill(newPassword);
    await dialog.getByLabel('Confirm new password', { exact: true }).fill(newPassword);
    await dialog.getByRole('button', { name: 'Save new password' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('The current password is wrong.');
    expect(await alert.innerText()).toContain('CURRENT_PASSWORD_WRONG');
    // A 400, not a 401: still signed in with the same token.
    expect(await consoleToken()).toBe(tokenBefore);
    expect(await page.getByRole('heading', { name: 'Log in' }).count()).toBe(0);

    const before = callsTo('POST /api/v1/auth/password');
    await dialog.getByLabel('Current password', { exact: true }).fill(tenantAdmin.password);
    await dialog.getByLabel('Confirm new password', { exact: true }).fill(`${newPassword}-typo`);
    await dialog.getByRole('button', { name: 'Save new password' }).click();
    await dialog.getByText('The two new passwords differ.').waitFor();
    expect(callsTo('POST /api/v1/auth/password'), 'mismatched passwords must not reach the server').toBe(before);
  });

  step('changes their own password through the dialog and keeps working with the new session', async () => {
    const oldToken = await consoleToken();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.getByLabel('Confirm new password', { exact: true }).fill(newPassword);
    await dialog.getByRole('button', { name: 'Save new password' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Your password has been changed.' }).waitFor();
    const token = await consoleToken();
    expect(token).toBeTruthy();
    expect(token).not.toBe(oldToken);
    const me = (t: string | null) => page.request.get(`${baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${t}` } });
    expect((await me(oldToken)).status(), 'the session from before the change is void').toBe(401);
    expect((await me(token)).status()).toBe(200);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The console itself carries on with the new token: loading a page must not end the session.
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    expect(await firstColumn(tenantAdmin.username)).toContain(tenantAdmin.username);
    expect(await consoleToken()).toBe(token);
    await page.getByRole('banner').getByText(editedDisplayName).waitFor();
  });

  step('logs out and logs in again with the new password only', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await logIn({ username: 'Username', password: 'Password', submit: 'Log in' }, tenantAdmin.username, tenantAdmin.password);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('INVALID_CREDENTIALS');
    await logIn({ username: 'Username', password: 'Password', submit: 'Log in' }, tenantAdmin.username, newPassword);
    await page.getByRole('heading', { level: 1, name: /Hello/ }).waitFor();
    await page.getByRole('banner').getByText(editedDisplayName).waitFor();
  });

  step('shows the enterprise administrator only the users of their own enterprise', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    const usernames = await firstColumn(tenantAdmin.username);
    expect(usernames).toContain(tenantAdmin.username);
    expect(usernames).not.toContain('admin');
    expect(usernames).not.toContain('demo-admin');
    expect(usernames).not.toContain('demo-operator');
  });

  step('shows the enterprise administrator only their own enterprise', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Enterprises' }).click();
    const names = await firstColumn(enterpriseName);
    expect(names).toEqual([enterpriseName]);
  });

  step("answers 404 when the enterprise administrator asks for another tenant's enterprise", async () => {
    expect(demoEnterpriseId).toBeTruthy();
    const token = await consoleToken();
    const answer = await page.request.get(`${baseUrl}/api/v1/enterprises/${encodeURIComponent(demoEnterpriseId)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status()).toBe(404);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('ENTERPRISE_NOT_FOUND');
  });
});
