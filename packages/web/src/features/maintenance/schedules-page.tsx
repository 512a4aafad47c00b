import { useState, type FormEvent } from 'react';
import { workOrderPriorities, type ScheduleKind } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { DeviceSelect } from '../devices/device-select';
import { MaintenanceSections } from './maintenance-sections';
import type { MaintenanceApi, WorkOrderPriority } from './maintenance-api';
import { useMaintenanceApi } from './use-maintenance-api';

function NewScheduleDialog({ maintenance, onCreated, onClose }: { maintenance: MaintenanceApi; onCreated: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const [device, setDevice] = useState('');
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<ScheduleKind>('calendar');
  const [every, setEvery] = useState('30');
  const [point, setPoint] = useState('run_hours');
  const [lead, setLead] = useState('0');
  const [priority, setPriority] = useState<WorkOrderPriority>('normal');
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await maintenance.createSchedule({ device, title: title.trim(), kind, every: Number(every), lead: Number(lead) || 0, priority, ...(kind === 'run_hours' ? { runHoursPoint: point.trim() } : {}), ...(assignee.trim() ? { assignee: assignee.trim() } : {}) });
      onCreated();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('maintenance.newScheduleTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {error ? <ErrorAlert error={error} /> : null}
        <DeviceSelect label={t('maintenance.device')} value={device} onChange={setDevice} emptyLabel={t('maintenance.chooseDevice')} required />
        <Field label={t('maintenance.orderTitle')}>{(control) => <input {...control} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}</Field>
        <Field label={t('maintenance.scheduleKind')}>
          {(control) => (
            <select {...control} value={kind} onChange={(e) => setKind(e.target.value === 'run_hours' ? 'run_hours' : 'calendar')}>
              <option value="calendar">{t('maintenance.kind.calendar')}</option>
              <option value="run_hours">{t('maintenance.kind.run_hours')}</option>
            </select>
          )}
        </Field>
        <Field label={kind === 'calendar' ? t('maintenance.everyDays') : t('maintenance.everyHours')}>
          {(control) => <input {...control} type="number" min="0.01" step="any" required value={every} onChange={(e) => setEvery(e.target.value)} />}
        </Field>
        {kind === 'run_hours' ? (
          <Field label={t('maintenance.runHoursPoint')} hint={t('maintenance.runHoursPointHint')}>
            {(control) => <input {...control} required maxLength={64} value={point} onChange={(e) => setPoint(e.target.value)} />}
          </Field>
        ) : null}
        <Field label={t('maintenance.lead')} hint={t('maintenance.leadHint')}>
          {(control) => <input {...control} type="number" min="0" step="any" value={lead} onChange={(e) => setLead(e.target.value)} />}
        </Field>
        <Field label={t('maintenance.priority')}>
          {(control) => (
            <select {...control} value={priority} onChange={(e) => setPriority(e.target.value as WorkOrderPriority)}>
              {workOrderPriorities.map((p) => (
                <option key={p} value={p}>
                  {t(`maintenance.priority.${p}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('maintenance.assignee')} hint={t('maintenance.assigneeHint')}>
          {(control) => <input {...control} maxLength={128} value={assignee} onChange={(e) => setAssignee(e.target.value)} />}
        </Field>
        <FormActions submitLabel={t('maintenance.create')} busy={busy} onCancel={onClose} disabled={!device || !title.trim() || !(Number(every) > 0)} />
      </form>
    </Dialog>
  );
}

/** 维护 → 预防性计划: schedules by calendar or run hours; each issues a work order when due. */
export function SchedulesPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const maintenance = useMaintenanceApi();
  const manage = can(me.role, 'maintenance.schedules');
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<unknown>();
  const list = useResource((signal) => maintenance.listSchedules({ signal }), [maintenance, version]);
  const items = list.data ?? [];

  const remove = async (id: string, title: string) => {
    setError(undefined);
    try {
      await maintenance.deleteSchedule(id);
      setStatus(t('maintenance.scheduleDeleted', { title }));
      setVersion((v) => v + 1);
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <>
      <PageHeader
        title={t('maintenance.schedulesTitle')}
        intro={t('maintenance.schedulesIntro')}
        actions={
          manage ? (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              {t('maintenance.newSchedule')}
            </button>
          ) : null
        }
      />
      <MaintenanceSections />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {creating ? (
        <NewScheduleDialog
          maintenance={maintenance}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      <DataTable
        caption={t('maintenance.schedulesCaption')}
        count={t('maintenance.count', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(s) => s.id}
        busy={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={t('maintenance.schedulesEmpty')}
        columns={[
          { key: 'title', header: t('maintenance.orderTitle'), rowHeader: true, cell: (s) => s.title },
          {
            key: 'device',
            header: t('maintenance.device'),
            className: 'nowrap',
            cell: (s) => (
              <Link to="/devices/:id" params={{ id: s.device }}>
                {s.device}
              </Link>
            ),
          },
          { key: 'every', header: t('maintenance.every'), className: 'nowrap', cell: (s) => (s.kind === 'calendar' ? t('maintenance.everyDaysValue', { count: formatNumber(s.every) }) : t('maintenance.everyHoursValue', { count: formatNumber(s.every), point: s.runHoursPoint ?? '' })) },
          {
            key: 'next',
            header: t('maintenance.nextDue'),
            className: 'nowrap',
            cell: (s) => (s.nextDueAt ? formatDateTime(s.nextDueAt) : s.nextDueHours !== null ? t('maintenance.atHours', { count: formatNumber(s.nextDueHours) }) : t('common.none')),
          },
          { key: 'issued', header: t('maintenance.issued'), className: 'numeric', cell: (s) => formatNumber(s.issued) },
          {
            key: 'actions',
            header: t('common.actions'),
            className: 'actions-cell',
            cell: (s) =>
              manage ? (
                <button type="button" className="button button-secondary button-small" aria-label={t('maintenance.deleteScheduleOf', { title: s.title })} onClick={() => void remove(s.id, s.title)}>
                  {t('maintenance.delete')}
                </button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
