import { destination, pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * The structured logger: one JSON line per event, with tenant/device/request in fields.
 * @example const log = createLogger({ level: 'info' }).child({ component: 'store' })
 */
export function createLogger(options: { level?: LevelWithSilent; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'yulian',
    level: options.level ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'], censor: '***' },
  },
  // Synchronous: lines keep their order with the CLI's own output, and nothing is lost on exit.
  destination({ dest: 1, sync: true }));
}

/** A logger that writes nothing, for tests and quiet tools. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
