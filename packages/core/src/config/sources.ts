/**
 * Where each setting can come from. One row per setting: its dotted key, its environment variable and
 * its CLI flag. Secrets are masked by `--print-config`.
 */
export interface ConfigSource {
  readonly key: string;
  readonly env: string;
  readonly flag: string;
  /** One line for `--help` and the docs. */
  readonly describe: string;
  readonly secret?: boolean;
  /** A switch: `--flag` / `--no-flag` rather than `--flag <value>`. */
  readonly boolean?: boolean;
}

export const configSources: readonly ConfigSource[] = [
  { key: 'http.port', env: 'YULIAN_HTTP_PORT', flag: 'http-port', describe: 'HTTP API and console port (default 8080; 0 = a free port)' },
  { key: 'http.host', env: 'YULIAN_HTTP_HOST', flag: 'http-host', describe: 'listen address (default :: = dual-stack IPv6 and IPv4)' },
  { key: 'http.bodyLimit', env: 'YULIAN_HTTP_BODY_LIMIT', flag: 'http-body-limit', describe: 'largest request body in bytes (default 1048576)' },
  { key: 'dataDir', env: 'YULIAN_DATA_DIR', flag: 'data-dir', describe: 'data directory (default ./data)' },
  { key: 'masterKey', env: 'YULIAN_MASTER_KEY', flag: 'master-key', secret: true, describe: 'SM4 master key (32 hex digits) sealing the data keys of data at rest (default: generated into <dataDir>/master.key)' },
  { key: 'store', env: 'YULIAN_STORE', flag: 'store', secret: true, describe: 'sqlite, or postgres://user:pass@host:5432/db[?schema=name]' },
  { key: 'bus', env: 'YULIAN_BUS', flag: 'bus', secret: true, describe: 'memory, or nats://host:4222 (JetStream)' },
  { key: 'mqtt.port', env: 'YULIAN_MQTT_PORT', flag: 'mqtt-port', describe: 'embedded MQTT broker port (default 1883; a taken port falls back to a free one)' },
  { key: 'mqtt.allowAnonymous', env: 'YULIAN_MQTT_ALLOW_ANONYMOUS', flag: 'mqtt-allow-anonymous', describe: 'let MQTT clients connect to the embedded broker without a token', boolean: true },
  { key: 'mqtt.url', env: 'YULIAN_MQTT_URL', flag: 'mqtt-url', secret: true, describe: 'use an external MQTT broker (mqtt://host:1883) instead of the embedded one' },
  { key: 'handle.port', env: 'YULIAN_HANDLE_PORT', flag: 'handle-port', describe: 'identifier resolution port, Handle protocol over UDP+TCP (default 2641; a taken port falls back to a free one)' },
  { key: 'handle.prefix', env: 'YULIAN_HANDLE_PREFIX', flag: 'handle-prefix', describe: "the prefix of the platform's identifier node (default 88.100)" },
  { key: 'handle.keySecret', env: 'YULIAN_ID_KEY_SECRET', flag: 'id-key-secret', secret: true, describe: 'SM4 key (32 hex digits) sealing record-signing keys (default: generated and kept in the store)' },
  { key: 'opcua.port', env: 'YULIAN_OPCUA_PORT', flag: 'opcua-port', describe: 'northbound OPC UA server port (default 4840)' },
  { key: 'opcua.allowAnonymous', env: 'YULIAN_OPCUA_ALLOW_ANONYMOUS', flag: 'opcua-allow-anonymous', describe: 'let anonymous OPC UA sessions connect (they see no device and never write)', boolean: true },
  { key: 'demo', env: 'YULIAN_DEMO', flag: 'demo', describe: 'seed the demo enterprises and users', boolean: true },
  { key: 'auth.adminPassword', env: 'YULIAN_ADMIN_PASSWORD', flag: 'admin-password', secret: true, describe: 'bootstrap admin password (used only when admin does not exist yet)' },
  { key: 'auth.tokenSecret', env: 'YULIAN_TOKEN_SECRET', flag: 'token-secret', secret: true, describe: 'HMAC key for session tokens, at least 32 characters (default: generated and kept in the store)' },
  { key: 'auth.tokenTtlMinutes', env: 'YULIAN_TOKEN_TTL_MINUTES', flag: 'token-ttl-minutes', describe: 'session token lifetime in minutes (default 720)' },
  { key: 'auth.lockoutThreshold', env: 'YULIAN_LOCKOUT_THRESHOLD', flag: 'lockout-threshold', describe: 'consecutive failed logins that lock an account (default 5)' },
  { key: 'auth.lockoutMinutes', env: 'YULIAN_LOCKOUT_MINUTES', flag: 'lockout-minutes', describe: 'how long a locked account stays locked, minutes (default 15)' },
  { key: 'auth.loginRatePerMinute', env: 'YULIAN_LOGIN_RATE_PER_MINUTE', flag: 'login-rate-per-minute', describe: 'login attempts per client address per minute (default 20)' },
  { key: 'security.captureDir', env: 'YULIAN_CAPTURE_DIR', flag: 'capture-dir', describe: 'watched folder for pcap/pcapng captures, one subfolder per enterprise code (default <data-dir>/captures)' },
  { key: 'security.captureMaxBytes', env: 'YULIAN_CAPTURE_MAX_BYTES', flag: 'capture-max-bytes', describe: 'largest capture file accepted, bytes (default 4294967296)' },
  { key: 'security.rulesDir', env: 'YULIAN_SECURITY_RULES_DIR', flag: 'security-rules-dir', describe: 'folder of extra detection rule files, *.yaml (default <data-dir>/security-rules)' },
  { key: 'security.incidentLevel', env: 'YULIAN_INCIDENT_LEVEL', flag: 'incident-level', describe: 'security events at or above this level (0–15) open an incident (default 10)' },
  { key: 'security.activeResponse', env: 'YULIAN_ACTIVE_RESPONSE', flag: 'active-response', describe: "block an attacking source at the gateway's Modbus guards for a time", boolean: true },
  { key: 'security.blockLevel', env: 'YULIAN_BLOCK_LEVEL', flag: 'block-level', describe: 'events at or above this level trigger the active response (default 12)' },
  { key: 'security.blockSeconds', env: 'YULIAN_BLOCK_SECONDS', flag: 'block-seconds', describe: 'how long an active-response block lasts, seconds (default 600)' },
  { key: 'telemetry.rawDays', env: 'YULIAN_RETENTION_RAW_DAYS', flag: 'retention-raw-days', describe: 'days raw samples are kept (default 30)' },
  { key: 'telemetry.minuteDays', env: 'YULIAN_RETENTION_1M_DAYS', flag: 'retention-1m-days', describe: 'days 1-minute rollups are kept (default 400)' },
  { key: 'telemetry.hourDays', env: 'YULIAN_RETENTION_1H_DAYS', flag: 'retention-1h-days', describe: 'days 1-hour rollups are kept (default 3660)' },
  { key: 'notifications.retryBaseMs', env: 'YULIAN_NOTIFY_RETRY_BASE_MS', flag: 'notify-retry-base-ms', describe: 'first retry delay of a failing notification, ms; doubles each time with jitter (default 5000)' },
  { key: 'notifications.maxAttempts', env: 'YULIAN_NOTIFY_MAX_ATTEMPTS', flag: 'notify-max-attempts', describe: 'attempts before a notification is dead-lettered (default 8)' },
  { key: 'notifications.perDevice', env: 'YULIAN_NOTIFY_DEVICE_LIMIT', flag: 'notify-device-limit', describe: 'alarms of one device that notify within 10 minutes (default 20)' },
  { key: 'notifications.perRule', env: 'YULIAN_NOTIFY_RULE_LIMIT', flag: 'notify-rule-limit', describe: 'alarms of one rule that notify within 10 minutes (default 100)' },
  { key: 'notifications.perRecipient', env: 'YULIAN_NOTIFY_FLOOD_LIMIT', flag: 'notify-flood-limit', describe: 'alarms notified to one user (all their channels) within 10 minutes before one flood summary replaces the rest (default 10)' },
  { key: 'log.level', env: 'YULIAN_LOG_LEVEL', flag: 'log-level', describe: 'fatal, error, warn, info, debug, trace or silent (default info)' },
];
