import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CLI is tested as users run it: the built binary in a child process (`npm test` builds first).
const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      // Killed by a signal (code null): say which, for the failure message.
      if (code === null) out += `\n[exited on ${signal}]`;
      resolve(code);
    }),
  );
  return { child, output: () => out, exit };
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('yulian CLI', () => {
  let dataDir: string;
  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
    dataDir = await mkdtemp(join(tmpdir(), 'yulian-cli-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('prints the effective configuration with secrets masked', async () => {
    const r = run(['serve', '--print-config', '--http-port', '9090'], { YULIAN_STORE: 'postgres://yulian:hunter2@db/yulian', YULIAN_ADMIN_PASSWORD: 'very-secret-pw' });
    expect(await r.exit).toBe(0);
    const printed = JSON.parse(r.output()) as { http: { port: number }; store: string; auth: { adminPassword: string } };
    expect(printed.http.port).toBe(9090);
    expect(printed.store).toBe('postgres://yulian:***@db/yulian');
    expect(printed.auth.adminPassword).toBe('***');
    expect(r.output()).not.toContain('hunter2');
  });

  it('exits with code 2 and names the key, value and expected form of an invalid setting', async () => {
    const r = run(['serve'], { YULIAN_MQTT_PORT: 'abc' });
    expect(await r.exit).toBe(2);
    expect(r.output().trim()).toBe('invalid configuration: mqtt.port = "abc" (from environment YULIAN_MQTT_PORT); expected a port number 0–65535 (0 picks a free port)');
  });

  it('starts, prints one block with the login and ports, falls back from a taken port, and stops on SIGTERM with code 0', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const r = run(['serve', '--demo'], { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: String(taken) });
      await waitFor(() => r.output().includes('Stop with Ctrl+C.'), 45_000);
      const out = r.output();
      expect(out).toMatch(/Login {5}admin \/ \S{20} {3}\(generated now, stored hashed, shown only this once\)/);
      expect(out).toContain(`MQTT broker (port ${taken} was taken)`);
      expect(out).toContain(`port ${taken} is in use; listening on`);
      expect(out).not.toMatch(/\n\s+at /); // no stack trace
      const url = /Console {3}(http:\/\/localhost:\d+)/.exec(out)?.[1];
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);

      const stoppedAt = Date.now();
      r.child.kill('SIGTERM');
      expect(await r.exit, r.output().slice(-3000)).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);

      // A second start keeps the data and prints no password.
      const again = run(['serve'], { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0' });
      await waitFor(() => again.output().includes('Stop with Ctrl+C.'), 30_000);
      expect(again.output()).toContain('admin / (the password set on first start)');
      again.child.kill('SIGINT');
      expect(await again.exit, again.output().slice(-3000)).toBe(0);
    } finally {
      blocker.close();
    }
    // Two whole starts (the first with the demo plant, its guards and its seeds) on a loaded CI machine.
  }, 90_000);

  it('resets a lost admin password from the command line, and the new one logs in', async () => {
    const reset = run(['admin', 'reset-password'], { YULIAN_DATA_DIR: dataDir });
    expect(await reset.exit).toBe(0);
    const password = /admin password reset: (\S{20}) /.exec(reset.output())?.[1];
    expect(password).toBeDefined();
    const r = run(['serve', '--http-port', '0', '--mqtt-port', '0', '--token-ttl-minutes', '5'], { YULIAN_DATA_DIR: dataDir });
    await waitFor(() => r.output().includes('Stop with Ctrl+C.'), 20_000);
    const url = /Console {3}(http:\/\/localhost:\d+)/.exec(r.output())?.[1];
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    expect(login.status).toBe(200);
    const { expiresAt } = (await login.json()) as { expiresAt: string };
    // --token-ttl-minutes 5 took effect.
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
  });

  it('never prints a secret in a configuration error', async () => {
    const r = run(['serve'], { YULIAN_ADMIN_PASSWORD: 'short' });
    expect(await r.exit).toBe(2);
    expect(r.output()).toContain('auth.adminPassword = "***"');
    expect(r.output()).not.toContain('short"');
  });

  it('says in one line why it cannot start when the store is unreachable', async () => {
    const r = run(['serve'], { YULIAN_DATA_DIR: dataDir, YULIAN_HTTP_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_STORE: 'postgres://nobody@127.0.0.1:1/none' });
    expect(await r.exit).toBe(1);
    expect(r.output().trim()).toMatch(/^yulian: cannot start: cannot connect to PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none: .+$/);
  });
});
