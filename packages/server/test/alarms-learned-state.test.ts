import type { TelemetryBatch } from '@yulian/contracts';
import { type Store, createLogger, createRandom, gaussian, storeBackends } from '@yulian/core';
import { type AlarmRuleInput, createAlarmRuleStore } from '@yulian/devices';
import { type AlarmService, startAlarmService } from '@yulian/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const logger = createLogger({ level: 'silent' });
const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`learned alarm state across rule changes on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let service: AlarmService | undefined;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      for (const id of ['tenant-a', 'tenant-b']) await store.db.insertInto('tenants').values({ id, name: id, code: id.toUpperCase(), district: '', industry: '', created_at: t0, updated_at: t0 }).execute();
    });
    afterEach(async () => {
      await service?.close();
      service = undefined;
      await opened?.cleanup();
    });

    it('keeps what an anomaly detector learned through an unrelated rule edit (it warns at the first anomalous value), and another enterprise’s edit leaves its engine untouched', async () => {
      // Each rule change gets a later update time (the reload compares them).
      let clock = t0;
      const rules = createAlarmRuleStore(store, () => ++clock);
      const threshold = (value: number): AlarmRuleInput => ({ name: '过热', severity: 'major', condition: { kind: 'threshold', point: 'temperature', op: '>', value } });
      const early = await rules.create('tenant-a', { name: '振动预警 early warning', severity: 'warning', condition: { kind: 'anomaly', point: 'vibration', sensitivity: 0.2 } }, 'eng');
      const hot = await rules.create('tenant-a', threshold(80), 'eng');
      const theirs = await rules.create('tenant-b', threshold(80), 'eng');
      service = await startAlarmService({ store, logger, now: () => t0 });

      // Five minutes of normal vibration once a second: the detector learns it (its warm-up is 120 values).
      const rnd = createRandom(3);
      const batch = (i: number, vibration: number): TelemetryBatch => ({ tenantId: 'tenant-a', gateway: 'gw-1', seq: i, samples: [{ device: 'pump-1', point: 'vibration', ts: t0 + i * 1000, receivedTs: t0 + i * 1000, value: vibration, quality: 'good' }] });
      for (let i = 0; i < 300; i++) service.onStored(batch(i, 2.5 + gaussian(rnd, 0.05)));
      await service.drain();
      const active = async () => (await service!.alarms.list({ kind: 'all' }, { active: true, rule: early.id })).map((a) => a.device);
      expect(await active()).toEqual([]);

      // Another enterprise changes a rule: only its engine is built anew.
      await rules.update({ kind: 'tenant', tenantId: 'tenant-b' }, theirs.id, threshold(85));
      expect(await service.reload()).toEqual({ rebuilt: ['tenant-b'] });
      // This enterprise changes an unrelated rule: its engine is rebuilt, carrying the learned detector.
      await rules.update({ kind: 'tenant', tenantId: 'tenant-a' }, hot.id, threshold(90));
      expect(await service.reload()).toEqual({ rebuilt: ['tenant-a'] });
      // A rename changes no definition: nothing is rebuilt.
      await rules.update({ kind: 'tenant', tenantId: 'tenant-a' }, hot.id, { ...threshold(90), name: '主轴过热' });
      expect(await service.reload()).toEqual({ rebuilt: [] });

      // The first anomalous value warns at once: no new learning period.
      service.onStored(batch(300, 4.2));
      await service.drain();
      expect(await active()).toEqual(['pump-1']);
      const [alarm] = await service.alarms.list({ kind: 'all' }, { active: true, rule: early.id });
      expect(alarm).toMatchObject({ severity: 'warning', reason: expect.stringMatching(/^vibration 4\.2 anomalous for this device/) });
    });
  });
}
