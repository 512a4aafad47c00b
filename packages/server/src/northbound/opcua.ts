import { join } from 'node:path';
import { type Point, pointSchema } from '@yulian/contracts';
import { type Config, type GatewayRegistry, type IdentityService, type Logger, YulianError, allTenants, can } from '@yulian/core';
import { type NorthboundOpcua, startNorthboundOpcua } from '@yulian/gateway';
import type { OpenedPort } from '../listen.js';
import { type EmbeddedGateway, embeddedGatewayId } from '../gateways/embedded.js';

/** The platform's northbound OPC UA server and how it stays in step with the device registry. */
export interface PlatformOpcua {
  server: NorthboundOpcua;
  port: OpenedPort;
  /** Brings the address space up to date with the registry now (otherwise every 10 s). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

const pointsOf = (config: Record<string, unknown>): Point[] => {
  const raw = Array.isArray(config['points']) ? (config['points'] as unknown[]) : [];
  return raw.flatMap((p) => {
    const parsed = pointSchema.safeParse(p);
    return parsed.success ? [parsed.data] : [];
  });
};

/**
 * Starts the northbound OPC UA server on YULIAN_OPCUA_PORT (a free port when it is taken, logged like
 * HTTP's): every registered device an Object, its points Variables, fed from ingest. Logins are the
 * platform's own users (failed logins count towards lockout and are audited like any other); users whose
 * role may command devices may write writable points of their own enterprise's devices, which goes to
 * the device's gateway.
 */
export async function startPlatformOpcua(options: {
  config: Config;
  gateways: GatewayRegistry;
  identity: IdentityService;
  embedded: () => EmbeddedGateway | undefined;
  logger: Logger;
}): Promise<PlatformOpcua> {
  const { config, gateways, identity } = options;
  const log = options.logger;
  const start = (port: number) =>
    startNorthboundOpcua({
      port,
      host: config.http.host,
      pkiDir: join(config.dataDir, 'opcua-pki'),
      allowAnonymous: config.opcua.allowAnonymous,
      logger: log,
      authenticate: async (username, password) => {
        try {
          const { token } = await identity.login({ username, password, ip: 'opc.tcp' });
          const caller = await identity.authenticate(token);
          return { user: caller.username, canWrite: can(caller.role, 'device:command'), tenantId: caller.tenantId };
        } catch {
          return null;
        }
      },
      onWrite: async ({ device, point, value, user }) => {
        const record = await gateways.getDevice(allTenants, device);
        const who = (await identity.users.findByUsername(user)) ?? undefined;
        const tenantId = who?.tenant_id ?? null;
        if (tenantId !== null && record.tenantId !== tenantId) throw new YulianError('FORBIDDEN', `${user} may not write to devices of another enterprise.`);
        const audit = { tenantId: record.tenantId, actor: user, ip: 'opc.tcp', action: 'device.write', target: `${device}.${point}`, details: { value, via: 'opcua' } };
        try {
          const embedded = options.embedded();
          if (record.gatewayId !== embeddedGatewayId || !embedded) throw new YulianError('SERVICE_UNAVAILABLE', `Writes to devices of remote gateways (${record.gatewayId}) come with remote control.`);
          await embedded.gateway.write(device, point, value);
          await identity.audit.append({ ...audit, outcome: 'success' });
        } catch (e) {
          await identity.audit.append({ ...audit, outcome: 'failure', details: { ...audit.details, error: (e as Error).message } });
          throw e;
        }
      },
    });
  let server: NorthboundOpcua;
  let opened: OpenedPort;
  try {
    server = await start(config.opcua.port);
    opened = { service: 'OPC UA server', protocol: 'tcp', port: server.port };
  } catch (e) {
    if (!/EADDRINUSE|EACCES|in use/i.test(String((e as Error).message) + String((e as NodeJS.ErrnoException).code))) throw e;
    server = await start(0);
    log.warn({ port: config.opcua.port, fallback: server.port }, `OPC UA server: port ${config.opcua.port} is in use; listening on ${server.port} instead`);
    opened = { service: 'OPC UA server', protocol: 'tcp', port: server.port, fallbackFrom: config.opcua.port };
  }

  const shown = new Map<string, number>();
  async function refresh(): Promise<void> {
    const devices = await gateways.listDevices(allTenants);
    const present = new Set<string>();
    for (const d of devices) {
      present.add(d.id);
      if (shown.get(d.id) === d.updatedAt) continue;
      try {
        server.upsertDevice({ id: d.id, name: d.name, tenantId: d.tenantId, points: pointsOf(d.config) });
        shown.set(d.id, d.updatedAt);
      } catch (err) {
        log.warn({ device: d.id, err: (err as Error).message }, 'device not shown on the OPC UA server');
      }
    }
    for (const id of shown.keys()) {
      if (!present.has(id)) {
        server.removeDevice(id);
        shown.delete(id);
      }
    }
  }
  await refresh();
  const timer = setInterval(() => void refresh().catch((err: unknown) => log.error({ err }, 'OPC UA address space refresh failed')), 10_000);
  timer.unref();
  return {
    server,
    port: opened,
    refresh,
    async close() {
      clearInterval(timer);
      await server.close();
    },
  };
}
