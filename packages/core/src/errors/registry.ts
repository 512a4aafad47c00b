/**
 * The one error registry. Every code has an HTTP status and a default message; `docs/errors.md`
 * lists the same rows and a test keeps the two in step. Adding a code without its row fails to compile.
 */
export const errorRegistry = {
  // Generic HTTP-level errors
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  VALIDATION_FAILED: { status: 400, message: 'The request body, query or parameters do not match the schema.' },
  UNAUTHENTICATED: { status: 401, message: 'A valid bearer token is required.' },
  TOKEN_EXPIRED: { status: 401, message: 'The token has expired; log in again.' },
  TOKEN_REVOKED: { status: 401, message: 'The token has been revoked; log in again.' },
  INVALID_CREDENTIALS: { status: 401, message: 'Username or password is wrong.' },
  CURRENT_PASSWORD_WRONG: { status: 400, message: 'The current password is wrong.' },
  ACCOUNT_LOCKED: { status: 423, message: 'The account is locked after repeated failed logins; try again later.' },
  ACCOUNT_DISABLED: { status: 403, message: 'The account is disabled.' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this action.' },
  NOT_FOUND: { status: 404, message: 'No such resource.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route.' },
  CONFLICT: { status: 409, message: 'The resource conflicts with an existing one.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than the limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The content type is not supported.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down.' },
  INTERNAL: { status: 500, message: 'An internal error occurred; it has been logged.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is not ready or is shutting down.' },
  // Domain errors
  ENTERPRISE_NOT_FOUND: { status: 404, message: 'No such enterprise.' },
  ENTERPRISE_EXISTS: { status: 409, message: 'An enterprise with this code already exists.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  USER_EXISTS: { status: 409, message: 'A user with this username already exists.' },
  API_TOKEN_NOT_FOUND: { status: 404, message: 'No such API token.' },
  ROLE_NOT_ASSIGNABLE: { status: 403, message: 'Your role cannot grant this role.' },
  TENANT_REQUIRED: { status: 400, message: 'This role belongs to an enterprise; give tenantId.' },
  DEVICE_NOT_FOUND: { status: 404, message: 'No such device.' },
  TIME_RANGE_INVALID: { status: 400, message: 'The time range is inverted, not a time, or longer than the limit.' },
  GATEWAY_NOT_FOUND: { status: 404, message: 'No such gateway.' },
  GATEWAY_EXISTS: { status: 409, message: 'A gateway with this id already exists.' },
  GATEWAY_TOKEN_INVALID: { status: 401, message: 'The gateway token is unknown or has been replaced; register the gateway again.' },
  DEVICE_EXISTS: { status: 409, message: 'A device with this id already exists.' },
  DEVICE_CONFIG_INVALID: { status: 400, message: 'The device configuration does not match the schema of its protocol.' },
  // Assets, profiles and lifecycle
  ASSET_NODE_NOT_FOUND: { status: 404, message: 'No such site, workshop or line.' },
  ASSET_NODE_EXISTS: { status: 409, message: 'A site, workshop or line with this code already exists in the enterprise.' },
  ASSET_NODE_NOT_EMPTY: { status: 409, message: 'The site, workshop or line still holds areas or devices; move or remove them first.' },
  ASSET_PLACEMENT_INVALID: { status: 400, message: 'The placement does not fit the asset tree: an area must lie under the site, a position needs a site, and x and y are fractions from 0 to 1.' },
  PROFILE_NOT_FOUND: { status: 404, message: 'No such device profile.' },
  PROFILE_EXISTS: { status: 409, message: 'A device profile with this name already exists in the enterprise.' },
  LIFECYCLE_TRANSITION_INVALID: { status: 409, message: 'The device cannot move from its lifecycle state to that one; see docs/api.md, Lifecycle.' },
  CSV_INVALID: { status: 400, message: 'The CSV cannot be read: no header row, an unknown or repeated column, an unclosed quote, or too many rows.' },
  IMPORT_ROWS_INVALID: { status: 422, message: 'Some rows are invalid, so nothing was imported; details list every bad row. Send mode valid-rows to import the others.' },
  FILE_NOT_FOUND: { status: 404, message: 'No such document or floor plan.' },
  FILE_TYPE_INVALID: { status: 415, message: 'The file type is not accepted: floor plans must be PNG, JPEG or SVG, recognised by their first bytes.' },
  // Device protocols
  MODBUS_TIMEOUT: { status: 504, message: 'The Modbus device did not answer in time.' },
  MODBUS_EXCEPTION: { status: 502, message: 'The Modbus device answered with an exception.' },
  MODBUS_BAD_FRAME: { status: 502, message: 'The Modbus device sent a malformed answer.' },
  MODBUS_UNREACHABLE: { status: 502, message: 'The Modbus device cannot be reached.' },
  MODBUS_QUEUE_FULL: { status: 503, message: 'Too many requests are waiting for this Modbus device.' },
  NOT_SUPPORTED: { status: 400, message: 'The device or its driver does not support this operation.' },
  DEVICE_OFFLINE: { status: 503, message: 'The device is offline; try again when it is back.' },
  MQTT_UNAVAILABLE: { status: 503, message: 'The MQTT broker cannot be reached.' },
  OPCUA_UNREACHABLE: { status: 502, message: 'The OPC UA server cannot be reached or refused the session.' },
  OPCUA_UNTRUSTED_CERTIFICATE: { status: 502, message: 'The OPC UA server certificate is not trusted by the gateway; move it from rejected/ to trusted/certs/.' },
  OPCUA_BAD_STATUS: { status: 502, message: 'The OPC UA server answered with a bad status code.' },
  VALUE_OUT_OF_RANGE: { status: 400, message: 'The value does not fit the point.' },
  // Remote control
  POINT_NOT_FOUND: { status: 404, message: 'The device has no such point.' },
  ACTION_NOT_FOUND: { status: 404, message: 'The device has no such named action.' },
  POINT_NOT_WRITABLE: { status: 409, message: 'The point is read-only; commands cannot write it.' },
  COMMAND_VALUE_INVALID: { status: 400, message: 'The value does not match the point’s data type.' },
  CONFIRMATION_REQUIRED: { status: 428, message: 'The point or action is critical; send the command again with "confirm": true.' },
  COMMAND_RATE_LIMITED: { status: 429, message: 'The point was commanded moments ago; wait for its minimum command interval.' },
  GATEWAY_OFFLINE: { status: 503, message: 'The device’s gateway is not connected to the platform; the command was not sent.' },
  // Console dashboards
  DASHBOARD_NOT_FOUND: { status: 404, message: 'No such dashboard.' },
  // Live values (WebSocket /api/v1/live)
  LIVE_MESSAGE_INVALID: { status: 400, message: 'The live message is not JSON or not a known message; see docs/api.md, Live values.' },
  UPGRADE_REQUIRED: { status: 426, message: 'This endpoint speaks WebSocket only; connect with a WebSocket client.' },
  // Configuration and infrastructure
  CONFIG_INVALID: { status: 500, message: 'The configuration is invalid.' },
  STORE_UNAVAILABLE: { status: 503, message: 'The store cannot be reached.' },
  STORE_APPEND_ONLY: { status: 500, message: 'The audit log is append-only.' },
  BUS_UNAVAILABLE: { status: 503, message: 'The message bus cannot be reached.' },
  BUS_CLOSED: { status: 503, message: 'The message bus has been closed.' },
  BUS_PAYLOAD_INVALID: { status: 400, message: 'The message payload is not valid for its subject.' },
  // Commercial cryptography (SM2/SM3/SM4)
  CRYPTO_INPUT_INVALID: { status: 400, message: 'A key, signature or ciphertext is malformed: wrong length, not on the curve, or not valid DER or PEM.' },
  CRYPTO_TAG_INVALID: { status: 400, message: 'The encrypted data does not authenticate: wrong key or associated data, or it was altered or truncated.' },
  // Identifier registration (bulk jobs and templates)
  ID_TEMPLATE_UNKNOWN: { status: 400, message: 'No such identifier template; GET /api/v1/identifiers/templates lists them.' },
  ID_BULK_FILE_INVALID: { status: 400, message: 'The bulk registration file cannot be read: no header row, an unknown or repeated column, no suffix or identifier column, or not UTF-8 CSV or JSONL.' },
  ID_BULK_JOB_NOT_FOUND: { status: 404, message: 'No such bulk registration job.' },
  ID_STATS_NODE_LOCAL: { status: 409, message: 'The statistics report names a node this platform counts itself; only a child node’s own figures may be reported.' },
  // Traceability (identifier links, the public page /r and QR codes)
  ID_MALFORMED: { status: 400, message: 'The identifier is not valid (details.problem names how: ID_NO_SUFFIX, ID_PREFIX_CHARACTER …); an identifier is <prefix>/<suffix>, e.g. 88.100.1/ABC-001.' },
  ID_UNRESOLVABLE: { status: 404, message: 'The identifier does not resolve: no node of the hierarchy holds a record for it.' },
  ID_LINK_INVALID: { status: 400, message: 'The link does not fit its type: an event needs a stage (design, production, service) and a date YYYY-MM-DD, other types need a target and no stage, and an identifier cannot link to itself.' },
  ID_LINK_EXISTS: { status: 409, message: 'The same relation between these identifiers exists already (asserted from either side).' },
  ID_LINK_NOT_FOUND: { status: 404, message: 'No such identifier link (or it belongs to another enterprise’s identifier).' },
  ID_LINK_SOURCE_REMOTE: { status: 409, message: 'The identifier’s record is held by a node outside this platform, so links cannot be published on it here; create the link from the other identifier.' },
  // Identifier records by template, and their signing keys
  ID_FIELDS_INVALID: { status: 400, message: 'The fields do not fit the template: details.problems lists each field with its code (REQUIRED, TOO_LONG, INVALID_DATE, NOT_A_NUMBER, INVALID_URL, INVALID_VALUE, UNKNOWN_FIELD).' },
  ID_RECORD_NOT_FOUND: { status: 404, message: 'No record of that identifier on the platform’s nodes (or it lies under another enterprise’s prefix).' },
  ID_RECORD_EXISTS: { status: 409, message: 'The identifier is registered already (a create-only write: If-None-Match: *).' },
  ID_KEY_NOT_FOUND: { status: 404, message: 'No such signing key of that prefix.' },
  ID_QUOTA_EXCEEDED: { status: 409, message: 'The prefix holds its quota of identifiers already; a registrar can raise it (PUT /api/v1/identifiers/prefixes/{prefix}/quota).' },
  ID_NO_TOP_NODE: { status: 409, message: 'This platform runs no top-level identifier node, so it allocates no secondary node prefixes; apply to the top-level node’s operator.' },
  ID_RECORD_REMOTE: { status: 409, message: 'The identifier lies under a prefix delegated to a node outside this platform: change it on that node.' },
  // Alarms
  ALARM_NOT_FOUND: { status: 404, message: 'No such alarm (or it belongs to another enterprise).' },
  ALARM_RULE_NOT_FOUND: { status: 404, message: 'No such alarm rule (or it belongs to another enterprise).' },
  ALARM_RULE_INVALID: { status: 400, message: 'The alarm rule is not valid: details.field names what, and for an expression details.position the character where it goes wrong and details.problem why (UNEXPECTED_TOKEN, UNKNOWN_FUNCTION, TYPE_MISMATCH …).' },
  // Enterprise prefixes (application, review, allocation)
  PREFIX_NOT_FOUND: { status: 404, message: 'No such prefix or prefix application (or it belongs to another enterprise).' },
  PREFIX_TAKEN: { status: 409, message: 'The prefix is allocated or applied for already; ask for another code or leave it out to get the next free number.' },
  PREFIX_APPLICATION_PENDING: { status: 409, message: 'The enterprise has an application under review; wait for its decision before applying again.' },
  PREFIX_STATE_INVALID: { status: 409, message: 'The prefix is not in a state that allows this step (details name from and to); see docs/api.md, Enterprise prefixes.' },
  CREDIT_CODE_INVALID: { status: 400, message: 'The unified social credit code (统一社会信用代码) is not valid: 18 characters of GB 32100-2015 with a matching check character.' },
  // Analytics (issue 6)
  DIAGNOSIS_INPUT_INVALID: { status: 400, message: 'The vibration burst or machine data cannot be diagnosed: empty, not finite, a sample rate or shaft speed out of range, or too short for the frequency resolution needed; the message says which.' },
  // Equipment analytics (remaining useful life)
  MODEL_INVALID: { status: 400, message: 'The model file is corrupted, truncated, altered or of another format version; train it again (yulian analytics train-rul).' },
  TRAINING_DATA_INVALID: { status: 400, message: 'The training or test data cannot be read: details name the line and the reason.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A registered error code such as `DEVICE_NOT_FOUND`. */
export type ErrorCode = keyof typeof errorRegistry;

/** The HTTP status of an error code. */
export const statusOf = (code: ErrorCode): number => errorRegistry[code].status;
