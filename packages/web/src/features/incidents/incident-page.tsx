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
import { formatDuration, severityBadge, statusBadge } from './incident-format';
import { EventsSection, EvidenceSection, TasksSection, TimelineSection } from './incident-sections';
import type { Incident, IncidentsApi, IncidentStatus } from './incidents-api';
import { useIncidentsApi } from './use-incidents-api';
import './incidents.css';

/** Where each status may go next (the server's incidentTransitions; closing goes through the report form). */
const next: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['investigating', 'contained', 'resolved'],
  investigating: ['contained', 'resolved'],
  contained: ['investigating', 'resolved'],
  resolved: ['investigating'],
  closed: [],
};

function Facts({ incident }: { incident: Incident }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const none = t('common.none');
  const rows: Array<[string, ReactNode]> = [
    [t('incidents.status'), <span key="s" className={statusBadge[incident.status]}>{t(`incidents.status.${incident.status}`)}</span>],
    [t('incidents.severity'), <span key="v" className={severityBadge[incident.severity]}>{t(`incidents.severity.${incident.severity}`)}</span>],
    [t('incidents.kind'), t(`incidents.kind.${incident.kind}`)],
    [t('incidents.openedAt'), `${formatDateTime(incident.openedAt)} · ${incident.openedBy ?? t('incidents.autoOpened')}`],
    [t('incidents.owner'), incident.owner ?? none],
    [t('incidents.plan'), incident.planName ?? none],
    [t('incidents.techniques'), incident.techniques.join(', ') || none],
    [t('incidents.sources'), incident.sources.join('、') || none],
    [t('incidents.assets'), incident.assets.join('、') || none],
    [t('incidents.eventCount'), formatNumber(incident.eventCount)],
  ];
  if (incident.drill) rows.push([t('incidents.drillDuration'), incident.drill.durationMs === null ? t('incidents.drillRunning') : formatDuration(incident.drill.durationMs)]);
  return (
    <dl className="device-facts" aria-label={t('incidents.facts')}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Status buttons, owner and plan choice. */
function Actions({ incidents, incident, onChanged }: { incidents: IncidentsApi; incident: Incident; onChanged: (message: string) => void }) {
  const { t } = useI18n();
  const plans = useResource((signal) => incidents.plans({ signal }), [incidents]);
  const [owner, setOwner] = useState(incident.owner ?? '');
  const [planId, setPlanId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    work().then(
      () => onChanged(message),
      (cause: unknown) => setError(cause),
    ).finally(() => setBusy(false));
  };
  const usable = (plans.data ?? []).filter((p) => p.kinds.length === 0 || p.kinds.includes(incident.kind));
  return (
    <section className="panel" aria-label={t('incidents.actions')}>
      <h2 className="panel-title">{t('incidents.actions')}</h2>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="incident-status-actions">
        {next[incident.status].map((s) => (
          <button key={s} type="button" className="button" disabled={busy} onClick={() => run(() => incidents.setStatus(incident.id, { status: s }), t('incidents.statusChanged', { status: t(`incidents.status.${s}`) }))}>
            {t(`incidents.to.${s}`)}
          </button>
        ))}
      </div>
      <form className="form incident-inline" onSubmit={(e) => { e.preventDefault(); run(() => incidents.update(incident.id, { owner: owner.trim() || null }), t('incidents.ownerChanged')); }}>
        <Field label={t('incidents.owner')}>{(c) => <input {...c} maxLength={128} value={owner} onChange={(e) => setOwner(e.target.value)} />}</Field>
        <button type="submit" className="button" disabled={busy || owner.trim() === (incident.owner ?? '')}>
          {t('incidents.saveOwner')}
        </button>
      </form>
      <form className="form incident-inline" onSubmit={(e) => { e.preventDefault(); run(() => incidents.applyPlan(incident.id, planId), t('incidents.planApplied')); }}>
        <Field label={t('incidents.choosePlanLabel')} hint={incident.planId ? t('incidents.planReplaceHint') : undefined}>
          {(c) => (
            <select {...c} value={planId} onChange={(e) => setPlanId(e.target.value)}>
              <option value="">{t('incidents.choosePlan')}</option>
              {usable.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button" disabled={busy || !planId}>
          {t('incidents.applyPlan')}
        </button>
      </form>
    </section>
  );
}

/** 结案报告: summary, root cause, actions and lessons, all required; closes a resolved incident. */
function ClosureForm({ incidents, incident, onChanged }: { incidents: IncidentsApi; incident: Incident; onChanged: (message: string) => void }) {
  const { t } = useI18n();
  const [report, setReport] = useState({ summary: '', rootCause: '', actions: '', lessons: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const fields = ['summary', 'rootCause', 'actions', 'lessons'] as const;
  const ready = fields.every((f) => report[f].trim() !== '');
  return (
    <form
      className="panel form"
      aria-label={t('incidents.closure')}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        const closure = { summary: report.summary.trim(), rootCause: report.rootCause.trim(), actions: report.actions.trim(), lessons: report.lessons.trim() };
        incidents
          .setStatus(incident.id, { status: 'closed', closure })
          .then(() => onChanged(t('incidents.closed')), (cause: unknown) => setError(cause))
          .finally(() => setBusy(false));
      }}
    >
      <h2 className="panel-title">{t('incidents.closure')}</h2>
      {error ? <ErrorAlert error={error} /> : null}
      {fields.map((f) => (
        <Field key={f} label={t(`incidents.closure.${f}`)}>
          {(c) => <textarea {...c} required rows={3} maxLength={5000} value={report[f]} onChange={(e) => setReport({ ...report, [f]: e.target.value })} />}
        </Field>
      ))}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || !ready}>
          {t('incidents.close')}
        </button>
      </div>
    </form>
  );
}

/** The closure report of a closed incident. */
function ClosureReport({ incident }: { incident: Incident }) {
  const { t } = useI18n();
  if (!incident.closure) return null;
  const c = incident.closure;
  return (
    <section className="panel" aria-label={t('incidents.closure')}>
      <h2 className="panel-title">{t('incidents.closure')}</h2>
      <dl className="incident-closure">
        {(['summary', 'rootCause', 'actions', 'lessons'] as const).map((f) => (
          <div key={f}>
            <dt>{t(`incidents.closure.${f}`)}</dt>
            <dd>{c[f]}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** 事件详情: facts, actions, tasks, linked events, evidence, timeline, and the closure report. */
export function IncidentPage({ id }: { id: string }) {
  const { t } = useI18n();
  const me = useMe();
  const incidents = useIncidentsApi();
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<string>();
  const loaded = useResource(
    async (signal) => {
      const [incident, tasks, timeline, events, evidence] = await Promise.all([
        incidents.get(id, { signal }),
        incidents.tasks(id, { signal }),
        incidents.timeline(id, { signal }),
        incidents.events(id, { signal }),
        incidents.evidence(id, { signal }),
      ]);
      return { incident, tasks, timeline, events, evidence };
    },
    [incidents, id, version],
  );
  const d = loaded.data;
  const writable = can(me.role, 'incidents.write') && d?.incident.status !== 'closed';
  const onChanged = (message: string) => {
    setStatus(message);
    setVersion((v) => v + 1);
  };
  const section = d ? { incidents, incident: d.incident, writable, onChanged } : undefined;

  return (
    <>
      <p className="back-link">
        <Link to="/security/incidents">← {t('incidents.back')}</Link>
      </p>
      <PageHeader title={d ? `${d.incident.number} ${d.incident.title}` : t('incidents.loading')} intro={d?.incident.description ?? ''} />
      {loaded.error ? <ErrorAlert error={loaded.error} onRetry={loaded.reload} /> : null}
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {d && section ? (
        <>
          <section className="panel">
            <Facts incident={d.incident} />
          </section>
          {writable ? <Actions key={`${d.incident.status}-${d.incident.owner ?? ''}-${d.incident.planId ?? ''}`} incidents={incidents} incident={d.incident} onChanged={onChanged} /> : null}
          {writable && d.incident.status === 'resolved' ? <ClosureForm incidents={incidents} incident={d.incident} onChanged={onChanged} /> : null}
          <ClosureReport incident={d.incident} />
          <TasksSection {...section} tasks={d.tasks} />
          {d.incident.kind === 'real' ? (
            <section className="panel" aria-label={t('incidents.events')}>
              <h2 className="panel-title">{t('incidents.events')}</h2>
              <EventsSection events={d.events} />
            </section>
          ) : null}
          <EvidenceSection {...section} items={d.evidence} />
          <TimelineSection {...section} entries={d.timeline} />
        </>
      ) : null}
    </>
  );
}
