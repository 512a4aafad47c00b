/** What each `/api/handles` route does, given the node's backends; the plugin (handles-api.ts) wires them. */
import { ResponseCode, naPrefix } from '@yulian/protocols';
import type { FastifyRequest } from 'fastify';
import type { ResolutionBackend } from '../node/backend.js';
import { HandleError, type RecordStore } from '../records.js';
import { identifierProblems, parsePrefix, tryParseIdentifier } from '../syntax.js';
import { handleValuesToJson } from './handle-json.js';
import type { Answer } from './handles-answer.js';
import { valuesOfBody } from './handles-body.js';
import { listPage } from './handles-list.js';
import { queryAll, queryFirst, queryOf, readFlag, readIndexes, readPaging } from './handles-request.js';
import { type WriteContext, deleteRecord, mintRecord, putRecord, putValues, removeValues } from './handles-writes.js';

/** What a change does, as the authorize callback is told: PUT of a new handle, PUT of values or of an existing handle, DELETE of a handle, a listing. */
export type HandlesOperation = 'create' | 'modify' | 'delete' | 'list';

/** What the routes work with. */
export interface RouteDeps {
  backend: ResolutionBackend;
  /** Absent on a read-only node. */
  records: RecordStore | undefined;
  /** Passes, or throws the refusal's answer. */
  allow: (request: FastifyRequest, operation: HandlesOperation, target: string) => Promise<void>;
  seconds: () => number;
  draw: () => string;
}

const emptyHandle = (): HandleError => new HandleError(ResponseCode.INVALID_HANDLE, 'Empty handle invalid');

/** An identifier, normalised, or RC 102 with the syntax problem's code in the message. */
function parse(handle: string): { handle: string; prefix: string } {
  const id = tryParseIdentifier(handle);
  if (typeof id === 'string') throw new HandleError(ResponseCode.INVALID_HANDLE, `${id}: ${identifierProblems[id]}`);
  return id;
}

function writable(deps: RouteDeps): WriteContext {
  if (!deps.records) throw new HandleError(ResponseCode.SERVER_READ_ONLY, 'This node is read-only: it answers resolutions and keeps no records to change.');
  return { records: deps.records, seconds: deps.seconds };
}

/** `GET /api/handles?prefix=&page=&pageSize=`. */
export async function listHandles(deps: RouteDeps, request: FastifyRequest): Promise<Answer> {
  const q = queryOf(request);
  const given = queryFirst(q, 'prefix');
  if (given === undefined) throw emptyHandle();
  if (!deps.records) throw new HandleError(ResponseCode.OPERATION_NOT_SUPPORTED, 'This node keeps no records to list.');
  const paging = readPaging(q);
  // Handle.Net lists by the prefix handle (0.NA/88.100.1); the bare prefix is taken too.
  const prefix = parsePrefix(given.toUpperCase().startsWith(`${naPrefix}/`) ? given.slice(naPrefix.length + 1) : given);
  await deps.allow(request, 'list', prefix);
  const { totalCount, handles } = await listPage(deps.records, prefix, paging);
  // The prefix as given, totalCount a string, page and pageSize only when paged: as Handle.Net writes them.
  return { rc: ResponseCode.SUCCESS, body: { prefix: given, totalCount: String(totalCount), ...(paging ?? {}), handles } };
}

/** `GET /api/handles/{handle}?type=&index=` (and the listing when the path names no handle). */
export async function getHandle(deps: RouteDeps, request: FastifyRequest, handle: string): Promise<Answer> {
  if (!handle) return listHandles(deps, request);
  const q = queryOf(request);
  // auth, publicOnly, pretty, callback: ignored; a node answers public values only.
  const answer = await deps.backend.resolve(handle, { indexes: readIndexes(queryAll(q, 'index')), types: queryAll(q, 'type') });
  if (answer.rc === ResponseCode.SUCCESS) {
    // Yulian's addition (Handle.Net clients ignore it): how the record's SM2 signature checked out.
    const signature = answer.signature ? { signature: answer.signature } : {};
    return { rc: answer.rc, body: { handle: answer.handle, values: handleValuesToJson(answer.values ?? []), ...signature } };
  }
  const message = answer.message ?? `Response code ${answer.rc}`;
  // Handle.Net adds an empty list of values to RC 200 and answers it 200: the handle exists.
  if (answer.rc === ResponseCode.VALUES_NOT_FOUND) return { rc: answer.rc, body: { handle: answer.handle, message, values: [] }, resolution: true };
  return { rc: answer.rc, body: { handle: answer.handle, message } };
}

