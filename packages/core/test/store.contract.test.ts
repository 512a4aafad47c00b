import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTenants, createAuditLog, createStore, createTenantRepository, createUserRepository, isYulianError, storeBackends, tenantScope, type Store } from '@yulian/core';

const backends = await storeBackends();

for (const backend of backends) {
  describe.skipIf(!backend.available)(`store contract on ${backend.name}`, () => {
    let store: Store;
    let url: string;
    let dataDir: string;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, url, dataDir, cleanup } = await backend.open());
    });
    afterAll(async () => cleanup());

    it('applies migrations once and finds nothing to do the second time', async () => {
      expect(await store.migrate()).toEqual([]);
      // Only this store's schema: Kysely's PostgreSQL introspection reads every schema's catalog, and another
      // test dropping its schema at that moment fails the query (seen on CI).
      const names =
        store.dialect === 'postgres'
          ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(store.db)).rows.map((r) => r.name)
          : (await store.db.introspection.getTables()).map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['tenants', 'users', 'api_tokens', 'audit_log', 'settings', 'security_events', 'security_blocks']));
    });

    it('keeps data across closing and reopening the store', async () => {
      const tenants = createTenantRepository(store.db);
      const created = await tenants.create({ name: 'Persist Co', code: `P-${backend.name}`, district: '渝北区', industry: 'auto' });
      const again = await createStore({ url, dataDir });
      try {
        expect(await again.migrate()).toEqual([]);
        expect((await createTenantRepository(again.db).get(allTenants, created.id)).name).toBe('Persist Co');
      } finally {
        await again.close();
      }
    });

    it('inserts rows in bulk and counts them', async () => {
      await sql`CREATE TABLE bulk_test (series integer NOT NULL, ts bigint NOT NULL, value double precision NOT NULL, PRIMARY KEY (series, ts))`.execute(store.db);
      const rows = Array.from({ length: 25_000 }, (_, i) => ({ series: i % 50, ts: i, value: i / 2 }));
      expect(await store.insertRows('bulk_test', rows)).toBe(25_000);
      const { rows: counted } = await sql<{ n: number; total: number }>`SELECT count(*) AS n, sum(value) AS total FROM bulk_test`.execute(store.db);
      expect(Number(counted[0]?.n)).toBe(25_000);
      expect(Number(counted[0]?.total)).toBe(rows.reduce((s, r) => s + r.value, 0));
      expect(store.stats().rowsInserted).toBeGreaterThanOrEqual(25_000);
    });

    it('rolls back a bulk insert that fails part-way, leaving no partial batch', async () => {
      const rows = [{ series: 999, ts: 1, value: 1 }, { series: 999, ts: 1, value: 2 }];
      await expect(store.insertRows('bulk_test', rows)).rejects.toThrow();
      const { rows: counted } = await sql<{ n: number }>`SELECT count(*) AS n FROM bulk_test WHERE series = 999`.execute(store.db);
      expect(Number(counted[0]?.n)).toBe(0);
    });

    it('refuses table or column names that are not plain identifiers', async () => {
      await expect(store.insertRows('bulk_test; DROP TABLE users', [{ series: 1 }])).rejects.toSatisfy((e) => isYulianError(e, 'BAD_REQUEST'));
    });

    it('refuses to update or delete audit log rows', async () => {
      const audit = createAuditLog(store.db);
      await audit.append({ action: 'test.event', actor: 'tester', details: { n: 1 } });
      await expect(sql`UPDATE audit_log SET action = 'forged'`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
      const [entry] = await audit.list(allTenants, { action: 'test.event' });
      expect(entry).toMatchObject({ action: 'test.event', actor: 'tester', details: { n: 1 }, outcome: 'success' });
    });

    it('scopes user reads, updates and deletes to the tenant', async () => {
      const tenants = createTenantRepository(store.db);
      const users = createUserRepository(store.db);
      const a = await tenants.create({ name: 'A', code: `A-${backend.name}`, district: '', industry: '' });
      const b = await tenants.create({ name: 'B', code: `B-${backend.name}`, district: '', industry: '' });
      const ua = await users.create({ username: `alice-${backend.name}`, displayName: 'Alice', role: 'engineer', tenantId: a.id, passwordHash: 'x' });
      const ub = await users.create({ username: `bob-${backend.name}`, displayName: 'Bob', role: 'engineer', tenantId: b.id, passwordHash: 'x' });

      expect((await users.list(tenantScope(a.id))).map((u) => u.id)).toEqual([ua.id]);
      await expect(users.get(tenantScope(a.id), ub.id)).rejects.toSatisfy((e) => isYulianError(e, 'USER_NOT_FOUND'));
      await expect(users.update(tenantScope(a.id), ub.id, { display_name: 'pwned' })).rejects.toSatisfy((e) => isYulianError(e, 'USER_NOT_FOUND'));
      await expect(users.delete(tenantScope(a.id), ub.id)).rejects.toSatisfy((e) => isYulianError(e, 'USER_NOT_FOUND'));
      expect((await users.get(allTenants, ub.id)).displayName).toBe('Bob');
      await expect(tenants.get(tenantScope(a.id), b.id)).rejects.toSatisfy((e) => isYulianError(e, 'ENTERPRISE_NOT_FOUND'));
      expect(await tenants.list(tenantScope(a.id))).toHaveLength(1);
      expect(await users.count(allTenants)).toBeGreaterThanOrEqual(2);
      expect(await users.countByRole(tenantScope(b.id))).toEqual({ engineer: 1 });
    });

    it('treats usernames as case-insensitive and unique', async () => {
      const users = createUserRepository(store.db);
      await users.create({ username: `Carol-${backend.name}`, displayName: '', role: 'viewer', tenantId: null, passwordHash: 'x' });
      expect((await users.findByUsername(`CAROL-${backend.name}`))?.username).toBe(`carol-${backend.name}`);
      await expect(users.create({ username: `carol-${backend.name}`, displayName: '', role: 'viewer', tenantId: null, passwordHash: 'x' })).rejects.toSatisfy((e) => isYulianError(e, 'USER_EXISTS'));
    });
  });
}
