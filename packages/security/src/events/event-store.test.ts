import type { SecurityEvent } from '@yulian/contracts';
import { type Store, allTenants, isYulianError, storeBackends, tenantScope } from '@yulian/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecurityEventStore } from './event-store.js';

const hour = 3_600_000;
const t0 = Date.UTC(2025, 0, 6, 0, 0, 0);
let seq = 0;
const event = (o: Partial<SecurityEvent> = {}): SecurityEvent => ({
  id: `ev-${String(++seq).padStart(4, '0')}`,
  tenantId: 'tenant-a',
  ts: t0,
  ruleId: 100201,
  level: 12,
  title: '未授权来源发出的 Modbus 写命令',
  titleEn: 'Modbus write command from a source not allowed to command the device',
  techniques: ['T0855'],
  tactic: 'Impair Process Control',
  source: { ip: '10.0.0.66', port: 50_000 },
  target: { ip: '10.0.1.1', port: 502, deviceId: 'cnc-01' },
  details: { observation: { functionCode: 6, requestValues: [1] } },
  count: 1,
  groupKey: '100201:10.0.0.66|10.0.1.1|502',
  status: 'new',
  response: null,
  ...o,
});

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`security events on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const events = () => createSecurityEventStore(store, { now: () => t0 + 10 * 24 * hour });
    const a = tenantScope('tenant-a');

    beforeAll(async () => {
      ({ store, cleanup } = await backend.open());
      await events().append([
        event({ ts: t0 + 10 * 60_000 }),
        event({ ts: t0 + 20 * 60_000, ruleId: 100205, level: 13, count: 5, response: { action: 'block-source', seconds: 600 } }),
        event({ ts: t0 + hour + 5, ruleId: 100401, level: 10, techniques: ['T0806'], target: { ip: '10.0.1.2', port: 502, deviceId: 'cnc-02' } }),
        event({ ts: t0 + 2 * hour, ruleId: 100901, level: 10, techniques: ['T0859', 'T1110'], source: { ip: '10.9.9.9', port: null }, target: { ip: null, port: null, deviceId: null }, tenantId: null }),
        event({ ts: t0 + 26 * hour, ruleId: 100603, level: 10, techniques: ['T0888'], tenantId: 'tenant-b', source: { ip: '10.7.7.7', port: 1 } }),
        event({ ts: t0 + 27 * hour, ruleId: 100806, level: 4, techniques: [], details: { note: '中文细节' } }),
      ]);
    });
    afterAll(async () => cleanup?.());

    it('appends and reads back an event unchanged', async () => {
      const [latest] = await events().list(a, { ruleId: 100205 });
      expect(latest).toEqual(event({ id: latest!.id, ts: t0 + 20 * 60_000, ruleId: 100205, level: 13, count: 5, response: { action: 'block-source', seconds: 600 } }));
      expect(await events().get(a, latest!.id)).toEqual(latest);
    });

    it('lists newest first within the caller’s enterprise, with filters', async () => {
      const list = async (q: Parameters<ReturnType<typeof events>['list']>[1]) => (await events().list(a, q)).map((e) => e.ruleId);
      expect(await list({})).toEqual([100806, 100401, 100205, 100201]);
      expect((await events().list(allTenants, {})).map((e) => e.ruleId)).toEqual([100806, 100603, 100901, 100401, 100205, 100201]);
      expect(await list({ minLevel: 11 })).toEqual([100205, 100201]);
      expect(await list({ since: t0 + 15 * 60_000, until: t0 + 2 * hour })).toEqual([100401, 100205]);
      expect(await list({ technique: 'T0806' })).toEqual([100401]);
      expect((await events().list(allTenants, { technique: 'T1110' })).map((e) => e.source.ip)).toEqual(['10.9.9.9']);
      expect(await list({ deviceId: 'cnc-02' })).toEqual([100401]);
      expect(await list({ sourceIp: '10.0.0.66', limit: 2 })).toEqual([100806, 100401]);
      expect(await list({ sourceIp: '10.0.0.66', limit: 2, offset: 2 })).toEqual([100205, 100201]);
    });

    it('does not show another enterprise’s event, and says so by code', async () => {
      const [b] = await events().list(tenantScope('tenant-b'));
      await expect(events().get(a, b!.id)).rejects.toSatisfy((e) => isYulianError(e, 'SECURITY_EVENT_NOT_FOUND'));
      await expect(events().setStatus(a, b!.id, 'resolved')).rejects.toSatisfy((e) => isYulianError(e, 'SECURITY_EVENT_NOT_FOUND'));
    });

    it('records an analyst’s status', async () => {
      const [e] = await events().list(a, { ruleId: 100401 });
      expect((await events().setStatus(a, e!.id, 'false_positive')).status).toBe('false_positive');
      expect((await events().list(a, { status: 'false_positive' })).map((x) => x.id)).toEqual([e!.id]);
      await events().setStatus(a, e!.id, 'new');
    });

    it('counts events per hour and per day, in the scope', async () => {
      expect(await events().trend(a, { since: t0, until: t0 + 48 * hour, bucket: 'hour' })).toEqual([
        { start: t0, count: 2, maxLevel: 13 },
        { start: t0 + hour, count: 1, maxLevel: 10 },
        { start: t0 + 27 * hour, count: 1, maxLevel: 4 },
      ]);
      expect(await events().trend(allTenants, { since: t0, until: t0 + 48 * hour, bucket: 'day' })).toEqual([
        { start: t0, count: 4, maxLevel: 13 },
        { start: t0 + 24 * hour, count: 2, maxLevel: 10 },
      ]);
      // China's days start at 16:00 UTC of the day before: 26 h and 27 h after t0 fall on the 7th there.
      expect(await events().trend(allTenants, { since: t0, until: t0 + 48 * hour, bucket: 'day', offsetMs: 8 * hour, minLevel: 5 })).toEqual([
        { start: t0 - 8 * hour, count: 4, maxLevel: 13 },
        { start: t0 + 16 * hour, count: 1, maxLevel: 10 },
      ]);
    });

    it('ranks techniques and sources', async () => {
      const range = { since: t0, until: t0 + 48 * hour };
      expect(await events().topTechniques(allTenants, range)).toEqual([
        { technique: 'T0855', count: 2 },
        { technique: 'T0806', count: 1 },
        { technique: 'T0859', count: 1 },
        { technique: 'T0888', count: 1 },
        { technique: 'T1110', count: 1 },
      ]);
      expect(await events().topTechniques(a, { ...range, limit: 1 })).toEqual([{ technique: 'T0855', count: 2 }]);
      expect(await events().topSources(allTenants, range)).toEqual([
        { ip: '10.0.0.66', count: 4, maxLevel: 13 },
        { ip: '10.7.7.7', count: 1, maxLevel: 10 },
        { ip: '10.9.9.9', count: 1, maxLevel: 10 },
      ]);
    });

    it('purges events older than the retention, with their techniques', async () => {
      const extra = events();
      await extra.append([event({ id: 'old-1', ts: t0 - 100 * 24 * hour, techniques: ['T0814'] })]);
      expect(await extra.purge(t0 - 90 * 24 * hour)).toBe(1);
      expect(await extra.topTechniques(allTenants, { since: 0, until: t0 })).toEqual([]);
      expect(await extra.list(allTenants)).toHaveLength(6);
    });
  });
}
