import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Logger, type Store, createLogger, createStore } from '@yulian/core';
import type { IdentifierNode } from '@yulian/identifier';
import type { FastifyBaseLogger } from 'fastify';
import type { HandlePublicKey } from '@yulian/protocols';
import type { Command } from 'commander';
import { publicKeyFromPemFile } from './handle-keys.js';

type Flags = {
  role: string;
  prefix?: string;
  host: string;
  port?: string;
  publicAddress: string;
  dataDir?: string;
  store?: string;
  root: string[];
  delegate: string[];
  admin: string[];
  httpPort?: string;
  reportTo?: string;
  logLevel: 'info';
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * Handle.Net's /api/handles for one node. Changes and listings need `Authorization: Bearer <token>`
 * equal to YULIAN_ID_ADMIN_TOKEN (when it is set; without it the node takes none over HTTP).
 */
async function startNodeHttp(node: IdentifierNode, port: number, host: string, logger: Logger): Promise<{ port: number; close(): Promise<void> }> {
  const { createNodeHttpApp } = await import('@yulian/identifier');
  const app = await createNodeHttpApp({ backend: node.backend, records: node.records, adminToken: process.env['YULIAN_ID_ADMIN_TOKEN'], logger: logger.child({ component: 'http' }) as unknown as FastifyBaseLogger });
  await app.listen({ port, host, ipv6Only: false });
  const address = app.server.address();
  return { port: typeof address === 'object' && address ? address.port : port, close: () => app.close() };
}

/** `host:port` or `[v6]:port` → a target; exits 2 when it is not one. */
function targetOf(text: string, flag: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) fail(`${flag} ${text}: expected host:port (or [ipv6]:port)`);
  return { host: m![1]!, port };
}

/** `300:0.NA/88.100[=key.pem]` → the admin's handle, index and (to write at start) public key; exits 2 when it is not one. */
function adminOf(text: string): { handle: string; index: number; publicKey?: HandlePublicKey } {
  const colon = text.indexOf(':');
  const index = Number(text.slice(0, colon));
  const [handle = '', pem] = text.slice(colon + 1).split('=');
  if (colon < 1 || !Number.isInteger(index) || index < 1 || index > 0xffffffff || !handle.includes('/')) fail(`--admin ${text}: expected <index>:<handle>[=<public key PEM>], e.g. 300:0.NA/88.100`);
  if (pem === undefined) return { handle, index };
  try {
    return { handle, index, publicKey: publicKeyFromPemFile(pem) };
  } catch (e) {
    fail(`--admin ${text}: ${pem} is not an SM2 or RSA public key PEM (${(e as Error).message})`);
  }
}

function fail(message: string): never {
  process.stderr.write(`yulian id-node: ${message}\n`);
  process.exit(2);
}

/**
 * `yulian id-node --role top|secondary|enterprise|recursive`: one identifier node alone, speaking the
 * Handle protocol over UDP and TCP. Top-level, secondary and enterprise nodes keep their records in a
 * store of their own (SQLite under --data-dir, or --store postgres://…).
 */
