import { useState, type FormEvent } from 'react';
import type { InspectionSchedule } from '@yulian/contracts';
import { ApiError } from '../../api/client';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { ConfirmDialog } from '../../ui/confirm-dialog';
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
import type { InspectionApi, InspectionPlan, InspectionRoute } from './inspection-api';
import { errorField, moveEntry, planBody, type PlanDraft } from './inspection-forms';
import { InspectionSections } from './inspection-sections';
import { useInspectionApi } from './use-inspection-api';

/** 新建点检路线: a name and the devices in walking order. */
function NewRouteDialog({ inspection, onCreated, onClose }: { inspection: InspectionApi; onCreated: (r: InspectionRoute) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [devices, setDevices] = useState<string[]>([]);
  const [pick, setPick] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  /** The device the server refused (`details.device`): marked in the list. */
  const badDevice = error instanceof ApiError && typeof error.details?.device === 'string' ? error.details.device : undefined;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await inspection.createRoute({ name: name.trim(), devices }));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const add = () => {
    if (pick && !devices.includes(pick)) setDevices([...devices, pick]);
    setPick('');
  };
  return (
    <Dialog title={t('inspection.newRouteTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {error ? <ErrorAlert error={error} /> : null}
        <Field label={t('inspection.routeName')}>{(control) => <input {...control} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
        <DeviceSelect label={t('inspection.addDeviceSelect')} value={pick} onChange={setPick} emptyLabel={t('inspection.chooseDevice')} hint={t('inspection.routeDevicesHint')} />
        <p>
          <button type="button" className="button button-secondary" disabled={!pick || devices.includes(pick) || devices.length >= 200} onClick={add}>
            {t('inspection.addDevice')}
          </button>
        </p>
        <h3>{t('inspection.routeDevices')}</h3>
        {devices.length === 0 ? <p className="muted">{t('inspection.noRouteDevices')}</p> : null}
        <ol className="inspection-route-devices" aria-label={t('inspection.routeDevices')}>
          {devices.map((d, i) => {
            return (
              <li key={d} className={d === badDevice ? 'field-invalid' : undefined}>
                <span>{d}</span>
                <button type="button" className="button button-secondary button-small" aria-label={t('inspection.moveUpDevice', { device: d })} disabled={i === 0} onClick={() => setDevices(moveEntry(devices, i, -1))}>
                  ↑
                </button>
                <button type="button" className="button button-secondary button-small" aria-label={t('inspection.moveDownDevice', { device: d })} disabled={i === devices.length - 1} onClick={() => setDevices(moveEntry(devices, i, 1))}>
                  ↓
                </button>
                <button type="button" className="button button-secondary button-small" aria-label={t('inspection.removeDevice', { device: d })} onClick={() => setDevices(devices.filter((x) => x !== d))}>
                  {t('inspection.remove')}
                </button>
              </li>
            );
          })}
        </ol>
        <FormActions submitLabel={t('inspection.create')} busy={busy} onCancel={onClose} disabled={!name.trim() || devices.length === 0} />
      </form>
    </Dialog>
  );
}

const emptyPlan = (routeId: string): PlanDraft => ({
  name: '',
  routeId,
  scheduleKind: 'daily',
  times: '08:00, 16:00',
  every: '8',
  unit: 'hours',
  startAt: '',
  assignees: '',
  windowMinutes: '480',
  graceMinutes: '60',
  radiusMeters: '100',
  allowWithoutPosition: false,
});

/** 新建点检计划: a route on a schedule for its assignees; the server's complaint is shown at the field it names. */
function NewPlanDialog({ inspection, routes, onCreated, onClose }: { inspection: InspectionApi; routes: readonly InspectionRoute[]; onCreated: (p: InspectionPlan) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<PlanDraft>(emptyPlan(routes[0]?.id ?? ''));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const set = (patch: Partial<PlanDraft>) => setD({ ...d, ...patch });
  const field = errorField(error);
  const at = (name: string): { error?: string } => (field === name && error instanceof Error ? { error: error.message } : {});
  const known = field === 'assignees' || field === 'schedule.startAt' || field === 'name';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await inspection.createPlan(planBody(d)));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('inspection.newPlanTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {error && !known ? <ErrorAlert error={error} /> : null}
        <Field label={t('inspection.planName')} {...at('name')}>
          {(control) => <input {...control} required maxLength={200} value={d.name} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
        <Field label={t('inspection.route')}>
          {(control) => (
            <select {...control} required value={d.routeId} onChange={(e) => set({ routeId: e.target.value })}>
              <option value="">{t('inspection.chooseRoute')}</option>
              {routes.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('inspection.scheduleKind')}>
          {(control) => (
            <select {...control} value={d.scheduleKind} onChange={(e) => set({ scheduleKind: e.target.value === 'interval' ? 'interval' : 'daily' })}>
              <option value="daily">{t('inspection.schedule.daily')}</option>
              <option value="interval">{t('inspection.schedule.interval')}</option>
            </select>
          )}
        </Field>
        {d.scheduleKind === 'daily' ? (
          <Field label={t('inspection.times')} hint={t('inspection.timesHint')}>
            {(control) => <input {...control} required value={d.times} onChange={(e) => set({ times: e.target.value })} />}
          </Field>
        ) : (
          <>
            <Field label={t('inspection.every')}>{(control) => <input {...control} type="number" min="1" max="1000" step="1" required value={d.every} onChange={(e) => set({ every: e.target.value })} />}</Field>
            <Field label={t('inspection.unit')}>
              {(control) => (
                <select {...control} value={d.unit} onChange={(e) => set({ unit: e.target.value === 'days' ? 'days' : 'hours' })}>
                  <option value="hours">{t('inspection.unit.hours')}</option>
                  <option value="days">{t('inspection.unit.days')}</option>
                </select>
              )}
            </Field>
            <Field label={t('inspection.startAt')} {...at('schedule.startAt')}>
              {(control) => <input {...control} type="datetime-local" required value={d.startAt} onChange={(e) => set({ startAt: e.target.value })} />}
            </Field>
          </>
        )}
        <Field label={t('inspection.assignees')} hint={t('inspection.assigneesHint')} {...at('assignees')}>
          {(control) => <input {...control} required value={d.assignees} onChange={(e) => set({ assignees: e.target.value })} />}
        </Field>
        <Field label={t('inspection.windowMinutes')} hint={t('inspection.windowMinutesHint')}>
          {(control) => <input {...control} type="number" min="5" max="10080" step="1" required value={d.windowMinutes} onChange={(e) => set({ windowMinutes: e.target.value })} />}
        </Field>
        <Field label={t('inspection.graceMinutes')} hint={t('inspection.graceMinutesHint')}>
          {(control) => <input {...control} type="number" min="0" max="10080" step="1" value={d.graceMinutes} onChange={(e) => set({ graceMinutes: e.target.value })} />}
        </Field>
        <Field label={t('inspection.radiusMeters')}>
          {(control) => <input {...control} type="number" min="10" max="5000" step="any" value={d.radiusMeters} onChange={(e) => set({ radiusMeters: e.target.value })} />}
        </Field>
        <label>
          <input type="checkbox" checked={d.allowWithoutPosition} onChange={(e) => set({ allowWithoutPosition: e.target.checked })} /> {t('inspection.allowWithoutPosition')}
        </label>
        <FormActions submitLabel={t('inspection.create')} busy={busy} onCancel={onClose} disabled={!d.name.trim() || !d.routeId || !d.assignees.trim()} />
      </form>
    </Dialog>
  );
}

/** 点检管理 → 路线与计划: routes (devices in walking order) and the plans that issue their rounds. */
export function InspectionRoutesPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const inspection = useInspectionApi();
  const manage = can(me.role, 'inspection.manage');
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<'route' | 'plan'>();
  const [deleting, setDeleting] = useState<{ kind: 'route' | 'plan'; id: string; name: string }>();
  const [status, setStatus] = useState<string>();
  const routes = useResource((signal) => inspection.routes({ signal }), [inspection, version]);
  const plans = useResource((signal) => inspection.plans({ signal }), [inspection, version]);
  const routeList = routes.data ?? [];
  const planList = plans.data ?? [];
  const routeName = (id: string) => routeList.find((r) => r.id === id)?.name ?? id;
  const done = (message: string) => {
    setDialog(undefined);
    setStatus(message);
    setVersion((v) => v + 1);
  };
  const scheduleText = (s: InspectionSchedule) => (s.kind === 'daily' ? t('inspection.dailyAt', { times: s.times.join(', ') }) : t(`inspection.every.${s.unit}` as MessageKey, { count: formatNumber(s.every), start: formatDateTime(s.startAt) }));
  const deleteButton = (kind: 'route' | 'plan', id: string, name: string) => (
    <button type="button" className="button button-secondary button-small" aria-label={t(kind === 'route' ? 'inspection.deleteRouteOf' : 'inspection.deletePlanOf', { name })} onClick={() => setDeleting({ kind, id, name })}>
      {t('inspection.delete')}
    </button>
  );

  return (
    <>
      <PageHeader
        title={t('inspection.routesTitle')}
        intro={t('inspection.routesIntro')}
        actions={
          manage ? (
            <>
              <button type="button" className="button button-primary" onClick={() => setDialog('route')}>
                {t('inspection.newRoute')}
              </button>{' '}
              <button type="button" className="button button-primary" disabled={routeList.length === 0} onClick={() => setDialog('plan')}>
                {t('inspection.newPlan')}
              </button>
            </>
          ) : null
        }
      />
      <InspectionSections />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {dialog === 'route' ? <NewRouteDialog inspection={inspection} onClose={() => setDialog(undefined)} onCreated={(r) => done(t('inspection.routeCreated', { name: r.name }))} /> : null}
      {dialog === 'plan' ? <NewPlanDialog inspection={inspection} routes={routeList} onClose={() => setDialog(undefined)} onCreated={(p) => done(t('inspection.planCreated', { name: p.name }))} /> : null}
      {deleting ? (
        <ConfirmDialog
          title={t(deleting.kind === 'route' ? 'inspection.deleteRouteTitle' : 'inspection.deletePlanTitle', { name: deleting.name })}
          confirmLabel={t('inspection.delete')}
          danger
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await (deleting.kind === 'route' ? inspection.deleteRoute(deleting.id) : inspection.deletePlan(deleting.id));
            setDeleting(undefined);
            done(t('inspection.deleted', { name: deleting.name }));
          }}
        >
          <p>{t(deleting.kind === 'route' ? 'inspection.deleteRouteText' : 'inspection.deletePlanText')}</p>
        </ConfirmDialog>
      ) : null}
      <DataTable
        caption={t('inspection.plansCaption')}
        count={t('inspection.count', { count: formatNumber(planList.length) })}
        rows={planList}
        rowKey={(p) => p.id}
        busy={plans.loading}
        error={plans.error}
        onRetry={plans.reload}
        empty={t('inspection.plansEmpty')}
        columns={[
          { key: 'name', header: t('inspection.planName'), rowHeader: true, cell: (p) => p.name },
          { key: 'route', header: t('inspection.route'), cell: (p) => routeName(p.routeId) },
          { key: 'schedule', header: t('inspection.scheduleKind'), cell: (p) => scheduleText(p.schedule) },
          { key: 'assignees', header: t('inspection.assignees'), cell: (p) => p.assignees.join(', ') },
          { key: 'window', header: t('inspection.windowMinutes'), className: 'numeric', cell: (p) => formatNumber(p.windowMinutes) },
          { key: 'radius', header: t('inspection.radiusMeters'), className: 'numeric', cell: (p) => formatNumber(p.radiusMeters) },
          { key: 'next', header: t('inspection.nextAt'), className: 'nowrap', cell: (p) => (p.nextAt ? formatDateTime(p.nextAt) : t('common.none')) },
          manage ? { key: 'actions', header: t('common.actions'), className: 'actions-cell', cell: (p) => deleteButton('plan', p.id, p.name) } : null,
        ]}
      />
      <DataTable
        caption={t('inspection.routesCaption')}
        count={t('inspection.count', { count: formatNumber(routeList.length) })}
        rows={routeList}
        rowKey={(r) => r.id}
        busy={routes.loading}
        error={routes.error}
        onRetry={routes.reload}
        empty={t('inspection.routesEmpty')}
        columns={[
          { key: 'name', header: t('inspection.routeName'), rowHeader: true, cell: (r) => r.name },
          { key: 'devices', header: t('inspection.routeDevices'), cell: (r) => r.devices.join(' → ') },
          { key: 'created', header: t('inspection.createdAt'), className: 'nowrap', cell: (r) => formatDateTime(r.createdAt) },
          manage ? { key: 'actions', header: t('common.actions'), className: 'actions-cell', cell: (r) => deleteButton('route', r.id, r.name) } : null,
        ]}
      />
    </>
  );
}
