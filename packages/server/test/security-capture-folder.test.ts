import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditLog, createLogger, createStore, loadConfig } from '@yulian/core';
import { type CaptureFolder, type SecurityMonitor, startCaptureFolder, startSecurityMonitor } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const logger = createLogger({ level: 'silent' });
const example = fileURLToPath(new URL('../../../../shared/data/pcap/modbus_example.pcap', import.meta.url));

describe('the capture folder', () => {
  let dir: string;
  let monitor: SecurityMonitor;
  let folder: CaptureFolder;
  let closeStore: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-capture-folder-'));
    const store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    closeStore = () => store.close();
    const config = loadConfig({ env: { YULIAN_DATA_DIR: dir } });
    monitor = await startSecurityMonitor({ store, logger, config: config.security, dataDir: dir, audit: createAuditLog(store.db) });
    folder = await startCaptureFolder({ dir: join(dir, 'captures'), monitor, tenantOf: async (code) => (code === 'DEMO-0001' ? 'tenant-demo' : undefined), maxBytes: 64 * 1024, logger, intervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await folder?.close();
    await monitor?.close();
    await closeStore?.();
    await rm(dir, { recursive: true, force: true });
  });

  const files = async (...parts: string[]): Promise<string[]> => (await readdir(join(dir, 'captures', ...parts)).catch(() => [] as string[])).sort();

  it('analyses a capture once it stops growing, and moves it to done with its summary', async () => {
    const incoming = join(dir, 'captures', 'incoming', 'DEMO-0001');
    await mkdir(incoming, { recursive: true });
    await copyFile(example, join(incoming, 'line1.pcap'));
    await folder.scan();
    // First seen: it may still be copying.
    expect(folder.stats()).toMatchObject({ analysed: 0, waiting: 1 });
    await folder.scan();
    expect(folder.stats()).toMatchObject({ analysed: 1, waiting: 0 });
    expect(await files('incoming', 'DEMO-0001')).toEqual([]);
    const done = await files('done', 'DEMO-0001');
    expect(done).toHaveLength(2);
    const summary = JSON.parse(await readFile(join(dir, 'captures', 'done', 'DEMO-0001', done.find((f) => f.endsWith('.summary.json'))!), 'utf8'));
    expect(summary).toMatchObject({ format: 'pcap', packets: 100, modbus: { transactions: 24 } });
    expect(monitor.engine.stats().observations).toBeGreaterThan(24);
  });

  it('rejects a malformed, an oversized and an unaddressed capture with the reason beside each, and goes on', async () => {
    const incoming = join(dir, 'captures', 'incoming');
    await mkdir(join(incoming, 'DEMO-0001'), { recursive: true });
    await mkdir(join(incoming, 'NOBODY'), { recursive: true });
    await writeFile(join(incoming, 'DEMO-0001', 'notes.pcap'), 'not a capture');
    await writeFile(join(incoming, 'DEMO-0001', 'huge.pcapng'), Buffer.alloc(65 * 1024));
    await copyFile(example, join(incoming, 'NOBODY', 'stray.pcap'));
    await writeFile(join(incoming, 'DEMO-0001', 'readme.txt'), 'left alone: not a capture name');
    await folder.scan();
    await folder.scan();
    expect(folder.stats()).toMatchObject({ analysed: 1, rejected: 3 });
    const reasons = async (code: string): Promise<string[]> => {
      const names = (await files('rejected', code)).filter((f) => f.endsWith('.error.txt'));
      return Promise.all(names.map(async (n) => (await readFile(join(dir, 'captures', 'rejected', code, n), 'utf8')).split(':')[0]!));
    };
    expect((await reasons('DEMO-0001')).sort()).toEqual(['CAPTURE_MALFORMED', 'CAPTURE_TOO_LARGE']);
    expect(await reasons('NOBODY')).toEqual(['ENTERPRISE_NOT_FOUND']);
    expect(await files('incoming', 'DEMO-0001')).toEqual(['readme.txt']);
  });
});

describe('the block list', () => {
  it('outlives a restart of the monitor until it runs out, and a lifted block stays lifted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yulian-blocks-'));
    const store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    const config = loadConfig({ env: { YULIAN_DATA_DIR: dir } });
    const start = () => startSecurityMonitor({ store, logger, config: config.security, dataDir: dir, audit: createAuditLog(store.db) });
    try {
      const first = await start();
      await first.block('10.9.8.7', 600, 'test', 'demo-analyst');
      await first.block('10.9.8.8', 600, 'test', 'demo-analyst');
      await first.block('10.9.8.9', 600, 'test', 'demo-analyst');
      await first.unblock('10.9.8.8', 'demo-analyst');
      await first.close();
      const second = await start();
      expect([second.isBlocked('10.9.8.7'), second.isBlocked('10.9.8.8'), second.isBlocked('10.9.8.9')]).toEqual([true, false, true]);
      expect(second.blocks().map((b) => b.ip).sort()).toEqual(['10.9.8.7', '10.9.8.9']);
      await second.close();
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
