import { useState, type FormEvent } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { GradingApi } from './grading-api';
import { GradingSections } from './grading-sections';
import { InspectionDetail } from './inspection-detail';
import { RectificationsTable } from './rectifications-table';
import { useGradingApi } from './use-grading-api';

/** The authority's form: which enterprise, when, who inspects, and the checklist level (default its confirmed one). */
function ScheduleDialog({ api, onDone, onClose }: { api: GradingApi; onDone: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const enterprises = useResource((signal) => api.enterprises({}, { signal }), [api]);
  const [enterprise, setEnterprise] = useState('');
  const [date, setDate] = useState('');
  const [inspectors, setInspectors] = useState('');
  const [level, setLevel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const names = inspectors.split(/[,，、\n]/).map((s) => s.trim()).filter(Boolean);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.schedule({ enterprise, scheduledFor: new Date(date).toISOString(), inspectors: names, ...(level ? { level: Number(level) as 1 | 2 | 3 } : {}) });
      onDone();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('inspections.scheduleTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {error ? <ErrorAlert error={error} /> : null}
        <Field label={t('grading.enterprise')}>
          {(control) => (
            <select {...control} required value={enterprise} onChange={(e) => setEnterprise(e.target.value)}>
              <option value="">{t('grading.choose')}</option>
              {(enterprises.data ?? []).map((g) => (
                <option key={g.tenantId} value={g.enterpriseCode}>
                  {`${g.enterpriseName} (${g.enterpriseCode}) · ${g.level ? t('grading.levelValue', { level: g.level }) : t('grading.ungraded')}`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('inspections.date')}>{(control) => <input {...control} type="datetime-local" required value={date} onChange={(e) => setDate(e.target.value)} />}</Field>
        <Field label={t('inspections.inspectors')} hint={t('inspections.inspectorsHint')}>
          {(control) => <input {...control} required maxLength={500} value={inspectors} onChange={(e) => setInspectors(e.target.value)} />}
        </Field>
        <Field label={t('inspections.level')}>
          {(control) => (
            <select {...control} value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">{t('inspections.levelConfirmed')}</option>
              {[1, 2, 3].map((l) => (
                <option key={l} value={l}>
                  {t('grading.levelValue', { level: l })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormActions submitLabel={t('inspections.schedule')} busy={busy} onCancel={onClose} disabled={!enterprise || !date || !names.length} />
      </form>
    </Dialog>
  );
}

/** 安全检查: the authority schedules and records inspections and verifies rectifications; an enterprise reports them. */
export function SecurityInspectionsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const api = useGradingApi();
  const manage = can(me.role, 'securityInspections.manage');
  const [version, setVersion] = useState(0);
  const [scheduling, setScheduling] = useState(false);
  const [open, setOpen] = useState<string>();
  const list = useResource((signal) => api.inspections({ signal }), [api, version]);
  const todo = useResource((signal) => api.rectifications({}, { signal }), [api, version]);
  const changed = () => setVersion((v) => v + 1);
  const pending = (todo.data ?? []).filter((r) => r.status !== 'closed');
  return (
    <>
      <PageHeader
        title={t('inspections.title')}
        intro={t(manage ? 'inspections.introAuthority' : 'inspections.introEnterprise')}
        actions={
          manage ? (
            <button type="button" className="button button-primary" onClick={() => setScheduling(true)}>
              {t('inspections.schedule')}
            </button>
          ) : null
        }
      />
      <GradingSections />
      {scheduling ? (
        <ScheduleDialog
          api={api}
          onClose={() => setScheduling(false)}
          onDone={() => {
            setScheduling(false);
            changed();
          }}
        />
      ) : null}
      {todo.error ? <ErrorAlert error={todo.error} /> : <RectificationsTable api={api} rows={pending} onChanged={changed} />}
      <DataTable
        caption={t('inspections.list')}
        count={t('grading.count', { count: formatNumber(list.data?.length ?? 0) })}
        rows={list.data ?? []}
        rowKey={(i) => i.id}
        busy={list.loading}
        error={list.error}
        empty={t('grading.none')}
        columns={[
          { key: 'enterprise', header: t('grading.enterprise'), rowHeader: true, cell: (i) => `${i.enterpriseName} (${i.enterpriseCode})` },
          { key: 'district', header: t('grading.district'), cell: (i) => i.district },
          { key: 'level', header: t('grading.level'), className: 'nowrap', cell: (i) => t('grading.levelValue', { level: i.level }) },
          { key: 'date', header: t('inspections.date'), className: 'nowrap', cell: (i) => formatDateTime(i.scheduledFor) },
          { key: 'status', header: t('grading.status'), className: 'nowrap', cell: (i) => t(`inspections.status.${i.status}`) },
          { key: 'findings', header: t('inspections.findings'), className: 'numeric', cell: (i) => `${formatNumber(i.counts.findings)} / ${formatNumber(i.counts.openRectifications)}${i.counts.overdue ? ` (${t('grading.overdue')} ${formatNumber(i.counts.overdue)})` : ''}` },
          {
            key: 'open',
            header: t('common.actions'),
            className: 'actions-cell',
            cell: (i) => (
              <button type="button" className="button button-secondary button-small" aria-label={t('inspections.openOf', { enterprise: i.enterpriseName, date: formatDateTime(i.scheduledFor) })} onClick={() => setOpen(i.id)}>
                {t('inspections.open')}
              </button>
            ),
          },
        ]}
      />
      {open ? <InspectionDetail key={open} api={api} id={open} onChanged={changed} /> : null}
    </>
  );
}
