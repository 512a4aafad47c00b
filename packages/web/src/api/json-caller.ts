import { ApiError, toApiError } from './client';

/** Options of {@link createJsonCaller}. */
export interface JsonCallerOptions {
  /** The session's bearer token (null when logged out). */
  token: () => string | null;
  baseUrl?: string;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** One call: method (default GET), JSON body, abort signal. */
export interface JsonCall {
  method?: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** What {@link createJsonCaller} gives a feature's API client. */
export interface JsonCaller {
  /** Calls `path` (from the site root, e.g. `/api/v1/work-orders`); rejects with an {@link ApiError}. */
  call<T>(path: string, c?: JsonCall): Promise<T>;
  /** GETs a list answered as `{ items }`. */
  items<T>(path: string, signal?: AbortSignal): Promise<T[]>;
}

/**
 * The JSON calls a feature's API client is made of: bearer token on every call, {@link ApiError} on every
 * failure (a network failure is `NETWORK`), 204 answered as undefined.
 *
 * @example
 * const { call, items } = createJsonCaller({ token: () => api.token() });
 * const orders = await items<WorkOrder>('/api/v1/work-orders?status=openish');
 */
export function createJsonCaller(options: JsonCallerOptions): JsonCaller {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  async function call<T>(path: string, c: JsonCall = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { method: c.method ?? 'GET', headers, body: c.body === undefined ? undefined : JSON.stringify(c.body), signal: c.signal });
    } catch (cause) {
      if (c.signal?.aborted) throw cause;
      throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
    }
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  return { call, items: async <T>(path: string, signal?: AbortSignal) => (await call<{ items: T[] }>(path, { signal })).items };
}
