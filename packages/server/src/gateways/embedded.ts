import { join } from 'node:path';
import { type Bus, type GatewayRegistry, type Logger, allTenants, isYulianError, tenantScope } from '@yulian/core';
import { type ConnectionConfig, type Gateway, type PlatformLink, connectionSchema, createBusSender, startGateway, startPlatformSync } from '@yulian/gateway';

/** The id of the gateway that runs inside `yulian serve`. */
export const embeddedGatewayId = 'embedded';

/** A PlatformLink for a gateway in the platform's own process: the registry, without HTTP. */
export function registryLink(registry: GatewayRegistry, gatewayId: string, logger?: Logger): PlatformLink {
  const parse = (devices: Array<{ id: string; config: Record<string, unknown> }>): ConnectionConfig[] =>
    devices.flatMap((d) => {
      const parsed = connectionSchema.safeParse(d.config);
      if (!parsed.success) logger?.error({ device: d.id, issues: parsed.error.issues.slice(0, 5) }, 'stored device configuration is invalid; skipped');
      return parsed.success ? [parsed.data] : [];
    });
  return {
    async fetchAssignment() {
      const g = await registry.get(allTenants, gatewayId);
      const c = await registry.configOf(gatewayId);
      return { gateway: { id: g.id, name: g.name, tenantId: g.tenantId }, version: c.version, devices: parse(c.devices) };
    },
    async reportStatus(status) {
      return { configVersion: (await registry.reportStatus(gatewayId, status)).configVersion };
    },
    async reportDevices(devices) {
      const g = await registry.get(allTenants, gatewayId);
      const scope = g.tenantId === null ? allTenants : tenantScope(g.tenantId);
      for (const d of devices) await registry.putDevice(scope, { id: d.device, gatewayId, name: d.name ?? d.device, protocol: d.protocol, source: 'discovered', config: { id: d.device, protocol: d.protocol, points: d.points } });
    },
  };
}

/** The embedded gateway and its link to the registry. */
export interface EmbeddedGateway {
  gateway: Gateway;
  /** Reports status and applies configuration changes now (otherwise every `statusIntervalMs`). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the gateway that runs inside the platform: registered as `embedded` (for the demo enterprise
 * when the demo is on, else platform-owned), delivering over the platform's own bus, configured from the
 * registry like any other gateway — so devices added in the console or API start within one status
 * interval.
 */
export async function startEmbeddedGateway(options: { registry: GatewayRegistry; bus: Bus; dataDir: string; tenantId: string | null; logger: Logger; statusIntervalMs?: number }): Promise<EmbeddedGateway> {
  const log = options.logger.child({ component: 'embedded-gateway' });
  try {
    await options.registry.create({ id: embeddedGatewayId, name: 'Embedded gateway / 内置网关', tenantId: options.tenantId });
  } catch (e) {
    if (!(isYulianError(e) && e.code === 'GATEWAY_EXISTS')) throw e;
  }
  const link = registryLink(options.registry, embeddedGatewayId, log);
  const assignment = await link.fetchAssignment();
  // Births may arrive before the sync exists; they wait in it from then on.
  const ref: { sync?: ReturnType<typeof startPlatformSync> } = {};
  const gateway = startGateway({
    id: embeddedGatewayId,
    devices: assignment.devices,
    configVersion: assignment.version,
    bufferPath: join(options.dataDir, 'gateway', 'buffer.db'),
    pkiDir: join(options.dataDir, 'gateway', 'pki'),
    send: createBusSender({ connect: async () => options.bus, ownsBus: false, gateway: embeddedGatewayId, tenantId: assignment.gateway.tenantId }),
    onDevice: (d) => ref.sync?.discovered(d),
    logger: options.logger,
  });
  const sync = (ref.sync = startPlatformSync({ link, gateway, intervalMs: options.statusIntervalMs ?? 10_000, logger: log }));
  await sync.tick();
  return {
    gateway,
    sync: () => sync.tick(),
    async close() {
      sync.stop();
      await gateway.stop();
    },
  };
}
