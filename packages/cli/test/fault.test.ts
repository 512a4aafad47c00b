import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@yulian/core';
import { type Platform, demoPassword, startPlatform } from '@yulian/server';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const yulian = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });

describe('yulian fault', () => {
  let platform: Platform;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-fault-'));
    platform = await startPlatform(loadConfig({ env: { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_DEMO: '1', YULIAN_ADMIN_PASSWORD: 'admin-Passw0rd' } }), { quiet: true });
  });
  afterAll(async () => {
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('injects, lists and clears a fault of the running platform’s virtual factory', async () => {
    const login = ['--url', platform.httpUrl, '--user', 'demo-engineer'];
    const env = { YULIAN_PASSWORD: demoPassword };
    const injected = await yulian(['fault', 'inject', 'cnc-02', 'stuck-value', '--point', 'spindle_speed', '--severity', '0.5', ...login], env);
    expect(injected).toMatchObject({ code: 0 });
    expect(injected.out).toContain('injected stuck-value on spindle_speed into cnc-02 (severity 0.5)');
    expect(platform.factory?.faults()).toEqual([expect.objectContaining({ device: 'cnc-02', kind: 'stuck-value', point: 'spindle_speed', severity: 0.5 })]);
    expect((await yulian(['fault', 'list', ...login], env)).out).toMatch(/cnc-02\s+stuck-value\s+spindle_speed severity 0.5/);
    const cleared = await yulian(['fault', 'clear', 'cnc-02', ...login], env);
    expect(cleared).toMatchObject({ code: 0 });
    expect(platform.factory?.faults()).toEqual([]);
  });

  it('says why it failed: unknown machine, wrong kind, no credentials', async () => {
    const env = { YULIAN_PASSWORD: demoPassword };
    const unknown = await yulian(['fault', 'inject', 'cnc-99', 'overheating', '--url', platform.httpUrl, '--user', 'demo-engineer'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('DEVICE_NOT_FOUND');
    const kind = await yulian(['fault', 'inject', 'cnc-01', 'melting', '--url', platform.httpUrl, '--user', 'demo-engineer'], env);
    expect(kind.code).toBe(1);
    expect(kind.out).toContain('VALIDATION_FAILED');
    const anonymous = await yulian(['fault', 'list', '--url', platform.httpUrl], { YULIAN_TOKEN: '', YULIAN_PASSWORD: '' });
    expect(anonymous.code).toBe(1);
    expect(anonymous.out).toContain('give --token');
  });
});
