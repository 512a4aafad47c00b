/**
 * The platform's alarm evaluation: every stored telemetry batch goes through the rule engine of its
 * enterprise (the enabled rules in `alarm_rules`, reloaded when they change), and the engine's raise and
 * clear transitions become alarms in the store — one active alarm per device and rule, whichever process
 * evaluates. A clock tick each second raises what held long enough and what went silent, escalates what
 * stayed unacknowledged past its rule's escalation time and unshelves what was shelved long enough.
 * Every alarm change writes an outbox event; the notification service fans those out (channels, live).
 */
import { type RuleEngine, type RuleTransition, createRuleEngine } from '@yulian/analytics';
import type { TelemetryBatch } from '@yulian/contracts';
import type { Config, Logger, Store } from '@yulian/core';
import { type AlarmRule, type AlarmStore, createAlarmRuleStore, createAlarmStore, ruleSpecOf } from '@yulian/devices';
import { type NotificationService, startNotificationService } from '../notifications/notification-service.js';

/** How often the rules are re-read (a change through the API reloads at once in this process). */
const reloadMs = 5_000;

/** One enterprise's rules and their engine. */
interface TenantEngine {
  engine: RuleEngine;
  rules: Map<string, AlarmRule>;
  /** The definitions the engine was built from: the same after a reload keeps the engine as it is. */
  signature: string;
}

/** What a reload did. */
export interface AlarmReload {
  /** The enterprises (null: platform-wide rules) whose engines were built anew; the others kept theirs untouched. */
  rebuilt: Array<string | null>;
}

export interface AlarmService {
  /** The ingest's listener: evaluates a stored batch (asynchronously, in order). */
  onStored(batch: TelemetryBatch): void;
  /**
   * Re-reads the rules now (after a change through the API). Only an enterprise whose rules changed gets a
   * new engine, and it carries what its unchanged rules learned (anomaly detectors, rates, open alarms).
   */
  reload(): Promise<AlarmReload>;
  /** Waits until every batch handed over so far is evaluated and its alarms written (tests, shutdown). */
  drain(): Promise<void>;
  alarms: AlarmStore;
  /** Channels, subscriptions, deliveries and the live feed of alarm events. */
  notifications: NotificationService;
  /** Escalates and unshelves what is due now (the clock tick does it each second). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** Notification settings when the platform passes none (config defaults). */
const defaultNotificationSettings: Config['notifications'] = { retryBaseMs: 5_000, maxAttempts: 8, perDevice: 20, perRule: 100, perRecipient: 10 };

const tenantKey = (t: string | null): string => t ?? '';

export async function startAlarmService(options: { store: Store; logger: Logger; now?: () => number; notifications?: Config['notifications'] }): Promise<AlarmService> {
  const log = options.logger.child({ component: 'alarms' });
  const now = options.now ?? Date.now;
  const rulesStore = createAlarmRuleStore(options.store);
  const alarms = createAlarmStore(options.store);
  const notifications = startNotificationService({ store: options.store, logger: options.logger, settings: options.notifications ?? defaultNotificationSettings, now });
  let allRules = new Map<string, AlarmRule>();
  let engines = new Map<string, TenantEngine>();
  let stamp = '';
  // Batches and ticks are evaluated one after another, in arrival order.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>): void => {
    queue = queue.then(work).catch((err: unknown) => log.error({ err }, 'alarm evaluation failed'));
  };

  // What each rule was when its engine was built: a rule changed, disabled or deleted since has its open
  // alarms cleared (the new definition decides afresh); the others carry their open alarms over.
  let known = new Map<string, string>();
  const definition = (r: AlarmRule): string => JSON.stringify([r.severity, r.condition, r.forSeconds, r.device, r.profile]);
  // Which profile each device has (rules of a profile watch its devices), re-read with the rules.
  let profiles = new Map<string, string>();
  const readProfiles = async (): Promise<void> => {
    const rows = await options.store.db.selectFrom('device_assets').select(['device_id', 'profile_id']).where('profile_id', 'is not', null).execute();
    profiles = new Map(rows.map((r) => [r.device_id, r.profile_id!]));
  };

