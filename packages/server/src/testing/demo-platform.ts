import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@yulian/core';
import { demoPassword } from '../demo/seed.js';
import { type Platform, startPlatform } from '../platform.js';

/** A platform started for a test: closing it also removes its data directory. */
export type TestPlatform = Platform & { dataDir: string };

/**
 * Starts the all-in-one platform with the demo (plant, accounts, identifier hierarchy) on free ports, in a
 * fresh data directory, quietly — what most platform tests start from.
 * @example const platform = await startDemoPlatform('id-records'); … await platform.close();
 */
export async function startDemoPlatform(name: string, env: Record<string, string> = {}): Promise<TestPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), `yulian-${name}-`));
  try {
    const platform = await startPlatform(
      loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd', ...env } }),
      { quiet: true },
    );
    const close = platform.close.bind(platform);
    return Object.assign(platform, {
      dataDir,
      async close() {
        await close();
        await rm(dataDir, { recursive: true, force: true });
      },
    });
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/** An API answer as tests look into it: the status and the parsed JSON body (undefined when empty). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestAnswer = { status: number; json: any };

/**
 * Calls a test platform's API in-process (`app.inject`) as a demo user, logging each user in once.
 * @example const call = demoApi(platform); const r = await call('GET', '/api/v1/alarms', 'demo-operator');
 */
export function demoApi(platform: Platform): (method: string, path: string, user: string, body?: unknown) => Promise<TestAnswer> {
  const tokens = new Map<string, string>();
  return async (method, path, user, body) => {
    let token = tokens.get(user);
    if (!token) {
      const r = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: demoPassword } });
      token = (r.json() as { token: string }).token;
      tokens.set(user, token);
    }
    const r = await platform.app.inject({ method: method as 'GET', url: path, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: r.statusCode, json: r.body ? r.json() : undefined };
  };
}

/**
 * Polls `probe` until it answers something other than undefined, every `everyMs`; throws naming `what` after `ms`.
 * @example const alarm = await waitFor('the alarm', async () => (await list()).find((a) => a.rule === id));
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000, everyMs = 200): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
