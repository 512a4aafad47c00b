import { useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { IssueNoticeForm } from './issue-notice-form';
import { noticeStatusBadge, recipientBadge, severityBadge } from './notice-format';
import { useNoticesApi } from './use-notices-api';
import './notices.css';

/**
 * 预警通报: for the authority every notice with its progress (3/5 已处置) and the issue form; for an
 * enterprise its inbox (收到的通报) with its own status.
 */
export function NoticesPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const notices = useNoticesApi();
  const issuer = can(me.role, 'notices.issue');
  const [issuing, setIssuing] = useState(false);
  const list = usePolling((signal) => notices.list({ signal }), [notices], { intervalMs: 10_000 });
  const items = list.data ?? [];

  return (
    <>
      <PageHeader
        title={issuer ? t('notices.title') : t('notices.inboxTitle')}
        intro={issuer ? t('notices.intro') : t('notices.inboxIntro')}
        actions={
          issuer && !issuing ? (
            <button type="button" className="button button-primary" onClick={() => setIssuing(true)}>
              {t('notices.new')}
            </button>
          ) : null
        }
      />
      {issuing ? <IssueNoticeForm notices={notices} onCancel={() => setIssuing(false)} onIssued={(n) => navigate('/security/notices/:id', { id: n.id })} /> : null}
      <DataTable
        caption={issuer ? t('notices.title') : t('notices.inboxTitle')}
        count={t('notices.count', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(n) => n.id}
        busy={list.loading}
        error={list.error}
        onRetry={list.refresh}
        empty={t('notices.empty')}
        columns={[
          { key: 'number', header: t('notices.number'), className: 'nowrap', cell: (n) => n.number ?? t('notices.status.draft') },
          {
            key: 'title',
            header: t('notices.noticeTitle'),
            rowHeader: true,
            cell: (n) => (
              <Link to="/security/notices/:id" params={{ id: n.id }}>
                {n.title}
              </Link>
            ),
          },
          { key: 'severity', header: t('notices.severity'), className: 'nowrap', cell: (n) => <span className={severityBadge[n.severity]}>{t(`notices.severity.${n.severity}`)}</span> },
          { key: 'kind', header: t('notices.kind'), className: 'nowrap', cell: (n) => t(`notices.kind.${n.kind}`) },
          issuer
            ? { key: 'progress', header: t('notices.progress'), className: 'nowrap', cell: (n) => <span className={noticeStatusBadge[n.status]}>{n.status === 'closed' ? t('notices.status.closed') : t('notices.progressValue', { done: formatNumber(n.progress.disposed), total: formatNumber(n.progress.total) })}</span> }
            : { key: 'mine', header: t('notices.myStatus'), className: 'nowrap', cell: (n) => (n.mine ? <span className={recipientBadge[n.mine.status]}>{t(`notices.recipient.${n.mine.status}`)}</span> : '') },
          { key: 'overdue', header: t('notices.overdue'), className: 'nowrap', cell: (n) => ((issuer ? n.progress.overdue > 0 : n.mine?.overdue) ? <span className="badge badge-alert">{issuer ? t('notices.overdueCount', { count: formatNumber(n.progress.overdue) }) : t('notices.overdueYes')}</span> : '') },
          { key: 'deadline', header: t('notices.deadline'), className: 'nowrap', cell: (n) => formatDateTime(n.deadline) },
        ]}
      />
    </>
  );
}
