import { ConfigError, type Config, configSources, loadConfig, maskConfig } from '@yulian/core';
import { type Command, Option } from 'commander';

/** Adds one flag per setting (from `configSources`, so flags, environment and docs never drift apart). */
export function addConfigFlags(command: Command): Command {
  command.option('-c, --config <file>', 'JSON config file (default: ./yulian.config.json when present)');
  for (const source of configSources) {
    const help = `${source.describe} [${source.env}]`;
    if (source.boolean) {
      command.addOption(new Option(`--${source.flag}`, help));
      command.addOption(new Option(`--no-${source.flag}`, `the opposite of --${source.flag}`));
    } else {
      command.option(`--${source.flag} <value>`, help);
    }
  }
  return command;
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
  addConfigFlags(program.command('serve').description('run the all-in-one platform: HTTP API, web console and embedded MQTT broker'))
    .option('--print-config', 'print the effective configuration (secrets masked) and exit')
    .action(async (flags: Flags) => {
      const config = configFromFlags(flags);
      if (flags['printConfig']) {
        process.stdout.write(`${JSON.stringify(maskConfig(config), null, 2)}\n`);
        return;
      }
      let platform;
      try {
        // Loaded here, not at the top: the platform pulls in node-opcua, seconds of start-up other commands need not pay.
        const { startPlatform } = await import('@yulian/server');
        platform = await startPlatform(config);
      } catch (e) {
        process.stderr.write(`yulian: cannot start: ${(e as Error).message}\n`);
        process.exit(1);
      }
      const [{ formatBanner }, { demoPassword }] = await Promise.all([import('../banner.js'), import('@yulian/server')]);
      process.stdout.write(`${formatBanner(platform, { demo: config.demo, demoPassword })}\n`);
      let stoppingSince = 0;
      const stop = (signal: string): void => {
        if (stoppingSince) {
          // `npm start` relays the terminal's Ctrl+C, so one press can arrive twice at once: only a
          // second signal a moment later means "stop waiting".
          if (Date.now() - stoppingSince < 1000) return;
          process.stderr.write(`yulian: ${signal} again, exiting now\n`);
          process.exit(1);
        }
        stoppingSince = Date.now();
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
