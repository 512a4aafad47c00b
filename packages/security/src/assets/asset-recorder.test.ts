import type { Observation } from '@yulian/contracts';
import { type Store, allTenants, storeBackends, tenantScope } from '@yulian/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssetRecorder } from './asset-recorder.js';
import { createProtectionStore } from './protection-store.js';
import { createSituationService } from './situation-service.js';

const t0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const read = (ts: number, source = '10.0.0.2', write = false): Observation => ({
  kind: 'modbus',
  ts,
  tenantId: 'tenant-a',
  via: 'capture',
  source: { ip: source, port: 40_000 + (ts % 1000) },
  target: { ip: '10.0.1.1', port: 502 },
  tid: 1,
  unit: 1,
  functionCode: write ? 6 : 3,
  func: write ? 'WRITE_SINGLE_REGISTER' : 'READ_HOLDING_REGISTERS',
  matched: true,
  write,
});

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`security asset inventory on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await backend.open());
      const at = Date.now();
      await store.db
        .insertInto('tenants')
        .values([
          { id: 'tenant-a', code: 'A-0001', name: '甲企业', district: '两江新区', industry: '装备制造', created_at: at, updated_at: at },
          { id: 'tenant-b', code: 'B-0001', name: '乙企业', district: '璧山区', industry: '电子信息', created_at: at, updated_at: at },
        ])
        .execute();
    });
    afterAll(async () => cleanup?.());

    it('folds many observations into one row per server and client, adding up across flushes', async () => {
      const recorder = createAssetRecorder({ store, flushMs: 60_000 });
      for (let i = 0; i < 500; i++) recorder.record(read(t0 + i));
      recorder.record(read(t0 + 900, '10.0.0.9', true));
      recorder.record({ kind: 'connection', ts: t0 + 950, tenantId: 'tenant-a', source: { ip: '10.0.0.66', port: 5555 }, target: { ip: '10.0.1.77', port: 502 }, protocol: 'modbus', accepted: false });
      recorder.record({ kind: 'platform', ts: t0, tenantId: null, action: 'auth.login', outcome: 'failure', ip: '10.9.9.9' });
      await recorder.flush();
      for (let i = 0; i < 10; i++) recorder.record(read(t0 - 1000 + i));
      await recorder.close();
      const rows = await store.db.selectFrom('security_assets').selectAll().orderBy('id').execute();
      expect(rows.map((r) => `${r.ip}:${r.port}/${r.role}`)).toEqual(['10.0.0.2:0/client', '10.0.0.66:0/client', '10.0.0.9:0/client', '10.0.1.1:502/server']);
      const server = rows.find((r) => r.role === 'server')!;
      expect(Number(server.observations)).toBe(511);
      expect(Number(server.writes)).toBe(1);
      expect(Number(server.first_seen)).toBe(t0 - 1000);
      expect(Number(server.last_seen)).toBe(t0 + 900);
      // A refused attempt counts for the client only: nothing proves a server at 10.0.1.77.
      expect(Number(rows.find((r) => r.ip === '10.0.0.66')!.refused)).toBe(1);
      expect(recorder.stats()).toMatchObject({ recorded: 512, flushes: 2, writeFailures: 0 });
    });

    it('lists protection objects per enterprise, refuses duplicates and unknown districts or devices', async () => {
      const lists = createProtectionStore(store);
      const city = await lists.add({ level: 'city', enterprise: 'A-0001', reason: '市级重点' }, 'authority');
      expect(city).toMatchObject({ level: 'city', district: '两江新区', tenantId: 'tenant-a', enterpriseName: '甲企业', deviceId: null });
      await expect(lists.add({ level: 'city', enterprise: 'A-0001', reason: 'again' }, 'authority')).rejects.toMatchObject({ code: 'PROTECTION_OBJECT_EXISTS' });
      await expect(lists.add({ level: 'district', enterprise: 'A-0001', district: '火星区', reason: 'x' }, 'authority')).rejects.toMatchObject({ code: 'PROTECTION_OBJECT_INVALID' });
      await expect(lists.add({ level: 'district', enterprise: 'A-0001', deviceId: 'nope', reason: 'x' }, 'authority')).rejects.toMatchObject({ code: 'PROTECTION_OBJECT_INVALID' });
      await lists.add({ level: 'district', enterprise: 'B-0001', reason: '区级重点' }, 'authority');
      expect((await lists.list(allTenants)).map((o) => `${o.level} ${o.enterpriseCode}`)).toEqual(['city A-0001', 'district B-0001']);
      expect((await lists.list(tenantScope('tenant-b'))).map((o) => o.enterpriseCode)).toEqual(['B-0001']);
      expect((await lists.update(city.id, { reason: '改' })).reason).toBe('改');
      await lists.remove(city.id);
      await expect(lists.remove(city.id)).rejects.toMatchObject({ code: 'PROTECTION_OBJECT_NOT_FOUND' });
    });

    it('scores the discovered clients and the enterprise from the stored events, every district for the city view', async () => {
      await store.db
        .insertInto('security_events')
        .values({ id: 'e1', tenant_id: 'tenant-a', ts: t0 + 900, rule_id: 1, level: 12, title: '未授权写', title_en: 'Unauthorised write', techniques: '["T0855"]', tactic: null, source_ip: '10.0.0.9', source_port: 40_900, target_ip: '10.0.1.1', target_port: 502, device_id: null, details: '{}', count: 1, group_key: 'g', status: 'new', response: null, created_at: t0 })
        .execute();
      const situation = createSituationService({ store, now: () => t0 + 1000, commanders: () => [{ tenantId: 'tenant-a', ip: '10.0.0.2' }] });
      const all = await situation.assess(allTenants, { since: t0 - 86_400_000, until: t0 + 2000 });
      const writer = all.assets.find((a) => a.ip === '10.0.0.9')!;
      expect(writer).toMatchObject({ kind: 'discovered', role: 'client', events: 1, maxLevel: 12 });
      expect(writer.reasons.map((r) => r.code)).toEqual(['EVENT_SEVERITY', 'EVENT_VOLUME', 'UNKNOWN_CLIENT', 'UNKNOWN_CLIENT_WRITES']);
      expect(writer.risk).toBe(36 + 3 + 10 + 10);
      expect(all.assets.find((a) => a.ip === '10.0.0.2')!.kind).toBe('gateway');
      expect(all.assets.find((a) => a.role === 'server')!.reasons.map((r) => r.code)).toEqual(['EVENT_SEVERITY', 'EVENT_VOLUME', 'UNREGISTERED_SERVER']);
      const a = all.enterprises.find((e) => e.code === 'A-0001')!;
      expect(a.reasons.map((r) => r.code)).toEqual(['TOP_ASSET', 'EVENT_SEVERITY', 'HIGH_EVENTS', 'DISCOVERED_ASSETS']);
      expect(a.risk).toBe(a.reasons.reduce((s, r) => s + r.points, 0));
      expect(all.districts).toHaveLength(40);
      expect(all.districts[0]).toMatchObject({ district: '两江新区', attacked: 1, events: 1, risk: a.risk });
      const mine = await situation.assess(tenantScope('tenant-b'), { since: t0 - 86_400_000, until: t0 + 2000 });
      expect(mine.assets).toEqual([]);
      expect(mine.districts.map((d) => d.district)).toEqual(['璧山区']);
    });
  });
}
