import type { AssetNodeDto, AssetNodeKind, CreateAssetNode, UpdateAssetNode } from '@yulian/contracts';
import { type AssetNodesTable, type Scope, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';
import { type FileStore, type StoredFile, planImageType, planMaxBytes } from './files.js';
import { type Db, assertTenant, newId, tenantFor, toNode } from './model.js';

/** The kind of parent each kind of node needs (null: none). */
const parentKind: Record<AssetNodeKind, AssetNodeKind | null> = { site: null, workshop: 'site', line: 'workshop' };

/** Sites, workshops and lines of each enterprise, and the sites' floor plans. */
export interface AssetNodeRepository {
  /** @throws YulianError ASSET_NODE_EXISTS, ASSET_NODE_NOT_FOUND (parent), ASSET_PLACEMENT_INVALID (wrong parent kind), TENANT_REQUIRED */
  create(scope: Scope, input: CreateAssetNode): Promise<AssetNodeDto>;
  list(scope: Scope, filter?: { kind?: AssetNodeKind; parentId?: string }): Promise<AssetNodeDto[]>;
  /** @throws YulianError ASSET_NODE_NOT_FOUND, also for another enterprise's node */
  get(scope: Scope, id: string): Promise<AssetNodeDto>;
  /** The raw row, or undefined. */
  row(scope: Scope, id: string): Promise<Selectable<AssetNodesTable> | undefined>;
  /** Every node of one enterprise, by id (for validating many placements at once). */
  rowsOf(tenantId: string): Promise<Map<string, Selectable<AssetNodesTable>>>;
  update(scope: Scope, id: string, patch: UpdateAssetNode): Promise<AssetNodeDto>;
  /** @throws YulianError ASSET_NODE_NOT_EMPTY while it holds nodes or devices */
  remove(scope: Scope, id: string): Promise<AssetNodeDto>;
  /** Makes a site's plan a grid of rows × cols (an image it had is deleted). */
  setGridPlan(scope: Scope, id: string, grid: { rows: number; cols: number }): Promise<AssetNodeDto>;
  /** Makes a site's plan an image, recognised by its bytes. @throws YulianError FILE_TYPE_INVALID, PAYLOAD_TOO_LARGE */
  setImagePlan(scope: Scope, id: string, image: { data: Buffer; name: string; actor: string | null }): Promise<AssetNodeDto>;
  /** @throws YulianError FILE_NOT_FOUND when the site's plan is not an image */
  planImage(scope: Scope, id: string): Promise<StoredFile>;
}

/** Creates the node repository. */
export function createAssetNodeRepository(db: Db, files: FileStore, now: () => number): AssetNodeRepository {
  const rows = (scope: Scope) => {
    const q = db.selectFrom('asset_nodes').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const imageOf = async (r: Selectable<AssetNodesTable>) => {
    if (r.plan_kind !== 'image' || r.plan_file_id === null) return undefined;
    const f = await db.selectFrom('files').select(['content_type', 'size']).where('id', '=', r.plan_file_id).executeTakeFirst();
    return f ? { contentType: f.content_type, size: Number(f.size) } : undefined;
  };
  const view = async (r: Selectable<AssetNodesTable>): Promise<AssetNodeDto> => toNode(r, await imageOf(r));
  const mustRow = async (scope: Scope, id: string): Promise<Selectable<AssetNodesTable>> => {
    const r = await rows(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('ASSET_NODE_NOT_FOUND', `No site, workshop or line ${id}.`);
    return r;
  };
  const site = async (scope: Scope, id: string): Promise<Selectable<AssetNodesTable>> => {
    const r = await mustRow(scope, id);
    if (r.kind !== 'site') throw new YulianError('ASSET_PLACEMENT_INVALID', `${id} is a ${r.kind}; floor plans belong to sites.`);
    return r;
  };
  const dropImage = async (tx: Db, r: Selectable<AssetNodesTable>): Promise<void> => {
    if (r.plan_file_id !== null) await files.remove(tx, r.plan_file_id);
  };

  return {
    async create(scope, input) {
      let tenantId: string;
      let parentId: string | null = null;
      const wanted = parentKind[input.kind];
      if (wanted === null) {
        if (input.parentId !== undefined) throw new YulianError('ASSET_PLACEMENT_INVALID', 'A site has no parent; leave parentId out.');
        tenantId = tenantFor(scope, input.tenantId);
        await assertTenant(db, tenantId);
      } else {
        if (input.parentId === undefined) throw new YulianError('ASSET_PLACEMENT_INVALID', `A ${input.kind} goes under a ${wanted}: give parentId.`);
        const parent = await mustRow(scope, input.parentId);
        if (parent.kind !== wanted) throw new YulianError('ASSET_PLACEMENT_INVALID', `A ${input.kind} goes under a ${wanted}; ${parent.id} is a ${parent.kind}.`);
        if (input.tenantId !== undefined && input.tenantId !== parent.tenant_id) throw new YulianError('ASSET_PLACEMENT_INVALID', 'A node belongs to the enterprise of its parent.');
        tenantId = parent.tenant_id;
        parentId = parent.id;
      }
      const taken = await db.selectFrom('asset_nodes').select('id').where('tenant_id', '=', tenantId).where('code', '=', input.code).executeTakeFirst();
      if (taken) throw new YulianError('ASSET_NODE_EXISTS', `The enterprise already has a site, workshop or line with code ${input.code}.`);
      const ts = now();
      const row = { id: newId(), tenant_id: tenantId, parent_id: parentId, kind: input.kind, code: input.code, name: input.name, description: input.description ?? '', lat: input.lat ?? null, lon: input.lon ?? null, plan_kind: 'none', plan_file_id: null, plan_rows: null, plan_cols: null, created_at: ts, updated_at: ts };
      await db.insertInto('asset_nodes').values(row).execute();
      return toNode(row);
    },
    async list(scope, filter = {}) {
      let q = rows(scope);
      if (filter.kind) q = q.where('kind', '=', filter.kind);
      if (filter.parentId) q = q.where('parent_id', '=', filter.parentId);
      const list = await q.orderBy('tenant_id').orderBy('code').execute();
      return Promise.all(list.map(view));
    },
    async get(scope, id) {
      return view(await mustRow(scope, id));
    },
    async row(scope, id) {
      return rows(scope).where('id', '=', id).executeTakeFirst();
    },
    async rowsOf(tenantId) {
      const list = await db.selectFrom('asset_nodes').selectAll().where('tenant_id', '=', tenantId).execute();
      return new Map(list.map((r) => [r.id, r]));
    },
    async update(scope, id, patch) {
      await mustRow(scope, id);
      await db
        .updateTable('asset_nodes')
        .set({ ...(patch.name === undefined ? {} : { name: patch.name }), ...(patch.description === undefined ? {} : { description: patch.description }), ...(patch.lat === undefined ? {} : { lat: patch.lat }), ...(patch.lon === undefined ? {} : { lon: patch.lon }), updated_at: now() })
        .where('id', '=', id)
        .execute();
      return view(await mustRow(scope, id));
    },
    async remove(scope, id) {
      const r = await mustRow(scope, id);
      const child = await db.selectFrom('asset_nodes').select('id').where('parent_id', '=', id).executeTakeFirst();
      const device = await db.selectFrom('device_assets').select('device_id').where((eb) => eb.or([eb('site_id', '=', id), eb('area_id', '=', id)])).executeTakeFirst();
      if (child || device) throw new YulianError('ASSET_NODE_NOT_EMPTY', `${r.kind} ${r.code} still holds ${child ? `node ${child.id}` : `device ${device?.device_id}`}; move or remove it first.`);
      const dto = await view(r);
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('asset_nodes').where('id', '=', id).execute();
        await dropImage(tx, r);
      });
      return dto;
    },
    async setGridPlan(scope, id, grid) {
      const r = await site(scope, id);
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('asset_nodes').set({ plan_kind: 'grid', plan_rows: grid.rows, plan_cols: grid.cols, plan_file_id: null, updated_at: now() }).where('id', '=', id).execute();
        await dropImage(tx, r);
      });
      return view(await mustRow(scope, id));
    },
    async setImagePlan(scope, id, image) {
      const r = await site(scope, id);
      if (image.data.length > planMaxBytes) throw new YulianError('PAYLOAD_TOO_LARGE', `A floor plan is at most ${planMaxBytes / 1024 / 1024} MB; this one is ${(image.data.length / 1024 / 1024).toFixed(1)} MB.`);
      const contentType = planImageType(image.data);
      await db.transaction().execute(async (tx) => {
        const f = await files.put(tx, { tenantId: r.tenant_id, ownerKind: 'site_plan', ownerId: id, name: image.name, category: 'plan', contentType, data: image.data, createdBy: image.actor });
        await tx.updateTable('asset_nodes').set({ plan_kind: 'image', plan_file_id: f.id, plan_rows: null, plan_cols: null, updated_at: now() }).where('id', '=', id).execute();
        await dropImage(tx, r);
      });
      return view(await mustRow(scope, id));
    },
    async planImage(scope, id) {
      const r = await site(scope, id);
      if (r.plan_kind !== 'image' || r.plan_file_id === null) throw new YulianError('FILE_NOT_FOUND', `Site ${r.code} has no floor plan image${r.plan_kind === 'grid' ? ' (its plan is a grid)' : ''}.`);
      return files.get(scope, r.plan_file_id);
    },
  };
}
