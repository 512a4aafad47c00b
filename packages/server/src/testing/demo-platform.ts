import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@yulian/core';
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
