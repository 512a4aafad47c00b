import type { User, WorkOrderAssignee } from '@yulian/contracts';
import type { MaintenanceApi, WorkOrder } from './maintenance-api';

/** One choice of an assignee list: a username and how the list shows it. */
export interface AssigneeChoice {
  /** Empty: nobody (the work order is unassigned). */
  username: string;
  label: string;
}

/** A person a work order can go to: what `GET /api/v1/work-orders/assignees` answers (or a user account). */
export type Assignee = WorkOrderAssignee | Pick<User, 'username' | 'displayName' | 'tenantId' | 'disabled'>;

/**
 * The people a work order can be assigned to: "nobody", then the enabled users of the order's enterprise
 * by username, with the current assignee kept even when they are no longer listed (disabled or removed),
 * so that opening the page never changes the assignee by itself.
 * @example assigneeChoices(users, order, '未指派') // [{ username: '', label: '未指派' }, { username: 'demo-operator', label: '演示操作员（demo-operator）' }, …]
 */
export function assigneeChoices(users: readonly Assignee[], order: Pick<WorkOrder, 'tenantId' | 'assignee'>, nobody: string): AssigneeChoice[] {
  const label = (u: Assignee) => (u.displayName && u.displayName !== u.username ? `${u.displayName}（${u.username}）` : u.username);
  const listed = users.filter((u) => !('disabled' in u && u.disabled) && u.tenantId === order.tenantId).sort((a, b) => a.username.localeCompare(b.username));
  const choices = [{ username: '', label: nobody }, ...listed.map((u) => ({ username: u.username, label: label(u) }))];
  if (order.assignee && !listed.some((u) => u.username === order.assignee)) choices.push({ username: order.assignee, label: order.assignee });
  return choices;
}

/**
 * Reassigns a work order (`PATCH /api/v1/work-orders/:id`); an empty username unassigns it.
 * @example await reassign(maintenance, 'w1', 'demo-operator')
 */
export function reassign(maintenance: Pick<MaintenanceApi, 'updateOrder'>, id: string, username: string): Promise<WorkOrder> {
  const assignee = username.trim();
  return maintenance.updateOrder(id, { assignee: assignee === '' ? null : assignee });
}
