import { type Store, createLogger, storeBackends } from '@yulian/core';
import { createAlarmRuleStore } from '@yulian/devices';
import { type AlarmService, startAlarmService } from '@yulian/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const logger = createLogger({ level: 'silent' });
const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`the alarm service's clock on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let service: AlarmService;
    // A fake clock: the sweep decides by it.
    let now = t0;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      now = t0;
      await store.db.insertInto('tenants').values({ id: 'tenant-a', name: '甲厂', code: 'TEST-A', district: '', industry: '', created_at: t0, updated_at: t0 }).execute();
      const user = (username: string, role: string, disabled = 0) => ({ id: username, tenant_id: 'tenant-a', username, display_name: username, role, password_hash: 'x', disabled, failed_logins: 0, locked_until: null, tokens_valid_after: 0, created_at: t0, updated_at: t0, last_login_at: null });
      await store.db.insertInto('users').values([user('eng-1', 'engineer'), user('eng-2', 'engineer', 1), user('op-1', 'operator')]).execute();
    });
    afterEach(async () => {
      await service?.close();
      await opened?.cleanup();
    });

    it('escalates an alarm left unacknowledged past its rule’s time, once, to the rule’s roles and users', async () => {
      const rules = createAlarmRuleStore(store);
      const rule = await rules.create('tenant-a', { name: '主轴过热', severity: 'major', condition: { kind: 'threshold', point: 't', op: '>', value: 80 }, escalation: { afterMinutes: 10, roles: ['engineer'], users: ['shift-lead'] } }, 'eng-1');
      await expect(rules.create('tenant-a', { name: 'x', severity: 'major', condition: { kind: 'threshold', point: 't', op: '>', value: 80 }, escalation: { afterMinutes: 10 } }, 'eng-1')).rejects.toMatchObject({ code: 'ALARM_RULE_INVALID', details: { field: 'escalation' } });
      service = await startAlarmService({ store, logger, now: () => now });
      const { alarm } = await service.alarms.raise({ tenantId: 'tenant-a', device: 'cnc-01', rule: rule.id, ruleName: rule.name, severity: 'major', at: t0, reason: 't 86 > 80' });
      const other = await service.alarms.raise({ tenantId: 'tenant-a', device: 'cnc-02', rule: rule.id, ruleName: rule.name, severity: 'major', at: t0, reason: 't 86 > 80' });
      await service.alarms.acknowledge({ kind: 'all' }, other.alarm.id, 'op-1', t0 + 1000);

      now = t0 + 9 * 60_000;
      await service.sweep();
      expect((await service.alarms.get({ kind: 'all' }, alarm.id)).escalatedAt).toBeNull();
      now = t0 + 10 * 60_000;
      await service.sweep();
      await service.sweep();
      expect((await service.alarms.get({ kind: 'all' }, alarm.id)).escalatedAt).toBe(new Date(now).toISOString());
      expect((await service.alarms.get({ kind: 'all' }, other.alarm.id)).escalatedAt).toBeNull();
      const escalations = await store.db.selectFrom('alarm_events').select(['alarm_id', 'details']).where('kind', '=', 'escalated').execute();
      expect(escalations).toHaveLength(1);
      // The enabled engineers of the enterprise, and the named user.
      expect(JSON.parse(escalations[0]!.details).recipients).toEqual(['eng-1', 'shift-lead']);
    });

    it('unshelves an alarm when its shelf time is up', async () => {
      service = await startAlarmService({ store, logger, now: () => now });
      const { alarm } = await service.alarms.raise({ tenantId: 'tenant-a', device: 'cnc-03', rule: 'r', ruleName: 'r', severity: 'minor', at: t0, reason: 'x' });
      await service.alarms.shelve({ kind: 'all' }, alarm.id, { user: 'op-1', until: t0 + 30 * 60_000, reason: '校准', at: t0 + 1 });
      now = t0 + 29 * 60_000;
      await service.sweep();
      expect((await service.alarms.get({ kind: 'all' }, alarm.id)).shelvedUntil).not.toBeNull();
      now = t0 + 30 * 60_000;
      await service.sweep();
      expect((await service.alarms.get({ kind: 'all' }, alarm.id)).shelvedUntil).toBeNull();
      const events = await service.alarms.events({ kind: 'all' }, alarm.id);
      expect(events.map((e: { kind: string; actor: string | null }) => `${e.kind}:${e.actor ?? 'clock'}`)).toEqual(['raised:clock', 'shelved:op-1', 'unshelved:clock']);
    });
  });
}
