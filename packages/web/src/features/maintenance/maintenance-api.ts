import type { DeviceHistoryEntryDto, MaintenanceSchedule, MaintenanceScheduleInput, WorkOrder, WorkOrderAssignee, WorkOrderInput, WorkOrderNote, WorkOrderPriority, WorkOrderStatusChange } from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

export type { DeviceHistoryEntryDto, MaintenanceSchedule, MaintenanceScheduleInput, WorkOrder, WorkOrderAssignee, WorkOrderInput, WorkOrderNote, WorkOrderPriority, WorkOrderStatusChange };

/** A work-order list query. */
export interface WorkOrderQuery {
  /** `openish`: open or in progress. */
  status?: WorkOrder['status'] | 'openish';
  device?: string;
  sourceRef?: string;
  limit?: number;
}

/** The maintenance APIs (`/api/v1/work-orders`, `/api/v1/maintenance-schedules`, a device's history) as the console uses them. */
export interface MaintenanceApi {
  listOrders(query: WorkOrderQuery, options?: CallOptions): Promise<WorkOrder[]>;
  getOrder(id: string, options?: CallOptions): Promise<WorkOrder>;
  /** Creates a work order; for an alarm that has one already, answers that one. */
  createOrder(body: WorkOrderInput): Promise<WorkOrder>;
  updateOrder(id: string, body: { title?: string; description?: string; priority?: WorkOrderPriority; assignee?: string | null }): Promise<WorkOrder>;
  /** Who work orders can go to: the enterprise's enabled users who work on them (any role that may write work orders may ask). */
  assignees(options?: CallOptions): Promise<WorkOrderAssignee[]>;
  /** Starts (device under maintenance), finishes or cancels a work order. */
  setStatus(id: string, change: WorkOrderStatusChange): Promise<WorkOrder>;
  notes(id: string, options?: CallOptions): Promise<WorkOrderNote[]>;
  addNote(id: string, text: string): Promise<WorkOrderNote>;
  listSchedules(options?: CallOptions): Promise<MaintenanceSchedule[]>;
  createSchedule(body: MaintenanceScheduleInput): Promise<MaintenanceSchedule>;
  deleteSchedule(id: string): Promise<MaintenanceSchedule>;
  /** A device's history, newest first: lifecycle, alarms, work orders. */
  history(device: string, options?: CallOptions & { limit?: number }): Promise<DeviceHistoryEntryDto[]>;
}

/** The query string of a work-order list, e.g. `?status=openish&device=cnc-01`. */
export function workOrderQueryString(query: WorkOrderQuery): string {
  const q = new URLSearchParams();
  if (query.status) q.set('status', query.status);
  if (query.device) q.set('device', query.device);
  if (query.sourceRef) q.set('sourceRef', query.sourceRef);
  if (query.limit !== undefined) q.set('limit', String(query.limit));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Creates the maintenance API client.
 *
 * @example
 * const maintenance = createMaintenanceApi({ token: () => api.token() });
 * const open = await maintenance.listOrders({ status: 'openish' });
 */
export function createMaintenanceApi(options: JsonCallerOptions): MaintenanceApi {
  const { call, items } = createJsonCaller(options);
  const order = (id: string) => `/api/v1/work-orders/${encodeURIComponent(id)}`;
  return {
    listOrders: (query, o) => items(`/api/v1/work-orders${workOrderQueryString(query)}`, o?.signal),
    getOrder: (id, o) => call(order(id), { signal: o?.signal }),
    createOrder: (body) => call('/api/v1/work-orders', { method: 'POST', body }),
    updateOrder: (id, body) => call(order(id), { method: 'PATCH', body }),
    assignees: (o) => items('/api/v1/work-orders/assignees', o?.signal),
    setStatus: (id, change) => call(`${order(id)}/status`, { method: 'POST', body: change }),
    notes: (id, o) => items(`${order(id)}/notes`, o?.signal),
    addNote: (id, text) => call(`${order(id)}/notes`, { method: 'POST', body: { text } }),
    listSchedules: (o) => items('/api/v1/maintenance-schedules', o?.signal),
    createSchedule: (body) => call('/api/v1/maintenance-schedules', { method: 'POST', body }),
    deleteSchedule: (id) => call(`/api/v1/maintenance-schedules/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    history: (device, o) => items(`/api/v1/devices/${encodeURIComponent(device)}/history?limit=${o?.limit ?? 100}`, o?.signal),
  };
}
