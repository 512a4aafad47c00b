import { z } from 'zod';

const port = z.coerce
  .number({ error: 'a port number 0–65535 (0 picks a free port)' })
  .int('a port number 0–65535 (0 picks a free port)')
  .min(0, 'a port number 0–65535 (0 picks a free port)')
  .max(65535, 'a port number 0–65535 (0 picks a free port)');

const bool = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])], { error: 'one of 1/0, true/false, yes/no, on/off' })
  .transform((v) => (typeof v === 'boolean' ? v : ['1', 'true', 'yes', 'on'].includes(v)));

/** An integer setting with one plain message for every way it can be wrong. */
const int = (min: number, max: number, unit = '') => {
  const expected = `an integer from ${min} to ${max}${unit ? ` (${unit})` : ''}`;
  return z.coerce.number({ error: expected }).int(expected).min(min, expected).max(max, expected);
};

/** The effective configuration, with each default beside its key. */
export const configSchema = z
  .object({
    http: z
      .object({
        /** YULIAN_HTTP_PORT: HTTP API and console. */
        port: port.default(8080),
        /** YULIAN_HTTP_HOST: `::` listens dual-stack on IPv6 and IPv4. */
        host: z.string().min(1).default('::'),
        /** Largest accepted request body, bytes. */
        bodyLimit: int(1024, 512 * 1024 * 1024, 'bytes').default(1024 * 1024),
      })
      .strict()
      .default({ port: 8080, host: '::', bodyLimit: 1024 * 1024 }),
    /** YULIAN_DATA_DIR: where the SQLite store and other files live. */
    dataDir: z.string().min(1).default('./data'),
    /**
     * YULIAN_MASTER_KEY: 32 hex digits, the SM4 master key sealing the keyring's data keys (data at rest).
     * Unset: generated once into `<dataDir>/master.key` (mode 0600) and read from there.
     */
    masterKey: z
      .string()
      .regex(/^[0-9a-fA-F]{32}$/, '32 hex digits (an SM4 key)')
      .optional(),
    /** YULIAN_STORE: `sqlite` (a file under dataDir) or a `postgres://` URL (`?schema=` picks a schema). */
    store: z
      .string()
      .refine((v) => v === 'sqlite' || /^postgres(ql)?:\/\//.test(v), '`sqlite` or a postgres:// URL')
      .default('sqlite'),
    /** YULIAN_BUS: `memory` (in-process) or a `nats://` URL (NATS JetStream). */
    bus: z
      .string()
      .refine((v) => v === 'memory' || /^nats:\/\//.test(v), '`memory` or a nats:// URL')
      .default('memory'),
    mqtt: z
      .object({
        /** YULIAN_MQTT_PORT: the embedded MQTT broker; a taken port falls back to a free one. */
        port: port.default(1883),
        /**
         * YULIAN_MQTT_ALLOW_ANONYMOUS: let clients connect to the embedded broker without a token. Off by
         * default: a client sends an API token (or session token) as its MQTT password.
         */
        allowAnonymous: bool.default(false),
        /** YULIAN_MQTT_URL: use an external broker (mqtt://host:1883) instead of the embedded one. */
        url: z
          .string()
          .refine((v) => /^(mqtts?|wss?|tcp):\/\//.test(v), 'an mqtt://, mqtts://, tcp:// or ws:// URL')
          .optional(),
      })
      .strict()
      .default({ port: 1883, allowAnonymous: false }),
    handle: z
      .object({
        /** YULIAN_HANDLE_PORT: identifier resolution (Handle protocol, UDP+TCP); a taken port falls back to a free one. */
        port: port.default(2641),
        /** YULIAN_HANDLE_PREFIX: the prefix the platform's identifier node holds (a secondary node's: 88.<node>). */
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'a prefix: letters, digits, - and _ in dotted segments, e.g. 88.100')
          .default('88.100'),
        /**
         * YULIAN_ID_KEY_SECRET: 32 hex digits, the SM4 key sealing enterprises' record-signing keys. Unset: a
         * random one is kept in the store's settings (then a copy of the database holds both halves).
         */
        keySecret: z
          .string()
          .regex(/^[0-9a-fA-F]{32}$/, '32 hex digits (an SM4 key)')
          .optional(),
      })
      .strict()
      .default({ port: 2641, prefix: '88.100' }),
    opcua: z
      .object({
        /** YULIAN_OPCUA_PORT: the northbound OPC UA server (every device an object, its points variables). */
        port: port.default(4840),
        /** YULIAN_OPCUA_ALLOW_ANONYMOUS: anonymous OPC UA sessions may connect (they see no device and never write). Off by default. */
        allowAnonymous: bool.default(false),
      })
      .strict()
      .default({ port: 4840, allowAnonymous: false }),
    /** YULIAN_DEMO: seed the demo enterprise and start the virtual factory. */
    demo: bool.default(false),
    auth: z
      .object({
        /** YULIAN_ADMIN_PASSWORD: bootstrap `admin`'s password; generated and printed once when unset. */
        adminPassword: z.string().min(8, 'at least 8 characters').optional(),
        /** YULIAN_TOKEN_SECRET: signs session tokens; when unset a random one is kept in the store. */
        tokenSecret: z.string().min(32, 'at least 32 characters').optional(),
        /** Session token lifetime, minutes. */
        tokenTtlMinutes: int(1, 60 * 24 * 30, 'minutes').default(12 * 60),
        /** Consecutive failed logins that lock an account. */
        lockoutThreshold: int(1, 100, 'failed logins').default(5),
        /** How long a locked account stays locked, minutes. */
        lockoutMinutes: int(1, 24 * 60, 'minutes').default(15),
        /** Login attempts allowed per client address per minute. */
        loginRatePerMinute: int(1, 10_000, 'attempts per minute').default(20),
      })
      .strict()
      .default({ tokenTtlMinutes: 720, lockoutThreshold: 5, lockoutMinutes: 15, loginRatePerMinute: 20 }),
    /** How long each tier of the telemetry store keeps data (the query API picks the finest tier that still holds the range). */
    telemetry: z
      .object({
        /** YULIAN_RETENTION_RAW_DAYS: raw samples. */
        rawDays: int(1, 36_600, 'days').default(30),
        /** YULIAN_RETENTION_1M_DAYS: 1-minute rollups. */
        minuteDays: int(1, 36_600, 'days').default(400),
        /** YULIAN_RETENTION_1H_DAYS: 1-hour rollups. */
        hourDays: int(1, 36_600, 'days').default(3660),
      })
      .strict()
      .default({ rawDays: 30, minuteDays: 400, hourDays: 3660 }),
    /** Alarm notifications: retries of failing channels and flood control (issue 6). */
    notifications: z
      .object({
        /** YULIAN_NOTIFY_RETRY_BASE_MS: the first retry's delay; each next one doubles (with jitter), capped at 1 h. */
        retryBaseMs: int(10, 3_600_000, 'ms').default(5_000),
        /** YULIAN_NOTIFY_MAX_ATTEMPTS: attempts before a delivery is dead-lettered. */
        maxAttempts: int(1, 100, 'attempts').default(8),
        /** YULIAN_NOTIFY_DEVICE_LIMIT: alarms of one device that notify within 10 minutes. */
        perDevice: int(1, 100_000, 'alarms per 10 minutes').default(20),
        /** YULIAN_NOTIFY_RULE_LIMIT: alarms of one rule that notify within 10 minutes. */
        perRule: int(1, 100_000, 'alarms per 10 minutes').default(100),
        /** YULIAN_NOTIFY_FLOOD_LIMIT: notifications one recipient gets within 10 minutes before a flood summary replaces them (ISA-18.2: 10). */
        perRecipient: int(1, 100_000, 'notifications per 10 minutes').default(10),
      })
      .strict()
      .default({ retryBaseMs: 5_000, maxAttempts: 8, perDevice: 20, perRule: 100, perRecipient: 10 }),
    /** OT security monitoring (issue 7): captures, detection, incidents and active response. */
    security: z
      .object({
        /** YULIAN_CAPTURE_DIR: the watched folder for pcap/pcapng files (default <dataDir>/captures). */
        captureDir: z.string().min(1).optional(),
        /** YULIAN_CAPTURE_MAX_BYTES: the largest capture accepted by upload or from the folder. */
        captureMaxBytes: int(1024, 64 * 1024 ** 3, 'bytes').default(4 * 1024 ** 3),
        /** YULIAN_SECURITY_RULES_DIR: extra detection rule files (*.yaml) next to the built-in ones (default <dataDir>/security-rules). */
        rulesDir: z.string().min(1).optional(),
        /** YULIAN_INCIDENT_LEVEL: events at or above this level open an incident (Wazuh levels 0–15; 10 and up is a likely attack on the built-in rules). */
        incidentLevel: int(0, 15, 'level').default(10),
        /** YULIAN_ACTIVE_RESPONSE: block the source of an event at or above `blockLevel` at the gateway's guards. */
        activeResponse: bool.default(false),
        /** YULIAN_BLOCK_LEVEL */
        blockLevel: int(0, 15, 'level').default(12),
        /** YULIAN_BLOCK_SECONDS: how long an active-response block lasts. */
        blockSeconds: int(1, 30 * 24 * 3600, 'seconds').default(600),
      })
      .strict()
      .default({ captureMaxBytes: 4 * 1024 ** 3, incidentLevel: 10, activeResponse: false, blockLevel: 12, blockSeconds: 600 }),
    log: z
      .object({
        /** YULIAN_LOG_LEVEL */
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
      })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

/** The validated configuration. */
export type Config = z.output<typeof configSchema>;
/** A partial configuration as a file or code gives it. */
export type ConfigInput = z.input<typeof configSchema>;
