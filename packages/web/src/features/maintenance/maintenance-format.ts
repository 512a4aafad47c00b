import { lifecycleStates } from '@yulian/contracts';
import type { MessageKey } from '../../i18n';
import type { DeviceHistoryEntryDto, WorkOrder } from './maintenance-api';

/** Badge class of each work-order status. */
export const statusBadge: Record<WorkOrder['status'], string> = {
  open: 'badge badge-warn',
  in_progress: 'badge badge-alert',
  done: 'badge badge-on',
  cancelled: 'badge',
};

/** Badge class of each priority. */
export const priorityBadge: Record<WorkOrder['priority'], string> = {
  urgent: 'badge badge-alert',
  high: 'badge badge-warn',
  normal: 'badge',
  low: 'badge',
};

/** The message key of a lifecycle state, or the raw text of one this console does not know. */
export function lifecycleKey(state: string | null): MessageKey | undefined {
  return state && (lifecycleStates as readonly string[]).includes(state) ? (`lifecycle.${state}` as MessageKey) : undefined;
}

/** What a history entry says, as a message key and its values: `work_order` steps, alarm steps, lifecycle moves. */
export function historyLine(e: DeviceHistoryEntryDto, t: (key: MessageKey) => string): { key: MessageKey; values: Record<string, string> } {
  const stateName = (s: string | null): string => {
    const key = lifecycleKey(s);
    return key ? t(key) : (s ?? '');
  };
  const step = typeof e.details.step === 'string' ? e.details.step : '';
  const title = typeof e.details.title === 'string' ? e.details.title : typeof e.details.ruleName === 'string' ? e.details.ruleName : '';
  if (e.kind === 'work_order') {
    const known = ['created', 'started', 'done', 'cancelled', 'note', 'assigned'] as const;
    const s = known.find((k) => k === step) ?? 'created';
    return { key: `history.workOrder.${s}`, values: { title, text: e.reason } };
  }
  if (e.kind === 'alarm') {
    const s = step === 'acknowledged' || step === 'cleared' ? step : 'raised';
    return { key: `history.alarm.${s}`, values: { title, text: e.reason } };
  }
  if (e.kind === 'lifecycle') return { key: 'history.lifecycle', values: { from: stateName(e.from), to: stateName(e.to), text: e.reason } };
  if (e.kind === 'created') return { key: 'history.created', values: { text: e.reason } };
  if (e.kind === 'inspection') return { key: 'history.inspection', values: { text: e.reason } };
  return { key: 'history.other', values: { kind: e.kind, text: e.reason } };
}
