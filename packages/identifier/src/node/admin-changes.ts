/**
 * The record changes of administration requests over the Handle protocol — the same writes as the HTTP
 * API's (`http/handles-writes.ts`: create with a default HS_ADMIN, add, remove, delete), plus modify.
 */
import { type AdminRequest, type HandleValue, ResponseCode } from '@yulian/protocols';
import { deleteRecord, putRecord, putValues, removeValues } from '../http/handles-writes.js';
import { HandleError, type RecordStore } from '../records.js';
import type { AdminRefusal, ScopedTarget } from './admin-scope.js';

const isSite = (v: Pick<HandleValue, 'type'>): boolean => v.type.toUpperCase().startsWith('HS_SITE');

/**
 * Refuses what the node's configuration owns: prefix handles are created and deleted by `--prefix` and
 * `--delegate` (RC 401), and their HS_SITE / HS_SITE.PREFIX values (where the prefix is served) are
 * rewritten by the node at start. Other values of a prefix handle (admins, keys, groups) may be changed.
 */
export function configurationProblem(req: AdminRequest, target: ScopedTarget, current: readonly HandleValue[]): AdminRefusal | undefined {
  if (target.kind !== 'prefix') return undefined;
  const refuse = (message: string): AdminRefusal => ({ rc: ResponseCode.INSUFFICIENT_PERMISSIONS, message });
  if (req.op === 'create' || req.op === 'delete') return refuse(`Prefix handles are written from the node's configuration (--prefix, --delegate); ${target.handle} cannot be ${req.op}d.`);
  const touched = req.op === 'remove' ? current.filter((v) => req.indexes.includes(v.index)) : req.op === 'list' ? [] : [...req.values, ...current.filter((v) => req.values.some((n) => n.index === v.index))];
  if (touched.some(isSite)) return refuse(`The HS_SITE values of ${target.handle} are written by the node itself.`);
  return undefined;
}

/**
 * Replaces values at their indexes (RFC 3652 §3.7).
 * @throws HandleError RC 100 when the record does not exist, RC 200 when an index has no value
 */
async function modifyValues(records: RecordStore, handle: string, values: readonly HandleValue[], timestamp: number): Promise<void> {
  await records.update(handle, (old) => {
    const absent = values.filter((v) => !old.some((x) => x.index === v.index)).map((v) => v.index);
    if (absent.length) throw new HandleError(ResponseCode.VALUES_NOT_FOUND, `Handle ${handle} has no value at index ${absent.join(', ')} to modify.`);
    return old.map((x) => {
      const next = values.find((v) => v.index === x.index);
      return next ? { ...next, timestamp } : x;
    });
  });
}

/** Carries out a change (not a listing). @throws HandleError with the response code of a failure */
export async function applyChange(records: RecordStore, req: Exclude<AdminRequest, { op: 'list' }>, target: ScopedTarget, options: { overwrite: boolean; seconds: number }): Promise<void> {
  const ctx = { records, seconds: () => options.seconds };
  const duplicate = 'values' in req ? req.values.find((v, i) => req.values.findIndex((x) => x.index === v.index) !== i) : undefined;
  if (duplicate) throw new HandleError(ResponseCode.INVALID_VALUE, `Two values at index ${duplicate.index}.`);
  switch (req.op) {
    case 'create':
      await putRecord(ctx, target.handle, target.prefix, req.values, options.overwrite);
      return;
    case 'add':
      await putValues(ctx, target.handle, req.values, options.overwrite);
      return;
    case 'modify':
      await modifyValues(records, target.handle, req.values, options.seconds);
      return;
    case 'remove':
      await removeValues(ctx, target.handle, req.indexes);
      return;
    case 'delete':
      await deleteRecord(ctx, target.handle);
      return;
  }
}

/** Most handles one listing answers (in messages of {@link listChunk}). */
export const maxListed = 100_000;
export const listChunk = 100;

/** The handles under a prefix, in key order, in chunks (at most {@link maxListed}). */
export async function listChunks(records: RecordStore, prefix: string): Promise<string[][]> {
  const chunks: string[][] = [];
  let after: string | undefined;
  for (let total = 0; total < maxListed; ) {
    const page = await records.list(prefix, { ...(after === undefined ? {} : { after }), limit: 1000 });
    for (let i = 0; i < page.length; i += listChunk) chunks.push(page.slice(i, i + listChunk));
    total += page.length;
    if (page.length < 1000) break;
    after = page[page.length - 1];
  }
  return chunks.length ? chunks : [[]];
}
