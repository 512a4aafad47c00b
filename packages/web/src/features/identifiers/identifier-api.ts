import type { ApplyPrefix, ApprovePrefix, PrefixAllocationDto, PrefixState } from '@yulian/contracts';
import { ApiError, type CallOptions } from '../../api/client';
import { handleApiError } from './handle-errors';
import type { BulkJob, HandlePage, HandleRecord, IdentifierTemplate, StatsAnswer, TargetsAnswer } from './identifier-types';

/** A reviewer's step on a prefix; `approve` takes a quota, the others a reason (required for reject and suspend). */
export type PrefixStep = 'approve' | 'reject' | 'suspend' | 'resume';

/** Body of a review step. */
export type PrefixStepBody = ApprovePrefix | { reason?: string };

/** A new bulk job: the file goes as the raw body. */
export interface NewBulkJob {
  prefix: string;
  template: string;
  format: 'csv' | 'jsonl';
  body: Blob | string;
}

/** Body of `PUT /api/v1/identifiers/records/{identifier}`. */
export interface RecordBody {
  template: string;
  fields: Record<string, string>;
  url?: string;
}

/** Which statistics to read: UTC days `YYYY-MM-DD` and optionally one prefix (with those under it). */
export interface StatsQuery {
  from?: string;
  to?: string;
  prefix?: string;
}

/** The identifier APIs as the console uses them. */
export interface IdentifierApi {
  /** One page of a prefix's identifiers (`identifier:write`). */
  listHandles(query: { prefix: string; page: number; pageSize: number }, options?: CallOptions): Promise<HandlePage>;
  /** Resolves an identifier; 404 `HANDLE_NOT_FOUND` when it does not exist. */
  getHandle(handle: string, options?: CallOptions): Promise<HandleRecord>;
  /**
   * Creates or changes (replaces the template's values of) an identifier from a template's fields, checked
   * by the server: 400 `ID_FIELDS_INVALID` with `details.problems`, `ID_MALFORMED`; 409 `ID_QUOTA_EXCEEDED`;
   * with `createOnly` (`If-None-Match: *`) an existing identifier is refused, 409 `ID_RECORD_EXISTS`.
   */
  putRecord(handle: string, body: RecordBody, options?: { createOnly?: boolean }): Promise<void>;
  /** Deletes an identifier's record (audited as `identifier.record.delete`). */
  deleteRecord(handle: string): Promise<void>;
  templates(options?: CallOptions): Promise<IdentifierTemplate[]>;
  createBulkJob(job: NewBulkJob): Promise<BulkJob>;
  listBulkJobs(options?: CallOptions): Promise<BulkJob[]>;
  getBulkJob(id: string, options?: CallOptions): Promise<BulkJob>;
  /** A job's per-row report as CSV text: row,column,code,message. */
  bulkErrorsCsv(id: string, options?: CallOptions): Promise<string>;
  listPrefixes(query: { state?: PrefixState }, options?: CallOptions): Promise<PrefixAllocationDto[]>;
  applyPrefix(body: ApplyPrefix): Promise<PrefixAllocationDto>;
  reviewPrefix(prefix: string, step: PrefixStep, body: PrefixStepBody): Promise<PrefixAllocationDto>;
  stats(query: StatsQuery, options?: CallOptions): Promise<StatsAnswer>;
  targets(options?: CallOptions): Promise<TargetsAnswer>;
}

/** Options of {@link createIdentifierApi}. */
export interface IdentifierApiOptions {
  /** The session's bearer token (null when logged out). */
  token: () => string | null;
  baseUrl?: string;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** An identifier as a path: each segment encoded, the slash between prefix and suffix kept. */
export const identifierPath = (handle: string): string => handle.split('/').map(encodeURIComponent).join('/');

interface Call {
  method?: string;
  body?: unknown;
  raw?: { body: Blob | string; type: string };
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
  /** `/api/handles` answers Handle.Net's error bodies. */
  handles?: boolean;
  text?: boolean;
}

async function readError(response: Response, handles: boolean): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (handles) return handleApiError(response.status, body);
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const details = typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : undefined;
    return new ApiError(response.status, error.code, error.message, details);
  }
  return new ApiError(response.status, 'UNKNOWN', `HTTP ${response.status} ${response.statusText}`.trim());
}