  const load = async (): Promise<AlarmReload> => {
    await readProfiles();
    const { rules, stamp: next } = await rulesStore.enabled();
    if (next === stamp) return { rebuilt: [] };
    allRules = new Map(rules.map((r) => [r.id, r]));
    stamp = next;
    const current = new Map(rules.map((r) => [r.id, definition(r)]));
    const at = now();
    for (const [id, def] of known) {
      if (current.get(id) === def) continue;
      for (const a of await alarms.list({ kind: 'all' }, { active: true, rule: id })) {
        await alarms.clear({ device: a.device, rule: id, at: Math.max(at, Date.parse(a.raisedAt)), reason: current.has(id) ? 'the rule was changed' : 'the rule was deleted or disabled' });
      }
    }
    const before = known;
    known = current;
    const byTenant = new Map<string, AlarmRule[]>();
    for (const r of rules) byTenant.set(tenantKey(r.tenantId), [...(byTenant.get(tenantKey(r.tenantId)) ?? []), r]);
    const built = new Map<string, TenantEngine>();
    const rebuilt: Array<string | null> = [];
    for (const [tenant, list] of byTenant) {
      const valid: AlarmRule[] = [];
      for (const r of list) {
        try {
          createRuleEngine([ruleSpecOf(r)]);
          valid.push(r);
        } catch (err) {
          log.warn({ err, rule: r.id }, 'alarm rule skipped: it no longer compiles');
        }
      }
      const rulesById = new Map(valid.map((r) => [r.id, r]));
      const signature = JSON.stringify(valid.map((r) => [r.id, definition(r)]));
      const old = engines.get(tenant);
      // Another enterprise's change (or a rename, an escalation) leaves this engine as it is.
      if (old && old.signature === signature) {
        built.set(tenant, { ...old, rules: rulesById });
        continue;
      }
      const engine = createRuleEngine(valid.map(ruleSpecOf));
      // Unchanged rules keep what they learned (a detector's normal behaviour, a rate's last value), so a
      // rule edit does not start every anomaly detector of the enterprise learning again.
      if (old) engine.importState(old.engine.exportState(valid.filter((r) => before.get(r.id) === definition(r)).map((r) => r.id)));
      // Open alarms of unchanged rules stay open in the new engine, so their clear still comes.
      for (const r of valid) for (const a of await alarms.list({ kind: 'all' }, { active: true, rule: r.id })) engine.restoreActive(a.device, r.id, Date.parse(a.raisedAt));
      built.set(tenant, { engine, rules: rulesById, signature });
      rebuilt.push(tenant === '' ? null : tenant);
    }
    engines = built;
    log.info({ rules: rules.length, enterprises: built.size, rebuilt: rebuilt.length }, 'alarm rules loaded');
    return { rebuilt };
  };

  /** Writes transitions: a rule on one device applies to that device only, a rule of a profile to that profile's devices. */
  const apply = async (tenantId: string | null, te: TenantEngine, transitions: readonly RuleTransition[]): Promise<void> => {
    for (const t of transitions) {
      const rule = te.rules.get(t.rule);
      if (!rule) continue;
      // Out of scope devices raise nothing; a clear always passes (a device moved to another profile clears its alarm).
      if (t.type === 'raise' && ((rule.device !== null && rule.device !== t.device) || (rule.profile !== null && profiles.get(t.device) !== rule.profile))) continue;
      if (t.type === 'raise') {
        const { created, alarm, stale } = await alarms.raise({ tenantId, device: t.device, rule: t.rule, ruleName: rule.name, severity: t.severity, at: t.at, ...(t.value === undefined ? {} : { value: t.value }), reason: t.reason });
        // A value older than the last clear (one measured before a rule change cleared the alarm) raises
        // nothing in the store: the engine must not take the alarm for open, or a condition that still
        // holds would never raise it again.
        if (stale && !alarm.active) te.engine.forgetActive(t.device, t.rule);
        if (created) log.info({ alarm: alarm.id, device: t.device, rule: rule.name, severity: t.severity, reason: t.reason, suppressed: alarm.suppressed }, 'alarm raised');
      } else {
        const cleared = await alarms.clear({ device: t.device, rule: t.rule, at: t.at, reason: t.reason });
        if (cleared) log.info({ alarm: cleared.id, device: t.device, rule: rule.name }, 'alarm cleared');
      }
    }
  };

