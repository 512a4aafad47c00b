import { type GatewayRegistry, type Logger, allTenants, isYulianError, tenantScope } from '@yulian/core';
import { connectionSchema } from '@yulian/gateway';
import { type VirtualFactory, startVirtualFactory } from '@yulian/sim';
import { embeddedGatewayId } from '../gateways/embedded.js';

/**
 * Starts the virtual factory on loopback and puts it on the embedded gateway of the demo enterprise, as
 * configured devices (replacing earlier ones, since the factory's ports change per start): the machines
 * over Modbus TCP, the paint line over OPC UA, and one MQTT connection whose Sparkplug B host picks up
 * the ten energy and environment sensors (they appear as discovered devices after their births). The
 * sensors and that connection log in to the embedded broker with the embedded gateway's token, renewed at
 * each start. Call before the embedded gateway starts so its first configuration already has them.
 */
export async function startDemoFactory(options: { registry: GatewayRegistry; tenantId: string; mqttUrl: string; mqttAuth: boolean; logger: Logger; seed?: number }): Promise<VirtualFactory> {
  const { registry } = options;
  try {
    await registry.create({ id: embeddedGatewayId, name: 'Embedded gateway / 内置网关', tenantId: options.tenantId });
  } catch (e) {
    if (!(isYulianError(e) && e.code === 'GATEWAY_EXISTS')) throw e;
  }
  const password = options.mqttAuth ? (await registry.rotateToken(allTenants, embeddedGatewayId)).token : undefined;
  // The factory names its own component in its log lines.
  const factory = await startVirtualFactory({
    seed: options.seed ?? 2021,
    host: '127.0.0.1',
    logger: options.logger,
    mqtt: { url: options.mqttUrl, username: 'demo-sensors', ...(password ? { password } : {}) },
  });
  const configs = [...factory.deviceConfigs('127.0.0.1'), ...factory.opcuaDeviceConfigs('127.0.0.1'), ...factory.mqttConnectionConfigs('yulian-demo-host')];
  for (const raw of configs) {
    const config = connectionSchema.parse(raw);
    await registry.putDevice(tenantScope(options.tenantId), { id: config.id, gatewayId: embeddedGatewayId, name: config.name || config.id, protocol: config.protocol, source: 'configured', config });
  }
  return factory;
}
