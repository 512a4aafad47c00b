import type { InspectionCheckIn, InspectionCheckInInput, InspectionRecord, InspectionSubmitInput, InspectionTask } from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

export type { InspectionCheckIn, InspectionCheckInInput, InspectionRecord, InspectionSubmitInput, InspectionTask };

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
  };
}
