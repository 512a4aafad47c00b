import { type GatewayRegistry, type Logger, type Store, allTenants } from '@yulian/core';
import { createVibrationBurstStore, createVibrationSettingsStore } from '@yulian/devices';
import type { SimBurst, VirtualFactory } from '@yulian/sim';

/** The demo's burst recording; `close()` stops listening and waits for the writes in flight. */
export interface VibrationRecorder {
  close(): Promise<void>;
}

/**
 * Stores the virtual factory's accelerometer bursts (one per rotating machine every simulated minute)
 * under the enterprise owning each machine, and gives every machine without vibration settings the
 * bearing the factory simulates, so that the demo's diagnosis looks for that bearing's defects.
 * @example const recorder = await startVibrationRecorder({ factory, store, registry: gateways, logger })
 */
export async function startVibrationRecorder(options: { factory: VirtualFactory; store: Store; registry: GatewayRegistry; logger: Logger }): Promise<VibrationRecorder> {
  const { factory, registry } = options;
  const log = options.logger.child({ component: 'vibration-recorder' });
  const bursts = createVibrationBurstStore(options.store);
  const settings = createVibrationSettingsStore(options.store);
  const tenants = new Map<string, string | null>();
  const tenantOf = async (device: string): Promise<string | null> => {
    if (!tenants.has(device)) tenants.set(device, (await registry.getDevice(allTenants, device)).tenantId);
    return tenants.get(device)!;
  };

  for (const d of factory.devices()) {
    const tenantId = await tenantOf(d.id).catch(() => undefined);
    if (tenantId === undefined || (await settings.get(allTenants, d.id))) continue;
    await settings.put(tenantId, d.id, { bearing: factory.vibrationProfile(d.id).bearing }, 'virtual factory');
  }

  let pending: Promise<void> = Promise.resolve();
  const record = (burst: SimBurst): void => {
    pending = pending
      .then(async () => {
        const info = await bursts.add({ tenantId: await tenantOf(burst.device), source: 'sim', ...burst });
        log.debug({ device: burst.device, burst: info.id, shaftRpm: burst.shaftRpm }, 'vibration burst stored');
      })
      .catch((err: unknown) => log.error({ err, device: burst.device }, 'vibration burst not stored'));
  };
  const unsubscribe = factory.onBurst(record);
  return {
    async close() {
      unsubscribe();
      await pending;
    },
  };
}
