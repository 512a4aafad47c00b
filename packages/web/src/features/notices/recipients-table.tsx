import { useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { recipientBadge } from './notice-format';
import type { Notice, NoticeRecipient, NoticesApi } from './notices-api';

/** The authority's per-enterprise table of a notice: status, disposal report, accept or return. */
export function RecipientsTable({ notices, notice, version, onDone }: { notices: NoticesApi; notice: Notice; version: number; onDone: (message: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const rows = useResource((signal) => notices.recipients(notice.id, { signal }), [notices, notice.id, version]);
  const [comment, setComment] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const review = async (r: NoticeRecipient, outcome: 'accepted' | 'returned') => {
    setBusy(true);
    setError(undefined);
    try {
      await notices.review(notice.id, r.tenantId, { outcome, comment: comment[r.tenantId] ?? '' });
      onDone(t(outcome === 'accepted' ? 'notices.accepted' : 'notices.returned', { enterprise: r.enterpriseName }));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-label={t('notices.recipients')}>
      <h2 className="panel-title">{t('notices.recipients')}</h2>
      {error ? <ErrorAlert error={error} /> : null}
      <DataTable
        caption={t('notices.recipients')}
        rows={rows.data ?? []}
        rowKey={(r) => r.tenantId}
        busy={rows.loading}
        error={rows.error}
        onRetry={rows.reload}
        count={t('notices.count', { count: String(rows.data?.length ?? 0) })}
        empty={t('notices.noRecipients')}
        columns={[
          { key: 'enterprise', header: t('notices.enterprise'), rowHeader: true, cell: (r) => `${r.enterpriseName}（${r.enterpriseCode}）` },
          { key: 'district', header: t('notices.districts'), className: 'nowrap', cell: (r) => r.district },
          {
            key: 'status',
            header: t('notices.statusLabel'),
            className: 'nowrap',
            cell: (r) => (
              <>
                <span className={recipientBadge[r.status]}>{t(`notices.recipient.${r.status}`)}</span> {r.overdue ? <span className="badge badge-alert">{t('notices.overdueYes')}</span> : null}
              </>
            ),
          },
          { key: 'disposal', header: t('notices.disposalTitle'), cell: (r) => (r.disposal ? `${r.disposal.summary}${r.disposal.measures.length ? `（${r.disposal.measures.join('；')}）` : ''} · ${formatDateTime(r.disposal.reportedAt)}` : '') },
          {
            key: 'review',
            header: t('notices.review'),
            cell: (r) =>
              r.status === 'disposed' ? (
                <div className="notice-review">
                  <input aria-label={t('notices.reviewComment', { enterprise: r.enterpriseName })} value={comment[r.tenantId] ?? ''} onChange={(e) => setComment({ ...comment, [r.tenantId]: e.target.value })} />
                  <button type="button" className="button button-primary" disabled={busy} onClick={() => void review(r, 'accepted')}>
                    {t('notices.accept', { enterprise: r.enterpriseName })}
                  </button>
                  <button type="button" className="button button-secondary" disabled={busy} onClick={() => void review(r, 'returned')}>
                    {t('notices.return', { enterprise: r.enterpriseName })}
                  </button>
                </div>
              ) : r.review ? (
                `${t(`notices.outcome.${r.review.outcome}`)}${r.review.comment ? `：${r.review.comment}` : ''}`
              ) : (
                ''
              ),
          },
        ]}
      />
    </section>
  );
}
