import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Store, createAuditLog, createStore, storeBackends } from '@yulian/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

// `yulian audit verify` as users run it: the built binary in a child process (`npm test` builds first).
const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Runs the CLI to its end: exit code and everything it printed. */
function yulian(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

/** Runs SQL underneath the append-only triggers, as someone with direct database access would. */
async function tamper(store: Store, statement: string): Promise<void> {
  if (store.native.kind === 'sqlite') {
    // The test's own connection: drop the triggers that would refuse the change.
    store.native.db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');
    store.native.db.exec(statement);
    return;
  }
  const client = await store.native.pool.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(statement);
  } finally {
    await client.query('RESET session_replication_role').catch(() => undefined);
    client.release();
  }
}

async function appendMany(store: Store, n: number, actor = 'alice'): Promise<void> {
  const audit = createAuditLog(store.db);
  for (let i = 1; i <= n; i++) await audit.append({ tenantId: 't1', actor, action: 'device.update', target: `dev-${i}`, ip: '10.0.0.1', details: { i } });
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
});

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`yulian audit verify on ${backend.name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });
    /** A fresh migrated store with `n` entries, and the environment that points the CLI at it. */
    const logOf = async (n: number): Promise<{ store: Store; env: Record<string, string>; url: string; dataDir: string }> => {
      const opened = await backend.open();
      cleanups.push(opened.cleanup);
      await appendMany(opened.store, n);
      return { ...opened, env: { YULIAN_STORE: opened.url, YULIAN_DATA_DIR: opened.dataDir } };
    };
    const idOfSeq = async (store: Store, seq: number): Promise<number> =>
      Number((await store.db.selectFrom('audit_log').select('id').where('seq', '=', seq).executeTakeFirstOrThrow()).id);

    it('says OK with the count for an untouched log and exits 0', async () => {
      const { env } = await logOf(12);
      const r = await yulian(['audit', 'verify'], env);
      expect(r).toEqual({ code: 0, out: 'audit chain OK: 12 entries verified (SM3 hash chain, head at entry 12)\n' });
      const json = await yulian(['audit', 'verify', '--json'], env);
      expect(JSON.parse(json.out)).toEqual({ ok: true, checked: 12, headSeq: 12 });
    });

    it('finds a modified entry and exits 1', async () => {
      const { store, env } = await logOf(10);
      await tamper(store, "UPDATE audit_log SET details = '{\"i\":99}' WHERE seq = 4");
      const r = await yulian(['audit', 'verify'], env);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`AUDIT_CHAIN_BROKEN at entry 4 (row id ${await idOfSeq(store, 4)}): modified — entry 4`);
      expect(r.out).toContain('does not match its hash');
    });

    it('finds a deleted middle entry and exits 1', async () => {
      const { store, env } = await logOf(10);
      await tamper(store, 'DELETE FROM audit_log WHERE seq = 6');
      const r = await yulian(['audit', 'verify', '--store', env['YULIAN_STORE']!, '--data-dir', env['YULIAN_DATA_DIR']!], {});
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^AUDIT_CHAIN_BROKEN at entry 6: removed — entry 6 is missing: the chain jumps from 5 to 7 .* 5 entries before it verified\.\n$/);
    });

    it('finds a deleted newest entry and exits 1', async () => {
      const { store, env } = await logOf(10);
      await tamper(store, 'DELETE FROM audit_log WHERE seq = 10');
      const r = await yulian(['audit', 'verify'], env);
      expect(r.code).toBe(1);
      expect(r.out).toContain('AUDIT_CHAIN_BROKEN at entry 10: removed — entry 10 is missing at the end');
    });

    // Only PostgreSQL has several processes on one store (SQLite is one file per process here).
    if (backend.name === 'postgres') it('verifies one chain after concurrent appends from two store connections', async () => {
      const { store, env, url, dataDir } = await logOf(0);
      const second = await createStore({ url, dataDir });
      cleanups.push(() => second.close());
      // Each store's pool has up to 10 connections: appends race within each process and across the two.
      await Promise.all([
        ...Array.from({ length: 3 }, (_, w) => appendMany(store, 20, `a${w}`)),
        ...Array.from({ length: 3 }, (_, w) => appendMany(second, 20, `b${w}`)),
      ]);
      const seqs = await store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute();
      expect(seqs.map((r) => Number(r.seq))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(await yulian(['audit', 'verify'], env)).toEqual({ code: 0, out: 'audit chain OK: 120 entries verified (SM3 hash chain, head at entry 120)\n' });
    });
  });
}

describe('yulian audit verify without a store', () => {
  it('exits 2 when the SQLite store does not exist or PostgreSQL cannot be reached', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'yulian-audit-'));
    try {
      const missing = await yulian(['audit', 'verify'], { YULIAN_DATA_DIR: empty });
      expect(missing.code).toBe(2);
      expect(missing.out).toContain(`no store at ${join(empty, 'yulian.db')}`);
      expect(existsSync(join(empty, 'yulian.db'))).toBe(false);
      const down = await yulian(['audit', 'verify', '--store', 'postgres://nobody@127.0.0.1:1/none'], { YULIAN_DATA_DIR: empty });
      expect(down.code).toBe(2);
      expect(down.out).toMatch(/^yulian audit verify: cannot read the store: cannot connect to PostgreSQL/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
