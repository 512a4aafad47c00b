/**
 * The record changes behind `PUT` and `DELETE /api/handles/…`, each one read-change-write transaction of
 * the record store, with Handle.Net's semantics (create, overwrite, add or replace values, remove values).
 */
import { type HandleValue, ResponseCode, allAdminPermissions, encodeAdmin, handleValue } from '@yulian/protocols';
import { HandleError, type RecordStore } from '../records.js';
import { prefixHandle } from '../syntax.js';

/** Where a new record's default HS_ADMIN goes, and which admin value of the prefix handle it names. */
export const defaultAdminIndex = 100;
export const prefixAdminIndex = 200;

const isAdmin = (v: HandleValue): boolean => v.type.toUpperCase() === 'HS_ADMIN';
const exists = (e: unknown): boolean => e instanceof HandleError && e.rc === ResponseCode.HANDLE_ALREADY_EXISTS;
const missing = (e: unknown): boolean => e instanceof HandleError && e.rc === ResponseCode.HANDLE_NOT_FOUND;

/**
 * The HS_ADMIN a record gets when none is given: the prefix's admins (`0.NA/<prefix>`, index 200) with
 * every permission, at index 100 or the first free index after it. Yulian's choice, so no record is
 * left without an administrator; what Handle.Net's server does with a record lacking one was not checked.
 */
export function defaultAdmin(prefix: string, taken: ReadonlySet<number>, timestamp: number): HandleValue {
  let index = defaultAdminIndex;
  while (taken.has(index)) index++;
  return handleValue(index, 'HS_ADMIN', encodeAdmin({ permissions: allAdminPermissions, handle: prefixHandle(prefix), index: prefixAdminIndex }), { timestamp });
}

/**
 * A record's new values with an administrator: as given when they hold an HS_ADMIN; else the previous
 * record's HS_ADMIN values (those whose index is free); else the default one.
 */
export function withAdmin(values: readonly HandleValue[], prefix: string, previous: readonly HandleValue[], timestamp: number): HandleValue[] {
  if (values.some(isAdmin)) return [...values];
  const taken = new Set(values.map((v) => v.index));
  const kept = previous.filter((v) => isAdmin(v) && !taken.has(v.index));
  return [...values, ...(kept.length ? kept : [defaultAdmin(prefix, taken, timestamp)])];
}

/** What a write needs: the records and the time its values are stamped with (epoch seconds). */
export interface WriteContext {
  records: RecordStore;
  seconds: () => number;
}

const stamped = (values: readonly HandleValue[], timestamp: number): HandleValue[] => values.map((v) => ({ ...v, timestamp }));

/**
 * Creates a record, or replaces it when it exists and `overwrite` is set (Handle.Net's create with
 * OVRW). Values are stamped with the time of the write, whatever timestamp the client sent (Yulian's
 * choice: the node's clock, not the client's, says when a value changed; Handle.Net's was not checked).
 * @throws HandleError RC 101 when it exists and `overwrite` is not set
 */
export async function putRecord(ctx: WriteContext, handle: string, prefix: string, values: readonly HandleValue[], overwrite: boolean): Promise<{ created: boolean }> {
  const ts = ctx.seconds();
  const next = stamped(values, ts);
  // Create first, replace when it exists; the record can vanish or appear in between, so try once more.
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.records.create(handle, withAdmin(next, prefix, [], ts));
      return { created: true };
    } catch (e) {
      if (!exists(e) || !overwrite) throw e;
    }
    try {
      await ctx.records.update(handle, (old) => withAdmin(next, prefix, old, ts));
      return { created: false };
    } catch (e) {
      if (!missing(e) || attempt > 0) throw e;
    }
  }
}

/**
 * Adds values to a record, replacing those at the same indexes when `overwrite` is set.
 * @throws HandleError RC 100 when the record does not exist, RC 201 when a value exists and `overwrite` is not set
 */
export async function putValues(ctx: WriteContext, handle: string, values: readonly HandleValue[], overwrite: boolean): Promise<void> {
  const next = stamped(values, ctx.seconds());
  await ctx.records.update(handle, (old) => {
    const out = [...old];
    for (const v of next) {
      const at = out.findIndex((x) => x.index === v.index);
      if (at < 0) out.push(v);
      else if (overwrite) out[at] = v;
      else throw new HandleError(ResponseCode.VALUE_ALREADY_EXISTS, `Handle ${handle} already has a value at index ${v.index}.`);
    }
    return out;
  });
}

/**
 * Removes the values at some indexes. Removing an index the record does not have is RC 200 (no source
 * for Handle.Net's answer; Yulian refuses rather than succeed without a change).
 * @throws HandleError RC 100 when the record does not exist, RC 200 when an index has no value
 */
export async function removeValues(ctx: WriteContext, handle: string, indexes: readonly number[]): Promise<void> {
  await ctx.records.update(handle, (old) => {
    const absent = indexes.filter((i) => !old.some((v) => v.index === i));
    if (absent.length) throw new HandleError(ResponseCode.VALUES_NOT_FOUND, `Handle ${handle} has no value at index ${absent.join(', ')}.`);
    return old.filter((v) => !indexes.includes(v.index));
  });
}

/**
 * Deletes a record.
 * @throws HandleError RC 100 when it does not exist
 */
export async function deleteRecord(ctx: WriteContext, handle: string): Promise<void> {
  if (!(await ctx.records.delete(handle))) throw new HandleError(ResponseCode.HANDLE_NOT_FOUND, `Handle ${handle} not found.`);
}

/** How many times minting draws a new suffix when the drawn one exists. */
const mintAttempts = 5;

/**
 * Creates a record under a new suffix: `base` (`88.100.1/` or `88.100.1/lot-`) plus a drawn string.
 * `parse` normalises the candidate or throws; `authorize` is asked once, with the first candidate.
 * @throws HandleError RC 101 when every drawn suffix existed
 */
export async function mintRecord(
  ctx: WriteContext,
  request: { base: string; values: readonly HandleValue[]; draw: () => string; parse: (h: string) => { handle: string; prefix: string }; authorize: (handle: string) => Promise<void> },
): Promise<string> {
  const ts = ctx.seconds();
  const next = stamped(request.values, ts);
  for (let attempt = 0; attempt < mintAttempts; attempt++) {
    const id = request.parse(`${request.base}${request.draw()}`);
    if (attempt === 0) await request.authorize(id.handle);
    try {
      await ctx.records.create(id.handle, withAdmin(next, id.prefix, [], ts));
      return id.handle;
    } catch (e) {
      if (!exists(e)) throw e;
    }
  }
  throw new HandleError(ResponseCode.HANDLE_ALREADY_EXISTS, `${mintAttempts} drawn suffixes under ${request.base} all existed.`);
}
