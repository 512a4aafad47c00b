import { join } from 'node:path';
import { type Bus, type Logger } from '@yulian/core';
import { type Gateway, createBusSender, modbusDeviceSchema, startGateway } from '@yulian/gateway';
import { type VirtualFactory, startVirtualFactory } from '@yulian/sim';

/** The demo plant and the embedded gateway that polls it. */
export interface DemoPlant {
  factory: VirtualFactory;
  gateway: Gateway;
  close(): Promise<void>;
}

/**
 * Starts the virtual factory on loopback and an embedded gateway polling it every second into the
 * platform's own bus, for the demo enterprise. Values reach `/api/v1/devices` within a few seconds.
 */
export async function startDemoPlant(options: { bus: Bus; dataDir: string; tenantId: string; logger: Logger; seed?: number }): Promise<DemoPlant> {
  const log = options.logger.child({ component: 'demo-plant' });
  // The factory names its own component in its log lines.
  const factory = await startVirtualFactory({ seed: options.seed ?? 2021, host: '127.0.0.1', logger: options.logger });
  const gateway = startGateway({
    id: 'embedded',
    devices: factory.deviceConfigs('127.0.0.1').map((c) => modbusDeviceSchema.parse(c)),
    bufferPath: join(options.dataDir, 'gateway', 'buffer.db'),
    send: createBusSender({ connect: async () => options.bus, ownsBus: false, gateway: 'embedded', tenantId: options.tenantId }),
    logger: log,
  });
  return {
    factory,
    gateway,
    async close() {
      await gateway.stop();
      await factory.close();
    },
  };
}