/** `PUT …?mintNewSuffix=true`: a new handle under `88.100.1/` (or `88.100.1/lot-`) plus a drawn suffix. */
async function mintHandle(deps: RouteDeps, request: FastifyRequest, handle: string, w: WriteContext): Promise<Answer> {
  if (queryAll(queryOf(request), 'index').length) throw new HandleError(ResponseCode.PROTOCOL_ERROR, 'mintNewSuffix creates a handle: it does not go with index=.');
  const values = valuesOfBody(request.body, handle);
  const base = handle.includes('/') ? handle : `${handle}/`;
  const minted = await mintRecord(w, { base, values, draw: deps.draw, parse, authorize: (h) => deps.allow(request, 'create', h) });
  return { rc: ResponseCode.SUCCESS, body: { handle: minted }, created: true };
}

/**
 * `PUT /api/handles/{handle}`: create or replace the handle (overwrite defaults to true, as Handle.Net's),
 * or with `index=` add or replace those values. RC 1 is 201 when the handle was created or overwrite=false.
 */
export async function putHandle(deps: RouteDeps, request: FastifyRequest, handle: string): Promise<Answer> {
  const w = writable(deps);
  if (!handle) throw emptyHandle();
  const q = queryOf(request);
  const overwrite = readFlag(q, 'overwrite') ?? true;
  if (readFlag(q, 'mintNewSuffix')) return mintHandle(deps, request, handle, w);
  const id = parse(handle);
  const values = valuesOfBody(request.body, id.handle);
  const indexParams = queryAll(q, 'index');
  if (indexParams.length) {
    // index=various: the values given, whatever their indexes; else exactly the indexes named.
    if (indexParams[0] !== 'various') {
      const named = new Set(readIndexes(indexParams));
      const given = new Set(values.map((v) => v.index));
      if (named.size !== given.size || [...named].some((i) => !given.has(i))) throw new HandleError(ResponseCode.PROTOCOL_ERROR, 'Mismatched indexes: index= must name exactly the indexes of the values given.');
    }
    await deps.allow(request, 'modify', id.handle);
    await putValues(w, id.handle, values, overwrite);
    return { rc: ResponseCode.SUCCESS, body: { handle: id.handle }, created: !overwrite };
  }
  const existed = (await w.records.get(id.handle)) !== undefined;
  await deps.allow(request, existed ? 'modify' : 'create', id.handle);
  if (existed && !overwrite) throw new HandleError(ResponseCode.HANDLE_ALREADY_EXISTS, `Handle ${id.handle} already exists.`);
  const { created } = await putRecord(w, id.handle, id.prefix, values, overwrite);
  return { rc: ResponseCode.SUCCESS, body: { handle: id.handle }, created: created || !overwrite };
}

/** `DELETE /api/handles/{handle}`, or with `index=` only those values. */
export async function deleteHandle(deps: RouteDeps, request: FastifyRequest, handle: string): Promise<Answer> {
  const w = writable(deps);
  if (!handle) throw emptyHandle();
  const id = parse(handle);
  const indexes = readIndexes(queryAll(queryOf(request), 'index'));
  if (indexes.length) {
    await deps.allow(request, 'modify', id.handle);
    await removeValues(w, id.handle, indexes);
  } else {
    await deps.allow(request, 'delete', id.handle);
    await deleteRecord(w, id.handle);
  }
  return { rc: ResponseCode.SUCCESS, body: { handle: id.handle } };
}
