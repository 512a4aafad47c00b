import { ResponseCode } from '@yulian/protocols';

type ResponseCodeName = keyof typeof ResponseCode;

/**
 * The HTTP status of each Handle response code, as Handle.Net's HTTP API answers it
 * (`BaseHandleRequestProcessingServlet.statusCodeFromResponse`), exhaustive so that a new code cannot be
 * added without its status. Where Handle.Net falls through to 500, the authentication codes it does not
 * list (405, 406 and the national 407, 408, 3001) answer 403, as the reference table's "other 40x → 403".
 */
const statusOf: Record<ResponseCodeName, number> = {
  RESERVED: 500,
  // 201 when a request created (see httpStatusOf).
  SUCCESS: 200,
  ERROR: 500,
  SERVER_TOO_BUSY: 503,
  PROTOCOL_ERROR: 400,
  OPERATION_NOT_SUPPORTED: 501,
  RECURSION_COUNT_TOO_HIGH: 500,
  // Handle.Net names it RC_SERVER_BACKUP and answers 503: the service is there, writes are not.
  SERVER_READ_ONLY: 503,
  HANDLE_NOT_FOUND: 404,
  HANDLE_ALREADY_EXISTS: 409,
  INVALID_HANDLE: 400,
  // 200 for a resolution (the handle exists, no value matched); 400 for a change naming absent values.
  VALUES_NOT_FOUND: 400,
  VALUE_ALREADY_EXISTS: 409,
  INVALID_VALUE: 400,
  OUT_OF_DATE_SITE_INFO: 500,
  SERVER_NOT_RESP: 400,
  SERVICE_REFERRAL: 300,
  PREFIX_REFERRAL: 300,
  INVALID_ADMIN: 403,
  INSUFFICIENT_PERMISSIONS: 403,
  AUTHENTICATION_NEEDED: 401,
  AUTHENTICATION_FAILED: 403,
  INVALID_CREDENTIAL: 403,
  AUTHEN_TIMEOUT: 403,
  UNABLE_TO_AUTHENTICATE: 403,
  RELOGIN: 403,
  LOGIN_FIRST: 403,
  SESSION_TIMEOUT: 500,
  SESSION_FAILED: 500,
  NO_SESSION_KEY: 500,
  SESSION_NO_SUPPORT: 500,
  SESSION_KEY_INVALID: 500,
  TRYING: 500,
  CREDENTIAL_VERIFY_FAILED: 403,
};

const byCode = new Map<number, number>(Object.entries(ResponseCode).map(([name, rc]) => [rc, statusOf[name as ResponseCodeName]]));

/** What the status depends on besides the response code. */
export interface StatusContext {
  /** A resolution (GET of one handle): RC 200 "values not found" is then a 200. */
  resolution?: boolean;
  /** The request created something (a handle, or values with overwrite=false): RC 1 is then a 201. */
  created?: boolean;
}

/**
 * The HTTP status a Handle response code answers with; unknown codes (from another node) are 500.
 * @example httpStatusOf(100) // 404
 */
export function httpStatusOf(rc: number, context: StatusContext = {}): number {
  if (rc === ResponseCode.SUCCESS) return context.created ? 201 : 200;
  if (rc === ResponseCode.VALUES_NOT_FOUND && context.resolution) return 200;
  return byCode.get(rc) ?? 500;
}
