import type { Quality } from '@yulian/contracts';
import { z } from 'zod';

/** Whether a device is delivering: `unknown` until the first evidence either way. */
export type PresenceState = 'online' | 'offline' | 'unknown';

/** A device's presence now. */
export interface DevicePresence {
  tenantId: string | null;
  device: string;
  state: PresenceState;
  /** Epoch ms (tracker clock) of the last change. */
  since: number;
  /** Why it is in this state, e.g. `no data for 4 s` or the gateway's last error; null when online. */
  reason: string | null;
  /** The gateway that last reported it or delivered its data, when known. */
  gatewayId: string | null;
}

/** A change of a device's presence, as published to listeners and live clients. */
export interface PresenceEvent {
  tenantId: string | null;
  device: string;
  state: PresenceState;
  previous: PresenceState;
  reason: string | null;
  /** Epoch ms of the change. */
  at: number;
}

/** What the tracker needs of a sample: the gateway's full `Sample` fits. */
export interface PresenceSample {
  device: string;
  quality: Quality;
}

/**
 * One device as a gateway reports it (the gateway package's `DeviceStatus`, restated here because
 * devices imports only core and contracts).
 */
export interface ReportedDeviceStatus {
  device: string;
  protocol?: string;
  state: 'connecting' | 'online' | 'offline';
  lastError?: string | null | undefined;
  /** Epoch ms (gateway clock) of the device's last state change at the gateway. */
  since?: number;
  counters?: Record<string, number>;
}

/** The part of a gateway's status report the tracker reads (`GatewayStatus` of the gateway package). */
export interface GatewayStatusReport {
  devices: ReportedDeviceStatus[];
}

// Reports arrive from remote gateways as stored JSON: checked here, unknown fields and states ignored.
const reportedDeviceSchema = z.object({
  device: z.string().min(1).max(128),
  state: z.string(),
  lastError: z.string().nullish(),
  since: z.number().optional(),
});

/** Parses a gateway's status report leniently: devices that do not fit are skipped, never thrown. */
export function parseGatewayReport(status: unknown): Array<z.infer<typeof reportedDeviceSchema>> {
  const devices = (status as { devices?: unknown } | null | undefined)?.devices;
  if (!Array.isArray(devices)) return [];
  return devices.flatMap((d) => {
    const parsed = reportedDeviceSchema.safeParse(d);
    return parsed.success ? [parsed.data] : [];
  });
}
