import { randomUUID } from 'node:crypto';
import type { Store } from '@yulian/core';
import type { LifecycleStage, LinkType } from './link-types.js';

/** A stored link between identifiers (or a lifecycle event of one), as it was asserted on `source`. */
export interface IdentifierLink {
  id: string;
  source: string;
  type: LinkType;
  /** The other identifier; null only for an event that names none. */
  target: string | null;
  stage: LifecycleStage | null;
  /** `YYYY-MM-DD`. */
  date: string | null;
  note: string;
  tenantId: string | null;
  createdBy: string | null;
  /** Epoch ms. */
  createdAt: number;
}

/** What a new link holds (the store adds its id and time). */
export type NewIdentifierLink = Omit<IdentifierLink, 'id' | 'createdAt'>;

/**
 * The `id_links` table (migration 0012): links by id, by either end, and a level of a chain at once.
 * @example const links = createLinkStore(store); await links.of('88.100.1/RV40E.202106.0023')
 */
export interface LinkStore {
  insert(link: NewIdentifierLink): Promise<IdentifierLink>;
  get(id: string): Promise<IdentifierLink | undefined>;
  /** Deletes a link; answers whether it existed. */
  delete(id: string): Promise<boolean>;
  /** Links with the identifier at either end, oldest first. */
  of(identifier: string): Promise<IdentifierLink[]>;
  /** Links with any of the identifiers at either end (one level of a chain walk), oldest first, at most `limit`. */
  touching(identifiers: readonly string[], limit: number): Promise<IdentifierLink[]>;
  /** A link of the same relation between the same two identifiers, asserted from either side. */
  findRelation(source: string, type: LinkType, target: string, inverse: LinkType): Promise<IdentifierLink | undefined>;
}

type Row = {
  id: string;
  source: string;
  type: string;
  target: string | null;
  stage: string | null;
  date: string | null;
  note: string;
  tenant_id: string | null;
  created_by: string | null;
  created_at: number | string;
};

const toLink = (r: Row): IdentifierLink => ({
  id: r.id,
  source: r.source,
  type: r.type as LinkType,
  target: r.target,
  stage: r.stage as LifecycleStage | null,
  date: r.date,
  note: r.note,
  tenantId: r.tenant_id,
  createdBy: r.created_by,
  // PostgreSQL answers bigint as a string.
  createdAt: Number(r.created_at),
});

/** Creates the link store on a migrated store (SQLite or PostgreSQL). */
export function createLinkStore(store: Store, now: () => number = Date.now): LinkStore {
  const db = store.db;
  return {
    async insert(link) {
      const row = { id: randomUUID(), source: link.source, type: link.type, target: link.target, stage: link.stage, date: link.date, note: link.note, tenant_id: link.tenantId, created_by: link.createdBy, created_at: now() };
      await db.insertInto('id_links').values(row).execute();
      return toLink(row);
    },
    async get(id) {
      const r = await db.selectFrom('id_links').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toLink(r) : undefined;
    },
    async delete(id) {
      const r = await db.deleteFrom('id_links').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async of(identifier) {
      const rows = await db
        .selectFrom('id_links')
        .selectAll()
        .where((eb) => eb.or([eb('source', '=', identifier), eb('target', '=', identifier)]))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toLink);
    },
    async touching(identifiers, limit) {
      if (!identifiers.length) return [];
      const ids = [...identifiers];
      const rows = await db
        .selectFrom('id_links')
        .selectAll()
        .where((eb) => eb.or([eb('source', 'in', ids), eb('target', 'in', ids)]))
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toLink);
    },
    async findRelation(source, type, target, inverse) {
      const r = await db
        .selectFrom('id_links')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('source', '=', source), eb('type', '=', type), eb('target', '=', target)]),
            eb.and([eb('source', '=', target), eb('type', '=', inverse), eb('target', '=', source)]),
          ]),
        )
        .executeTakeFirst();
      return r ? toLink(r) : undefined;
    },
  };
}
