import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { PageHeader } from '../../ui/page-header';
import { useApi } from '../auth/session-context';

/** How many entries the page asks for. */
const auditLimit = 200;

const formatDetails = (details: Record<string, unknown>): string =>
  Object.keys(details).length === 0 ? '' : JSON.stringify(details);

/** 管理 → 审计日志: the latest audit entries, newest first. */
export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const api = useApi();
  const audit = useResource((signal) => api.listAudit(auditLimit, { signal }), [api]);
  const items = audit.data ?? [];

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        intro={t('audit.intro', { limit: auditLimit })}
        actions={
          <button type="button" className="button button-secondary" onClick={audit.reload}>
            {t('common.refresh')}
          </button>
        }
      />
      {audit.error ? <ErrorAlert error={audit.error} onRetry={audit.reload} /> : null}
      <section className="panel">
        <div className="table-wrap">
          <table className="table table-dense">
            <caption>{t('audit.tableCaption')}</caption>
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
                return (
                  <tr key={entry.id}>
                    <td className="nowrap">{formatDateTime(entry.ts)}</td>
                    <td>{entry.actor ?? t('common.none')}</td>
                    <td>
                      <code>{entry.action}</code>
                    </td>
                    <td>{entry.target ?? t('common.none')}</td>
                    <td>
                      <span className={entry.outcome === 'success' ? 'badge badge-on' : 'badge badge-alert'}>
                        {entry.outcome === 'success' ? t('audit.success') : t('audit.failure')}
                      </span>
                    </td>
                    <td className="nowrap">{entry.ip ?? t('common.none')}</td>
                    <td className="details" title={details}>
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
