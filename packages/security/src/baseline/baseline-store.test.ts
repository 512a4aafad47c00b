import { type Store, allTenants, storeBackends, tenantScope } from '@yulian/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBaseline } from './baseline.js';
import { createBaselineStore, flushBaseline } from './baseline-store.js';
import { read, t0 } from './test-observations.js';


for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`security baseline on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ store, cleanup } = await backend.open()));
    afterAll(async () => cleanup?.());

    it('persists what was learned and the mode, and a fresh baseline enforces it after a restart', async () => {
      const saved = createBaselineStore(store);
      const learner = createBaseline();
      await saved.saveState(learner.setMode('tenant-a', 'learning', t0), 'admin');
      await saved.saveState(learner.setMode(null, 'learning', t0));
      for (let s = 0; s < 10; s++) learner.assess(read({ ts: t0 + s * 1000, address: s * 10, quantity: 10 }));
      learner.assess(read({ ts: t0 + 20_000, tenantId: null, deviceId: undefined }));
      expect(await flushBaseline(learner, saved)).toBe(2);
      learner.assess(read({ ts: t0 + 30_000, address: 500, quantity: 5 }));
      expect(await flushBaseline(learner, saved)).toBe(1); // only the entry that changed, upserted
      await saved.saveState(learner.setMode('tenant-a', 'enforcing', t0 + 60_000));

      const { entries, states } = await saved.load();
      expect(entries.find((e) => e.tenantId === 'tenant-a')).toEqual({
        tenantId: 'tenant-a',
        protocol: 'modbus',
        source: '10.0.0.2',
        target: 'cnc-01',
        unit: 1,
        function: '3',
        addressMin: 0,
        addressMax: 504,
        firstSeen: t0,
        lastSeen: t0 + 30_000,
        count: 11,
      });
      expect(entries.find((e) => e.tenantId === null)).toMatchObject({ target: '10.0.1.1:502', count: 1 });
      expect(states.sort((x, y) => String(x.tenantId).localeCompare(String(y.tenantId)))).toEqual([
        { tenantId: null, mode: 'learning', learningSince: t0, updatedAt: t0 },
        { tenantId: 'tenant-a', mode: 'enforcing', learningSince: t0, updatedAt: t0 + 60_000 },
      ]);

      const restarted = createBaseline();
      restarted.load(entries, states);
      expect(restarted.assess(read({ ts: t0 + 90_000, address: 200, quantity: 10 }))).toBe('known');
      expect(restarted.assess(read({ ts: t0 + 90_000, functionCode: 16 }))).toBe('unknown-function');
      expect(restarted.assess(read({ ts: t0 + 90_000, source: { ip: '10.0.0.66', port: 1 } }))).toBe('unknown-source');
    });

    it('lists entries in the caller’s scope and clears a tenant', async () => {
      const saved = createBaselineStore(store);
      expect((await saved.list(tenantScope('tenant-a'))).map((e) => e.target)).toEqual(['cnc-01']);
      expect(await saved.list(tenantScope('tenant-b'))).toEqual([]);
      expect(await saved.list(allTenants, { source: '10.0.0.2' })).toHaveLength(2);
      expect(await saved.list(allTenants, { target: '10.0.1.1:502' })).toHaveLength(1);
      expect(await saved.clear('tenant-a')).toBe(1);
      expect(await saved.list(allTenants)).toHaveLength(1);
      expect(await saved.clear(null)).toBe(1);
    });
  });
}