export function idNodeCommand(program: Command): void {
  program
    .command('id-node')
    .description('run one identifier resolution node (标识解析节点): top-level, secondary, enterprise or recursive')
    .requiredOption('--role <role>', 'top | secondary | enterprise | recursive')
    .option('--prefix <prefix>', 'the prefix the node holds, e.g. 88, 88.100, 88.100.1 (not for recursive)')
    .option('--host <address>', 'address to listen on', '::')
    .option('--port <port>', 'Handle protocol port, UDP and TCP (YULIAN_HANDLE_PORT; 0 = a free one)')
    .option('--public-address <address>', 'address other nodes reach this one at (written into its HS_SITE)', '127.0.0.1')
    .option('--data-dir <dir>', 'where the node keeps its SQLite store (default ./data/id-<role>-<prefix>)')
    .option('--store <url>', 'sqlite (default) or a postgres:// URL')
    .option('--root <host:port>', 'recursive: the top-level node to start from (repeatable)', collect, [])
    .option('--delegate <prefix=host:port>', 'a prefix under this one that runs its own node (repeatable)', collect, [])
    .option('--admin <index:handle[=pem]>', "one of the node's own administrators, e.g. 300:0.NA/88.100 — the index and handle of its HS_PUBKEY or HS_SECKEY value, which may do every administration operation over the Handle protocol; with =<public key PEM> the node writes that key there at start (repeatable)", collect, [])
    .option('--http-port <port>', "also serve Handle.Net's HTTP JSON API /api/handles on this port (0 = a free one)")
    .option('--report-to <url>', "send the node's daily statistics to its parent platform's HTTP API every 5 minutes (token: YULIAN_ID_REPORT_TOKEN)")
    .option('--log-level <level>', 'fatal|error|warn|info|debug', 'info')
    .action(async (flags: Flags) => {
      const { createNodeStats, createStatsReporter, createStatsStore, httpStatsSender, nodeRoles, parsePrefix, startIdentifierNode } = await import('@yulian/identifier');
      if (!(nodeRoles as readonly string[]).includes(flags.role)) fail(`--role ${flags.role}: one of ${nodeRoles.join(', ')}`);
      const role = flags.role as (typeof nodeRoles)[number];
      const portText = flags.port ?? process.env['YULIAN_HANDLE_PORT'] ?? '2641';
      const port = Number(portText);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${portText}: a port number (0 for a free one)`);
      const logger = createLogger({ level: flags.logLevel, name: 'yulian-id-node' });
      const delegations = flags.delegate.map((d) => {
        const [prefix, target] = d.split('=');
        if (!prefix || !target) fail(`--delegate ${d}: expected prefix=host:port`);
        return { prefix: prefix!, target: targetOf(target!, '--delegate') };
      });
      const admins = flags.admin.map((a) => adminOf(a));
      if (admins.length && role === 'recursive') fail('--admin is for a node with records (top, secondary, enterprise), not a recursive node');
      let store: Store | undefined;
      if (role !== 'recursive') {
        if (!flags.prefix) fail(`a ${role} node needs --prefix`);
        try {
          parsePrefix(flags.prefix!);
        } catch (e) {
          fail(`--prefix ${flags.prefix}: ${(e as Error).message}`);
        }
        const dataDir = resolve(flags.dataDir ?? `data/id-${role}-${flags.prefix}`);
        mkdirSync(dataDir, { recursive: true });
        store = await createStore({ url: flags.store ?? 'sqlite', dataDir });
        await store.migrate();
      } else if (!flags.root.length) fail('a recursive node needs --root host:port (the top-level node)');
      // A node with a store counts its registrations and resolutions there (id_stats), every 10 s.
      const statsStore = store ? createStatsStore(store) : undefined;
      const stats = statsStore && flags.prefix ? createNodeStats({ node: parsePrefix(flags.prefix), role, store: statsStore, logger }) : undefined;
      const reportToken = process.env['YULIAN_ID_REPORT_TOKEN'];
      if (flags.reportTo && (!statsStore || !stats)) fail('--report-to needs a node with a store (not a recursive node)');
      if (flags.reportTo && !reportToken) fail('--report-to needs YULIAN_ID_REPORT_TOKEN: an API token of a registrar account on the parent platform');
      const node = await startIdentifierNode({
        role,
        logger,
        ...(stats ? { stats } : {}),
        host: flags.host,
        port,
        publicAddress: flags.publicAddress,
        delegations,
        admins,
        ...(flags.prefix ? { prefix: flags.prefix } : {}),
        ...(store ? { store } : {}),
        ...(role === 'recursive' ? { resolver: { root: flags.root.map((r) => targetOf(r, '--root')) } } : {}),
      });
      process.stdout.write(`yulian id-node ${role}${node.prefix ? ` ${node.prefix}` : ''}: Handle protocol on port ${node.port} (UDP and TCP)\n`);
      let http: { close(): Promise<void> } | undefined;
      if (flags.httpPort !== undefined) {
        const httpPort = Number(flags.httpPort);
        if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535) fail(`--http-port ${flags.httpPort}: a port number (0 for a free one)`);
        const started = await startNodeHttp(node, httpPort, flags.host, logger);
        http = started;
        process.stdout.write(`yulian id-node ${role}: HTTP /api/handles on port ${started.port}\n`);
      }
      const reporter =
        flags.reportTo && statsStore && stats
          ? createStatsReporter({ reporter: stats.node, store: statsStore, send: httpStatsSender({ url: flags.reportTo, token: reportToken! }), logger })
          : undefined;
      const stop = async (): Promise<void> => {
        await reporter?.close();
        await http?.close();
        await node.close();
        await store?.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop());
      process.once('SIGINT', () => void stop());
    });
}
