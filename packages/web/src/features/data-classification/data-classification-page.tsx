import { type FormEvent, useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { ClassifyDialog, categoryName } from './classify-dialog';
import type { DataClassificationApi, ExportRequestDto, PointClassification } from './data-classification-api';
import { useDataClassificationApi } from './use-data-classification-api';

const levelBadge = { 1: 'badge', 2: 'badge badge-warning', 3: 'badge badge-alert' } as const;

/**
 * 数据分类分级: the points of a device with their category and level (and the override dialog, which
 * requires a reason), export requests (an inbox for approvers, one's own with their downloads), and the
 * access report of the device's telemetry.
 */
export function DataClassificationPage() {
  const { t } = useI18n();
  const me = useMe();
  const dc = useDataClassificationApi();
  const devices = usePolling((signal) => dc.devices({ signal }), [dc], { intervalMs: 60_000 });
  const catalogue = usePolling((signal) => dc.catalogue({ signal }), [dc], { intervalMs: 3_600_000 });
  const [device, setDevice] = useState('');
  const chosen = device || devices.data?.[0]?.device || '';

  return (
    <>
      <PageHeader title={t('dc.title')} intro={t('dc.intro')} />
      <Field label={t('dc.device')}>
        {(control) => (
          <select {...control} value={chosen} onChange={(e) => setDevice(e.target.value)}>
            {(devices.data ?? []).map((d) => (
              <option key={d.device} value={d.device}>
                {d.device}
              </option>
            ))}
          </select>
        )}
      </Field>
      {chosen ? <PointsSection dc={dc} device={chosen} catalogue={catalogue.data} canClassify={can(me.role, 'data.classify')} /> : null}
      <ExportsSection dc={dc} device={chosen} approver={can(me.role, 'data.exportApprove')} />
      {chosen && can(me.role, 'audit.view') ? <AccessReportSection dc={dc} dataset={`telemetry:${chosen}`} /> : null}
    </>
  );
}

function PointsSection(props: { dc: DataClassificationApi; device: string; catalogue: Awaited<ReturnType<DataClassificationApi['catalogue']>> | undefined; canClassify: boolean }) {
  const { t, lang } = useI18n();
  const { dc, device, catalogue } = props;
  const points = usePolling((signal) => dc.points(device, { signal }), [dc, device], { intervalMs: 30_000 });
  const [editing, setEditing] = useState<PointClassification>();
  return (
    <section className="panel">
      <DataTable
        caption={t('dc.points', { device })}
        count={t('dc.count', { count: String(points.data?.length ?? 0) })}
        rows={points.data ?? []}
        rowKey={(p) => p.point}
        busy={points.loading}
        error={points.error}
        onRetry={points.refresh}
        empty={t('dc.noPoints')}
        columns={[
          { key: 'point', header: t('dc.point'), rowHeader: true, cell: (p) => (p.name ? `${p.point} · ${p.name}` : p.point) },
          { key: 'category', header: t('dc.category'), cell: (p) => categoryName(catalogue, p.category, lang) },
          { key: 'level', header: t('dc.level'), className: 'nowrap', cell: (p) => <span className={levelBadge[p.level]}>{t(`dc.level.${p.level}`)}</span> },
          { key: 'source', header: t('dc.source'), className: 'nowrap', cell: (p) => t(`dc.source.${p.source}`) },
          { key: 'reason', header: t('dc.reason'), cell: (p) => (p.reason ? `${p.reason}（${p.setBy ?? ''}）` : '') },
          ...(props.canClassify && catalogue
            ? [{ key: 'edit', header: t('common.actions'), cell: (p: PointClassification) => <button type="button" className="button button-secondary" onClick={() => setEditing(p)}>{t('dc.adjust')}</button> }]
            : []),
        ]}
      />
      {editing && catalogue ? (
        <ClassifyDialog
          point={editing}
          catalogue={catalogue}
          onClose={() => setEditing(undefined)}
          onSave={async (body) => {
            await dc.classifyPoint(device, editing.point, body);
            points.refresh();
          }}
        />
      ) : null}
    </section>
  );
}

function ExportsSection(props: { dc: DataClassificationApi; device: string; approver: boolean }) {
  const { t, formatDateTime } = useI18n();
  const api = useApi();
  const { dc } = props;
  const list = usePolling((signal) => dc.exports({}, { signal }), [dc], { intervalMs: 15_000 });
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function request(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const to = Date.now();
      await dc.requestExport({ device: props.device, from: to - 86_400_000, to, tier: 'raw', purpose });
      setPurpose('');
      list.refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function act(r: ExportRequestDto, what: 'approve' | 'reject' | 'download') {
    setError(undefined);
    try {
      if (what !== 'download') {
        await dc.decide(r.id, what);
        list.refresh();
        return;
      }
      const res = await fetch(dc.downloadPath(r.id), { headers: { authorization: `Bearer ${api.token() ?? ''}` } });
      if (!res.ok) throw new Error(`${res.status}`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${r.query.device}-${r.id.slice(0, 8)}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="panel">
      <h2 className="panel-title">{t('dc.exports')}</h2>
      <p>{t('dc.exportsIntro')}</p>
      {props.device ? (
        <form onSubmit={(e) => void request(e)}>
          <Field label={t('dc.purpose')} hint={t('dc.purposeHint', { device: props.device })}>
            {(control) => <input {...control} value={purpose} minLength={4} required onChange={(e) => setPurpose(e.target.value)} />}
          </Field>
          <FormActions submitLabel={t('dc.requestExport')} busy={busy} disabled={purpose.trim().length < 4} />
        </form>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      <DataTable
        caption={props.approver ? t('dc.inbox') : t('dc.myRequests')}
        count={t('dc.count', { count: String(list.data?.length ?? 0) })}
        rows={list.data ?? []}
        rowKey={(r) => r.id}
        busy={list.loading}
        error={list.error}
        onRetry={list.refresh}
        empty={t('dc.noRequests')}
        columns={[
          { key: 'dataset', header: t('dc.dataset'), rowHeader: true, cell: (r) => r.dataset },
          { key: 'level', header: t('dc.level'), className: 'nowrap', cell: (r) => <span className={levelBadge[(r.level as 1 | 2 | 3) ?? 1]}>{t(`dc.level.${r.level as 1 | 2 | 3}`)}</span> },
          { key: 'by', header: t('dc.requester'), cell: (r) => `${r.requestedBy} · ${formatDateTime(r.requestedAt)}` },
          { key: 'purpose', header: t('dc.purpose'), cell: (r) => r.purpose },
          { key: 'status', header: t('dc.status'), className: 'nowrap', cell: (r) => t(`dc.status.${r.status}`) + (r.decidedBy ? ` · ${r.decidedBy}` : '') },
          {
            key: 'act',
            header: t('common.actions'),
            cell: (r) =>
              r.status === 'pending' && props.approver ? (
                <>
                  <button type="button" className="button button-primary" onClick={() => void act(r, 'approve')}>{t('dc.approve')}</button>{' '}
                  <button type="button" className="button button-secondary" onClick={() => void act(r, 'reject')}>{t('dc.reject')}</button>
                </>
              ) : r.status === 'approved' ? (
                <button type="button" className="button button-secondary" onClick={() => void act(r, 'download')}>{t('dc.download')}</button>
              ) : null,
          },
        ]}
      />
    </section>
  );
}

function AccessReportSection(props: { dc: DataClassificationApi; dataset: string }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const report = usePolling((signal) => props.dc.accessReport(props.dataset, { signal }), [props.dc, props.dataset], { intervalMs: 60_000 });
  const r = report.data;
  return (
    <section className="panel">
      <h2 className="panel-title">{t('dc.accessReport', { dataset: props.dataset })}</h2>
      {r ? <p>{t('dc.totals', { reads: formatNumber(r.totals.reads), exports: formatNumber(r.totals.exports), denied: formatNumber(r.totals.denied), rows: formatNumber(r.totals.rows) })}</p> : null}
      <DataTable
        caption={t('dc.byActor')}
        count={t('dc.count', { count: String(r?.byActor.length ?? 0) })}
        rows={r?.byActor ?? []}
        rowKey={(a) => a.actor}
        busy={report.loading}
        error={report.error}
        onRetry={report.refresh}
        empty={t('dc.noAccess')}
        columns={[
          { key: 'actor', header: t('dc.actor'), rowHeader: true, cell: (a) => `${a.actor} (${a.role})` },
          { key: 'reads', header: t('dc.reads'), className: 'nowrap', cell: (a) => formatNumber(a.reads) },
          { key: 'exports', header: t('dc.exportsCount'), className: 'nowrap', cell: (a) => formatNumber(a.exports) },
          { key: 'denied', header: t('dc.denied'), className: 'nowrap', cell: (a) => formatNumber(a.denied) },
          { key: 'rows', header: t('dc.rows'), className: 'nowrap', cell: (a) => formatNumber(a.rows) },
          { key: 'last', header: t('dc.lastAt'), className: 'nowrap', cell: (a) => formatDateTime(a.lastAt) },
        ]}
      />
    </section>
  );
}
