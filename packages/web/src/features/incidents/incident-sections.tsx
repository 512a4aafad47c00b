import { useState } from 'react';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { fileToBase64, formatDuration, taskBadge } from './incident-format';
import type { Incident, IncidentEvent, IncidentEvidence, IncidentsApi, IncidentTask, IncidentTimelineEntry } from './incidents-api';

/** What a section needs to change the incident: the client, whether the caller may, and what to do after. */
interface Writable {
  incidents: IncidentsApi;
  incident: Incident;
  writable: boolean;
  onChanged: (message: string) => void;
}

/** Runs one change: busy while it runs, its error kept for display. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (work: () => Promise<unknown>, after: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      after();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** 处置任务: each task with its role, due time and duration; a checkbox marks it done, a button starts or skips it. */
export function TasksSection({ incidents, incident, writable, onChanged, tasks }: Writable & { tasks: readonly IncidentTask[] }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const { busy, error, run } = useAction();
  const set = (task: IncidentTask, status: IncidentTask['status']) => void run(() => incidents.updateTask(incident.id, task.id, { status }), () => onChanged(t('incidents.taskChanged', { title: task.title })));
  return (
    <section className="panel" aria-label={t('incidents.tasks')}>
      <h2 className="panel-title">{t('incidents.tasks')}</h2>
      {error ? <ErrorAlert error={error} /> : null}
      <DataTable
        caption={t('incidents.tasks')}
        count={t('incidents.count', { count: formatNumber(tasks.length) })}
        rows={tasks}
        rowKey={(task) => task.id}
        dense
        empty={t('incidents.noTasks')}
        columns={[
          {
            key: 'done',
            header: t('incidents.taskDone'),
            cell: (task) => (
              <input
                type="checkbox"
                aria-label={t('incidents.markDone', { title: task.title })}
                checked={task.status === 'done'}
                disabled={!writable || busy || task.status === 'skipped'}
                onChange={(e) => set(task, e.target.checked ? 'done' : 'todo')}
              />
            ),
          },
          { key: 'title', header: t('incidents.taskTitle'), rowHeader: true, cell: (task) => task.title, title: (task) => task.titleEn || undefined },
          { key: 'role', header: t('incidents.taskRole'), className: 'nowrap', cell: (task) => t(`role.${task.role}`) },
          { key: 'status', header: t('incidents.status'), className: 'nowrap', cell: (task) => <span className={taskBadge[task.status]}>{t(`incidents.task.${task.status}`)}</span> },
          { key: 'due', header: t('incidents.taskDue'), className: 'nowrap', cell: (task) => (task.dueAt ? <span className={task.overdue ? 'badge badge-alert' : undefined}>{formatDateTime(task.dueAt)}</span> : t('common.none')) },
          { key: 'duration', header: t('incidents.taskDuration'), className: 'nowrap', cell: (task) => (task.durationMs === null ? t('common.none') : formatDuration(task.durationMs)) },
          { key: 'note', header: t('incidents.taskNote'), cell: (task) => task.note },
          writable
            ? {
                key: 'actions',
                header: t('incidents.actions'),
                className: 'nowrap',
                cell: (task) =>
                  task.status === 'todo' ? (
                    <>
                      <button type="button" className="button button-small" disabled={busy} onClick={() => set(task, 'doing')}>
                        {t('incidents.taskStart')}
                      </button>{' '}
                      <button type="button" className="button button-small" disabled={busy} onClick={() => set(task, 'skipped')}>
                        {t('incidents.taskSkip')}
                      </button>
                    </>
                  ) : null,
              }
            : null,
        ]}
      />
    </section>
  );
}

