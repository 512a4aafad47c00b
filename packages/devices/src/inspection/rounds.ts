/**
 * Spot inspection rounds: plans issue rounds (tasks) on their schedule; an assignee checks in at each device
 * of a round (the scanned identifier must be the device's, the position within the plan's radius of the
 * device or its site), then submits the results; an abnormal result opens a work order. Every check the
 * phone page makes is made here again: the server never trusts the page.
 */
import { randomUUID } from 'node:crypto';
import {
  type InspectionCheckIn,
  type InspectionCheckInInput,
  type InspectionItem,
  type InspectionPositionCheck,
  type InspectionRecord,
  type InspectionResult,
  type InspectionSchedule,
  type InspectionSubmitInput,
  type InspectionTask,
  type InspectionTaskStatus,
  inspectionResultAbnormal,
} from '@yulian/contracts';
import { type InspectionRecordsTable, type InspectionTasksTable, type Scope, type Store, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';
import type { AssetService } from '../assets/service.js';
import type { MaintenanceService } from '../maintenance/maintenance-service.js';
import { type InspectionDefinitions, toStandard } from './definitions.js';
import { distanceMeters, nextStart, scannedIdentifier } from './schedule.js';

const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());
/** At most this many rounds of one plan are issued per run (a long stop is caught up over several runs). */
const maxIssuePerRun = 100;

const toRecord = (r: Selectable<InspectionRecordsTable>): InspectionRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  task: r.task_id,
  device: r.device_id,
  standardId: r.standard_id,
  inspector: r.inspector,
  status: r.status as InspectionRecord['status'],
  checkedInAt: iso(r.checked_in_at)!,
  submittedAt: iso(r.submitted_at),
  identifier: r.identifier,
  position: r.position as InspectionPositionCheck,
  lat: r.lat === null ? null : Number(r.lat),
  lon: r.lon === null ? null : Number(r.lon),
  accuracy: r.accuracy === null ? null : Number(r.accuracy),
  distanceMeters: r.distance_m === null ? null : Math.round(Number(r.distance_m)),
  positionError: r.position_error,
  results: JSON.parse(r.results) as InspectionResult[],
  note: r.note,
  abnormal: Number(r.abnormal) === 1,
  workOrder: r.work_order_id,
});

/** A round's status at `at`. */
export function taskStatusAt(t: { completed_at: number | string | null; due_at: number | string; closes_at: number | string }, at: number): InspectionTaskStatus {
  if (t.completed_at !== null) return 'done';
  if (at >= Number(t.closes_at)) return 'missed';
  if (at >= Number(t.due_at)) return 'overdue';
  return 'open';
}

/** Which rounds to list. */
export interface InspectionTaskFilter {
  /** Only rounds assigned to this user. */
  assignee?: string;
  status?: InspectionTaskStatus;
  plan?: string;
  limit?: number;
}

/** Who is acting: the user name, and whether they may act on rounds assigned to others (inspection:manage). */
export interface InspectionActor {
  username: string;
  manage: boolean;
}

/** Rounds, check-ins and records. */
export interface InspectionRounds {
  /** Issues the rounds of enabled plans that have started by `at`. Safe to run in several processes. */
  runPlans(at?: number): Promise<InspectionTask[]>;
  /** Newest start first. */
  listTasks(scope: Scope, filter?: InspectionTaskFilter): Promise<InspectionTask[]>;
  /** @throws INSPECTION_TASK_NOT_FOUND */
  getTask(scope: Scope, id: string): Promise<InspectionTask>;
  /**
   * Checks in at a device of a round: identifier and position checked, the record opened.
   * @throws INSPECTION_TASK_NOT_FOUND, INSPECTION_TASK_CLOSED, INSPECTION_NOT_ASSIGNED, INSPECTION_WRONG_DEVICE,
   *   INSPECTION_TOO_FAR, INSPECTION_POSITION_UNAVAILABLE, INSPECTION_STANDARD_NOT_FOUND
   */
  checkIn(scope: Scope, taskId: string, input: InspectionCheckInInput, actor: InspectionActor): Promise<InspectionCheckIn>;
  /**
   * Submits a checked-in record's results; an abnormal one opens a work order (one per record).
   * @throws INSPECTION_RECORD_NOT_FOUND, INSPECTION_RESULTS_INVALID, INSPECTION_NOT_ASSIGNED, INSPECTION_TASK_CLOSED
   */
  submit(scope: Scope, recordId: string, input: InspectionSubmitInput, actor: InspectionActor): Promise<InspectionRecord>;
  /** @throws INSPECTION_RECORD_NOT_FOUND */
  getRecord(scope: Scope, id: string): Promise<InspectionRecord>;
  /** A device's submitted records, newest first. */
  deviceRecords(scope: Scope, device: string, limit?: number): Promise<InspectionRecord[]>;
}

