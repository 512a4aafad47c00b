import { useState } from 'react';
import type { Enterprise } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { knownAuditActions, useAuditActionName } from './audit-actions';

/** How many entries the page may ask for; the server allows up to 1000. */
const limits = [50, 200, 1000] as const;
type Limit = (typeof limits)[number];
const defaultLimit: Limit = 200;

const formatDetails = (details: Record<string, unknown>): string =>
  Object.keys(details).length === 0 ? '' : JSON.stringify(details);

/** 管理 → 审计日志: the latest audit entries, newest first, filtered by action, with readable names. */
export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const actionName = useAuditActionName();
  const me = useMe();
  const api = useApi();
  const [action, setAction] = useState('');
  const [limit, setLimit] = useState<Limit>(defaultLimit);
  const audit = useResource((signal) => api.listAudit({ limit, action: action || undefined }, { signal }), [api, limit, action]);
  // Enterprise actions name their target by id; callers who may list enterprises see the name instead.
  const seesEnterprises = can(me.role, 'enterprises.view');
  const enterprises = useResource(
    (signal): Promise<Enterprise[]> => (seesEnterprises ? api.listEnterprises({ signal }) : Promise.resolve([])),
    [api, seesEnterprises],
  );
  const enterpriseNames = new Map((enterprises.data ?? []).map((e) => [e.id, e.name]));
  const targetName = (target: string | null): string | undefined =>
    target === null ? undefined : enterpriseNames.get(target);
  const items = audit.data ?? [];

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        intro={t('audit.intro')}
        actions={
          <button type="button" className="button button-secondary" onClick={audit.reload}>
            {t('common.refresh')}
          </button>
        }
      />
      <div className="filter-bar" role="group" aria-label={t('audit.filters')}>
        <Field label={t('audit.filterAction')}>
          {(control) => (
            <select {...control} name="action" value={action} onChange={(e) => setAction(e.target.value)}>
              <option value="">{t('audit.allActions')}</option>
              {knownAuditActions.map((a) => (
                <option key={a} value={a}>
                  {actionName(a)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('audit.limit')}>
          {(control) => (
            <select {...control} name="limit" value={limit} onChange={(e) => setLimit(Number(e.target.value) as Limit)}>
              {limits.map((n) => (
                <option key={n} value={n}>
                  {t('audit.limitOption', { limit: n })}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <DataTable
        caption={t('audit.tableCaption')}
        count={t('audit.count', { count: items.length })}
        rows={items}
        rowKey={(entry) => entry.id}
        busy={audit.loading}
        dense
        error={audit.error}
        onRetry={audit.reload}
        columns={[
          { key: 'ts', header: t('audit.ts'), className: 'nowrap', cell: (entry) => formatDateTime(entry.ts) },
          { key: 'actor', header: t('audit.actor'), cell: (entry) => entry.actor ?? t('common.none') },
          {
            key: 'action',
            header: t('audit.action'),
            className: 'nowrap',
            // Unknown actions show their raw code; the tooltip always gives it, for searching the logs.
            title: (entry) => entry.action,
            cell: (entry) => (actionName(entry.action) === entry.action ? <code>{entry.action}</code> : actionName(entry.action)),
          },
          {
            key: 'target',
            header: t('audit.target'),
            // A resolved enterprise name keeps its id in the tooltip.
            title: (entry) => (targetName(entry.target) ? (entry.target ?? undefined) : undefined),
            cell: (entry) => targetName(entry.target) ?? entry.target ?? t('common.none'),
          },
          {
            key: 'outcome',
            header: t('audit.outcome'),
            cell: (entry) => (
              <span className={entry.outcome === 'success' ? 'badge badge-on' : 'badge badge-alert'}>
                {entry.outcome === 'success' ? t('audit.success') : t('audit.failure')}
              </span>
            ),
          },
          { key: 'ip', header: t('audit.ip'), className: 'nowrap', cell: (entry) => entry.ip ?? t('common.none') },
          {
            key: 'details',
            header: t('audit.details'),
            // The stylesheet truncates long details to one line; the tooltip holds all of them.
            className: 'details',
            title: (entry) => formatDetails(entry.details),
            cell: (entry) => {
              const details = formatDetails(entry.details);
              return details ? <code>{details}</code> : t('common.none');
            },
          },
        ]}
      />
    </>
  );
}
