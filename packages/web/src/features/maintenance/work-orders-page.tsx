import { useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { MaintenanceSections } from './maintenance-sections';
import { priorityBadge, statusBadge } from './maintenance-format';
import type { WorkOrderQuery } from './maintenance-api';
import { NewWorkOrderDialog } from './new-work-order-dialog';
import { useMaintenanceApi } from './use-maintenance-api';

type Scope = NonNullable<WorkOrderQuery['status']> | 'all';
const scopes: readonly Scope[] = ['openish', 'open', 'in_progress', 'done', 'cancelled', 'all'];

/** 维护 → 工单: the enterprise's work orders (open and in progress first by default), and a new one by hand. */
export function WorkOrdersPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const maintenance = useMaintenanceApi();
  const [scope, setScope] = useState<Scope>('openish');
  const [creating, setCreating] = useState(false);
  const list = usePolling((signal) => maintenance.listOrders(scope === 'all' ? {} : { status: scope }, { signal }), [maintenance, scope], { intervalMs: 5000 });
  const items = list.data ?? [];

  return (
    <>
      <PageHeader
        title={t('maintenance.title')}
        intro={t('maintenance.intro')}
        actions={
          can(me.role, 'maintenance.write') ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              {t('maintenance.newOrder')}
            </button>
          ) : null
        }
      />
      <MaintenanceSections />
      {creating ? <NewWorkOrderDialog maintenance={maintenance} onClose={() => setCreating(false)} onCreated={(o) => navigate('/maintenance/orders/:id', { id: o.id })} /> : null}
      <div className="filter-bar">
        <Field label={t('maintenance.filter')}>
          {(control) => (
            <select {...control} value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
              {scopes.map((s) => (
                <option key={s} value={s}>
                  {t(`maintenance.filter.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <DataTable
        caption={t('maintenance.caption')}
        count={t('maintenance.count', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(o) => o.id}
        busy={list.loading}
        error={list.error}
        onRetry={list.refresh}
        empty={t('maintenance.empty')}
        columns={[
          { key: 'priority', header: t('maintenance.priority'), className: 'nowrap', cell: (o) => <span className={priorityBadge[o.priority]}>{t(`maintenance.priority.${o.priority}`)}</span> },
          {
            key: 'title',
            header: t('maintenance.orderTitle'),
            rowHeader: true,
            cell: (o) => (
              <Link to="/maintenance/orders/:id" params={{ id: o.id }}>
                {o.title}
              </Link>
            ),
          },
          {
            key: 'device',
            header: t('maintenance.device'),
            className: 'nowrap',
            cell: (o) => (
              <Link to="/devices/:id" params={{ id: o.device }}>
                {o.device}
              </Link>
            ),
          },
          { key: 'status', header: t('maintenance.status'), className: 'nowrap', cell: (o) => <span className={statusBadge[o.status]}>{t(`maintenance.status.${o.status}`)}</span> },
          { key: 'source', header: t('maintenance.source'), className: 'nowrap', cell: (o) => t(`maintenance.source.${o.source}`) },
          { key: 'assignee', header: t('maintenance.assignee'), className: 'nowrap', cell: (o) => o.assignee ?? t('common.none') },
          { key: 'created', header: t('maintenance.createdAt'), className: 'nowrap', cell: (o) => formatDateTime(o.createdAt) },
          { key: 'due', header: t('maintenance.dueAt'), className: 'nowrap', cell: (o) => (o.dueAt ? formatDateTime(o.dueAt) : t('common.none')) },
        ]}
      />
    </>
  );
}
