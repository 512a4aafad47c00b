import { useState } from 'react';
import type { Enterprise } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
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
      {audit.error ? <ErrorAlert error={audit.error} onRetry={audit.reload} /> : null}
      <section className="panel">
        <div className="table-wrap">
          <table className="table table-dense table-stack" aria-busy={audit.loading}>
            <caption>
              {t('audit.tableCaption')} · {t('audit.count', { count: items.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.ts')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.outcome')}</th>
                <th scope="col">{t('audit.ip')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => {
                const details = formatDetails(entry.details);
                const enterpriseName = entry.target === null ? undefined : enterpriseNames.get(entry.target);
                return (
                  <tr key={entry.id}>
                    <td className="nowrap" data-label={t('audit.ts')}>
                      {formatDateTime(entry.ts)}
                    </td>
                    <td data-label={t('audit.actor')}>{entry.actor ?? t('common.none')}</td>
                    <td className="nowrap" title={entry.action} data-label={t('audit.action')}>
                      {actionName(entry.action) === entry.action ? <code>{entry.action}</code> : actionName(entry.action)}
                    </td>
                    <td data-label={t('audit.target')} title={enterpriseName ? (entry.target ?? undefined) : undefined}>
                      {enterpriseName ?? entry.target ?? t('common.none')}
                    </td>
                    <td data-label={t('audit.outcome')}>
                      <span className={entry.outcome === 'success' ? 'badge badge-on' : 'badge badge-alert'}>
                        {entry.outcome === 'success' ? t('audit.success') : t('audit.failure')}
                      </span>
                    </td>
                    <td className="nowrap" data-label={t('audit.ip')}>
                      {entry.ip ?? t('common.none')}
                    </td>
                    <td className="details" title={details} data-label={t('audit.details')}>
                      {details ? <code>{details}</code> : t('common.none')}
                    </td>
                  </tr>
                );
              })}
              {items.length === 0 && !audit.loading ? (
                <tr>
                  <td colSpan={7} className="empty">
                    {t('common.empty')}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