/** 时间线: every change, oldest first, and the comment box. */
export function TimelineSection({ incidents, incident, writable, onChanged, entries }: Writable & { entries: readonly IncidentTimelineEntry[] }) {
  const { t, formatDateTime } = useI18n();
  const [text, setText] = useState('');
  const { busy, error, run } = useAction();
  return (
    <section className="panel" aria-label={t('incidents.timeline')}>
      <h2 className="panel-title">{t('incidents.timeline')}</h2>
      <ol className="incident-timeline">
        {entries.map((e) => (
          <li key={e.seq}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time> <span className="badge">{t(`incidents.timeline.${e.kind}`)}</span> <span className="muted">{e.actor ?? t('incidents.system')}</span>
            <p>{e.text}</p>
          </li>
        ))}
      </ol>
      {writable ? (
        <form
          className="form"
          aria-label={t('incidents.comment')}
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => incidents.comment(incident.id, text.trim()), () => {
              setText('');
              onChanged(t('incidents.commented'));
            });
          }}
        >
          {error ? <ErrorAlert error={error} /> : null}
          <Field label={t('incidents.comment')}>{(c) => <textarea {...c} rows={2} maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} />}</Field>
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy || !text.trim()}>
              {t('incidents.addComment')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** 证据: the list (files with their SM3) and the form for a text, a link or a file. */
export function EvidenceSection({ incidents, incident, writable, onChanged, items }: Writable & { items: readonly IncidentEvidence[] }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [kind, setKind] = useState<IncidentEvidence['kind']>('text');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<File>();
  const { busy, error, run } = useAction();
  const ready = title.trim() !== '' && (kind === 'text' ? text.trim() !== '' : kind === 'link' ? url.trim() !== '' : file !== undefined);
  const submit = async () => {
    if (kind === 'file' && file) await incidents.addEvidence(incident.id, { kind, title: title.trim(), fileName: file.name, content: await fileToBase64(file), ...(text.trim() ? { text: text.trim() } : {}) });
    else await incidents.addEvidence(incident.id, { kind, title: title.trim(), ...(kind === 'text' ? { text: text.trim() } : { url: url.trim() }) });
  };
  return (
    <section className="panel" aria-label={t('incidents.evidence')}>
      <h2 className="panel-title">{t('incidents.evidence')}</h2>
      <DataTable
        caption={t('incidents.evidence')}
        count={t('incidents.count', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(e) => e.id}
        dense
        empty={t('incidents.noEvidence')}
        columns={[
          { key: 'title', header: t('incidents.evidenceTitle'), rowHeader: true, cell: (e) => e.title },
          { key: 'kind', header: t('incidents.evidenceKind'), className: 'nowrap', cell: (e) => t(`incidents.evidence.${e.kind}`) },
          {
            key: 'content',
            header: t('incidents.evidenceContent'),
            cell: (e) =>
              e.kind === 'link' && e.url ? (
                <a href={e.url} target="_blank" rel="noreferrer noopener">
                  {e.url}
                </a>
              ) : e.kind === 'file' ? (
                <span>
                  {e.fileName} {e.size === null ? '' : `(${formatNumber(e.size)} B)`} <code className="incident-hash" title={e.sm3 ?? ''}>SM3 {e.sm3?.slice(0, 16)}…</code> {e.stored ? null : <span className="muted">{t('incidents.hashOnly')}</span>}
                </span>
              ) : (
                e.text
              ),
          },
          { key: 'by', header: t('incidents.addedBy'), className: 'nowrap', cell: (e) => `${e.addedBy ?? ''} · ${formatDateTime(e.addedAt)}` },
        ]}
      />
      {writable ? (
        <form
          className="form"
          aria-label={t('incidents.addEvidence')}
          onSubmit={(e) => {
            e.preventDefault();
            void run(submit, () => {
              setTitle('');
              setText('');
              setUrl('');
              setFile(undefined);
              onChanged(t('incidents.evidenceAdded'));
            });
          }}
        >
          <h3>{t('incidents.addEvidence')}</h3>
          {error ? <ErrorAlert error={error} /> : null}
          <Field label={t('incidents.evidenceKind')}>
            {(c) => (
              <select {...c} value={kind} onChange={(e) => setKind(e.target.value as IncidentEvidence['kind'])}>
                {(['text', 'link', 'file'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`incidents.evidence.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('incidents.evidenceTitle')}>{(c) => <input {...c} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}</Field>
          {kind === 'link' ? <Field label={t('incidents.evidenceUrl')}>{(c) => <input {...c} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />}</Field> : null}
          {kind === 'file' ? (
            <Field label={t('incidents.evidenceFile')} hint={t('incidents.evidenceFileHint')}>
              {(c) => <input {...c} type="file" required onChange={(e) => setFile(e.target.files?.[0])} />}
            </Field>
          ) : null}
          {kind !== 'link' ? <Field label={t(kind === 'file' ? 'incidents.evidenceNote' : 'incidents.evidenceText')}>{(c) => <textarea {...c} rows={2} required={kind === 'text'} value={text} onChange={(e) => setText(e.target.value)} />}</Field> : null}
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy || !ready}>
              {t('incidents.addEvidence')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** 关联事件: the security events linked to the incident. */
export function EventsSection({ events }: { events: readonly IncidentEvent[] }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  return (
    <DataTable
      caption={t('incidents.events')}
      count={t('incidents.count', { count: formatNumber(events.length) })}
      rows={events}
      rowKey={(e) => e.eventId}
      dense
      empty={t('incidents.noEvents')}
      columns={[
        { key: 'ts', header: t('incidents.eventTime'), className: 'nowrap', cell: (e) => formatDateTime(e.ts) },
        { key: 'title', header: t('incidents.eventTitle'), rowHeader: true, cell: (e) => e.title, title: (e) => e.titleEn },
        { key: 'level', header: t('incidents.level'), className: 'nowrap num', cell: (e) => formatNumber(e.level) },
        { key: 'techniques', header: t('incidents.techniques'), className: 'nowrap', cell: (e) => e.techniques.join(', ') },
        { key: 'source', header: t('incidents.source'), className: 'nowrap', cell: (e) => e.sourceIp ?? t('common.none') },
        { key: 'target', header: t('incidents.target'), className: 'nowrap', cell: (e) => e.target.deviceId ?? (e.target.ip ? `${e.target.ip}${e.target.port ? `:${e.target.port}` : ''}` : t('common.none')) },
        { key: 'count', header: t('incidents.eventRepeat'), className: 'nowrap num', cell: (e) => formatNumber(e.count) },
      ]}
    />
  );
}
