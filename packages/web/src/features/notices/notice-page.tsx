import { useState, type ReactNode } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { listOf, noticeStatusBadge, recipientBadge, severityBadge } from './notice-format';
import type { Notice, NoticesApi } from './notices-api';
import { RecipientsTable } from './recipients-table';
import { useNoticesApi } from './use-notices-api';
import './notices.css';

function NoticeFacts({ notice }: { notice: Notice }) {
  const { t, formatDateTime } = useI18n();
  const none = t('common.none');
  const targets = notice.targets;
  const rows: Array<[string, ReactNode]> = [
    [t('notices.number'), notice.number ?? none],
    [t('notices.statusLabel'), <span key="s" className={noticeStatusBadge[notice.status]}>{t(`notices.status.${notice.status}`)}</span>],
    [t('notices.kind'), t(`notices.kind.${notice.kind}`)],
    [t('notices.severity'), <span key="v" className={severityBadge[notice.severity]}>{t(`notices.severity.${notice.severity}`)}</span>],
    [t('notices.issuedAt'), notice.issuedAt ? `${formatDateTime(notice.issuedAt)} · ${notice.issuedBy ?? ''}` : none],
    [t('notices.deadline'), formatDateTime(notice.deadline)],
    [t('notices.cves'), notice.cves.join('、') || none],
    [t('notices.products'), notice.products.join('；') || none],
    [t('notices.targets'), [...targets.districts, ...targets.industries, ...targets.assetTypes, ...targets.enterprises].join('、') || none],
  ];
  return (
    <dl className="device-facts" aria-label={t('notices.facts')}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** 签名验证: the server checks the stored notice against its SM2 signature (SM2 does not run in this browser). */
function SignatureStatus({ notices, notice }: { notices: NoticesApi; notice: Notice }) {
  const { t } = useI18n();
  const check = useResource((signal) => (notice.signature ? notices.verify(notice.id, { signal }) : Promise.resolve(undefined)), [notices, notice.id, notice.signature?.value]);
  if (!notice.signature) return <p className="muted">{t('notices.unsigned')}</p>;
  if (check.loading) return <p className="muted">{t('notices.verifying')}</p>;
  if (check.error) return <p className="badge badge-alert" role="status">{t('notices.signatureInvalid')}</p>;
  return (
    <p role="status" className="notice-signature">
      <span className="badge badge-on">{t('notices.signatureVerified')}</span> <span className="muted">{t('notices.signatureKey', { key: notice.signature.keyFingerprint.slice(0, 16) })}</span>
    </p>
  );
}

/** 确认收到 and 处置反馈: the enterprise's acts on a notice addressed to it. */
function EnterpriseActions({ notices, notice, onDone }: { notices: NoticesApi; notice: Notice; onDone: (message: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const [summary, setSummary] = useState('');
  const [measures, setMeasures] = useState('');
  const [attachments, setAttachments] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const mine = notice.mine;
  if (!mine) return null;
  const run = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      onDone(message);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const canReport = notice.status === 'issued' && (mine.status === 'received' || mine.status === 'acknowledged');
  return (
    <section className="panel" aria-label={t('notices.myProgress')}>
      <h2 className="panel-title">{t('notices.myProgress')}</h2>
      <p>
        <span className={recipientBadge[mine.status]}>{t(`notices.recipient.${mine.status}`)}</span> {mine.overdue ? <span className="badge badge-alert">{t('notices.overdueYes')}</span> : null}
      </p>
      {mine.review ? <p>{t(mine.review.outcome === 'accepted' ? 'notices.reviewAccepted' : 'notices.reviewReturned', { comment: mine.review.comment || t('common.none') })}</p> : null}
      {mine.disposal ? <p className="muted">{t('notices.reportedAt', { time: formatDateTime(mine.disposal.reportedAt), user: mine.disposal.reportedBy ?? '' })}</p> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {mine.status === 'received' ? (
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void run(() => notices.acknowledge(notice.id), t('notices.acknowledged'))}>
          {t('notices.acknowledge')}
        </button>
      ) : null}
      {canReport ? (
        <form
          className="form"
          aria-label={t('notices.disposalTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => notices.reportDisposal(notice.id, { summary: summary.trim(), measures: listOf(measures), attachments: listOf(attachments) }), t('notices.disposalReported'));
          }}
        >
          <h3>{t('notices.disposalTitle')}</h3>
          <Field label={t('notices.disposalSummary')}>{(c) => <textarea {...c} required rows={3} maxLength={5000} value={summary} onChange={(e) => setSummary(e.target.value)} />}</Field>
          <Field label={t('notices.disposalMeasures')} hint={t('notices.listHint')}>{(c) => <textarea {...c} rows={2} value={measures} onChange={(e) => setMeasures(e.target.value)} />}</Field>
          <Field label={t('notices.disposalAttachments')} hint={t('notices.listHint')}>{(c) => <input {...c} value={attachments} onChange={(e) => setAttachments(e.target.value)} />}</Field>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy || !summary.trim()}>
              {t('notices.submitDisposal')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** 通报详情: the notice, its signature status, and the enterprise's actions or the authority's per-enterprise table. */
export function NoticePage({ id }: { id: string }) {
  const { t } = useI18n();
  const me = useMe();
  const notices = useNoticesApi();
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<string>();
  const notice = useResource((signal) => notices.get(id, { signal }), [notices, id, version]);
  const n = notice.data;
  const done = (message: string) => {
    setStatus(message);
    setVersion((v) => v + 1);
  };

  return (
    <>
      <p className="back-link">
        <Link to="/security/notices">← {t('notices.back')}</Link>
      </p>
      <PageHeader title={n ? t('notices.pageTitle', { title: n.title }) : t('notices.loading')} intro={n?.number ?? ''} />
      {notice.error ? <ErrorAlert error={notice.error} /> : null}
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {n ? (
        <>
          <section className="panel">
            <NoticeFacts notice={n} />
            <SignatureStatus notices={notices} notice={n} />
            <h2 className="panel-title">{t('notices.body')}</h2>
            <p className="notice-body">{n.body}</p>
            {n.actions.length ? (
              <>
                <h2 className="panel-title">{t('notices.actions')}</h2>
                <ol>
                  {n.actions.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ol>
              </>
            ) : null}
          </section>
          {can(me.role, 'notices.respond') ? <EnterpriseActions notices={notices} notice={n} onDone={done} /> : null}
          {can(me.role, 'notices.issue') ? <RecipientsTable notices={notices} notice={n} version={version} onDone={done} /> : null}
        </>
      ) : null}
    </>
  );
}