/**
 * Creates the identifier API client: bearer token on every call, {@link ApiError} on every failure
 * (Handle.Net's `{responseCode, message}` mapped to a code by {@link handleApiError}).
 *
 * @example
 * const ids = createIdentifierApi({ token: () => api.token() });
 * const record = await ids.getHandle('88.100.1/dev.cnc-01');
 */
export function createIdentifierApi(options: IdentifierApiOptions): IdentifierApi {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function call<T>(path: string, c: Call = {}): Promise<T> {
    const headers: Record<string, string> = { accept: c.text ? 'text/csv' : 'application/json', ...c.headers };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (c.raw) {
      headers['content-type'] = c.raw.type;
      body = c.raw.body;
    } else if (c.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(c.body);
    }
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { method: c.method ?? 'GET', headers, body, signal: c.signal });
    } catch (cause) {
      if (c.signal?.aborted) throw cause;
      throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
    }
    if (!response.ok) throw await readError(response, c.handles === true);
    if (c.text) return (await response.text()) as T;
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  const v1 = '/api/v1/identifiers';
  const items = async <T>(path: string, signal?: AbortSignal): Promise<T[]> => (await call<{ items: T[] }>(path, { signal })).items;

  return {
    listHandles: async ({ prefix, page, pageSize }, o) => {
      const q = new URLSearchParams({ prefix, page: String(page), pageSize: String(pageSize) });
      const answer = await call<Omit<HandlePage, 'totalCount'> & { totalCount: string | number }>(`/api/handles?${q.toString()}`, { signal: o?.signal, handles: true });
      return { ...answer, totalCount: Number(answer.totalCount), handles: answer.handles ?? [] };
    },
    getHandle: (handle, o) => call(`/api/handles/${identifierPath(handle)}`, { signal: o?.signal, handles: true }),
    putRecord: async (handle, body, o) => {
      await call(`${v1}/records/${identifierPath(handle)}`, { method: 'PUT', body, ...(o?.createOnly ? { headers: { 'if-none-match': '*' } } : {}) });
    },
    deleteRecord: async (handle) => {
      await call(`${v1}/records/${identifierPath(handle)}`, { method: 'DELETE' });
    },
    templates: (o) => items(`${v1}/templates`, o?.signal),
    createBulkJob: ({ prefix, template, format, body }) => {
      const q = new URLSearchParams({ prefix, template, format });
      return call(`${v1}/bulk?${q.toString()}`, { method: 'POST', raw: { body, type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' } });
    },
    listBulkJobs: (o) => items(`${v1}/bulk`, o?.signal),
    getBulkJob: (id, o) => call(`${v1}/bulk/${encodeURIComponent(id)}`, { signal: o?.signal }),
    bulkErrorsCsv: (id, o) => call(`${v1}/bulk/${encodeURIComponent(id)}/errors.csv`, { signal: o?.signal, text: true }),
    listPrefixes: (query, o) => items(`${v1}/prefixes${query.state ? `?state=${query.state}` : ''}`, o?.signal),
    applyPrefix: (body) => call(`${v1}/prefixes`, { method: 'POST', body }),
    reviewPrefix: (prefix, step, body) => call(`${v1}/prefixes/${encodeURIComponent(prefix)}/${step}`, { method: 'POST', body }),
    stats: (query, o) => {
      const q = new URLSearchParams();
      if (query.from) q.set('from', query.from);
      if (query.to) q.set('to', query.to);
      if (query.prefix) q.set('prefix', query.prefix);
      const s = q.toString();
      return call(`${v1}/stats${s ? `?${s}` : ''}`, { signal: o?.signal });
    },
    targets: (o) => call(`${v1}/stats/targets`, { signal: o?.signal }),
  };
}
