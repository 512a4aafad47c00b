import { ConfigError, type Config, loadConfig, maskConfig } from '@yulian/core';
import { demoPassword, startPlatform } from '@yulian/server';
import { type Command, Option } from 'commander';
import { formatBanner } from '../banner.js';

/** The flags `serve` takes; each mirrors a `YULIAN_*` variable (see docs/operations.md). */
export function addConfigFlags(command: Command): Command {
  return command
    .option('-c, --config <file>', 'JSON config file (default: ./yulian.config.json when present)')
    .option('--http-port <port>', 'HTTP API and console port (YULIAN_HTTP_PORT, default 8080; 0 = free port)')
    .option('--http-host <host>', 'listen address (YULIAN_HTTP_HOST, default :: = dual-stack)')
    .option('--data-dir <dir>', 'data directory (YULIAN_DATA_DIR, default ./data)')
    .option('--store <url>', 'sqlite or postgres://… (YULIAN_STORE)')
    .option('--bus <url>', 'memory or nats://… (YULIAN_BUS)')
    .option('--mqtt-port <port>', 'embedded MQTT broker port (YULIAN_MQTT_PORT, default 1883)')
    .option('--mqtt-url <url>', 'external MQTT broker instead of the embedded one (YULIAN_MQTT_URL)')
    .option('--handle-port <port>', 'identifier resolution port (YULIAN_HANDLE_PORT, default 2641)')
    .option('--opcua-port <port>', 'OPC UA server port (YULIAN_OPCUA_PORT, default 4840)')
    .option('--admin-password <password>', 'bootstrap admin password (YULIAN_ADMIN_PASSWORD)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (YULIAN_LOG_LEVEL)')
    .addOption(new Option('--demo', 'seed the demo enterprise and start the virtual factory (YULIAN_DEMO=1)'))
    .addOption(new Option('--no-demo', 'no demo data'));
}

type Flags = Record<string, string | boolean | undefined>;

/** Reads the configuration for a command, printing a clear message and exiting 2 when it is invalid. */
export function configFromFlags(flags: Flags): Config {
  const { config: file, printConfig: _p, ...rest } = flags;
  const byFlag = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v]));
  try {
    return loadConfig({ env: process.env, flags: byFlag, ...(typeof file === 'string' ? { file } : {}) });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** `yulian serve`: the all-in-one platform. */
export function serveCommand(program: Command): void {
  addConfigFlags(program.command('serve').description('run the all-in-one platform: API, console, MQTT broker and services'))
    .option('--print-config', 'print the effective configuration (secrets masked) and exit')
    .action(async (flags: Flags) => {
      const config = configFromFlags(flags);
      if (flags['printConfig']) {
        process.stdout.write(`${JSON.stringify(maskConfig(config), null, 2)}\n`);
        return;
      }
      let platform;
      try {
        platform = await startPlatform(config);
      } catch (e) {
        process.stderr.write(`yulian: cannot start: ${(e as Error).message}\n`);
        process.exit(1);
      }
      process.stdout.write(`${formatBanner(platform, { demo: config.demo, demoPassword })}\n`);
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) {
          process.stderr.write(`yulian: ${signal} again, exiting now\n`);
          process.exit(1);
        }
        stopping = true;
        platform.logger.info({ signal }, 'stopping');
        const deadline = setTimeout(() => {
          process.stderr.write('yulian: shutdown took longer than 10 s, exiting\n');
          process.exit(1);
        }, 10_000);
        deadline.unref();
        platform.close().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`yulian: shutdown failed: ${(err as Error).message}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
