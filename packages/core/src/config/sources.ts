/**
 * Where each setting can come from. One row per setting: its dotted key, its environment variable and
 * its CLI flag. Secrets are masked by `--print-config`.
 */
export interface ConfigSource {
  readonly key: string;
  readonly env: string;
  readonly flag: string;
  readonly secret?: boolean;
}

export const configSources: readonly ConfigSource[] = [
  { key: 'http.port', env: 'YULIAN_HTTP_PORT', flag: 'http-port' },
  { key: 'http.host', env: 'YULIAN_HTTP_HOST', flag: 'http-host' },
  { key: 'http.bodyLimit', env: 'YULIAN_HTTP_BODY_LIMIT', flag: 'http-body-limit' },
  { key: 'dataDir', env: 'YULIAN_DATA_DIR', flag: 'data-dir' },
  { key: 'store', env: 'YULIAN_STORE', flag: 'store', secret: true },
  { key: 'bus', env: 'YULIAN_BUS', flag: 'bus', secret: true },
  { key: 'mqtt.port', env: 'YULIAN_MQTT_PORT', flag: 'mqtt-port' },
  { key: 'mqtt.url', env: 'YULIAN_MQTT_URL', flag: 'mqtt-url', secret: true },
  { key: 'handle.port', env: 'YULIAN_HANDLE_PORT', flag: 'handle-port' },
  { key: 'opcua.port', env: 'YULIAN_OPCUA_PORT', flag: 'opcua-port' },
  { key: 'demo', env: 'YULIAN_DEMO', flag: 'demo' },
  { key: 'auth.adminPassword', env: 'YULIAN_ADMIN_PASSWORD', flag: 'admin-password', secret: true },
  { key: 'auth.tokenSecret', env: 'YULIAN_TOKEN_SECRET', flag: 'token-secret', secret: true },
  { key: 'auth.tokenTtlMinutes', env: 'YULIAN_TOKEN_TTL_MINUTES', flag: 'token-ttl-minutes' },
  { key: 'auth.lockoutThreshold', env: 'YULIAN_LOCKOUT_THRESHOLD', flag: 'lockout-threshold' },
  { key: 'auth.lockoutMinutes', env: 'YULIAN_LOCKOUT_MINUTES', flag: 'lockout-minutes' },
  { key: 'auth.loginRatePerMinute', env: 'YULIAN_LOGIN_RATE_PER_MINUTE', flag: 'login-rate-per-minute' },
  { key: 'log.level', env: 'YULIAN_LOG_LEVEL', flag: 'log-level' },
];
