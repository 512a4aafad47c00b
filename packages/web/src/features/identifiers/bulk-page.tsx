import { useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { useFlash } from '../gateways/flash';
import { LiveIndicator } from '../devices/live-indicator';
import { BulkUploadForm } from './bulk-upload-form';
import { download } from './download';
import type { IdentifierApi } from './identifier-api';
import { IdentifierSections } from './identifier-sections';
import type { BulkJob, BulkJobState } from './identifier-types';
import { parseErrorReport } from './template-record';
import { useIdentifierApi, useTemplates } from './use-identifier-api';
import { usePrefixChoices } from './use-prefix-choices';

const stateBadge: Record<BulkJobState, string> = { queued: 'badge badge-off', running: 'badge badge-warn', done: 'badge badge-on', failed: 'badge badge-alert' };
const stateLabel: Record<BulkJobState, MessageKey> = {
  queued: 'identifiers.jobState.queued',
  running: 'identifiers.jobState.running',
  done: 'identifiers.jobState.done',
  failed: 'identifiers.jobState.failed',
};
/** How many report rows the dialog shows; the download has them all. */
const reportRowsShown = 200;

/** A job's progress: a bar and the percentage of its file committed. */
function Progress({ job }: { job: BulkJob }) {
  const { t, formatNumber } = useI18n();
  return (
    <span className="stacked">
      <span
        className={job.state === 'done' ? 'progress progress-done' : 'progress'}
        role="progressbar"
        aria-label={t('identifiers.jobProgress')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={job.percent}
      >
        <span style={{ width: `${job.percent}%` }} />
      </span>
      <span className="cell-secondary">
        {formatNumber(job.percent)}% · {t('identifiers.jobRows', { rows: formatNumber(job.rowsDone) })}
      </span>
    </span>
  );
}

/** 错误报告: the first rows of a job's per-row report, and the whole report as a download. */
function ErrorReportDialog({ ids, job, onClose }: { ids: IdentifierApi; job: BulkJob; onClose: () => void }) {
  const { t, formatNumber } = useI18n();
  const report = useResource((signal) => ids.bulkErrorsCsv(job.id, { signal }), [ids, job.id]);
  const rows = report.data ? parseErrorReport(report.data) : [];
  return (
    <Dialog title={t('identifiers.reportTitle', { prefix: job.prefix })} onClose={onClose} wide>
      <p className="dialog-text">
        {t('identifiers.reportSummary', { errors: formatNumber(job.errorCount), stored: formatNumber(job.errorsStored), failed: formatNumber(job.failed) })}
      </p>
      <DataTable
        caption={t('identifiers.reportCaption')}
        count={t('identifiers.reportCount', { count: formatNumber(Math.min(rows.length, reportRowsShown)), total: formatNumber(rows.length) })}
        rows={rows.slice(0, reportRowsShown)}
        rowKey={(r) => `${r.row}.${r.column}.${r.code}`}
        busy={report.loading}
        error={report.error}
        onRetry={report.reload}
        dense
        columns={[
          { key: 'row', header: t('identifiers.reportRow'), rowHeader: true, className: 'numeric nowrap', cell: (r) => r.row },
          { key: 'column', header: t('identifiers.reportColumn'), className: 'nowrap', cell: (r) => r.column || t('common.none') },
          { key: 'code', header: t('identifiers.reportCode'), className: 'nowrap', cell: (r) => <code>{r.code}</code> },
          { key: 'message', header: t('identifiers.reportMessage'), cell: (r) => r.message },
        ]}
      />
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={!report.data} onClick={() => report.data && download(`bulk-${job.id}-errors.csv`, report.data, 'text/csv')}>
          {t('identifiers.reportDownload')}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * 批量注册: upload a CSV or JSONL file as a job, and follow the jobs of the enterprise (all of them for
 * registrars and platform admins) with their progress, refreshed every 2 s, and their per-row reports.
 */
export function BulkPage() {
  const { t, formatNumber, formatDateTime, lang } = useI18n();
  const ids = useIdentifierApi();
  const templates = useTemplates(ids);
  const choices = usePrefixChoices(ids);
  const jobs = usePolling((signal) => ids.listBulkJobs({ signal }), [ids], { intervalMs: 2_000 });
  const [status, setStatus] = useFlash();
  const [report, setReport] = useState<BulkJob>();
  const items = jobs.data ?? [];
  const templateName = (id: string): string => {
    const x = templates.data?.find((tpl) => tpl.id === id);
    return x ? (lang === 'en' ? x.name.en : x.name.zh) : id;
  };

  return (
    <>
      <PageHeader title={t('identifiers.bulkTitle')} intro={t('identifiers.bulkIntro')} actions={<LiveIndicator live={jobs.live} refreshedAt={jobs.refreshedAt} failing={Boolean(jobs.error)} />} />
      <IdentifierSections />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {templates.data && !choices.loading ? (
        <BulkUploadForm
          ids={ids}
          templates={templates.data}
          prefixes={choices.prefixes}
          defaultPrefix={choices.first}
          onCreated={(job) => {
            setStatus(t('identifiers.bulkCreated', { prefix: job.prefix }));
            jobs.refresh();
          }}
        />
      ) : null}
      {report ? <ErrorReportDialog ids={ids} job={report} onClose={() => setReport(undefined)} /> : null}
      <DataTable
        caption={t('identifiers.jobsCaption')}
        count={t('identifiers.jobCount', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(j) => j.id}
        busy={jobs.loading}
        error={jobs.error}
        onRetry={jobs.refresh}
        empty={t('identifiers.jobsEmpty')}
        columns={[
          { key: 'created', header: t('identifiers.jobCreated'), rowHeader: true, className: 'nowrap', cell: (j) => formatDateTime(j.createdAt) },
          { key: 'prefix', header: t('identifiers.prefix'), className: 'id-data', cell: (j) => j.prefix },
          { key: 'template', header: t('identifiers.template'), cell: (j) => `${templateName(j.template)} · ${j.format.toUpperCase()}` },
          {
            key: 'state',
            header: t('identifiers.jobState'),
            cell: (j) => (
              <span className="stacked">
                <span className={stateBadge[j.state]}>{t(stateLabel[j.state])}</span>
                {j.reason ? <span className="cell-secondary">{j.reason}</span> : null}
              </span>
            ),
          },
          { key: 'progress', header: t('identifiers.jobProgress'), cell: (j) => <Progress job={j} /> },
          { key: 'inserted', header: t('identifiers.jobInserted'), className: 'numeric nowrap', cell: (j) => formatNumber(j.inserted) },
          {
            key: 'failed',
            header: t('identifiers.jobFailed'),
            className: 'numeric nowrap',
            cell: (j) => (j.failed > 0 ? <span className="badge badge-alert">{formatNumber(j.failed)}</span> : formatNumber(0)),
          },
          {
            key: 'rate',
            header: t('identifiers.jobRate'),
            className: 'numeric nowrap',
            cell: (j) => (j.rowsPerSecond === null ? t('common.none') : t('identifiers.perSecond', { rate: formatNumber(Math.round(j.rowsPerSecond)) })),
          },
          { key: 'by', header: t('identifiers.jobBy'), className: 'nowrap', cell: (j) => j.createdBy ?? t('common.none') },
          {
            key: 'actions',
            header: t('common.actions'),
            className: 'actions-cell',
            cell: (j) =>
              j.errorCount > 0 ? (
                <button type="button" className="button button-secondary button-small" onClick={() => setReport(j)}>
                  {t('identifiers.reportOpen')}
                </button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
