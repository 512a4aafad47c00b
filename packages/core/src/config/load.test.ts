import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, maskConfig } from './index.js';

describe('loadConfig', () => {
  it('gives the documented defaults with nothing set', () => {
    const config = loadConfig({ cwd: tmpdir() });
    expect(config).toMatchObject({ http: { port: 8080, host: '::' }, dataDir: './data', store: 'sqlite', bus: 'memory', mqtt: { port: 1883 }, handle: { port: 2641 }, opcua: { port: 4840 }, demo: false });
  });

  it('layers defaults < config file < environment < flags', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yulian-config-'));
    await writeFile(join(dir, 'yulian.config.json'), JSON.stringify({ http: { port: 9000 }, dataDir: '/from/file', mqtt: { port: 1999 } }));
    const config = loadConfig({ cwd: dir, env: { YULIAN_DATA_DIR: '/from/env', YULIAN_MQTT_PORT: '2000' }, flags: { 'mqtt-port': '2001' } });
    expect(config.http.port).toBe(9000);
    expect(config.dataDir).toBe('/from/env');
    expect(config.mqtt.port).toBe(2001);
  });

  it('reads booleans the way people write them', () => {
    expect(loadConfig({ cwd: tmpdir(), env: { YULIAN_DEMO: '1' } }).demo).toBe(true);
    expect(loadConfig({ cwd: tmpdir(), env: { YULIAN_DEMO: 'no' } }).demo).toBe(false);
    expect(loadConfig({ cwd: tmpdir(), flags: { demo: true } }).demo).toBe(true);
  });

  it('names the key, the value, its source and the expected form of a bad value', () => {
    const error = (() => {
      try {
        loadConfig({ cwd: tmpdir(), env: { YULIAN_HTTP_PORT: '99999' } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('invalid configuration: http.port = "99999" (from environment YULIAN_HTTP_PORT); expected a port number 0–65535 (0 picks a free port)');
  });

  it('rejects a store URL that is neither sqlite nor postgres', () => {
    expect(() => loadConfig({ cwd: tmpdir(), env: { YULIAN_STORE: 'mysql://x' } })).toThrow(/store = "mysql:\/\/x".*expected `sqlite` or a postgres:\/\/ URL/);
  });

  it('rejects unknown keys and unreadable files in a config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yulian-config-'));
    await writeFile(join(dir, 'a.json'), JSON.stringify({ htpp: { port: 1 } }));
    expect(() => loadConfig({ cwd: dir, file: 'a.json' })).toThrow(/htpp.*a known setting/);
    await writeFile(join(dir, 'b.json'), '{ not json');
    expect(() => loadConfig({ cwd: dir, file: 'b.json' })).toThrow(/b\.json.*readable JSON file/);
    expect(() => loadConfig({ cwd: dir, file: 'missing.json' })).toThrow(ConfigError);
  });

  it('masks secrets and URL passwords', () => {
    const config = loadConfig({ cwd: tmpdir(), env: { YULIAN_STORE: 'postgres://yulian:hunter2@db:5432/yulian', YULIAN_ADMIN_PASSWORD: 'super-secret-1', YULIAN_BUS: 'nats://127.0.0.1:4222' } });
    const masked = JSON.stringify(maskConfig(config));
    expect(masked).not.toContain('hunter2');
    expect(masked).not.toContain('super-secret-1');
    expect(masked).toContain('postgres://yulian:***@db:5432/yulian');
    expect(masked).toContain('nats://127.0.0.1:4222');
  });
});
