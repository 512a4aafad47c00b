import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { User } from '@yulian/contracts';
import { fakeFetch } from '../../api/fake-fetch';
import { I18nProvider } from '../../i18n';
import { AssigneeControl } from './assignee-control';
import { assigneeChoices, reassign } from './assignee';
import { createMaintenanceApi, type WorkOrder } from './maintenance-api';

const user = (username: string, u: Partial<User> = {}): User => ({ id: username, username, displayName: '', role: 'operator', tenantId: 't1', disabled: false, createdAt: '2026-11-01T00:00:00.000Z', lastLoginAt: null, ...u });
const users = [user('demo-operator', { displayName: '演示操作员' }), user('demo-engineer'), user('gone', { disabled: true }), user('other-admin', { tenantId: 't2' })];
const order: WorkOrder = {
  id: 'w/1',
  tenantId: 't1',
  device: 'cnc-01',
  title: '振动预警',
  description: '',
  source: 'manual',
  sourceRef: null,
  priority: 'normal',
  status: 'open',
  assignee: 'demo-operator',
  createdBy: 'demo-engineer',
  createdAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T08:00:00.000Z',
  dueAt: null,
  startedAt: null,
  completedAt: null,
  resolution: '',
  maintenance: false,
};

describe('reassigning a work order', () => {
  it('offers nobody and the enterprise’s enabled users, and keeps a current assignee who is no longer listed', () => {
    expect(assigneeChoices(users, order, '未指派')).toEqual([
      { username: '', label: '未指派' },
      { username: 'demo-engineer', label: 'demo-engineer' },
      { username: 'demo-operator', label: '演示操作员（demo-operator）' },
    ]);
    expect(assigneeChoices(users, { ...order, assignee: 'gone' }, '未指派').map((c) => c.username)).toEqual(['', 'demo-engineer', 'demo-operator', 'gone']);
  });

  it('patches the work order with the new assignee, or with null to unassign it', async () => {
    const { fetch, calls } = fakeFetch(200, { ...order, assignee: 'demo-engineer' });
    const m = createMaintenanceApi({ token: () => 'tok', fetch });
    expect((await reassign(m, 'w/1', ' demo-engineer ')).assignee).toBe('demo-engineer');
    await reassign(m, 'w/1', '');
    expect(calls.map((c) => `${c.init?.method} ${c.url} ${String(c.init?.body)}`)).toEqual(['PATCH /api/v1/work-orders/w%2F1 {"assignee":"demo-engineer"}', 'PATCH /api/v1/work-orders/w%2F1 {"assignee":null}']);
  });

  it('reads who can be chosen from GET /api/v1/work-orders/assignees and offers them by display name', async () => {
    const listed = [{ username: 'demo-operator', displayName: '值班操作员 李师傅', role: 'operator', tenantId: 't1' }];
    const { fetch, calls } = fakeFetch(200, { items: listed });
    const assignees = await createMaintenanceApi({ token: () => 'tok', fetch }).assignees();
    expect(calls[0]?.url).toBe('/api/v1/work-orders/assignees');
    expect(assigneeChoices(assignees, order, '未指派')).toEqual([
      { username: '', label: '未指派' },
      { username: 'demo-operator', label: '值班操作员 李师傅（demo-operator）' },
    ]);
  });

  it('passes on the server’s refusal with its code', async () => {
    const body = { error: { code: 'WORK_ORDER_TRANSITION_INVALID', message: 'Work order w1 is done.', details: {} } };
    const m = createMaintenanceApi({ token: () => null, fetch: fakeFetch(409, body).fetch });
    await expect(reassign(m, 'w1', 'demo-engineer')).rejects.toMatchObject({ status: 409, code: 'WORK_ORDER_TRANSITION_INVALID' });
  });
});

describe('the assignee control', () => {
  const render = (listed: readonly User[] | undefined, o: WorkOrder = order): string =>
    renderToStaticMarkup(createElement(I18nProvider, null, createElement(AssigneeControl, { maintenance: { updateOrder: () => Promise.resolve(o) }, order: o, users: listed, onChanged: () => undefined })));

  it('lists the users with the current assignee chosen, and 重新指派 waits for a change', () => {
    const html = render(users);
    expect(html).toMatch(/<label class="field-label" for="[^"]+">处理人<\/label><select/);
    expect(html).toContain('<option value="demo-operator" selected="">演示操作员（demo-operator）</option>');
    expect(html).toContain('<option value="">未指派</option>');
    expect(html).not.toContain('other-admin');
    expect(html).toMatch(/<button type="submit" class="button button-secondary" disabled="" aria-busy="false">重新指派<\/button>/);
  });

  it('asks for a username until (or unless) the list is read', () => {
    const html = render(undefined, { ...order, assignee: null });
    expect(html).toMatch(/处理人<\/label><input[^>]*maxLength="128"[^>]*value=""/);
    expect(html).toContain('填写用户名，可留空。');
    expect(html).not.toContain('<select');
  });
});
