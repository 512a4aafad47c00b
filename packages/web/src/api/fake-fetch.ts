/** One request a {@link fakeFetch} saw. */
export interface FetchCall {
  url: string;
  init: RequestInit | undefined;
}

/**
 * A fetch for API-client tests: records each call and answers `status` with `body` — JSON, or CSV text
 * when a string; nothing for 204. Not part of the console bundle (only tests import it).
 * @example const { fetch, calls } = fakeFetch(200, { items: [] }); await createAlarmApi({ token: () => 't', fetch }).listRules();
 */
export function fakeFetch(status: number, body: unknown): { fetch: typeof globalThis.fetch; calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return Promise.resolve(new Response(status === 204 ? null : text, { status, headers: { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' } }));
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** The headers a recorded call sent, as a plain object. */
export const headersOf = (init: RequestInit | undefined): Record<string, string> => (init?.headers ?? {}) as Record<string, string>;
