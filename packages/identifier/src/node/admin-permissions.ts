import { AdminPermission, type AdminRequest, type HandleValue, ResponseCode, decodeAdmin, decodeValues, decodeVlist, naPrefix } from '@yulian/protocols';
import type { RecordStore } from '../records.js';
import { prefixChain, tryParseIdentifier } from '../syntax.js';
import type { AdminRefusal, ScopedTarget } from './admin-scope.js';

/** Who authenticated: the handle and index of the key they proved they hold. */
export interface AdminIdentity {
  handle: string;
  index: number;
}

/** The normalised form of a handle for comparing admins (the prefix is case-insensitive). */
export const sameHandle = (a: string, b: string): boolean => {
  if (a === b) return true;
  const x = tryParseIdentifier(a);
  const y = tryParseIdentifier(b);
  return typeof x !== 'string' && typeof y !== 'string' && x.handle === y.handle;
};

/** An admin reference names the identity: same handle, same index (index 0: any index of it, as Handle.Net). */
const names = (ref: { handle: string; index: number }, who: AdminIdentity): boolean => (ref.index === 0 || ref.index === who.index) && sameHandle(ref.handle, who.handle);

const isType = (v: HandleValue, type: string): boolean => v.type.toUpperCase() === type;

/** The values of a record this node holds, or undefined. */
async function valuesOf(records: RecordStore, handle: string): Promise<HandleValue[] | undefined> {
  const id = tryParseIdentifier(handle);
  const list = typeof id === 'string' ? undefined : await records.get(id.handle);
  return list === undefined ? undefined : decodeValues(list);
}

/**
 * The HS_ADMIN permission bits `who` holds on a record: the union over its HS_ADMIN values that name
 * them, directly or through an HS_VLIST group one level deep (held on this node). Undefined when no
 * HS_ADMIN value names them at all.
 */
export async function permissionsOf(records: RecordStore, values: readonly HandleValue[], who: AdminIdentity): Promise<number | undefined> {
  let bits: number | undefined;
  for (const v of values) {
    if (!isType(v, 'HS_ADMIN')) continue;
    let admin;
    try {
      admin = decodeAdmin(v.data);
    } catch {
      continue; // a malformed HS_ADMIN grants nothing
    }
    if (names(admin, who) || (await inGroup(records, admin, who))) bits = (bits ?? 0) | admin.permissions;
  }
  return bits;
}

/** Whether the admin reference is an HS_VLIST (on this node) that names `who`. */
async function inGroup(records: RecordStore, ref: { handle: string; index: number }, who: AdminIdentity): Promise<boolean> {
  const values = await valuesOf(records, ref.handle);
  for (const v of values ?? []) {
    if (!isType(v, 'HS_VLIST') || (ref.index !== 0 && v.index !== ref.index)) continue;
    try {
      if (decodeVlist(v.data).some((m) => names(m, who))) return true;
    } catch {
      continue;
    }
  }
  return false;
}

const P = AdminPermission;

/** The permission bits an operation needs, given the values it adds or changes and the record as it is. */
export function neededPermissions(req: AdminRequest, current: readonly HandleValue[]): number {
  const touchesAdmin = (vs: readonly HandleValue[]): boolean => vs.some((v) => isType(v, 'HS_ADMIN'));
  const touchesOther = (vs: readonly HandleValue[]): boolean => vs.some((v) => !isType(v, 'HS_ADMIN'));
  switch (req.op) {
    case 'create':
      return P.ADD_HANDLE;
    case 'delete':
      return P.DELETE_HANDLE;
    case 'list':
      return P.LIST_HANDLES;
    case 'add':
      return (touchesAdmin(req.values) ? P.ADD_ADMIN : 0) | (touchesOther(req.values) ? P.ADD_VALUE : 0);
    case 'modify': {
      const replaced = current.filter((v) => req.values.some((n) => n.index === v.index));
      const all = [...req.values, ...replaced];
      return (touchesAdmin(all) ? P.MODIFY_ADMIN : 0) | (touchesOther(all) ? P.MODIFY_VALUE : 0);
    }
    case 'remove': {
      const removed = current.filter((v) => req.indexes.includes(v.index));
      return (touchesAdmin(removed) ? P.REMOVE_ADMIN : 0) | (touchesOther(removed) || removed.length === 0 ? P.REMOVE_VALUE : 0);
    }
  }
}

/** Names of permission bits, for messages. */
export const permissionNames = (bits: number): string =>
  Object.entries(P)
    .filter(([, b]) => bits & b)
    .map(([n]) => n)
    .join(', ');

/**
 * The record whose HS_ADMIN values decide an operation: the target itself, or for creating a handle
 * or listing a prefix the nearest prefix handle (`0.NA/88.100.1`, else `0.NA/88.100`, …) this node holds.
 */
export async function adminRecordFor(records: RecordStore, req: AdminRequest, target: ScopedTarget): Promise<{ handle: string; values: HandleValue[] } | AdminRefusal> {
  if (req.op === 'create' || req.op === 'list') {
    for (const p of prefixChain(target.prefix).reverse()) {
      const handle = `${naPrefix}/${p}`;
      const values = await valuesOf(records, handle);
      if (values) return { handle, values };
    }
    return { rc: ResponseCode.HANDLE_NOT_FOUND, message: `No prefix handle ${naPrefix}/${target.prefix} here to say who may ${req.op === 'create' ? 'create handles' : 'list'} under it.` };
  }
  const values = await valuesOf(records, target.handle);
  return values ? { handle: target.handle, values } : { rc: ResponseCode.HANDLE_NOT_FOUND, message: `Handle ${target.handle} not found.` };
}
