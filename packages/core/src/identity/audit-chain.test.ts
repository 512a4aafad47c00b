import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Store, createStore } from '../store/index.js';
import { migrationsFor } from '../store/migrations/index.js';
import { storeBackends, testPostgresUrl } from '../testing/index.js';
import { createAuditLog } from './audit.js';
import { verifyAuditChain } from './audit-chain.js';
import { auditEntryHash } from './audit-chain-hash.js';

/** Runs SQL underneath the append-only triggers, as someone with direct database access would. */
async function tamper(store: Store, statements: string[]): Promise<void> {
  if (store.native.kind === 'sqlite') {
    for (const t of ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_chained', 'audit_chain_head_forward']) store.native.db.exec(`DROP TRIGGER IF EXISTS ${t}`);
    for (const s of statements) store.native.db.exec(s);
    return;
  }
  const client = await store.native.pool.connect();
  try {
    await client.query('SET session_replication_role = replica');
    for (const s of statements) await client.query(s);
  } finally {
    await client.query('RESET session_replication_role').catch(() => undefined);
    client.release();
  }
}

async function appendMany(store: Store, n: number): Promise<void> {
  const audit = createAuditLog(store.db);
  for (let i = 1; i <= n; i++) await audit.append({ tenantId: 't1', actor: 'alice', action: 'device.update', target: `dev-${i}`, ip: '10.0.0.1', details: { i } });
}

const idOfSeq = async (store: Store, seq: number): Promise<number> =>
  Number((await store.db.selectFrom('audit_log').select('id').where('seq', '=', seq).executeTakeFirstOrThrow()).id);

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`audit chain on ${backend.name}`, () => {
    let cleanups: Array<() => Promise<void>> = [];
    const open = async (): Promise<Store> => {
      const opened = await backend.open();
      cleanups.push(opened.cleanup);
      return opened.store;
    };
    afterEach(async () => {
      for (const c of cleanups) await c();
      cleanups = [];
    });

    it('verifies an untouched log page by page, and an empty one', async () => {
      const store = await open();
      expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: 0, headSeq: 0 });
      await appendMany(store, 25);
      const pages: number[] = [];
      const report = await verifyAuditChain(store.db, { pageSize: 10, onProgress: (n) => pages.push(n) });
      expect(report).toEqual({ ok: true, checked: 25, headSeq: 25 });
      expect(pages).toEqual([10, 20, 25]);
      const rows = await store.db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
      expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    });

    it('finds a modified entry, an entry moved to another place, and a head that does not match', async () => {
      const store = await open();
      await appendMany(store, 6);
      await tamper(store, ["UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"]);
      expect((await verifyAuditChain(store.db, { pageSize: 2 })).firstBad).toMatchObject({ seq: 3, id: await idOfSeq(store, 3), problem: 'modified' });
      await tamper(store, ["UPDATE audit_log SET actor = 'alice' WHERE seq = 3"]);
      expect((await verifyAuditChain(store.db)).ok).toBe(true);

      await tamper(store, ['UPDATE audit_log SET seq = -1 WHERE seq = 2', 'UPDATE audit_log SET seq = 2 WHERE seq = 4', 'UPDATE audit_log SET seq = 4 WHERE seq = -1']);
      const moved = await verifyAuditChain(store.db);
      expect(moved).toMatchObject({ ok: false, checked: 1, firstBad: { seq: 2, problem: 'reordered' } });
      await tamper(store, ['UPDATE audit_log SET seq = -1 WHERE seq = 2', 'UPDATE audit_log SET seq = 2 WHERE seq = 4', 'UPDATE audit_log SET seq = 4 WHERE seq = -1']);

      await tamper(store, [`UPDATE audit_chain_head SET hash = '${'ab'.repeat(32)}'`]);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, checked: 6, firstBad: { seq: 6, problem: 'head-mismatch' } });
    });

    it('finds an entry rewritten with a recomputed hash by the next entry’s link', async () => {
      const store = await open();
      await appendMany(store, 4);
      const row = await store.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
      const forged = auditEntryHash(1, { ...row, ts: Number(row.ts), seq: 2, actor: 'mallory' })!;
      await tamper(store, [`UPDATE audit_log SET actor = 'mallory', hash = '${forged}' WHERE seq = 2`]);
      expect((await verifyAuditChain(store.db)).firstBad).toMatchObject({ seq: 3, problem: 'modified', detail: expect.stringMatching(/links to a different hash than entry 2/) });
    });

    it('finds a removed middle entry and removed newest entries', async () => {
      const store = await open();
      await appendMany(store, 8);
      await tamper(store, ['DELETE FROM audit_log WHERE seq IN (7, 8)']);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, checked: 6, headSeq: 8, firstBad: { seq: 7, id: null, problem: 'removed', detail: expect.stringMatching(/entries 7–8 are missing at the end/) } });
      await tamper(store, ['DELETE FROM audit_log WHERE seq = 4']);
      expect(await verifyAuditChain(store.db, { pageSize: 3 })).toMatchObject({ ok: false, checked: 3, firstBad: { seq: 4, id: null, problem: 'removed', detail: expect.stringMatching(/entry 4 is missing/) } });
    });

    it('refuses in the database an insert that does not follow the head, and a head moved back or deleted', async () => {
      const store = await open();
      await appendMany(store, 3);
      const forged = { ts: Date.now(), action: 'forged', outcome: 'success', details: '{}', hash: 'x'.repeat(64), hash_version: 1 };
      await expect(store.db.insertInto('audit_log').values({ ...forged, seq: 3, prev_hash: '0'.repeat(64) }).execute()).rejects.toThrow(/audit chain/);
      await expect(store.db.insertInto('audit_log').values({ ...forged, seq: 9, prev_hash: '0'.repeat(64) }).execute()).rejects.toThrow(/audit chain/);
      await expect(sql`UPDATE audit_chain_head SET seq = 2`.execute(store.db)).rejects.toThrow(/only moves one entry forward/);
      await expect(sql`DELETE FROM audit_chain_head`.execute(store.db)).rejects.toThrow(/cannot be deleted/);
      await expect(sql`UPDATE audit_log SET actor = 'x'`.execute(store.db)).rejects.toThrow(/append-only/);
      expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: 3, headSeq: 3 });
    });
  });
}

