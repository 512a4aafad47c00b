import { existsSync } from 'node:fs';
import { type AuditChainReport, type Store, createLogger, createStore, sqlitePath, verifyAuditChain } from '@yulian/core';
import type { Command } from 'commander';
import { addConfigFlags, configFromFlags } from './serve.js';

type Flags = Record<string, string | boolean | undefined>;

/** Exit codes of `yulian audit verify`. */
const EXIT = { ok: 0, broken: 1, cannotOpen: 2 } as const;

/** The one-line verdict. */
export function formatAuditReport(report: AuditChainReport): string {
  if (report.ok) return `audit chain OK: ${report.checked} entries verified (SM3 hash chain, head at entry ${report.headSeq})`;
  const bad = report.firstBad!;
  const where = bad.id === null ? `entry ${bad.seq}` : `entry ${bad.seq} (row id ${bad.id})`;
  return `AUDIT_CHAIN_BROKEN at ${where}: ${bad.problem} — ${bad.detail} ${report.checked} entries before it verified.`;
}

/** Opens the configured store without migrating it (verification only reads); undefined after printing why not. */
async function openForReading(flags: Flags): Promise<Store | undefined> {
  const config = configFromFlags(flags);
  if (config.store === 'sqlite' && !existsSync(sqlitePath(config.dataDir))) {
    process.stderr.write(`yulian audit verify: no store at ${sqlitePath(config.dataDir)}; give --data-dir or --store (YULIAN_DATA_DIR, YULIAN_STORE)\n`);
    return undefined;
  }
  let store: Store | undefined;
  try {
    store = await createStore({ url: config.store, dataDir: config.dataDir, logger: createLogger({ level: 'error' }) });
    await store.db.selectFrom('audit_chain_head').select('seq').limit(1).execute();
    return store;
  } catch (e) {
    await store?.close();
    const why = /audit_chain_head/.test((e as Error).message)
      ? 'it has no audit chain yet (migration 0022): start this version of the platform on it once'
      : (e as Error).message;
    process.stderr.write(`yulian audit verify: cannot read the store${store ? ` at ${store.location}` : ''}: ${why}\n`);
    return undefined;
  }
}

/** `yulian audit verify`: checks the SM3 hash chain of the audit log. */
export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('the audit log');
  addConfigFlags(
    audit
      .command('verify')
      .description('check the SM3 hash chain of the audit log; exit 0 when intact, 1 at the first altered, removed or reordered entry, 2 when the store cannot be read'),
  )
    .option('--json', 'print the report as JSON')
    .action(async (flags: Flags) => {
      const store = await openForReading(flags);
      if (!store) {
        process.exitCode = EXIT.cannotOpen;
        return;
      }
      try {
        const report = await verifyAuditChain(store.db);
        process.stdout.write(`${flags['json'] ? JSON.stringify(report) : formatAuditReport(report)}\n`);
        process.exitCode = report.ok ? EXIT.ok : EXIT.broken;
      } catch (e) {
        process.stderr.write(`yulian audit verify: reading the audit log failed: ${(e as Error).message}\n`);
        process.exitCode = EXIT.cannotOpen;
      } finally {
        await store.close();
      }
    });
}
