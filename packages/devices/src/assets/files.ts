import { createHash } from 'node:crypto';
import { type Scope, YulianError } from '@yulian/core';
import { type Db, newId } from './model.js';

/** The largest floor plan image, bytes. */
export const planMaxBytes = 5 * 1024 * 1024;
/** The largest device document, bytes. */
export const documentMaxBytes = 20 * 1024 * 1024;

/** What a stored file is attached to. */
export type FileOwnerKind = 'device_document' | 'site_plan';

/** A stored file without its bytes. */
export interface StoredFileInfo {
  id: string;
  tenantId: string | null;
  ownerKind: FileOwnerKind;
  ownerId: string;
  name: string;
  category: string;
  contentType: string;
  size: number;
  sha256: string;
  createdBy: string | null;
  createdAt: number;
}

/** A stored file with its bytes. */
export interface StoredFile extends StoredFileInfo {
  data: Buffer;
}

/**
 * The image type of a floor plan, recognised by its first bytes rather than by what the client says:
 * PNG, JPEG, or SVG (an XML text whose root is `<svg`, without scripts).
 * @throws YulianError FILE_TYPE_INVALID
 */
export function planImageType(bytes: Buffer): 'image/png' | 'image/jpeg' | 'image/svg+xml' {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const head = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) {
    // Plans are shown in the console; an SVG that could run script is refused rather than sanitised.
    const text = bytes.toString('utf8');
    if (/<script|\son[a-z]+\s*=|javascript:|<foreignObject/i.test(text)) throw new YulianError('FILE_TYPE_INVALID', 'The SVG contains script, event handlers or foreignObject; export it as a plain drawing.');
    return 'image/svg+xml';
  }
  throw new YulianError('FILE_TYPE_INVALID', 'A floor plan must be a PNG, JPEG or SVG image; these bytes are none of them.');
}

const info = (r: { id: string; tenant_id: string | null; owner_kind: string; owner_id: string; name: string; category: string; content_type: string; size: number; sha256: string; created_by: string | null; created_at: number }): StoredFileInfo => ({
  id: r.id,
  tenantId: r.tenant_id,
  ownerKind: r.owner_kind as FileOwnerKind,
  ownerId: r.owner_id,
  name: r.name,
  category: r.category,
  contentType: r.content_type,
  size: Number(r.size),
  sha256: r.sha256,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
});

const columns = ['id', 'tenant_id', 'owner_kind', 'owner_id', 'name', 'category', 'content_type', 'size', 'sha256', 'created_by', 'created_at'] as const;

/** Files kept in the database (bytea / blob), so that every API node serves the same bytes. */
export interface FileStore {
  put(db: Db, file: { tenantId: string | null; ownerKind: FileOwnerKind; ownerId: string; name: string; category?: string; contentType: string; data: Buffer; createdBy: string | null }): Promise<StoredFileInfo>;
  list(scope: Scope, ownerKind: FileOwnerKind, ownerId: string): Promise<StoredFileInfo[]>;
  /** @throws YulianError FILE_NOT_FOUND, also for another enterprise's file */
  get(scope: Scope, id: string, owner?: { kind: FileOwnerKind; id: string }): Promise<StoredFile>;
  remove(db: Db, id: string): Promise<void>;
}

/** Creates the file store over a database handle. */
export function createFileStore(db: Db, now: () => number): FileStore {
  return {
    async put(tx, f) {
      const row = { id: newId(), tenant_id: f.tenantId, owner_kind: f.ownerKind, owner_id: f.ownerId, name: f.name, category: f.category ?? 'other', content_type: f.contentType, size: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex'), data: f.data, created_by: f.createdBy, created_at: now() };
      await tx.insertInto('files').values(row).execute();
      return info(row);
    },
    async list(scope, ownerKind, ownerId) {
      let q = db.selectFrom('files').select(columns).where('owner_kind', '=', ownerKind).where('owner_id', '=', ownerId);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(info);
    },
    async get(scope, id, owner) {
      let q = db.selectFrom('files').selectAll().where('id', '=', id);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (owner) q = q.where('owner_kind', '=', owner.kind).where('owner_id', '=', owner.id);
      const row = await q.executeTakeFirst();
      if (!row) throw new YulianError('FILE_NOT_FOUND', `No file ${id}.`);
      return { ...info(row), data: Buffer.from(row.data) };
    },
    async remove(tx, id) {
      await tx.deleteFrom('files').where('id', '=', id).execute();
    },
  };
}