  /** Usernames an escalation goes to: the named users and every enabled user of the enterprise with a named role. */
  const escalationRecipients = async (tenantId: string | null, rule: AlarmRule): Promise<string[]> => {
    const esc = rule.escalation!;
    const names = new Set(esc.users ?? []);
    if (esc.roles?.length) {
      let q = options.store.db.selectFrom('users').select('username').where('role', 'in', esc.roles).where('disabled', '=', 0);
      q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
      for (const u of await q.execute()) names.add(u.username);
    }
    return [...names].sort();
  };
  const sweep = async (): Promise<void> => {
    const at = now();
    for (const a of await alarms.shelfExpired(at)) {
      await alarms.unshelve({ kind: 'all' }, a.id, { user: null, at });
      log.info({ alarm: a.id, device: a.device }, 'alarm unshelved: the shelf time is up');
    }
    const escalating = [...allRules.values()].filter((r) => r.escalation);
    for (const a of await alarms.unescalated(escalating.map((r) => r.id))) {
      const rule = allRules.get(a.rule);
      if (!rule?.escalation || Date.parse(a.raisedAt) + rule.escalation.afterMinutes * 60_000 > at) continue;
      // A shelved or suppressed alarm is quiet: it escalates once it is not (an unshelved one still unacknowledged).
      if (a.suppressed || (a.shelvedUntil && Date.parse(a.shelvedUntil) > at)) continue;
      const recipients = await escalationRecipients(a.tenantId, rule);
      if (await alarms.escalate(a.id, at, { recipients, afterMinutes: rule.escalation.afterMinutes })) log.info({ alarm: a.id, device: a.device, recipients }, 'alarm escalated');
    }
    notifications.kick();
  };

  await load();
  const reloader = setInterval(
    () =>
      enqueue(async () => {
        await load();
      }),
    reloadMs,
  );
  const ticker = setInterval(
    () =>
      enqueue(async () => {
        const at = now();
        for (const [tenant, te] of engines) await apply(tenant === '' ? null : tenant, te, te.engine.tick(at));
        await sweep();
      }),
    1_000,
  );
  reloader.unref();
  ticker.unref();

  return {
    alarms,
    notifications,
    sweep: () =>
      new Promise<void>((resolve, reject) =>
        enqueue(async () => {
          try {
            await sweep();
            resolve();
          } catch (e) {
            reject(e as Error);
          }
        }),
      ),
    onStored(batch) {
      const key = tenantKey(batch.tenantId);
      if (!engines.has(key)) return;
      enqueue(async () => {
        // The engine as it is when the batch's turn comes (a reload queued before it may have replaced it).
        const te = engines.get(key);
        if (!te) return;
        const transitions: RuleTransition[] = [];
        for (const s of batch.samples) {
          if (s.quality !== 'good' || (typeof s.value !== 'number' && typeof s.value !== 'boolean')) continue;
          transitions.push(...te.engine.onValue(s.device, s.ts, s.point, s.value));
        }
        if (transitions.length) {
          await apply(batch.tenantId, te, transitions);
          notifications.kick();
        }
      });
    },
    reload() {
      return new Promise<AlarmReload>((resolve, reject) =>
        enqueue(async () => {
          try {
            resolve(await load());
          } catch (e) {
            reject(e as Error);
          }
        }),
      );
    },
    drain: () => queue,
    async close() {
      clearInterval(reloader);
      clearInterval(ticker);
      await queue;
      await notifications.close();
    },
  };
}
