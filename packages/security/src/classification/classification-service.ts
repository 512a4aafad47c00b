/**
 * Industrial data classification and grading (工业数据分类分级): the category and level of every point and
 * dataset (recorded overrides with their reasons and history, over configured and catalogue defaults),
 * who may read level-3 data, and a map of level-3 points held in memory for the telemetry hot path.
 */
import { randomUUID } from 'node:crypto';
import { type DataCategoryCode, type DataLevel, type DatasetClassification, type PointClassification, type PutClassification, type ClassificationChange } from '@yulian/contracts';
import { type AuditLog, type Caller, type Logger, type Scope, type Store, YulianError, can } from '@yulian/core';
import { type AccessLog, createAccessLog } from './access-log.js';
import { type ClassificationRecord, type EffectiveClass, type PointDefinition, datasetKindOf, effectiveDataset, effectivePoint, isOverride, pointDefault } from './effective.js';
import { type ExportRequests, createExportRequests } from './export-requests.js';
import { type SealedValues, createSealedValues } from './sealed-values.js';
import { type Sealer, createSettingsSealer } from './sealer.js';
import { type ExportSigner, createExportSigner } from './watermark.js';

/** Where the service finds devices and their point definitions (the gateway registry, in the server). */
export interface DeviceDirectory {
  /** A device in scope: its enterprise and points. @throws DEVICE_NOT_FOUND */
  device(scope: Scope, device: string): Promise<{ tenantId: string | null; points: PointDefinition[] }>;
  /** Every configured point that sets its own level (a configured level 3 is sealed too). */
  configuredLevels?(): Promise<Array<{ device: string; point: string; level: DataLevel }>>;
}

/** Options of {@link createDataClassificationService}. */
export interface DataClassificationOptions {
  store: Store;
  audit: AuditLog;
  directory: DeviceDirectory;
  /** Seals level-3 values; default an SM4 key kept in `settings`. */
  sealer?: Sealer;
  logger?: Logger;
  now?: () => number;
  /** How often the level-3 map is reloaded (changes made by other processes, configured levels). Default 60 s. */
  refreshMs?: number;
  /**
   * Runs before a point's history is sealed: the telemetry store's roll-up of what it holds in memory
   * (`flushRollups({ open: true })`), so no sum of the point's old values reaches a rollup afterwards.
   */
  beforeSeal?: () => Promise<void>;
}

/** A user granted level-3 reading beyond their role. */
export interface LevelGrant {
  userId: string;
  username: string;
  reason: string;
  grantedBy: string | null;
  grantedAt: string;
}

/** The classification service. */
export interface DataClassificationService {
  readonly sealed: SealedValues;
  readonly exports: ExportRequests;
  readonly access: AccessLog;
  readonly signer: ExportSigner;
  /** Loads the level-3 map and starts its refresh timer. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Reloads the level-3 map and the grants. */
  refresh(): Promise<void>;
  /** True when any point is level 3 (the hot path skips all lookups otherwise). */
  hasLevel3(): boolean;
  /** True when the point is level 3 (from memory). */
  isLevel3(device: string, point: string): boolean;
  /** True when the caller may read level-3 data: a role holding data:level3, or a grant. */
  canReadLevel3(caller: Caller): boolean;
  /** The enterprise of a device in scope. @throws DEVICE_NOT_FOUND */
  tenantOf(scope: Scope, device: string): Promise<string | null>;
  /** A device's points with their effective class. @throws DEVICE_NOT_FOUND */
  points(scope: Scope, device: string): Promise<PointClassification[]>;
  /** Classifies a point. @throws CLASSIFICATION_REASON_REQUIRED, DEVICE_NOT_FOUND, POINT_NOT_FOUND */
  setPoint(caller: Caller, scope: Scope, device: string, point: string, input: PutClassification): Promise<PointClassification>;
  /** A dataset's effective class. @throws DEVICE_NOT_FOUND for a telemetry dataset of an unknown device */
  dataset(scope: Scope, caller: Caller, name: string): Promise<DatasetClassification>;
  /** Classifies a dataset. @throws CLASSIFICATION_REASON_REQUIRED */
  setDataset(caller: Caller, scope: Scope, name: string, input: PutClassification): Promise<DatasetClassification>;
  /** Datasets with a recorded class in scope, plus the platform-wide kinds. */
  datasets(scope: Scope, caller: Caller): Promise<DatasetClassification[]>;
  /** A subject's changes, newest first (`point:<device>/<point>` or `dataset:<name>`). */
  history(scope: Scope, subject: string): Promise<ClassificationChange[]>;
  /** The level and category of exporting these points of a device, and which of them are level 3. */
  exportClass(scope: Scope, device: string, points?: readonly string[]): Promise<{ dataset: string; tenantId: string | null; category: DataCategoryCode; level: DataLevel; level3: string[] }>;
  grants(scope: Scope): Promise<LevelGrant[]>;
  grant(caller: Caller, user: { id: string; username: string; tenantId: string }, reason: string): Promise<void>;
  revoke(caller: Caller, user: { id: string; username: string; tenantId: string }): Promise<void>;
  /** Resolves once the history of points newly classified level 3 is sealed. */
  settled(): Promise<void>;
}

