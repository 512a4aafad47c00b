import { ApiError } from '../../api/client';

/**
 * Handle.Net's `/api/handles` answers `{responseCode, message}` instead of Yulian's `{error:{code}}`.
 * Its response codes, as the console names them (an `error.<CODE>` message each).
 */
const codeOfResponse: Readonly<Record<number, string>> = {
  2: 'HANDLE_SERVER_ERROR',
  3: 'SERVICE_UNAVAILABLE',
  100: 'HANDLE_NOT_FOUND',
  101: 'HANDLE_ALREADY_EXISTS',
  102: 'HANDLE_INVALID',
  200: 'HANDLE_VALUES_NOT_FOUND',
  201: 'HANDLE_VALUE_EXISTS',
  202: 'HANDLE_VALUE_INVALID',
  402: 'UNAUTHENTICATED',
  400: 'FORBIDDEN',
  401: 'FORBIDDEN',
};

/**
 * The error of a failed `/api/handles` answer: the code the message starts with when it names one
 * (`ID_SUFFIX_EMPTY: …`, `ID_QUOTA_EXCEEDED: …`), else the name of the response code.
 *
 * @example
 * handleApiError(404, { responseCode: 100, message: 'Handle not found' }).code // 'HANDLE_NOT_FOUND'
 */
export function handleApiError(status: number, body: unknown): ApiError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const rc = typeof record['responseCode'] === 'number' ? record['responseCode'] : undefined;
  const message = typeof record['message'] === 'string' ? record['message'] : `HTTP ${status}`;
  const named = /^([A-Z][A-Z0-9_]{2,}): /.exec(message)?.[1];
  const code = named ?? (rc === undefined ? undefined : codeOfResponse[rc]) ?? (status >= 500 ? 'UNKNOWN' : `HANDLE_RC_${rc ?? status}`);
  return new ApiError(status, code, message, rc === undefined ? undefined : { responseCode: rc });
}
