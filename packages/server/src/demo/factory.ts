import { type GatewayRegistry, type Logger, tenantScope } from '@yulian/core';
import { connectionSchema } from '@yulian/gateway';
import { type VirtualFactory, startVirtualFactory } from '@yulian/sim';
import { embeddedGatewayId } from '../gateways/embedded.js';

/**
 * Starts the virtual factory on loopback and puts its machines on the embedded gateway of the demo
 * enterprise, as configured devices (replacing earlier ones, since the factory's ports change per start).
 * Call before the embedded gateway starts so its first configuration already has them.
 */
export async function startDemoFactory(options: { registry: GatewayRegistry; tenantId: string; logger: Logger; seed?: number }): Promise<VirtualFactory> {
  // The factory names its own component in its log lines.
  const factory = await startVirtualFactory({ seed: options.seed ?? 2021, host: '127.0.0.1', logger: options.logger });
  try {
    await options.registry.create({ id: embeddedGatewayId, name: 'Embedded gateway / 内置网关', tenantId: options.tenantId });
  } catch {
    // Registered by an earlier start.
  }
  // The machines over Modbus TCP, the paint line over OPC UA.
  for (const raw of [...factory.deviceConfigs('127.0.0.1'), ...factory.opcuaDeviceConfigs('127.0.0.1')]) {
    const config = connectionSchema.parse(raw);
    await options.registry.putDevice(tenantScope(options.tenantId), { id: config.id, gatewayId: embeddedGatewayId, name: config.name || config.id, protocol: config.protocol, source: 'configured', config });
  }
  return factory;
}
