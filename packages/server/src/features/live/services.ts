import type { TelemetryBatch } from '@yulian/contracts';
import { type DeviceRecord, type GatewayRegistry, type Logger, allTenants } from '@yulian/core';
import { type LiveHub, type PresenceTracker, createLiveHub, createPresenceTracker } from '@yulian/devices';

/** The platform's live hub and presence tracker, and the taps that feed them. */
export interface LiveServices {
  hub: LiveHub;
  presence: PresenceTracker;
  /** The registry given, whose `reportStatus` (HTTP reports and the embedded gateway's) also feeds presence. */
  registry: GatewayRegistry;
  /** Give to the telemetry ingest: each stored batch goes to live subscribers and counts as a sign of life. */
  onStored(batch: TelemetryBatch): void;
  /**
   * Reads an in-process gateway's status every second, so its device state changes reach presence within
   * a second rather than at its next 10 s report.
   */
  watchGateway(gateway: { id: string; status(): unknown }): Promise<void>;
  close(): void;
}

/** How often a device is expected to deliver, from its stored configuration, when it says. */
function intervalOf(d: DeviceRecord): number | undefined {
  const c = d.config;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);
  if (d.protocol === 'modbus-tcp') return num(c['pollIntervalMs']);
  // OPC UA delivers by subscription: at most every publishing interval, and only changes — so the slower of the two.
  if (d.protocol === 'opcua') return Math.max(num(c['publishingIntervalMs']) ?? 0, num(c['samplingIntervalMs']) ?? 0) || undefined;
  return undefined;
}

/**
 * Creates the hub and tracker and wraps the registry. Expected intervals come from the device
 * configurations, re-read whenever a gateway reports a new configuration version; devices without one
 * (MQTT) use the tracker's default.
 * @example const live = createLiveServices({ registry: createGatewayRegistry(store), logger }); const gateways = live.registry
 */
export function createLiveServices(options: { registry: GatewayRegistry; logger: Logger }): LiveServices {
  const log = options.logger.child({ component: 'live' });
  const inner = options.registry;
  const intervals = new Map<string, number>();
  const versions = new Map<string, number>();
  const presence = createPresenceTracker({ expectedIntervalMs: (d) => intervals.get(d), logger: options.logger });
  const hub = createLiveHub({ presenceOf: (d) => presence.get(d), logger: options.logger });
  presence.onChange((e) => hub.publishPresence(e));
  const timers: NodeJS.Timeout[] = [];

  const refreshIntervals = async (gatewayId: string, version: number): Promise<void> => {
    if (versions.get(gatewayId) === version) return;
    versions.set(gatewayId, version);
    for (const d of (await inner.configOf(gatewayId)).devices) {
      const ms = intervalOf(d);
      if (ms === undefined) intervals.delete(d.id);
      else intervals.set(d.id, ms);
    }
  };

  const registry: GatewayRegistry = {
    ...inner,
    async reportStatus(id, status) {
      const g = await inner.reportStatus(id, status);
      await refreshIntervals(id, g.configVersion).catch((err: unknown) => log.warn({ err, gateway: id }, 'device intervals not refreshed'));
      presence.observeGatewayStatus(id, g.tenantId, status);
      return g;
    },
  };

  return {
    hub,
    presence,
    registry,
    onStored(batch) {
      presence.observeSamples(batch.tenantId, batch.samples, batch.gateway);
      hub.publishSamples(batch.tenantId, batch.samples);
    },
    async watchGateway(gateway) {
      const record = await inner.get(allTenants, gateway.id);
      await refreshIntervals(gateway.id, record.configVersion);
      const timer = setInterval(() => {
        try {
          presence.observeGatewayStatus(gateway.id, record.tenantId, gateway.status());
        } catch (err) {
          // A gateway stopping (its buffer closed) during shutdown.
          log.debug({ err, gateway: gateway.id }, 'gateway status not read');
        }
      }, 1000);
      timer.unref();
      timers.push(timer);
    },
    close() {
      for (const t of timers) clearInterval(t);
      presence.close();
    },
  };
}
