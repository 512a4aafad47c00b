import { useState, type FormEvent, type ReactNode } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { AssigneeControl } from './assignee-control';
import { MaintenanceSections } from './maintenance-sections';
import { priorityBadge, statusBadge } from './maintenance-format';
import type { WorkOrder } from './maintenance-api';
import { useMaintenanceApi } from './use-maintenance-api';

function OrderFacts({ order }: { order: WorkOrder }) {
  const { t, formatDateTime } = useI18n();
  const none = t('common.none');
  const rows: Array<[string, ReactNode]> = [
    [t('maintenance.status'), <span key="s" className={statusBadge[order.status]}>{t(`maintenance.status.${order.status}`)}</span>],
    [t('maintenance.priority'), <span key="p" className={priorityBadge[order.priority]}>{t(`maintenance.priority.${order.priority}`)}</span>],
    [
      t('maintenance.device'),
      <Link key="d" to="/devices/:id" params={{ id: order.device }}>
        {order.device}
      </Link>,
    ],
    [t('maintenance.source'), `${t(`maintenance.source.${order.source}`)}${order.source === 'alarm' ? '' : order.sourceRef ? ` · ${order.sourceRef}` : ''}`],
    [t('maintenance.assignee'), order.assignee ?? none],
    [t('maintenance.createdAt'), `${formatDateTime(order.createdAt)}${order.createdBy ? ` · ${order.createdBy}` : ''}`],
    [t('maintenance.dueAt'), order.dueAt ? formatDateTime(order.dueAt) : none],
    [t('maintenance.startedAt'), order.startedAt ? formatDateTime(order.startedAt) : none],
    [t('maintenance.completedAt'), order.completedAt ? formatDateTime(order.completedAt) : none],
    [t('maintenance.description'), order.description || none],
    [t('maintenance.resolution'), order.resolution || none],
  ];
  return (
    <dl className="device-facts" aria-label={t('maintenance.facts')}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * 工单: one work order — its facts, starting it (the device goes under maintenance), finishing it with
 * what was found and done (the device returns to service), cancelling it, reassigning it, and its notes.
 */
export function WorkOrderPage({ id }: { id: string }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const maintenance = useMaintenanceApi();
  const write = can(me.role, 'maintenance.write');
  // Everyone who works on work orders chooses the assignee from the enterprise's people who do too.
  const users = useResource((signal) => (write ? maintenance.assignees({ signal }) : Promise.resolve(undefined)), [maintenance, write]);
  const [version, setVersion] = useState(0);
  const order = useResource((signal) => maintenance.getOrder(id, { signal }), [maintenance, id, version]);
  const notes = useResource((signal) => maintenance.notes(id, { signal }), [maintenance, id, version]);
  const [resolution, setResolution] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState<string>();
  const o = order.data;

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    setStatus(undefined);
    try {
      await action();
      setStatus(done);
      setVersion((v) => v + 1);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const addNote = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await maintenance.addNote(id, note.trim());
      setNote('');
    }, t('maintenance.noteAdded'));
  };
  const open = o && (o.status === 'open' || o.status === 'in_progress');

  return (
    <>
      <p className="back-link">
        <Link to="/maintenance">← {t('maintenance.back')}</Link>
      </p>
      <PageHeader title={o ? t('maintenance.orderPageTitle', { title: o.title }) : t('maintenance.orderPageLoading')} intro={t('maintenance.orderIntro')} />
      <MaintenanceSections />
      {order.error ? <ErrorAlert error={order.error} /> : null}
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {o ? (
        <section className="panel">
          <OrderFacts order={o} />
          {write && open ? (
            <>
              <AssigneeControl
                key={o.assignee ?? ''}
                maintenance={maintenance}
                order={o}
                users={users.data}
                onChanged={(changed) => {
                  setError(undefined);
                  setStatus(changed.assignee ? t('maintenance.reassigned', { assignee: changed.assignee }) : t('maintenance.unassignedDone'));
                  setVersion((v) => v + 1);
                }}
              />
              <div className="work-order-actions">
                {o.status === 'open' ? (
                  <button type="button" className="button button-primary" disabled={busy} onClick={() => void run(() => maintenance.setStatus(id, { status: 'in_progress' }), t('maintenance.started', { device: o.device }))}>
                    {t('maintenance.start')}
                  </button>
                ) : null}
                <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run(() => maintenance.setStatus(id, { status: 'cancelled', ...(resolution.trim() ? { resolution: resolution.trim() } : {}) }), t('maintenance.cancelled'))}>
                  {t('maintenance.cancel')}
                </button>
              </div>
              <form
                className="form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void run(() => maintenance.setStatus(id, { status: 'done', resolution: resolution.trim() }), t('maintenance.completed', { device: o.device }));
                }}
              >
                <Field label={t('maintenance.resolution')} hint={t('maintenance.resolutionHint')}>
                  {(control) => <textarea {...control} rows={3} maxLength={5000} value={resolution} onChange={(e) => setResolution(e.target.value)} />}
                </Field>
                <div className="form-actions">
                  <button type="submit" className="button button-primary" disabled={busy}>
                    {t('maintenance.complete')}
                  </button>
                </div>
              </form>
            </>
          ) : null}
        </section>
      ) : null}
      <section className="panel" aria-label={t('maintenance.notes')}>
        <h2 className="panel-title">{t('maintenance.notes')}</h2>
        {(notes.data ?? []).length === 0 ? (
          <p className="muted">{t('maintenance.noNotes')}</p>
        ) : (
          <ul className="notes-list">
            {(notes.data ?? []).map((n) => (
              <li key={n.id}>
                <span className="history-when">
                  {formatDateTime(n.ts)} · {n.author ?? t('common.none')}
                </span>
                {n.text}
              </li>
            ))}
          </ul>
        )}
        {write && open ? (
          <form className="form" onSubmit={addNote}>
            <Field label={t('maintenance.newNote')}>{(control) => <textarea {...control} rows={2} maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
            <div className="form-actions">
              <button type="submit" className="button button-secondary" disabled={busy || !note.trim()}>
                {t('maintenance.addNote')}
              </button>
            </div>
          </form>
        ) : null}
      </section>
    </>
  );
}
