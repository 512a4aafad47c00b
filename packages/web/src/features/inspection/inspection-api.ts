import type {
  InspectionCheckIn,
  InspectionCheckInInput,
  InspectionPlan,
  InspectionPlanInput,
  InspectionRecord,
  InspectionRoute,
  InspectionRouteInput,
  InspectionStandard,
  InspectionStandardInput,
  InspectionSubmitInput,
  InspectionTask,
  InspectionTaskStatus,
} from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

export type { InspectionCheckIn, InspectionCheckInInput, InspectionRecord, InspectionSubmitInput, InspectionTask };
export type { InspectionPlan, InspectionPlanInput, InspectionRoute, InspectionRouteInput, InspectionStandard, InspectionStandardInput, InspectionTaskStatus };

/** A device profile as `GET /api/v1/profiles` lists it (the part the console's inspection pages use). */
export interface ProfileSummary {
  id: string;
  name: string;
}

/** A device's identifier as `GET /api/v1/devices/{id}/identifier` answers it (the part the phone page uses). */
export interface DeviceIdentifierInfo {
  device: string;
  identifier: string | null;
}

/** The spot-inspection APIs (`/api/v1/inspection/…`) as the phone page uses them. */
export interface InspectionApi {
  /** The caller's rounds, newest first. */
  myTasks(options?: CallOptions): Promise<InspectionTask[]>;
  task(id: string, options?: CallOptions): Promise<InspectionTask>;
  /** The identifier the device's QR code names. */
  deviceIdentifier(device: string, options?: CallOptions): Promise<DeviceIdentifierInfo>;
  checkIn(task: string, body: InspectionCheckInInput): Promise<InspectionCheckIn>;
  submit(record: string, body: InspectionSubmitInput): Promise<InspectionRecord>;
  deviceRecords(device: string, options?: CallOptions): Promise<InspectionRecord[]>;
  /** Every round the caller may see (the console's 点检任务), newest start first, optionally of one status. */
  tasks(query?: { status?: InspectionTaskStatus; limit?: number }, options?: CallOptions): Promise<InspectionTask[]>;
  profiles(options?: CallOptions): Promise<ProfileSummary[]>;
  standards(options?: CallOptions): Promise<InspectionStandard[]>;
  createStandard(body: InspectionStandardInput): Promise<InspectionStandard>;
  updateStandard(id: string, body: InspectionStandardInput): Promise<InspectionStandard>;
  deleteStandard(id: string): Promise<InspectionStandard>;
  routes(options?: CallOptions): Promise<InspectionRoute[]>;
  createRoute(body: InspectionRouteInput): Promise<InspectionRoute>;
  deleteRoute(id: string): Promise<InspectionRoute>;
  plans(options?: CallOptions): Promise<InspectionPlan[]>;
  createPlan(body: InspectionPlanInput): Promise<InspectionPlan>;
  deletePlan(id: string): Promise<InspectionPlan>;
}

/**
 * Creates the spot-inspection API client.
 *
 * @example
 * const inspection = createInspectionApi({ token: () => api.token() });
 * const rounds = await inspection.myTasks();
 */
export function createInspectionApi(options: JsonCallerOptions): InspectionApi {
  const { call, items } = createJsonCaller(options);
  return {
    myTasks: (o) => items('/api/v1/inspection/tasks?mine=true&limit=50', o?.signal),
    task: (id, o) => call(`/api/v1/inspection/tasks/${encodeURIComponent(id)}`, { signal: o?.signal }),
    deviceIdentifier: (device, o) => call(`/api/v1/devices/${encodeURIComponent(device)}/identifier`, { signal: o?.signal }),
    checkIn: (task, body) => call(`/api/v1/inspection/tasks/${encodeURIComponent(task)}/check-in`, { method: 'POST', body }),
    submit: (record, body) => call(`/api/v1/inspection/records/${encodeURIComponent(record)}/submit`, { method: 'POST', body }),
    deviceRecords: (device, o) => items(`/api/v1/devices/${encodeURIComponent(device)}/inspections`, o?.signal),
    tasks: (query = {}, o) => {
      const q = new URLSearchParams({ limit: String(query.limit ?? 200) });
      if (query.status) q.set('status', query.status);
      return items(`/api/v1/inspection/tasks?${q.toString()}`, o?.signal);
    },
    profiles: (o) => items('/api/v1/profiles', o?.signal),
    standards: (o) => items('/api/v1/inspection/standards', o?.signal),
    createStandard: (body) => call('/api/v1/inspection/standards', { method: 'POST', body }),
    updateStandard: (id, body) => call(`/api/v1/inspection/standards/${encodeURIComponent(id)}`, { method: 'PUT', body }),
    deleteStandard: (id) => call(`/api/v1/inspection/standards/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    routes: (o) => items('/api/v1/inspection/routes', o?.signal),
    createRoute: (body) => call('/api/v1/inspection/routes', { method: 'POST', body }),
    deleteRoute: (id) => call(`/api/v1/inspection/routes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    plans: (o) => items('/api/v1/inspection/plans', o?.signal),
    createPlan: (body) => call('/api/v1/inspection/plans', { method: 'POST', body }),
    deletePlan: (id) => call(`/api/v1/inspection/plans/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  };
}
