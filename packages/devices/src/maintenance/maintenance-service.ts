/**
 * Maintenance (issue 6): work orders from alarms, predictions, inspections, preventive schedules or by hand,
 * and the device's side of them. Starting a work order puts an in-service device under maintenance;
 * finishing or cancelling the last such work order returns it to service. Every step lands in the device's
 * history, so one list shows the alarm, the work order and the lifecycle transitions it caused.
 *
 * A source's work order is unique (one per alarm, one per schedule due date): a partial unique index on
 * (source, source_ref), so two operators pressing "create work order" on one alarm get the same order.
 */
import { randomUUID } from 'node:crypto';
import {
  type MaintenanceSchedule,
  type MaintenanceScheduleInput,
  type WorkOrder,
  type WorkOrderInput,
  type WorkOrderNote,
  type WorkOrderPriority,
  type WorkOrderSource,
  type WorkOrderStatus,
  type WorkOrderStatusChange,
  workOrderTransitions,
} from '@yulian/contracts';
import { type MaintenanceSchedulesTable, type Scope, type Store, type WorkOrdersTable, YulianError } from '@yulian/core';
import type { Insertable, Selectable } from 'kysely';
import type { AlarmStore } from '../alarms/alarm-store.js';
import type { AssetService } from '../assets/service.js';

const day = 86_400_000;
const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

/** An alarm's severity as a work order's priority. */
const priorityOfSeverity: Record<string, WorkOrderPriority> = { critical: 'urgent', major: 'high', minor: 'normal', warning: 'low' };

const toOrder = (r: Selectable<WorkOrdersTable>): WorkOrder => ({
  id: r.id,
  tenantId: r.tenant_id,
  device: r.device_id,
  title: r.title,
  description: r.description,
  source: r.source as WorkOrderSource,
  sourceRef: r.source_ref,
  priority: r.priority as WorkOrderPriority,
  status: r.status as WorkOrderStatus,
  assignee: r.assignee,
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  dueAt: iso(r.due_at),
  startedAt: iso(r.started_at),
  completedAt: iso(r.completed_at),
  resolution: r.resolution,
  maintenance: Number(r.maintenance) === 1,
});

