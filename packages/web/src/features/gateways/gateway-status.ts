import type { GatewayDto } from '@yulian/contracts';

/**
 * A gateway's last status report, read defensively: the API passes it on as the gateway sent it
 * (`status: unknown`), and gateways of other versions may leave fields out. Mirrors `GatewayStatus` of
 * `@yulian/gateway` (uplink, buffer and each device's state and driver counters).
 */

/** A device's state as a gateway reports it; `unknown` when no gateway reports the device. */
export type DeviceState = 'connecting' | 'online' | 'offline' | 'unknown';

/** One device in a gateway's report. */
export interface ReportedDevice {
  device: string;
  protocol: string;
  state: DeviceState;
  lastError: string | null;
  /** When the state last changed, epoch ms. */
  since: number | null;
  /** The driver's counters (cycles, requests, timeouts, …), in the gateway's order. */
  counters: Array<[string, number]>;
}

/** What the gateway said about itself in its last report. */
export interface GatewayReport {
  startedAt: number | null;
  /** The configuration version the gateway runs. */
  configVersion: number | null;
  uplink: { up: boolean; sentBatches: number; sentSamples: number; failures: number; lastError: string | null } | null;
  buffer: { batches: number; samples: number; bytes: number; maxBytes: number | null; dropped: number } | null;
  devices: ReportedDevice[];
}

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const states: readonly DeviceState[] = ['connecting', 'online', 'offline'];
const stateOf = (value: unknown): DeviceState => states.find((s) => s === value) ?? 'unknown';

function readDevice(value: unknown): ReportedDevice | undefined {
  if (!isObj(value) || typeof value['device'] !== 'string') return undefined;
  const counters = isObj(value['counters'])
    ? Object.entries(value['counters']).flatMap(([name, n]): Array<[string, number]> => (typeof n === 'number' ? [[name, n]] : []))
    : [];
  return {
    device: value['device'],
    protocol: str(value['protocol']) ?? '',
    state: stateOf(value['state']),
    lastError: str(value['lastError']),
    since: num(value['since']),
    counters,
  };
}

/** The report in `status`, or null when the gateway has not reported yet (or sent something unreadable). */
export function readGatewayReport(status: unknown): GatewayReport | null {
  if (!isObj(status)) return null;
  const uplink = isObj(status['uplink']) ? status['uplink'] : undefined;
  const buffer = isObj(status['buffer']) ? status['buffer'] : undefined;
  return {
    startedAt: num(status['startedAt']),
    configVersion: num(status['configVersion']),
    uplink: uplink
      ? {
          up: uplink['up'] === true,
          sentBatches: num(uplink['sentBatches']) ?? 0,
          sentSamples: num(uplink['sentSamples']) ?? 0,
          failures: num(uplink['failures']) ?? 0,
          lastError: str(uplink['lastError']),
        }
      : null,
    buffer: buffer
      ? {
          batches: num(buffer['batches']) ?? 0,
          samples: num(buffer['samples']) ?? 0,
          bytes: num(buffer['bytes']) ?? 0,
          maxBytes: num(buffer['maxBytes']),
          dropped: num(buffer['dropped']) ?? 0,
        }
      : null,
    devices: Array.isArray(status['devices']) ? status['devices'].flatMap((d) => readDevice(d) ?? []) : [],
  };
}

/**
 * The gateway's devices as the console shows them: what it reported, each `offline` once the gateway
 * itself is (the server's devices list says the same), and how many of them are online.
 */
export function reportedDevices(gateway: GatewayDto): { devices: ReportedDevice[]; online: number } {
  const report = readGatewayReport(gateway.status);
  const devices = (report?.devices ?? []).map((d) => (gateway.online ? d : { ...d, state: 'offline' as const }));
  return { devices, online: devices.filter((d) => d.state === 'online').length };
}
