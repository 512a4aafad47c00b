import type { ProfileDto, RulModelInfo } from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

/** One reason a device's health index is below 100. */
export interface HealthComponent {
  kind: 'anomaly' | 'alarms' | 'run-hours';
  penalty: number;
  reason: string;
  details: Record<string, string | number>;
}

/** Remaining useful life as the API gives it: cycles of `rulUnitSeconds`, capped at `rulCap`. */
export interface RulFields {
  rul: number | null;
  rulUnitSeconds: number | null;
  rulCap: number | null;
  modelId: string | null;
}

/** One health assessment of a device. */
export interface HealthSnapshot extends RulFields {
  device: string;
  ts: string;
  health: number;
  components: HealthComponent[];
}

/** One point of a health trend. */
export interface HealthTrendPoint {
  ts: string;
  health: number;
  rul: number | null;
}

/** A device of the fleet view, with its latest assessment and recent trend. */
export interface FleetItem extends HealthSnapshot {
  name: string;
  siteId: string | null;
  profileId: string | null;
  trend: HealthTrendPoint[];
}

/** A device's health: the latest assessment and its trend. */
export interface DeviceHealth {
  device: string;
  latest: HealthSnapshot | null;
  trend: HealthTrendPoint[];
}

/** How a model input is read from a profile point per cycle: its mean, maximum or minimum. */
export type RulInputAggregate = 'avg' | 'max' | 'min';

/** One model input ← a point of the profile, aggregated per cycle. */
export interface RulInput {
  sensor: number;
  point: string;
  agg: RulInputAggregate;
}

/** A remaining-useful-life model as `GET /api/v1/rul/models` lists it (the contract's shape). */
export type { RulModelInfo };

/** Which model applies to a profile's devices, and how its inputs are read. */
export interface RulBinding {
  id: string;
  tenantId: string | null;
  profileId: string;
  modelId: string;
  inputs: RulInput[];
  cycleSeconds: number;
  createdBy: string | null;
  createdAt: string;
}

/** The health APIs as the console uses them. */
export interface HealthApi {
  /** The fleet, riskiest first. */
  fleet(query?: { site?: string; profile?: string }, options?: CallOptions): Promise<FleetItem[]>;
  device(device: string, options?: CallOptions): Promise<DeviceHealth>;
  /** Assesses every device now. */
  assess(): Promise<{ assessed: number }>;
  /** The enterprise's device profiles (their points are what model inputs are mapped to). */
  profiles(options?: CallOptions): Promise<ProfileDto[]>;
  models(options?: CallOptions): Promise<RulModelInfo[]>;
  bindings(options?: CallOptions): Promise<RulBinding[]>;
  /** Uploads a model file written by `yulian analytics train-rul`; a corrupted one is refused with MODEL_INVALID. */
  addModel(body: { name: string; description?: string; file: string }): Promise<RulModelInfo>;
  /** Applies a model to a profile's devices (replacing its binding); a bad mapping is refused with RUL_BINDING_INVALID. */
  bind(profileId: string, body: { modelId: string; inputs: RulInput[]; cycleSeconds: number }): Promise<RulBinding>;
}

/**
 * Creates the health API client.
 * @example const fleet = await createHealthApi({ token: () => api.token() }).fleet()
 */
export function createHealthApi(options: JsonCallerOptions): HealthApi {
  const { call, items } = createJsonCaller(options);
  return {
    fleet: (query = {}, o) => {
      const q = new URLSearchParams();
      if (query.site) q.set('site', query.site);
      if (query.profile) q.set('profile', query.profile);
      const s = q.toString();
      return items(`/api/v1/health/devices${s ? `?${s}` : ''}`, o?.signal);
    },
    device: (device, o) => call(`/api/v1/devices/${encodeURIComponent(device)}/health`, { signal: o?.signal }),
    assess: () => call('/api/v1/health/assess', { method: 'POST' }),
    profiles: (o) => items('/api/v1/profiles', o?.signal),
    models: (o) => items('/api/v1/rul/models', o?.signal),
    bindings: (o) => items('/api/v1/rul/bindings', o?.signal),
    addModel: (body) => call('/api/v1/rul/models', { method: 'POST', body }),
    bind: (profileId, body) => call(`/api/v1/profiles/${encodeURIComponent(profileId)}/rul-binding`, { method: 'PUT', body }),
  };
}
