import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { GradingApi, Rectification } from './grading-api';

/** The enterprise's rectification report: what was done and a link to the evidence. */
function ReportDialog({ api, rectification, onDone, onClose }: { api: GradingApi; rectification: Rectification; onDone: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [evidence, setEvidence] = useState('https://');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.report(rectification.id, { text: text.trim(), evidence: evidence.trim() });
      onDone();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('inspections.reportTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {error ? <ErrorAlert error={error} /> : null}
        <p>{rectification.description}</p>
        <Field label={t('inspections.reportText')}>{(control) => <textarea {...control} required maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} />}</Field>
        <Field label={t('inspections.evidence')} hint={t('inspections.evidenceHint')}>
          {(control) => <input {...control} type="url" required maxLength={1000} value={evidence} onChange={(e) => setEvidence(e.target.value)} />}
        </Field>
        <FormActions submitLabel={t('inspections.report')} busy={busy} onCancel={onClose} disabled={!text.trim() || !/^https?:\/\/\S+$/i.test(evidence.trim())} />
      </form>
    </Dialog>
  );
}

/** Rectification items: the enterprise reports open ones; the authority accepts or returns reported ones. */
export function RectificationsTable({ api, rows, onChanged }: { api: GradingApi; rows: readonly Rectification[]; onChanged: () => void }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const [reporting, setReporting] = useState<Rectification>();
  const [error, setError] = useState<unknown>();
  const respond = can(me.role, 'securityInspections.respond');
  const manage = can(me.role, 'securityInspections.manage');
  const verify = async (r: Rectification, outcome: 'accepted' | 'returned') => {
    setError(undefined);
    try {
      await api.verify(r.id, { outcome, comment: '' });
      onChanged();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <>
      {error ? <ErrorAlert error={error} /> : null}
      {reporting ? (
        <ReportDialog
          api={api}
          rectification={reporting}
          onClose={() => setReporting(undefined)}
          onDone={() => {
            setReporting(undefined);
            onChanged();
          }}
        />
      ) : null}
      <DataTable
        caption={t('inspections.rectifications')}
        count={t('grading.count', { count: formatNumber(rows.length) })}
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('grading.none')}
        columns={[
          { key: 'description', header: t('inspections.description'), rowHeader: true, cell: (r) => r.description },
          { key: 'enterprise', header: t('grading.enterprise'), className: 'nowrap', cell: (r) => r.enterpriseCode },
          { key: 'severity', header: t('inspections.severity'), className: 'nowrap', cell: (r) => t(`inspections.severity.${r.severity}`) },
          { key: 'deadline', header: t('inspections.deadline'), className: 'nowrap', cell: (r) => `${formatDateTime(r.deadline)}${r.overdue ? ` (${t('grading.overdue')})` : ''}` },
          { key: 'status', header: t('grading.status'), className: 'nowrap', cell: (r) => t(`inspections.rectStatus.${r.status}`) },
          { key: 'report', header: t('inspections.reportText'), cell: (r) => (r.report ? <>{r.report} {r.evidence ? <a href={r.evidence} target="_blank" rel="noreferrer noopener">{t('inspections.evidence')}</a> : null}</> : '') },
          {
            key: 'actions',
            header: t('common.actions'),
            className: 'actions-cell',
            cell: (r) =>
              respond && r.status === 'open' ? (
                <button type="button" className="button button-primary button-small" onClick={() => setReporting(r)}>
                  {t('inspections.report')}
                </button>
              ) : manage && r.status === 'reported' ? (
                <>
                  <button type="button" className="button button-primary button-small" onClick={() => void verify(r, 'accepted')}>
                    {t('inspections.accept')}
                  </button>{' '}
                  <button type="button" className="button button-secondary button-small" onClick={() => void verify(r, 'returned')}>
                    {t('inspections.return')}
                  </button>
                </>
              ) : null,
          },
        ]}
      />
    </>
  );
}