const toSchedule = (r: Selectable<MaintenanceSchedulesTable>): MaintenanceSchedule => ({
  id: r.id,
  tenantId: r.tenant_id,
  device: r.device_id,
  title: r.title,
  description: r.description,
  kind: r.kind as MaintenanceSchedule['kind'],
  every: Number(r.every),
  runHoursPoint: r.run_hours_point,
  lead: Number(r.lead),
  priority: r.priority as WorkOrderPriority,
  assignee: r.assignee,
  nextDueAt: iso(r.next_due_at),
  nextDueHours: r.next_due_hours === null ? null : Number(r.next_due_hours),
  issued: Number(r.seq),
  enabled: Number(r.enabled) === 1,
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

/** What can be changed on a work order besides its status. */
export interface WorkOrderPatch {
  title?: string;
  description?: string;
  priority?: WorkOrderPriority;
  assignee?: string | null;
  dueAt?: string | null;
}

export interface WorkOrderFilter {
  device?: string;
  status?: WorkOrderStatus | 'openish';
  source?: WorkOrderSource;
  sourceRef?: string;
  assignee?: string;
  limit?: number;
}

export interface MaintenanceService {
  /**
   * Creates a work order; for an alarm (or any source with a reference) returns the one there is instead
   * (`created: false`). @throws ALARM_NOT_FOUND, DEVICE_NOT_FOUND, VALIDATION_FAILED
   */
  create(scope: Scope, input: WorkOrderInput, actor: string | null): Promise<{ order: WorkOrder; created: boolean }>;
  /** @throws WORK_ORDER_NOT_FOUND */
  get(scope: Scope, id: string): Promise<WorkOrder>;
  /** Newest first. */
  list(scope: Scope, filter?: WorkOrderFilter): Promise<WorkOrder[]>;
  /** @throws WORK_ORDER_NOT_FOUND, WORK_ORDER_CLOSED */
  update(scope: Scope, id: string, patch: WorkOrderPatch, actor: string | null): Promise<WorkOrder>;
  /**
   * Starts, finishes or cancels a work order, moving the device in and out of maintenance.
   * @throws WORK_ORDER_NOT_FOUND, WORK_ORDER_TRANSITION_INVALID
   */
  setStatus(scope: Scope, id: string, change: WorkOrderStatusChange, actor: string | null): Promise<WorkOrder>;
  addNote(scope: Scope, id: string, text: string, author: string | null): Promise<WorkOrderNote>;
  notes(scope: Scope, id: string): Promise<WorkOrderNote[]>;
  schedules: {
    /** @throws DEVICE_NOT_FOUND, VALIDATION_FAILED */
    create(scope: Scope, input: MaintenanceScheduleInput, actor: string | null): Promise<MaintenanceSchedule>;
    list(scope: Scope, filter?: { device?: string }): Promise<MaintenanceSchedule[]>;
    /** @throws MAINTENANCE_SCHEDULE_NOT_FOUND */
    get(scope: Scope, id: string): Promise<MaintenanceSchedule>;
    /** Replaces the definition; the next due date is counted afresh from the last service. @throws MAINTENANCE_SCHEDULE_NOT_FOUND */
    update(scope: Scope, id: string, input: MaintenanceScheduleInput): Promise<MaintenanceSchedule>;
    /** Deletes the schedule (its work orders stay). @throws MAINTENANCE_SCHEDULE_NOT_FOUND */
    remove(scope: Scope, id: string): Promise<MaintenanceSchedule>;
  };
  /**
   * Issues the work orders of the schedules that are due at `at` (one open work order per schedule: the
   * next interval counts from when it is finished). Safe to run in several processes.
   */
  runSchedules(at?: number): Promise<WorkOrder[]>;
}

export interface MaintenanceServiceOptions {
  store: Store;
  assets: AssetService;
  /** For work orders from alarms (the alarm's device, rule name and severity; a comment on the alarm). */
  alarms?: AlarmStore;
  /** A device's latest numeric reading of a point (run-hour counters). */
  latest?: (tenantId: string | null, device: string, point: string) => Promise<number | undefined>;
  now?: () => number;
}

/** Creates the maintenance service. */
/** A schedule's claimed number whose work order is still missing after this long was left by a stopped process. */
const claimStaleMs = 5 * 60_000;

export function createMaintenanceService(options: MaintenanceServiceOptions): MaintenanceService {
  const db = options.store.db;
  const { assets } = options;
  const now = options.now ?? Date.now;

  const ordersOf = (scope: Scope) => {
    const q = db.selectFrom('work_orders').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const row = async (scope: Scope, id: string): Promise<Selectable<WorkOrdersTable>> => {
    const r = await ordersOf(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('WORK_ORDER_NOT_FOUND', `No work order ${id}.`);
    return r;
  };
  const schedulesOf = (scope: Scope) => {
    const q = db.selectFrom('maintenance_schedules').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const scheduleRow = async (scope: Scope, id: string): Promise<Selectable<MaintenanceSchedulesTable>> => {
    const r = await schedulesOf(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('MAINTENANCE_SCHEDULE_NOT_FOUND', `No maintenance schedule ${id}.`);
    return r;
  };

  /** The history entry of a work order step. */
  const record = async (o: WorkOrder, step: string, actor: string | null, extra: { from?: string | null; to?: string | null; reason?: string; details?: Record<string, unknown> } = {}): Promise<void> => {
    await assets.history.append({
      tenantId: o.tenantId,
      device: o.device,
      kind: 'work_order',
      actor,
      from: extra.from ?? null,
      to: extra.to ?? null,
      reason: extra.reason ?? o.title,
      details: { workOrder: o.id, step, title: o.title, source: o.source, sourceRef: o.sourceRef, priority: o.priority, status: o.status, ...extra.details },
    });
  };

  const insert = async (values: Insertable<WorkOrdersTable> & { id: string; source: string; source_ref: string | null }): Promise<{ order: WorkOrder; created: boolean }> => {
    const res = await db
      .insertInto('work_orders')
      .values(values)
      .onConflict((oc) => oc.columns(['source', 'source_ref']).where('source_ref', 'is not', null).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 1) return { order: toOrder(await db.selectFrom('work_orders').selectAll().where('id', '=', values.id).executeTakeFirstOrThrow()), created: true };
    const existing = await db.selectFrom('work_orders').selectAll().where('source', '=', values.source).where('source_ref', '=', values.source_ref!).executeTakeFirstOrThrow();
    return { order: toOrder(existing), created: false };
  };

  /** The next due point of a schedule counted from a service at `at` (and counter reading `hours`). */
  const nextDue = (s: { kind: string; every: number }, at: number, hours: number | null): { next_due_at: number | null; next_due_hours: number | null } =>
    s.kind === 'calendar' ? { next_due_at: Math.round(at + s.every * day), next_due_hours: null } : { next_due_at: null, next_due_hours: hours === null ? null : hours + s.every };

  /** A schedule's interval starts again when its work order is finished or cancelled. */
  const reanchor = async (o: WorkOrder, at: number): Promise<void> => {
    if (o.source !== 'schedule' || !o.sourceRef) return;
    const id = o.sourceRef.split('#')[0]!;
    const s = await db.selectFrom('maintenance_schedules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) return;
    const hours = s.kind === 'run_hours' && s.run_hours_point ? ((await options.latest?.(s.tenant_id, s.device_id, s.run_hours_point)) ?? null) : null;
    await db
      .updateTable('maintenance_schedules')
      .set({ anchor_at: at, anchor_hours: hours, ...nextDue({ kind: s.kind, every: Number(s.every) }, at, hours), updated_at: at })
      .where('id', '=', id)
      .execute();
  };

  const service: MaintenanceService = {
    async create(scope, input, actor) {
      let device = input.device;
      let tenantId: string | null;
      let title = input.title;
      let priority = input.priority;
      let source: WorkOrderSource = input.source ?? (input.alarm ? 'alarm' : 'manual');
      let sourceRef = input.sourceRef ?? null;
      let description = input.description ?? '';
      if (input.alarm) {
        if (!options.alarms) throw new YulianError('VALIDATION_FAILED', 'Work orders from alarms are not available here.');
        const alarm = await options.alarms.get(scope, input.alarm);
        if (device && device !== alarm.device) throw new YulianError('VALIDATION_FAILED', `Alarm ${alarm.id} is on device ${alarm.device}, not ${device}.`, { details: { field: 'device' } });
        device = alarm.device;
        tenantId = alarm.tenantId;
        source = 'alarm';
        sourceRef = alarm.id;
        title ??= alarm.ruleName;
        priority ??= priorityOfSeverity[alarm.severity] ?? 'normal';
        if (!input.description) description = `${alarm.ruleName}: ${alarm.reason}`;
      } else {
        if (!device) throw new YulianError('VALIDATION_FAILED', 'A work order needs a device (or an alarm).', { details: { field: 'device' } });
        if (!title) throw new YulianError('VALIDATION_FAILED', 'A work order needs a title.', { details: { field: 'title' } });
        if (source === 'alarm') throw new YulianError('VALIDATION_FAILED', 'A work order from an alarm names the alarm (`alarm`).', { details: { field: 'alarm' } });
        tenantId = (await assets.devices.ensure(scope, device, actor)).tenantId;
      }
      if (input.alarm) await assets.devices.ensure(scope, device!, actor);
      const at = now();
      const dueAt = input.dueAt ? Date.parse(input.dueAt) : null;
      if (dueAt !== null && !Number.isFinite(dueAt)) throw new YulianError('VALIDATION_FAILED', 'dueAt is not a date.', { details: { field: 'dueAt' } });
      const result = await insert({
        id: randomUUID(),
        tenant_id: tenantId,
        device_id: device!,
        title: title!,
        description,
        source,
        source_ref: sourceRef,
        priority: priority ?? 'normal',
        status: 'open',
        assignee: input.assignee ?? null,
        created_by: actor,
        created_at: at,
        updated_at: at,
        due_at: dueAt,
        started_at: null,
        completed_at: null,
        resolution: '',
        maintenance: 0,
      });
      if (result.created) {
        await record(result.order, 'created', actor, { to: 'open' });
        if (input.alarm && options.alarms) await options.alarms.comment(scope, input.alarm, actor, `工单已创建 Work order created: ${result.order.title} (${result.order.id})`, at);
      }
      return result;
    },

    get: async (scope, id) => toOrder(await row(scope, id)),

    async list(scope, filter = {}) {
      let q = ordersOf(scope);
      if (filter.device) q = q.where('device_id', '=', filter.device);
      if (filter.status === 'openish') q = q.where('status', 'in', ['open', 'in_progress']);
      else if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.source) q = q.where('source', '=', filter.source);
      if (filter.sourceRef) q = q.where('source_ref', '=', filter.sourceRef);
      if (filter.assignee) q = q.where('assignee', '=', filter.assignee);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit ?? 200).execute();
      return rows.map(toOrder);
    },

    async update(scope, id, patch, actor) {
      const r = await row(scope, id);
      if (r.status === 'done' || r.status === 'cancelled') throw new YulianError('WORK_ORDER_CLOSED', `Work order ${id} is ${r.status}; it can no longer be changed.`);
      const dueAt = patch.dueAt === undefined ? undefined : patch.dueAt === null ? null : Date.parse(patch.dueAt);
      if (dueAt !== undefined && dueAt !== null && !Number.isFinite(dueAt)) throw new YulianError('VALIDATION_FAILED', 'dueAt is not a date.', { details: { field: 'dueAt' } });
      await db
        .updateTable('work_orders')
        .set({
          ...(patch.title === undefined ? {} : { title: patch.title }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.priority === undefined ? {} : { priority: patch.priority }),
          ...(patch.assignee === undefined ? {} : { assignee: patch.assignee }),
          ...(dueAt === undefined ? {} : { due_at: dueAt }),
          updated_at: now(),
        })
        .where('id', '=', id)
        .execute();
      const o = toOrder(await row(scope, id));
      if (patch.assignee !== undefined && patch.assignee !== r.assignee) await record(o, 'assigned', actor, { reason: o.assignee ? `→ ${o.assignee}` : '—', details: { assignee: o.assignee } });
      return o;
    },

    async setStatus(scope, id, change, actor) {
      const r = await row(scope, id);
      const from = r.status as WorkOrderStatus;
      if (!workOrderTransitions[from].includes(change.status)) {
        throw new YulianError('WORK_ORDER_TRANSITION_INVALID', `Work order ${id} is ${from}; it can go to ${workOrderTransitions[from].join(' or ') || 'nothing (it is closed)'}, not ${change.status}.`, { details: { from, to: change.status, allowed: workOrderTransitions[from] } });
      }
      const at = now();
      const closing = change.status === 'done' || change.status === 'cancelled';
      // Starting (or finishing straight from open) takes an in-service device out of service for the work.
      let maintenance = Number(r.maintenance) === 1;
      const res = await db
        .updateTable('work_orders')
        .set({
          status: change.status,
          updated_at: at,
          ...(change.status === 'in_progress' || (closing && r.started_at === null) ? { started_at: at } : {}),
          ...(closing ? { completed_at: at, resolution: change.resolution ?? '' } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new YulianError('WORK_ORDER_TRANSITION_INVALID', `Work order ${id} changed meanwhile; read it again.`);
      let o = toOrder(await row(scope, id));
      await record(o, change.status === 'in_progress' ? 'started' : change.status, actor, { from, to: change.status, ...(change.resolution ? { reason: change.resolution } : {}) });

      if (change.status === 'in_progress' && change.maintenance !== false) {
        const asset = await assets.devices.ensure(scope, o.device, actor);
        if (asset.lifecycle === 'in_service') {
          await assets.lifecycle.transition(scope, o.device, { to: 'under_maintenance', reason: `工单 Work order: ${o.title}` }, actor);
          await db.updateTable('work_orders').set({ maintenance: 1 }).where('id', '=', id).execute();
          maintenance = true;
        }
      }
      if (closing && maintenance) {
        // Back to service when no other work order holds the device.
        const others = await db.selectFrom('work_orders').select('id').where('device_id', '=', o.device).where('status', '=', 'in_progress').where('maintenance', '=', 1).where('id', '!=', id).executeTakeFirst();
        const asset = await assets.devices.find(scope, o.device);
        if (!others && asset?.lifecycle === 'under_maintenance') {
          await assets.lifecycle.transition(scope, o.device, { to: 'in_service', reason: `工单${change.status === 'done' ? '完成' : '取消'} Work order ${change.status}: ${o.title}` }, actor);
        }
      }
      if (closing) await reanchor(o, at);
      o = toOrder(await row(scope, id));
      return o;
    },

    async addNote(scope, id, text, author) {
      const o = toOrder(await row(scope, id));
      const note = { id: randomUUID(), work_order_id: id, ts: now(), author, text };
      await db.insertInto('work_order_notes').values(note).execute();
      await record(o, 'note', author, { reason: text.slice(0, 200) });
      return { id: note.id, workOrder: id, ts: iso(note.ts)!, author, text };
    },

    async notes(scope, id) {
      await row(scope, id);
      const rows = await db.selectFrom('work_order_notes').selectAll().where('work_order_id', '=', id).orderBy('ts').orderBy('id').execute();
      return rows.map((n) => ({ id: n.id, workOrder: n.work_order_id, ts: iso(n.ts)!, author: n.author, text: n.text }));
    },

    schedules: {
      async create(scope, input, actor) {
        const s = checkSchedule(input);
        const asset = await assets.devices.ensure(scope, input.device, actor);
        const at = now();
        const anchor = input.startAt ? Date.parse(input.startAt) : at;
        const hours = s.kind === 'run_hours' ? ((await options.latest?.(asset.tenantId, input.device, s.runHoursPoint!)) ?? null) : null;
        const id = randomUUID();
        await db
          .insertInto('maintenance_schedules')
          .values({
            id,
            tenant_id: asset.tenantId,
            device_id: input.device,
            title: input.title,
            description: input.description ?? '',
            kind: input.kind,
            every: input.every,
            run_hours_point: s.runHoursPoint,
            priority: input.priority ?? 'normal',
            assignee: input.assignee ?? null,
            lead: input.lead ?? 0,
            anchor_at: anchor,
            anchor_hours: hours,
            ...nextDue(input, anchor, hours),
            seq: 0,
            enabled: input.enabled === false ? 0 : 1,
            created_by: actor,
            created_at: at,
            updated_at: at,
          })
          .execute();
        return toSchedule(await scheduleRow(scope, id));
      },
      list: async (scope, filter = {}) => (await (filter.device ? schedulesOf(scope).where('device_id', '=', filter.device) : schedulesOf(scope)).orderBy('created_at').execute()).map(toSchedule),
      get: async (scope, id) => toSchedule(await scheduleRow(scope, id)),
      async update(scope, id, input) {
        const old = await scheduleRow(scope, id);
        const s = checkSchedule(input);
        if (input.device !== old.device_id) throw new YulianError('VALIDATION_FAILED', 'A schedule stays with its device; create a new one for another device.', { details: { field: 'device' } });
        const anchor = input.startAt ? Date.parse(input.startAt) : Number(old.anchor_at);
        let hours = old.anchor_hours === null ? null : Number(old.anchor_hours);
        if (s.kind === 'run_hours' && (hours === null || old.run_hours_point !== s.runHoursPoint)) hours = (await options.latest?.(old.tenant_id, old.device_id, s.runHoursPoint!)) ?? null;
        await db
          .updateTable('maintenance_schedules')
          .set({ title: input.title, description: input.description ?? '', kind: input.kind, every: input.every, run_hours_point: s.runHoursPoint, priority: input.priority ?? 'normal', assignee: input.assignee ?? null, lead: input.lead ?? 0, anchor_at: anchor, anchor_hours: hours, ...nextDue(input, anchor, hours), enabled: input.enabled === false ? 0 : 1, updated_at: now() })
          .where('id', '=', id)
          .execute();
        return toSchedule(await scheduleRow(scope, id));
      },
      async remove(scope, id) {
        const s = toSchedule(await scheduleRow(scope, id));
        await db.deleteFrom('maintenance_schedules').where('id', '=', id).execute();
        return s;
      },
    },

    async runSchedules(at = now()) {
      const issued: WorkOrder[] = [];
      const rows = await db.selectFrom('maintenance_schedules').selectAll().where('enabled', '=', 1).execute();
      for (const s of rows) {
        const seq = Number(s.seq);
        // One open work order per schedule: the next interval counts from when the last one is finished.
        let reissue = false;
        if (seq > 0) {
          const last = await db.selectFrom('work_orders').select('status').where('source', '=', 'schedule').where('source_ref', '=', `${s.id}#${seq}`).executeTakeFirst();
          if (last && (last.status === 'open' || last.status === 'in_progress')) continue;
          // Number `seq` claimed but its work order not there: another process is creating it right now
          // (skip, or it would claim and issue the next one too), or one stopped in between — then, once the
          // claim is old, issue that same number here (its source reference is unique, so only once).
          if (!last) {
            if (at - Number(s.updated_at) < claimStaleMs) continue;
            reissue = true;
          }
        }
        let due = false;
        let dueAt: number | null = null;
        let reading: number | undefined;
        if (s.kind === 'calendar') {
          dueAt = s.next_due_at === null ? null : Number(s.next_due_at);
          due = dueAt !== null && at >= dueAt - Number(s.lead) * day;
        } else if (s.run_hours_point) {
          reading = await options.latest?.(s.tenant_id, s.device_id, s.run_hours_point);
          if (reading === undefined) continue;
          if (s.next_due_hours === null) {
            // The counter is read for the first time: the interval starts here.
            await db.updateTable('maintenance_schedules').set({ anchor_hours: reading, next_due_hours: reading + Number(s.every) }).where('id', '=', s.id).where('next_due_hours', 'is', null).execute();
            continue;
          }
          due = reading >= Number(s.next_due_hours) - Number(s.lead);
        }
        if (!due && !reissue) continue;
        // Claim the due number first: of several processes, one issues it.
        const number = reissue ? seq : seq + 1;
        if (!reissue) {
          const claimed = await db.updateTable('maintenance_schedules').set({ seq: number, updated_at: at }).where('id', '=', s.id).where('seq', '=', seq).executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) continue;
        }
        const scope: Scope = s.tenant_id ? { kind: 'tenant', tenantId: s.tenant_id } : { kind: 'all' };
        const { order, created } = await service.create(
          scope,
          {
            device: s.device_id,
            source: 'schedule',
            sourceRef: `${s.id}#${number}`,
            title: s.title,
            description: s.description || (s.kind === 'calendar' ? `预防性维护 Preventive maintenance, every ${Number(s.every)} d` : `预防性维护 Preventive maintenance, every ${Number(s.every)} h (counter ${reading})`),
            priority: s.priority as WorkOrderPriority,
            assignee: s.assignee,
            ...(dueAt === null ? {} : { dueAt: new Date(dueAt).toISOString() }),
          },
          null,
        );
        if (created) issued.push(order);
      }
      return issued;
    },
  };
  return service;
}

/** Checks what zod cannot: a run-hours schedule names its counter point. */
function checkSchedule(input: MaintenanceScheduleInput): { kind: string; runHoursPoint: string | null } {
  if (input.kind === 'run_hours' && !input.runHoursPoint) throw new YulianError('VALIDATION_FAILED', 'A run-hours schedule names the device’s run-hour counter point (runHoursPoint).', { details: { field: 'runHoursPoint' } });
  if (input.startAt !== undefined && !Number.isFinite(Date.parse(input.startAt))) throw new YulianError('VALIDATION_FAILED', 'startAt is not a date.', { details: { field: 'startAt' } });
  return { kind: input.kind, runHoursPoint: input.kind === 'run_hours' ? input.runHoursPoint! : null };
}
