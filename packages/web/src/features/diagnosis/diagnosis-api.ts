import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';
import type { BurstInfo, Diagnosis } from './diagnosis-types';

/** The vibration APIs as the diagnosis page uses them. */
export interface DiagnosisApi {
  /** The device's bursts, newest first (without samples). */
  bursts(device: string, options?: CallOptions): Promise<BurstInfo[]>;
  /** The diagnosis of a burst, the newest without one; 404 `VIBRATION_BURST_NOT_FOUND` when there is none. */
  diagnosis(device: string, burst: string | undefined, options?: CallOptions): Promise<Diagnosis>;
  /** Takes a burst of a virtual-factory machine now (503 without the demo, 409 while it stands). */
  measure(device: string): Promise<BurstInfo>;
}

const base = (device: string): string => `/api/v1/devices/${encodeURIComponent(device)}/vibration`;

/**
 * Creates the vibration API client.
 * @example const api = createDiagnosisApi({ token: () => session.token() }); await api.diagnosis('compressor-01', undefined)
 */
export function createDiagnosisApi(options: JsonCallerOptions): DiagnosisApi {
  const { call, items } = createJsonCaller(options);
  return {
    bursts: (device, o) => items<BurstInfo>(`${base(device)}/bursts?limit=50`, o?.signal),
    diagnosis: (device, burst, o) => call<Diagnosis>(`${base(device)}/diagnosis${burst ? `?burst=${encodeURIComponent(burst)}` : ''}`, { signal: o?.signal }),
    measure: (device) => call<BurstInfo>(`${base(device)}/measure`, { method: 'POST' }),
  };
}
