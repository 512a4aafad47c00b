import { createIdentityService, createLogger, createStore } from '@yulian/core';
import type { Command } from 'commander';
import { addConfigFlags, configFromFlags } from './serve.js';

/** `yulian admin reset-password`: the way back in when the bootstrap admin's password is lost. */
export function adminCommand(program: Command): void {
  const admin = program.command('admin').description('administration from the command line');
  addConfigFlags(
    admin
      .command('reset-password')
      .description("set the bootstrap admin's password (YULIAN_ADMIN_PASSWORD, or a generated one that is printed), enable and unlock it; ends its sessions"),
  ).action(async (flags: Record<string, string | boolean | undefined>) => {
    const config = configFromFlags(flags);
    const logger = createLogger({ level: 'warn' });
    const store = await createStore({ url: config.store, dataDir: config.dataDir, logger });
    try {
      await store.migrate();
      const identity = createIdentityService({ store, auth: config.auth, logger });
      const result = await identity.resetAdminPassword(config.auth.adminPassword);
      process.stdout.write(
        result.generatedPassword
          ? `admin password reset: ${result.generatedPassword}   (generated now, shown only this once)\n`
          : 'admin password reset to the value of YULIAN_ADMIN_PASSWORD\n',
      );
    } catch (e) {
      process.stderr.write(`yulian admin reset-password: ${(e as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      await store.close();
    }
  });
}