/** A store with no migrations run yet (the backends of `storeBackends` come migrated), and its cleanup. */
async function openUnmigrated(name: 'sqlite' | 'postgres'): Promise<{ store: Store; schema?: string; cleanup: () => Promise<void> }> {
  if (name === 'sqlite') {
    const store = await createStore({ url: 'sqlite', dataDir: '.', sqliteFile: ':memory:' });
    return { store, cleanup: () => store.close() };
  }
  const schema = `yt_chain_${randomBytes(6).toString('hex')}`;
  const store = await createStore({ url: `${testPostgresUrl()}?schema=${schema}`, dataDir: '.' });
  return {
    store,
    schema,
    async cleanup() {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(store.db);
      await store.close();
    },
  };
}

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`audit chain migration on ${backend.name}`, () => {
    it('chains the entries written before it, in id order, and appends continue the chain', async () => {
      const { store, schema, cleanup } = await openUnmigrated(backend.name);
      try {
        const migrations = migrationsFor(store.dialect);
        // Kysely's bookkeeping tables must be looked for in the store's own schema (as createStore's migrate does).
        const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
        expect((await migrator.migrateTo('0021_alarm_rule_profiles')).error).toBeUndefined();
        const legacy = Array.from({ length: 2500 }, (_, i) => ({ ts: 1_700_000_000_000 + i, actor: `u${i % 7}`, action: 'legacy', outcome: 'success', details: JSON.stringify({ i }) }));
        await store.insertRows('audit_log', legacy);
        await store.migrate();
        expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: 2500, headSeq: 2500 });
        const first = await store.db.selectFrom('audit_log').select(['id', 'seq', 'actor']).orderBy('id').executeTakeFirstOrThrow();
        expect([Number(first.seq), first.actor]).toEqual([1, 'u0']);
        await createAuditLog(store.db).append({ action: 'after.migration' });
        expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: 2501, headSeq: 2501 });
        await expect(sql`UPDATE audit_log SET actor = 'x' WHERE seq = 1`.execute(store.db)).rejects.toThrow(/append-only/);
      } finally {
        await cleanup();
      }
    });
  });
}
