import { useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { SectionTabs } from '../../ui/section-tabs';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { formatDuration, severityBadge, statusBadge } from './incident-format';
import type { IncidentKind, IncidentListFilter } from './incidents-api';
import { NewIncidentForm } from './new-incident-form';
import { useIncidentsApi } from './use-incidents-api';
import './incidents.css';

const statuses = ['active', 'open', 'investigating', 'contained', 'resolved', 'closed'] as const;

/** The tabs of 应急管理: incidents and response plans. */
export const incidentSections = [
  { to: '/security/incidents', label: 'incidents.tab.incidents' },
  { to: '/security/plans', label: 'incidents.tab.plans' },
] as const;

/**
 * 应急事件: real incidents or drills (演练), never mixed, filtered by status, with the counts of each; the
 * enterprise's analysts and admins open one by hand or start a drill from a response plan.
 */
export function IncidentsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const incidents = useIncidentsApi();
  const writer = can(me.role, 'incidents.write');
  const [kind, setKind] = useState<IncidentKind>('real');
  const [status, setStatus] = useState<(typeof statuses)[number] | ''>('active');
  const [creating, setCreating] = useState<IncidentKind>();
  const filter: IncidentListFilter = { kind, ...(status ? { status } : {}) };
  const list = usePolling((signal) => incidents.list(filter, { signal }), [incidents, kind, status], { intervalMs: 10_000 });
  const counts = usePolling((signal) => incidents.counts({ signal }), [incidents], { intervalMs: 10_000 });
  const items = list.data ?? [];
  const openOf = (k: IncidentKind) => {
    const c = counts.data?.[k];
    return c ? c.open + c.investigating + c.contained + c.resolved : 0;
  };

  return (
    <>
      <PageHeader
        title={t('incidents.title')}
        intro={t('incidents.intro')}
        actions={
          writer && !creating ? (
            <>
              <button type="button" className="button button-primary" onClick={() => setCreating('real')}>
                {t('incidents.new')}
              </button>{' '}
              <button type="button" className="button" onClick={() => setCreating('drill')}>
                {t('incidents.startDrill')}
              </button>
            </>
          ) : null
        }
      />
      <SectionTabs label="incidents.sections" sections={incidentSections} />
      {creating ? <NewIncidentForm incidents={incidents} kind={creating} onCancel={() => setCreating(undefined)} onCreated={(i) => navigate('/security/incidents/:id', { id: i.id })} /> : null}
      <div className="incident-filters" role="group" aria-label={t('incidents.filters')}>
        <div className="incident-kinds" role="radiogroup" aria-label={t('incidents.kind')}>
          {(['real', 'drill'] as const).map((k) => (
            <label key={k} className={kind === k ? 'incident-kind incident-kind-on' : 'incident-kind'}>
              <input type="radio" name="incident-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`incidents.kind.${k}`)} <span className="badge">{formatNumber(openOf(k))}</span>
            </label>
          ))}
        </div>
        <label>
          {t('incidents.status')}{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">{t('incidents.status.all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`incidents.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <DataTable
        caption={t(kind === 'drill' ? 'incidents.drills' : 'incidents.title')}
        count={t('incidents.count', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(i) => i.id}
        busy={list.loading}
        error={list.error}
        onRetry={list.refresh}
        empty={t(kind === 'drill' ? 'incidents.emptyDrills' : 'incidents.empty')}
        columns={[
          { key: 'number', header: t('incidents.number'), className: 'nowrap', cell: (i) => i.number },
          {
            key: 'title',
            header: t('incidents.incidentTitle'),
            rowHeader: true,
            cell: (i) => (
              <Link to="/security/incidents/:id" params={{ id: i.id }}>
                {i.title}
              </Link>
            ),
          },
          { key: 'severity', header: t('incidents.severity'), className: 'nowrap', cell: (i) => <span className={severityBadge[i.severity]}>{t(`incidents.severity.${i.severity}`)}</span> },
          { key: 'status', header: t('incidents.status'), className: 'nowrap', cell: (i) => <span className={statusBadge[i.status]}>{t(`incidents.status.${i.status}`)}</span> },
          kind === 'real' ? { key: 'events', header: t('incidents.eventCount'), className: 'nowrap num', cell: (i) => formatNumber(i.eventCount) } : null,
          { key: 'tasks', header: t('incidents.taskProgress'), className: 'nowrap', cell: (i) => (i.tasks.total ? `${formatNumber(i.tasks.finished)}/${formatNumber(i.tasks.total)}` : t('common.none')) },
          kind === 'drill' ? { key: 'duration', header: t('incidents.drillDuration'), className: 'nowrap', cell: (i) => (i.drill?.durationMs == null ? t('incidents.drillRunning') : formatDuration(i.drill.durationMs)) } : null,
          { key: 'owner', header: t('incidents.owner'), className: 'nowrap', cell: (i) => i.owner ?? t('common.none') },
          { key: 'opened', header: t('incidents.openedAt'), className: 'nowrap', cell: (i) => formatDateTime(i.openedAt) },
        ]}
      />
    </>
  );
}
