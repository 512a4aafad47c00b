import { type Config, type Store, createLogger, storeBackends } from '@yulian/core';
import { type AlarmStore, createAlarmStore } from '@yulian/devices';
import { type NotificationService, startNotificationService } from '@yulian/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiver, waitFor } from './support/webhook-receiver.js';

const logger = createLogger({ level: 'silent' });
const settings: Config['notifications'] = { retryBaseMs: 10, maxAttempts: 3, perDevice: 20, perRule: 100, perRecipient: 10 };
const minute = 60_000;

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`alarm flood control on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;
    let alarms: AlarmStore;
    let service: NotificationService | undefined;
    let hook: Awaited<ReturnType<typeof receiver>>;
    // A fake clock: the 10-minute window is simulated, the dispatcher and the deliveries read it.
    const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
    let now = t0;
    let seq = 0;
    const start = (s: Partial<Config['notifications']> = {}): NotificationService => {
      service = startNotificationService({ store, logger, settings: { ...settings, ...s }, now: () => now, random: () => 0.5, pollMs: 20 });
      return service;
    };
    /** Raises an alarm now on a device of its own, and dispatches it (its deliveries are written at `now`). */
    const raise = async (o: { rule: string; severity: string; device?: string }) => {
      const r = await alarms.raise({ tenantId: 'tenant-a', device: o.device ?? `dev-${++seq}`, rule: o.rule, ruleName: o.rule === 'hot' ? '主轴过热' : o.rule, severity: o.severity, at: now, value: 1, reason: 'test' });
      await service!.drain();
      return r.alarm;
    };
    const outcomes = async () => (await store.db.selectFrom('alarm_events').select('outcome').orderBy('at').orderBy('id').execute()).map((e) => e.outcome);
    const scope = { kind: 'tenant' as const, tenantId: 'tenant-a' };

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      alarms = createAlarmStore(store);
      hook = await receiver();
      now = t0;
    });
    afterEach(async () => {
      await hook.close();
      await service?.close();
      service = undefined;
      await opened?.cleanup();
    });

    it('limits the notifications of one rule (alarm type) in 10 minutes whichever devices raise it, other rules still notify, and after the window it notifies again', async () => {
      const n = start({ perRule: 2 });
      const c = await n.channels.create('tenant-a', { name: 'hook', config: { kind: 'webhook', url: `${hook.url}/op` } }, 'admin');
      await n.channels.subscribe('tenant-a', 'op-1', { channel: c.id });
      for (let i = 0; i < 3; i++) {
        await raise({ rule: 'leak', severity: 'major' });
        now += minute;
      }
      await raise({ rule: 'hot', severity: 'major' });
      expect(await outcomes()).toEqual(['notified', 'notified', 'rate-limited:rule', 'notified']);
      await waitFor('three notifications', async () => (hook.received.length === 3 ? true : undefined));
      expect(hook.received.map((r) => r.json.event.alarm.rule)).toEqual(['leak', 'leak', 'hot']);

      // Still within ten minutes of the first: limited; ten minutes after it, one of the two has left the window.
      now = t0 + 9 * minute;
      await raise({ rule: 'leak', severity: 'major' });
      expect((await outcomes()).at(-1)).toBe('rate-limited:rule');
      now = t0 + 10 * minute + 1000;
      await raise({ rule: 'leak', severity: 'major' });
      expect((await outcomes()).at(-1)).toBe('notified');
      await waitFor('the fourth notification', async () => (hook.received.length === 4 ? true : undefined));
    });

    it('counts the flood limit per operator user over all their channels: the 11th alarm in 10 minutes becomes one summary, a user below the limit gets all theirs, and after the window notifications resume', async () => {
      const n = start();
      const aMajor = await n.channels.create('tenant-a', { name: 'a-major', config: { kind: 'webhook', url: `${hook.url}/a-major` } }, 'admin');
      const aCritical = await n.channels.create('tenant-a', { name: 'a-critical', config: { kind: 'wecom', url: `${hook.url}/a-critical` } }, 'admin');
      const b = await n.channels.create('tenant-a', { name: 'b', config: { kind: 'webhook', url: `${hook.url}/b` } }, 'admin');
      // op-a reads two channels (neither alone reaches the limit), op-b one, for critical alarms only.
      await n.channels.subscribe('tenant-a', 'op-a', { channel: aMajor.id, severities: ['major'] });
      await n.channels.subscribe('tenant-a', 'op-a', { channel: aCritical.id, severities: ['critical'] });
      await n.channels.subscribe('tenant-a', 'op-b', { channel: b.id, severities: ['critical'] });

      // Eight major and three critical alarms, one every 30 s: op-a's eleventh is the third critical.
      for (let i = 0; i < 8; i++) {
        await raise({ rule: 'hot', severity: 'major', device: i < 5 ? `press-${i}` : `cnc-${i}` });
        now += 30_000;
      }
      for (let i = 0; i < 3; i++) {
        await raise({ rule: 'overload', severity: 'critical', device: `cnc-${i}` });
        now += 30_000;
      }
      const floodAt = now - 30_000;
      // One more major while op-a is flooded: held, and no second summary.
      await raise({ rule: 'hot', severity: 'major' });
      await waitFor('14 messages', async () => (hook.received.length >= 14 ? true : undefined));
      await n.drain();
      await new Promise((r) => setTimeout(r, 200));
      await n.drain();

      expect(hook.at('/a-major').map((m) => m.type)).toEqual(Array(8).fill('alarm.raised'));
      // op-a's channel for critical alarms: two alarms, then the one summary in place of the third.
      const critical = hook.at('/a-critical').map((m) => m.markdown.content as string);
      expect(critical).toHaveLength(3);
      expect(critical[2]).toContain('告警泛滥 alarm flood');
      expect(critical[2]).toContain('11 条告警');
      expect(critical[2]).toContain('op-a');
      expect(critical[2]).toContain('主轴过热 ×8');
      expect(critical[2]).toContain('overload ×3');
      // op-b, below the limit, got every one of theirs, the third critical too.
      expect(hook.at('/b').map((m) => m.event.alarm.device)).toEqual(['cnc-0', 'cnc-1', 'cnc-2']);
      expect(hook.received).toHaveLength(14);

      const all = await n.deliveries.list(scope);
      expect(all.filter((d) => d.kind === 'flood')).toMatchObject([{ user: 'op-a', channel: aCritical.id, status: 'sent' }]);
      expect(all.filter((d) => d.status === 'flooded').map((d) => d.channel).sort()).toEqual([aMajor.id, aCritical.id].sort());
      // The third critical still notified op-b; the last major reached nobody.
      expect((await outcomes()).slice(-2)).toEqual(['notified', 'flooded']);

      // The console's view: the enterprise and op-a are in a flood since the eleventh alarm, op-b is not.
      const a = await n.flood({ scope, username: 'op-a', tenantId: 'tenant-a' });
      expect(a).toMatchObject({ limit: 10, windowMinutes: 10, inFlood: true, count: 12, since: new Date(floodAt).toISOString() });
      expect(a.top.rules).toEqual([
        { rule: 'hot', ruleName: '主轴过热', count: 9 },
        { rule: 'overload', ruleName: 'overload', count: 3 },
      ]);
      expect(a.top.devices[0]).toEqual({ device: 'cnc-0', count: 1 });
      expect(a.user).toEqual({ username: 'op-a', inFlood: true, count: 12, since: new Date(floodAt).toISOString(), held: 2, summaryAt: new Date(floodAt).toISOString() });
      expect((await n.flood({ scope, username: 'op-b', tenantId: 'tenant-a' })).user).toMatchObject({ inFlood: false, count: 3, since: null, held: 0, summaryAt: null });

      // Ten minutes after the last of them, op-a is told of a new alarm as usual.
      now += 10 * minute;
      await raise({ rule: 'hot', severity: 'major', device: 'press-late' });
      await waitFor('the notification after the flood', async () => (hook.at('/a-major').length === 9 ? true : undefined));
      expect(hook.at('/a-major').at(-1)).toMatchObject({ type: 'alarm.raised', event: { alarm: { device: 'press-late' } } });
      expect((await outcomes()).at(-1)).toBe('notified');
      const after = await n.flood({ scope, username: 'op-a', tenantId: 'tenant-a' });
      expect(after).toMatchObject({ inFlood: false, count: 1, since: null, user: { inFlood: false, count: 1, held: 0, summaryAt: null } });
    });

    it('sends a group channel several users read while one of them is below the limit, and one summary to it once all are flooded', async () => {
      const n = start({ perRecipient: 2 });
      const own = await n.channels.create('tenant-a', { name: 'own', config: { kind: 'webhook', url: `${hook.url}/own` } }, 'admin');
      const group = await n.channels.create('tenant-a', { name: '值班群', config: { kind: 'dingtalk', url: `${hook.url}/group` } }, 'admin');
      await n.channels.subscribe('tenant-a', 'op-a', { channel: own.id });
      await n.channels.subscribe('tenant-a', 'op-a', { channel: group.id, severities: ['critical'] });
      await n.channels.subscribe('tenant-a', 'op-b', { channel: group.id, severities: ['critical'] });
      // Two major alarms reach op-a's own channel: op-a is at the limit, op-b has heard nothing.
      for (let i = 0; i < 2; i++) {
        await raise({ rule: 'hot', severity: 'major' });
        now += 1000;
      }
      // Three critical ones: the group still hears the first two (op-b is below the limit), op-a's own
      // channel gets a summary instead; the third floods op-b too, and the group gets op-b's summary.
      for (let i = 0; i < 3; i++) {
        await raise({ rule: 'overload', severity: 'critical' });
        now += 1000;
      }
      await waitFor('six messages', async () => (hook.received.length >= 6 ? true : undefined));
      await n.drain();
      await new Promise((r) => setTimeout(r, 200));
      expect(hook.received).toHaveLength(6);
      expect(hook.at('/own').map((m) => m.type)).toEqual(['alarm.raised', 'alarm.raised', 'alarm.flood']);
      expect(hook.at('/own')[2]).toMatchObject({ user: 'op-a', count: 3, limit: 2, topRules: [{ rule: 'hot', count: 2 }, { rule: 'overload', count: 1 }] });
      const titles = hook.at('/group').map((m) => m.markdown.title as string);
      expect(titles.map((t) => t.includes('alarm flood'))).toEqual([false, false, true]);
      expect(hook.at('/group')[2].markdown.text).toContain('op-b');
      expect((await outcomes()).slice(-3)).toEqual(['notified', 'notified', 'flooded']);
    });
  });
}