/** What the rounds need. */
export interface InspectionRoundsOptions {
  store: Store;
  assets: AssetService;
  definitions: InspectionDefinitions;
  maintenance: MaintenanceService;
  /** More identifiers a device answers to besides its asset identifier (e.g. its Handle `<prefix>/dev.<id>`). */
  identifiersOf?: (tenantId: string | null, device: string) => Promise<string[]>;
  now: () => number;
}

/** Creates the rounds service. */
export function createInspectionRounds(options: InspectionRoundsOptions): InspectionRounds {
  const { assets, definitions, maintenance, now } = options;
  const db = options.store.db;
  const tasksOf = (scope: Scope) => {
    const q = db.selectFrom('inspection_tasks').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const recordsOf = (scope: Scope) => {
    const q = db.selectFrom('inspection_records').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const taskRow = async (scope: Scope, id: string) => {
    const r = await tasksOf(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('INSPECTION_TASK_NOT_FOUND', `No inspection round ${id}.`);
    return r;
  };
  const recordRow = async (scope: Scope, id: string) => {
    const r = await recordsOf(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('INSPECTION_RECORD_NOT_FOUND', `No inspection record ${id}.`);
    return r;
  };

  /** Rounds with their devices' names and submitted records. */
  const toTasks = async (rows: Selectable<InspectionTasksTable>[], at: number): Promise<InspectionTask[]> => {
    if (rows.length === 0) return [];
    const records = await db.selectFrom('inspection_records').select(['id', 'task_id', 'device_id', 'abnormal', 'work_order_id']).where('task_id', 'in', rows.map((r) => r.id)).where('status', '=', 'submitted').execute();
    const byTaskDevice = new Map(records.map((r) => [`${r.task_id} ${r.device_id}`, r]));
    const ids = [...new Set(rows.flatMap((r) => JSON.parse(r.devices) as string[]))];
    const names = new Map((await db.selectFrom('device_assets').select(['device_id', 'name']).where('device_id', 'in', ids).execute()).map((a) => [a.device_id, a.name]));
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      planId: r.plan_id,
      planName: r.plan_name,
      routeName: r.route_name,
      assignees: JSON.parse(r.assignees) as string[],
      startsAt: iso(r.starts_at)!,
      dueAt: iso(r.due_at)!,
      closesAt: iso(r.closes_at)!,
      status: taskStatusAt(r, at),
      completedAt: iso(r.completed_at),
      devices: (JSON.parse(r.devices) as string[]).map((device) => {
        const rec = byTaskDevice.get(`${r.id} ${device}`);
        return { device, name: names.get(device) || device, record: rec?.id ?? null, abnormal: rec ? Number(rec.abnormal) === 1 : null, workOrder: rec?.work_order_id ?? null };
      }),
    }));
  };

  const assigned = (task: Selectable<InspectionTasksTable>, actor: InspectionActor): void => {
    const assignees = JSON.parse(task.assignees) as string[];
    if (!actor.manage && !assignees.includes(actor.username)) throw new YulianError('INSPECTION_NOT_ASSIGNED', `Round ${task.id} is assigned to ${assignees.join(', ')}.`, { details: { assignees } });
  };

  /** Where a device is: its own coordinates, else its site's. */
  const referenceOf = async (scope: Scope, asset: { lat: number | null; lon: number | null; siteId: string | null }): Promise<{ lat: number; lon: number } | undefined> => {
    if (asset.lat !== null && asset.lon !== null) return { lat: asset.lat, lon: asset.lon };
    if (!asset.siteId) return undefined;
    const site = await assets.nodes.get(scope, asset.siteId).catch(() => undefined);
    return site && site.lat !== null && site.lon !== null ? { lat: site.lat, lon: site.lon } : undefined;
  };

  return {
    async runPlans(at = now()) {
      const issued: string[] = [];
      const plans = await db.selectFrom('inspection_plans').selectAll().where('enabled', '=', 1).where('next_at', '<=', at).execute();
      for (const p of plans) {
        const route = await db.selectFrom('inspection_routes').selectAll().where('id', '=', p.route_id).executeTakeFirst();
        if (!route) continue;
        const schedule = JSON.parse(p.schedule) as InspectionSchedule;
        let start = Number(p.next_at);
        for (let n = 0; n < maxIssuePerRun && start <= at; n++) {
          const next = nextStart(schedule, start + 1);
          // Claim the start first: of several processes, one issues it.
          const claimed = await db.updateTable('inspection_plans').set({ next_at: next }).where('id', '=', p.id).where('next_at', '=', start).executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) break;
          const due = start + Number(p.window_minutes) * 60_000;
          const id = randomUUID();
          await db
            .insertInto('inspection_tasks')
            .values({ id, tenant_id: p.tenant_id, plan_id: p.id, plan_name: p.name, route_name: route.name, devices: route.devices, assignees: p.assignees, radius_m: p.radius_m, allow_without_position: p.allow_without_position, starts_at: start, due_at: due, closes_at: due + Number(p.grace_minutes) * 60_000, completed_at: null, created_at: at })
            .onConflict((oc) => oc.columns(['plan_id', 'starts_at']).doNothing())
            .execute();
          issued.push(id);
          start = next;
        }
      }
      if (issued.length === 0) return [];
      return toTasks(await db.selectFrom('inspection_tasks').selectAll().where('id', 'in', issued).orderBy('starts_at').execute(), at);
    },

    async listTasks(scope, filter = {}) {
      const at = now();
      let q = tasksOf(scope);
      if (filter.plan) q = q.where('plan_id', '=', filter.plan);
      if (filter.assignee) q = q.where('assignees', 'like', `%${JSON.stringify(filter.assignee)}%`);
      if (filter.status === 'done') q = q.where('completed_at', 'is not', null);
      else if (filter.status === 'missed') q = q.where('completed_at', 'is', null).where('closes_at', '<=', at);
      else if (filter.status === 'overdue') q = q.where('completed_at', 'is', null).where('due_at', '<=', at).where('closes_at', '>', at);
      else if (filter.status === 'open') q = q.where('completed_at', 'is', null).where('due_at', '>', at);
      const rows = (await q.orderBy('starts_at', 'desc').orderBy('id').limit(filter.limit ?? 200).execute()).filter((r) => !filter.assignee || (JSON.parse(r.assignees) as string[]).includes(filter.assignee));
      return toTasks(rows, at);
    },

    getTask: async (scope, id) => (await toTasks([await taskRow(scope, id)], now()))[0]!,

    async checkIn(scope, taskId, input, actor) {
      const at = now();
      const task = await taskRow(scope, taskId);
      assigned(task, actor);
      const status = taskStatusAt(task, at);
      if (status === 'missed' || status === 'done') throw new YulianError('INSPECTION_TASK_CLOSED', `Round ${task.id} is ${status}.`, { details: { reason: status } });
      if (!(JSON.parse(task.devices) as string[]).includes(input.device)) throw new YulianError('INSPECTION_TASK_CLOSED', `Device ${input.device} is not on round ${task.id}.`, { details: { reason: 'not_on_round' } });
      const done = await db.selectFrom('inspection_records').select('id').where('task_id', '=', task.id).where('device_id', '=', input.device).where('status', '=', 'submitted').executeTakeFirst();
      if (done) throw new YulianError('INSPECTION_TASK_CLOSED', `Device ${input.device} was inspected on this round already (record ${done.id}).`, { details: { reason: 'inspected', record: done.id } });
      const asset = await assets.devices.find(scope, input.device);
      if (!asset) throw new YulianError('DEVICE_NOT_FOUND', `No device ${input.device}.`);

      // The scanned code must name this device.
      const accepted = [asset.identifier, ...((await options.identifiersOf?.(asset.tenantId, asset.device)) ?? [])];
      const scanned = scannedIdentifier(input.scanned);
      if (!accepted.some((a) => a.toLowerCase() === scanned.toLowerCase())) {
        throw new YulianError('INSPECTION_WRONG_DEVICE', `The scanned code (${scanned.slice(0, 120)}) is not the identifier of ${asset.name || asset.device}.`, { details: { expected: accepted[accepted.length - 1], device: asset.device } });
      }

      // The position must be near the device (or its site).
      const radius = Number(task.radius_m);
      const reference = await referenceOf(scope, asset);
      let position: InspectionPositionCheck;
      let distance: number | null = null;
      if (!reference) position = 'no_reference';
      else if (!input.position) {
        if (Number(task.allow_without_position) !== 1) throw new YulianError('INSPECTION_POSITION_UNAVAILABLE', `No position${input.positionError ? ` (${input.positionError})` : ''}: round ${task.id} needs the phone’s position to check in.`, { details: { positionError: input.positionError ?? null } });
        position = 'unavailable';
      } else {
        distance = distanceMeters(input.position, reference);
        if (distance > radius) throw new YulianError('INSPECTION_TOO_FAR', `You are ${Math.round(distance)} m from ${asset.name || asset.device}; check in within ${radius} m.`, { details: { distanceMeters: Math.round(distance), radiusMeters: radius } });
        position = 'verified';
      }

      const standard = asset.profileId ? await definitions.standards.forProfile(asset.profileId) : undefined;
      if (!standard) throw new YulianError('INSPECTION_STANDARD_NOT_FOUND', `Device ${asset.device} has no inspection standard (its profile has none).`);
      const id = randomUUID();
      await db
        .insertInto('inspection_records')
        .values({
          id,
          tenant_id: task.tenant_id,
          task_id: task.id,
          device_id: asset.device,
          standard_id: standard.id,
          inspector: actor.username,
          status: 'checked_in',
          checked_in_at: at,
          submitted_at: null,
          identifier: scanned,
          position,
          lat: input.position?.lat ?? null,
          lon: input.position?.lon ?? null,
          accuracy: input.position?.accuracy ?? null,
          distance_m: distance,
          position_error: input.position ? null : (input.positionError ?? null),
          results: '[]',
          note: '',
          abnormal: 0,
          work_order_id: null,
        })
        .execute();
      return { record: toRecord(await recordRow(scope, id)), standard };
    },

    async submit(scope, recordId, input, actor) {
      const at = now();
      const rec = await recordRow(scope, recordId);
      if (rec.inspector !== actor.username) throw new YulianError('INSPECTION_NOT_ASSIGNED', `Record ${rec.id} was checked in by ${rec.inspector}; they submit it.`, { details: { assignees: [rec.inspector] } });
      if (rec.status !== 'checked_in') throw new YulianError('INSPECTION_RESULTS_INVALID', `Record ${rec.id} was submitted already.`, { details: { item: null } });
      const standardRow = await db.selectFrom('inspection_standards').selectAll().where('id', '=', rec.standard_id).executeTakeFirst();
      if (!standardRow) throw new YulianError('INSPECTION_STANDARD_NOT_FOUND', `The standard of record ${rec.id} was deleted; check in again.`);
      const results = judge(toStandard(standardRow).items, input);
      const abnormal = results.filter((r) => r.abnormal);
      const other = await db.selectFrom('inspection_records').select('id').where('task_id', '=', rec.task_id).where('device_id', '=', rec.device_id).where('status', '=', 'submitted').executeTakeFirst();
      if (other) throw new YulianError('INSPECTION_TASK_CLOSED', `Device ${rec.device_id} was inspected on this round already (record ${other.id}).`, { details: { reason: 'inspected', record: other.id } });
      try {
        const res = await db
          .updateTable('inspection_records')
          .set({ status: 'submitted', submitted_at: at, results: JSON.stringify(results), note: input.note ?? '', abnormal: abnormal.length > 0 ? 1 : 0 })
          .where('id', '=', rec.id)
          .where('status', '=', 'checked_in')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw new YulianError('INSPECTION_RESULTS_INVALID', `Record ${rec.id} was submitted already.`, { details: { item: null } });
      } catch (e) {
        if (e instanceof YulianError) throw e;
        // The partial unique index: another record of this device and round was submitted meanwhile.
        throw new YulianError('INSPECTION_TASK_CLOSED', `Device ${rec.device_id} was inspected on this round already.`, { details: { reason: 'inspected' } });
      }

      const asset = await assets.devices.find(scope, rec.device_id);
      const deviceName = asset?.name || rec.device_id;
      let workOrder: string | null = null;
      if (abnormal.length > 0) {
        const describe = (r: InspectionResult): string => (r.kind === 'measured' ? `${r.name}: ${r.value}${r.unit ? ` ${r.unit}` : ''} (正常范围 normal ${r.min ?? '−∞'} … ${r.max ?? '∞'})` : `${r.name}: 异常 NOK`) + (r.note ? ` — ${r.note}` : '');
        const { order } = await maintenance.create(
          scope,
          {
            device: rec.device_id,
            source: 'inspection',
            sourceRef: rec.id,
            title: `点检异常 Inspection: ${abnormal.map((r) => r.name).join(', ')}`.slice(0, 200),
            description: [`点检记录 Inspection record ${rec.id} (${deviceName}), ${actor.username}:`, ...abnormal.map(describe), ...(input.note ? [input.note] : [])].join('\n').slice(0, 5000),
            priority: 'high',
          },
          actor.username,
        );
        workOrder = order.id;
        await db.updateTable('inspection_records').set({ work_order_id: workOrder }).where('id', '=', rec.id).execute();
      }
      await assets.history.append({
        tenantId: rec.tenant_id,
        device: rec.device_id,
        kind: 'inspection',
        actor: actor.username,
        reason: abnormal.length > 0 ? `点检异常 Inspection abnormal: ${abnormal.map((r) => r.name).join(', ')}` : '点检正常 Inspection normal',
        details: { record: rec.id, task: rec.task_id, abnormal: abnormal.length > 0, items: abnormal.map((r) => r.key), workOrder, position: rec.position, distanceMeters: rec.distance_m === null ? null : Math.round(Number(rec.distance_m)) },
        ts: at,
      });
      // The round is done once every device on it has a submitted record.
      const task = await db.selectFrom('inspection_tasks').selectAll().where('id', '=', rec.task_id).executeTakeFirst();
      if (task && task.completed_at === null) {
        const devices = JSON.parse(task.devices) as string[];
        const doneCount = await db.selectFrom('inspection_records').select((eb) => eb.fn.countAll<number>().as('n')).where('task_id', '=', task.id).where('status', '=', 'submitted').executeTakeFirstOrThrow();
        if (Number(doneCount.n) >= devices.length) await db.updateTable('inspection_tasks').set({ completed_at: at }).where('id', '=', task.id).where('completed_at', 'is', null).execute();
      }
      return toRecord(await recordRow(scope, rec.id));
    },

    getRecord: async (scope, id) => toRecord(await recordRow(scope, id)),

    async deviceRecords(scope, device, limit = 50) {
      const rows = await recordsOf(scope).where('device_id', '=', device).where('status', '=', 'submitted').orderBy('submitted_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(toRecord);
    },
  };
}

/** The results against the standard's items; refuses unknown keys, missing required items, wrong kinds. */
function judge(items: readonly InspectionItem[], input: InspectionSubmitInput): InspectionResult[] {
  const given = new Map<string, InspectionSubmitInput['results'][number]>();
  for (const r of input.results) {
    if (!items.some((i) => i.key === r.key)) throw new YulianError('INSPECTION_RESULTS_INVALID', `The standard has no item ${r.key}.`, { details: { item: r.key } });
    if (given.has(r.key)) throw new YulianError('INSPECTION_RESULTS_INVALID', `Item ${r.key} is given twice.`, { details: { item: r.key } });
    given.set(r.key, r);
  }
  return items.map((item) => {
    const r = given.get(item.key);
    const value = item.kind === 'measured' ? (r?.value ?? null) : null;
    const ok = item.kind === 'measured' ? null : (r?.ok ?? null);
    if (item.kind === 'measured' && r?.ok !== undefined) throw new YulianError('INSPECTION_RESULTS_INVALID', `Item ${item.key} is measured: send value, not ok.`, { details: { item: item.key } });
    if (item.kind !== 'measured' && r?.value !== undefined) throw new YulianError('INSPECTION_RESULTS_INVALID', `Item ${item.key} is ${item.kind}: send ok (true = normal), not value.`, { details: { item: item.key } });
    if (item.required && value === null && ok === null) throw new YulianError('INSPECTION_RESULTS_INVALID', `Item ${item.name} (${item.key}) is required.`, { details: { item: item.key } });
    return { key: item.key, name: item.name, kind: item.kind, ok, value, unit: item.unit ?? null, min: item.min ?? null, max: item.max ?? null, abnormal: inspectionResultAbnormal(item, { ok, value }), note: r?.note ?? '' };
  });
}
