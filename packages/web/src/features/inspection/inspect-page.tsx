import { useEffect, useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { StatusMessage } from '../../ui/status-message';
import { InspectDevice } from './inspect-device';
import type { InspectionTask } from './inspection-api';
import { useInspectionApi } from './use-inspection-api';
import './inspection.css';

/** The class on `<body>` that hides the console's header and navigation on the phone page. */
const phoneModeClass = 'inspect-mode';

const statusClass: Record<InspectionTask['status'], string> = { open: 'badge badge-on', overdue: 'badge badge-warn', missed: 'badge badge-alert', done: 'badge badge-off' };

/** One round: its devices in walking order, the next one to inspect first. */
function TaskView({ task, onBack, onChanged }: { task: InspectionTask; onBack: () => void; onChanged: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [device, setDevice] = useState<string | undefined>();
  const next = task.devices.find((d) => d.record === null);
  const current = task.devices.find((d) => d.device === device);
  if (current) {
    return (
      <InspectDevice
        task={task}
        device={current}
        onDone={() => {
          setDevice(undefined);
          onChanged();
        }}
        onCancel={() => setDevice(undefined)}
      />
    );
  }
  const active = task.status === 'open' || task.status === 'overdue';
  return (
    <section aria-labelledby="inspect-task-title">
      <button type="button" className="button button-secondary inspect-back" onClick={onBack}>
        {t('inspection.backToTasks')}
      </button>
      <h2 id="inspect-task-title">{task.routeName}</h2>
      <p className="inspect-meta">
        <span className={statusClass[task.status]}>{t(`inspection.status.${task.status}`)}</span> {t('inspection.dueAt', { time: formatDateTime(task.dueAt) })}
      </p>
      <ol className="inspect-devices" aria-label={t('inspection.devices')}>
        {task.devices.map((d) => (
          <li key={d.device} className={d.device === next?.device ? 'inspect-device inspect-next' : 'inspect-device'}>
            <span className="inspect-device-name">{d.name}</span>
            {d.record ? (
              <span className={d.abnormal ? 'badge badge-alert' : 'badge badge-on'}>{d.abnormal ? t('inspection.abnormal') : t('inspection.normal')}</span>
            ) : active ? (
              <button type="button" className={d.device === next?.device ? 'button button-primary' : 'button button-secondary'} onClick={() => setDevice(d.device)}>
                {t('inspection.inspect')}
              </button>
            ) : null}
            {d.workOrder ? (
              <Link to="/maintenance/orders/:id" params={{ id: d.workOrder }}>
                {t('inspection.workOrderLink')}
              </Link>
            ) : null}
          </li>
        ))}
      </ol>
      {!next ? <StatusMessage>{t('inspection.roundDone')}</StatusMessage> : null}
    </section>
  );
}

/**
 * 移动点检: the phone page of spot inspection (`#/m/inspect`), made for 390 px wide screens. The user's
 * rounds → a device → scan its QR code → check in with the phone's position → fill the items → submit.
 */
export function InspectPage() {
  const { t, formatDateTime } = useI18n();
  const api = useInspectionApi();
  const tasks = useResource((signal) => api.myTasks({ signal }), [api]);
  const [selected, setSelected] = useState<string | undefined>();

  useEffect(() => {
    document.body.classList.add(phoneModeClass);
    return () => document.body.classList.remove(phoneModeClass);
  }, []);

  const list = tasks.data ?? [];
  const task = list.find((x) => x.id === selected);
  const actionable = list.filter((x) => x.status === 'open' || x.status === 'overdue');
  const missed = list.filter((x) => x.status === 'missed').length;

  return (
    <div className="inspect-page">
      <header className="inspect-header">
        <h1>{t('inspection.phoneTitle')}</h1>
        <Link to="/">{t('inspection.toConsole')}</Link>
      </header>
      {tasks.error ? <ErrorAlert error={tasks.error} onRetry={tasks.reload} /> : null}
      {task ? (
        <TaskView task={task} onBack={() => setSelected(undefined)} onChanged={tasks.reload} />
      ) : (
        <section aria-labelledby="inspect-tasks-title">
          <h2 id="inspect-tasks-title">{t('inspection.myTasks')}</h2>
          {tasks.loading && !tasks.data ? <StatusMessage>{t('app.loading')}</StatusMessage> : null}
          {tasks.data && actionable.length === 0 ? <StatusMessage>{t('inspection.noTasks')}</StatusMessage> : null}
          <ul className="inspect-tasks">
            {actionable.map((x) => {
              const done = x.devices.filter((d) => d.record !== null).length;
              return (
                <li key={x.id}>
                  <button type="button" className="inspect-task" onClick={() => setSelected(x.id)}>
                    <span className="inspect-task-name">{x.routeName}</span>
                    <span className={statusClass[x.status]}>{t(`inspection.status.${x.status}`)}</span>
                    <span className="inspect-meta">
                      {t('inspection.progress', { done, total: x.devices.length })} · {t('inspection.dueAt', { time: formatDateTime(x.dueAt) })}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          {missed > 0 ? <p className="inspect-meta">{t('inspection.missedCount', { count: missed })}</p> : null}
        </section>
      )}
    </div>
  );
}
