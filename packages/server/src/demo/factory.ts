import { type Caller, type GatewayRegistry, type IdentityService, type Logger, allTenants, isYulianError, tenantScope } from '@yulian/core';
import { connectionSchema } from '@yulian/gateway';
import { type VirtualFactory, startVirtualFactory } from '@yulian/sim';
import { embeddedGatewayId } from '../gateways/embedded.js';
import type { SecurityMonitor } from '../security/monitor.js';

/**
 * Starts the virtual factory on loopback and puts it on the embedded gateway of the demo enterprise, as
 * configured devices (replacing earlier ones, since the factory's ports change per start): the machines
 * over Modbus TCP, the paint line over OPC UA, and one MQTT connection whose Sparkplug B host picks up
 * the ten energy and environment sensors (they appear as discovered devices after their births). The
 * sensors and that connection log in to the embedded broker with an API token of demo-engineer named
 * `virtual factory`, replaced at each start. Call before the embedded gateway starts so its first
 * configuration already has them.
 */
export async function startDemoFactory(options: {
  registry: GatewayRegistry;
  identity: IdentityService;
  tenantId: string;
  mqttUrl: string;
  mqttAuth: boolean;
  logger: Logger;
  seed?: number;
  /** The security monitor: each Modbus machine is then reached through a guard in front of it (as an inline industrial firewall would be), and the embedded gateway is its allowed commander. */
  guard?: Pick<SecurityMonitor, 'guardModbus' | 'setCommanders'>;
}): Promise<VirtualFactory> {
  const { registry } = options;
  try {
    await registry.create({ id: embeddedGatewayId, name: 'Embedded gateway / 内置网关', tenantId: options.tenantId });
  } catch (e) {
    if (!(isYulianError(e) && e.code === 'GATEWAY_EXISTS')) throw e;
  }
  const password = options.mqttAuth ? await factoryToken(options.identity) : undefined;
  // The factory names its own component in its log lines.
  const factory = await startVirtualFactory({
    seed: options.seed ?? 2021,
    host: '127.0.0.1',
    logger: options.logger,
    mqtt: { url: options.mqttUrl, username: 'demo-sensors', ...(password ? { password } : {}) },
  });
  // A data directory first used without the demo has a platform-owned embedded gateway: the demo's
  // machines then go on it as platform devices (seen by platform users) rather than failing the start.
  const gateway = await registry.get(allTenants, embeddedGatewayId);
  const scope = gateway.tenantId === null ? allTenants : tenantScope(gateway.tenantId);
  if (gateway.tenantId !== options.tenantId) options.logger.warn({ gateway: embeddedGatewayId, owner: gateway.tenantId }, 'the embedded gateway belongs to another owner than the demo enterprise (this data directory was first used without --demo); the demo machines are added as its devices');
  const configs = [...factory.deviceConfigs('127.0.0.1'), ...factory.opcuaDeviceConfigs('127.0.0.1'), ...factory.mqttConnectionConfigs('yulian-demo-host')];
  if (options.guard) {
    // The gateway polls and commands from the loopback address; anything else writing to a machine is not it.
    options.guard.setCommanders([{ tenantId: options.tenantId, ip: '127.0.0.1' }, { tenantId: options.tenantId, ip: '::1' }]);
  }
  for (const raw of configs) {
    let config = connectionSchema.parse(raw);
    if (options.guard && config.protocol === 'modbus-tcp') {
      const guard = await options.guard.guardModbus({ deviceId: config.id, tenantId: options.tenantId, upstream: { host: config.host, port: config.port }, points: config.points });
      config = { ...config, port: guard.address.port };
    }
    await registry.putDevice(scope, { id: config.id, gatewayId: embeddedGatewayId, name: config.name || config.id, protocol: config.protocol, source: 'configured', config });
  }
  return factory;
}

const factoryTokenName = 'virtual factory';

/** A fresh API token of demo-engineer for the factory's MQTT clients; the previous start's is revoked. */
async function factoryToken(identity: IdentityService): Promise<string> {
  const user = await identity.users.findByUsername('demo-engineer');
  if (!user) throw new Error('the demo seed has no demo-engineer');
  const caller: Caller = { userId: user.id, username: user.username, role: user.role as Caller['role'], tenantId: user.tenant_id, via: 'session' };
  for (const t of await identity.listApiTokens(caller)) if (t.name === factoryTokenName) await identity.revokeApiToken(caller, t.id);
  return (await identity.createApiToken(caller, { name: factoryTokenName })).token;
}