const pointSubject = (device: string, point: string): string => `point:${device}/${point}`;
const datasetSubject = (name: string): string => `dataset:${name}`;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const tenantKey = (tenantId: string | null): string => tenantId ?? '';

const pointDto = (device: string, def: PointDefinition, e: EffectiveClass): PointClassification => ({
  device,
  point: def.key,
  name: def.name ?? '',
  access: def.access ?? 'read',
  category: e.category,
  level: e.level,
  defaultCategory: e.defaultCategory,
  defaultLevel: e.defaultLevel,
  source: e.source,
  reason: e.reason,
  setBy: e.setBy,
  setAt: iso(e.setAt),
});
const datasetDto = (name: string, e: EffectiveClass): DatasetClassification => ({
  dataset: name,
  category: e.category,
  level: e.level,
  defaultCategory: e.defaultCategory,
  defaultLevel: e.defaultLevel,
  source: e.source,
  reason: e.reason,
  setBy: e.setBy,
  setAt: iso(e.setAt),
});

/**
 * Creates the classification service on a migrated store.
 * @example const dc = createDataClassificationService({ store, audit: identity.audit, directory }); await dc.start()
 */
export function createDataClassificationService(options: DataClassificationOptions): DataClassificationService {
  const { store, audit, directory } = options;
  const db = store.db;
  const now = options.now ?? Date.now;
  const log = options.logger?.child({ component: 'data-classification' });
  const sealer = options.sealer ?? createSettingsSealer(store);
  const sealed = createSealedValues({ store, sealer, ...(options.logger ? { logger: options.logger } : {}) });
  const access = createAccessLog({ store, ...(options.logger ? { logger: options.logger } : {}), now });
  const exportsStore = createExportRequests({ store, now });
  const signer = createExportSigner(store, sealer);
  /** device → level-3 points. */
  let level3 = new Map<string, Set<string>>();
  let granted = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let background: Promise<unknown> = Promise.resolve();

  const recordOf = (r: { category: string; level: number; reason: string | null; set_by: string | null; set_at: number | string }): ClassificationRecord => ({
    category: r.category as DataCategoryCode,
    level: Number(r.level) as DataLevel,
    reason: r.reason,
    setBy: r.set_by,
    setAt: Number(r.set_at),
  });

  async function refresh(): Promise<void> {
    const next = new Map<string, Set<string>>();
    const mark = (device: string, point: string, on: boolean): void => {
      let set = next.get(device);
      if (on) {
        if (!set) next.set(device, (set = new Set()));
        set.add(point);
      } else set?.delete(point);
    };
    for (const c of (await directory.configuredLevels?.()) ?? []) mark(c.device, c.point, c.level === 3);
    // Recorded overrides win over configured levels.
    const rows = await db.selectFrom('data_classifications').select(['device', 'point', 'level']).where('kind', '=', 'point').execute();
    for (const r of rows) if (r.device !== null && r.point !== null) mark(r.device, r.point, Number(r.level) === 3);
    for (const [d, set] of next) if (!set.size) next.delete(d);
    level3 = next;
    granted = new Set((await db.selectFrom('data_level_grants').select('user_id').execute()).map((g) => g.user_id));
  }

  async function recorded(tenantId: string | null, subject: string): Promise<ClassificationRecord | undefined> {
    const r = await db.selectFrom('data_classifications').selectAll().where('tenant_id', '=', tenantKey(tenantId)).where('subject', '=', subject).executeTakeFirst();
    return r ? recordOf(r) : undefined;
  }

  /** Writes (or, back at the default, removes) a record, its history row and the audit entry. */
  async function save(caller: Caller, target: { tenantId: string | null; subject: string; kind: 'point' | 'dataset'; device?: string; point?: string; dataset?: string }, input: PutClassification, d: { category: DataCategoryCode; level: DataLevel }, previous: { category: string; level: number }): Promise<void> {
    const reason = input.reason?.trim() ? input.reason.trim() : null;
    const override = isOverride(input, d);
    if (override && !reason) throw new YulianError('CLASSIFICATION_REASON_REQUIRED', `${target.subject}: ${input.category} level ${input.level} differs from the default (${d.category} level ${d.level}); say why.`, { details: { default: d } });
    const at = now();
    const tenant = tenantKey(target.tenantId);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('data_classifications').where('tenant_id', '=', tenant).where('subject', '=', target.subject).execute();
      if (override) {
        await trx
          .insertInto('data_classifications')
          .values({ tenant_id: tenant, subject: target.subject, kind: target.kind, device: target.device ?? null, point: target.point ?? null, dataset: target.dataset ?? null, category: input.category, level: input.level, reason, set_by: caller.username, set_at: at })
          .execute();
      }
      await trx
        .insertInto('data_classification_history')
        .values({ id: randomUUID(), tenant_id: tenant, subject: target.subject, category: input.category, level: input.level, previous_category: previous.category, previous_level: previous.level, reason, set_by: caller.username, set_at: at })
        .execute();
    });
    await audit.append({ tenantId: target.tenantId, actor: caller.username, ip: caller.ip ?? null, action: 'data.classify', target: target.subject, details: { category: input.category, level: input.level, previous, reason, reset: !override } });
    log?.info({ tenant: target.tenantId, subject: target.subject, category: input.category, level: input.level, by: caller.username }, 'data classification changed');
  }

  async function devicePoints(scope: Scope, device: string): Promise<{ tenantId: string | null; points: Array<{ def: PointDefinition; e: EffectiveClass }> }> {
    const { tenantId, points } = await directory.device(scope, device);
    const rows = await db.selectFrom('data_classifications').selectAll().where('tenant_id', '=', tenantKey(tenantId)).where('kind', '=', 'point').where('device', '=', device).execute();
    const byPoint = new Map(rows.map((r) => [r.point, recordOf(r)]));
    return { tenantId, points: points.map((def) => ({ def, e: effectivePoint(def, byPoint.get(def.key)) })) };
  }

  /** The tenant a dataset belongs to: a device's for its telemetry, else the caller's ('' platform-wide). */
  async function datasetClass(scope: Scope, caller: Caller, name: string): Promise<{ tenantId: string | null; e: EffectiveClass }> {
    if (datasetKindOf(name) === 'telemetry') {
      const dp = await devicePoints(scope, name.slice('telemetry:'.length));
      const max = Math.max(1, ...dp.points.map((p) => p.e.level)) as DataLevel;
      return { tenantId: dp.tenantId, e: effectiveDataset(name, await recorded(dp.tenantId, datasetSubject(name)), max) };
    }
    return { tenantId: caller.tenantId, e: effectiveDataset(name, await recorded(caller.tenantId, datasetSubject(name))) };
  }

  return {
    sealed,
    exports: exportsStore,
    access,
    signer,
    async start() {
      await refresh();
      timer = setInterval(() => void refresh().catch((err: unknown) => log?.error({ err }, 'level-3 map not reloaded; the previous one stays')), options.refreshMs ?? 60_000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await background.catch(() => undefined);
      await access.close();
    },
    refresh,
    hasLevel3: () => level3.size > 0,
    isLevel3: (device, point) => level3.get(device)?.has(point) ?? false,
    canReadLevel3: (caller) => can(caller.role, 'data:level3') || granted.has(caller.userId),
    tenantOf: async (scope, device) => (await directory.device(scope, device)).tenantId,
    async points(scope, device) {
      return (await devicePoints(scope, device)).points.map((p) => pointDto(device, p.def, p.e));
    },
    async setPoint(caller, scope, device, point, input) {
      const dp = await devicePoints(scope, device);
      const found = dp.points.find((p) => p.def.key === point);
      if (!found) throw new YulianError('POINT_NOT_FOUND', `Device ${device} has no point ${point}.`);
      const wasLevel3 = found.e.level === 3;
      await save(caller, { tenantId: dp.tenantId, subject: pointSubject(device, point), kind: 'point', device, point }, input, pointDefault(found.def), { category: found.e.category, level: found.e.level });
      await refresh();
      if (input.level === 3 && !wasLevel3) {
        // The history gathered before is sealed: awaited for up to 2 s, then in the background (a long
        // history takes a while). New samples are sealed already (the map was refreshed above).
        const job = (async () => {
          await options.beforeSeal?.();
          await sealed.sealExisting(device, point);
        })().catch((err: unknown) => log?.error({ err, device, point }, 'history of a level-3 point not sealed; classify it again to retry'));
        background = Promise.all([background, job]);
        await Promise.race([job, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      }
      const after = await devicePoints(scope, device);
      const p = after.points.find((x) => x.def.key === point)!;
      return pointDto(device, p.def, p.e);
    },
    async dataset(scope, caller, name) {
      return datasetDto(name, (await datasetClass(scope, caller, name)).e);
    },
    async setDataset(caller, scope, name, input) {
      const { tenantId, e } = await datasetClass(scope, caller, name);
      await save(caller, { tenantId, subject: datasetSubject(name), kind: 'dataset', dataset: name }, input, { category: e.defaultCategory, level: e.defaultLevel }, { category: e.category, level: e.level });
      return datasetDto(name, (await datasetClass(scope, caller, name)).e);
    },
    async datasets(scope, caller) {
      let q = db.selectFrom('data_classifications').select('dataset').where('kind', '=', 'dataset');
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const names = new Set(['audit-log', 'identifier-records', 'asset-register', 'alarm-history']);
      for (const r of await q.execute()) if (r.dataset) names.add(r.dataset);
      const out: DatasetClassification[] = [];
      for (const name of [...names].sort()) {
        const d = await datasetClass(scope, caller, name).catch(() => undefined);
        if (d) out.push(datasetDto(name, d.e));
      }
      return out;
    },
    async history(scope, subject) {
      let q = db.selectFrom('data_classification_history').selectAll().where('subject', '=', subject);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      return (await q.orderBy('set_at', 'desc').limit(500).execute()).map((r) => ({
        subject: r.subject,
        category: r.category,
        level: Number(r.level),
        previousCategory: r.previous_category,
        previousLevel: r.previous_level === null ? null : Number(r.previous_level),
        reason: r.reason,
        setBy: r.set_by,
        setAt: new Date(Number(r.set_at)).toISOString(),
      }));
    },
    async exportClass(scope, device, points) {
      const dataset = `telemetry:${device}`;
      const dp = await devicePoints(scope, device);
      const chosen = points?.length ? dp.points.filter((p) => points.includes(p.def.key)) : dp.points;
      const own = effectiveDataset(dataset, await recorded(dp.tenantId, datasetSubject(dataset)), 1);
      // The export is as sensitive as the most sensitive thing in it: the dataset or one of its points.
      const top = chosen.reduce<{ e: EffectiveClass } | undefined>((a, p) => (p.e.level > (a?.e.level ?? own.level) ? p : a), undefined);
      const level3 = chosen.filter((p) => p.e.level === 3).map((p) => p.def.key);
      return { dataset, tenantId: dp.tenantId, category: top ? top.e.category : own.category, level: top ? top.e.level : own.level, level3 };
    },
    async grants(scope) {
      let q = db.selectFrom('data_level_grants').selectAll();
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      return (await q.orderBy('granted_at', 'desc').execute()).map((g) => ({ userId: g.user_id, username: g.username, reason: g.reason, grantedBy: g.granted_by, grantedAt: new Date(Number(g.granted_at)).toISOString() }));
    },
    async grant(caller, user, reason) {
      await db.deleteFrom('data_level_grants').where('tenant_id', '=', user.tenantId).where('user_id', '=', user.id).execute();
      await db.insertInto('data_level_grants').values({ tenant_id: user.tenantId, user_id: user.id, username: user.username, reason, granted_by: caller.username, granted_at: now() }).execute();
      await audit.append({ tenantId: user.tenantId, actor: caller.username, ip: caller.ip ?? null, action: 'data.level3.grant', target: user.username, details: { reason } });
      await refresh();
    },
    async revoke(caller, user) {
      await db.deleteFrom('data_level_grants').where('tenant_id', '=', user.tenantId).where('user_id', '=', user.id).execute();
      await audit.append({ tenantId: user.tenantId, actor: caller.username, ip: caller.ip ?? null, action: 'data.level3.revoke', target: user.username });
      await refresh();
    },
    settled: () => background.then(() => undefined),
  };
}
