import { useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { DeviceSelect } from '../devices/device-select';
import { LiveIndicator } from '../devices/live-indicator';
import { compareAlarms, isUnacknowledged, stateBadge, stateLabel, valueText } from './alarm-format';
import { AlarmDialog } from './alarm-dialog';
import { useAlarmFeed } from './alarm-live';
import { AlarmSections } from './alarm-sections';
import { FloodBanner, floodRefreshMs } from './flood-banner';
import type { Alarm, AlarmEvent, AlarmQuery } from './alarm-types';
import { SeverityBadge } from './severity-badge';
import { useAlarmApi } from './use-alarm-api';

/** How often the list is read again while the page is visible. */
export const alarmRefreshMs = 3000;
/** The most alarms one read lists. */
const listLimit = 200;

type Scope = 'active' | 'all' | 'shelved';

const scopeQuery: Record<Scope, AlarmQuery> = { active: { active: true }, all: { shelved: 'all' }, shelved: { shelved: true } };
/** New alarms announced at most (older announcements give way). */
const freshLimit = 5;

/**
 * 告警: the enterprise's alarms, active first, refreshed every few seconds; filtered to the active ones or
 * all and by device. Operators and up acknowledge an alarm in its row; a row's 详情 opens its comments
 * and assignee.
 */
export function AlarmsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const alarms = useAlarmApi();
  const ack = can(me.role, 'alarms.ack');
  const [scope, setScope] = useState<Scope>('active');
  const [device, setDevice] = useState('');
  const [openId, setOpenId] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();
  const [acking, setAcking] = useState<ReadonlySet<string>>(new Set());
  const list = usePolling(
    (signal) => alarms.listAlarms({ ...scopeQuery[scope], ...(device ? { device } : {}), limit: listLimit }, { signal }),
    [alarms, scope, device],
    { intervalMs: alarmRefreshMs },
  );
  // ISA-18.2's flood (more than 10 alarms in 10 minutes): asked again every 30 s and on every raise.
  const flood = usePolling((signal) => alarms.flood({ signal }), [alarms], { intervalMs: floodRefreshMs });
  // Live: every alarm event refreshes the list at once; a new (not quiet) alarm is announced.
  const [fresh, setFresh] = useState<AlarmEvent[]>([]);
  const feedOpen = useAlarmFeed((event) => {
    list.refresh();
    if (event.kind === 'raised') flood.refresh();
    if (event.kind === 'raised' && !event.quiet) setFresh((f) => [event, ...f.filter((e) => e.alarm.id !== event.alarm.id)].slice(0, freshLimit));
  });
  const items = [...(list.data ?? [])].sort(compareAlarms);
  const open = items.find((a) => a.id === openId);

  const acknowledge = async (alarm: Alarm) => {
    setStatus(undefined);
    setActionError(undefined);
    setAcking((s) => new Set(s).add(alarm.id));
    try {
      await alarms.acknowledge(alarm.id);
      setStatus(t('alarms.acked', { rule: alarm.ruleName, device: alarm.device }));
      list.refresh();
    } catch (cause) {
      setActionError(cause);
    } finally {
      setAcking((s) => {
        const next = new Set(s);
        next.delete(alarm.id);
        return next;
      });
    }
  };

  return (
    <>
      <PageHeader
        title={t('alarms.title')}
        intro={t('alarms.intro')}
        actions={
          <>
            {fresh.length ? (
              <span className="badge alarm-new-badge" aria-label={t('alarms.newCount', { count: formatNumber(fresh.length) })}>
                {t('alarms.newCount', { count: formatNumber(fresh.length) })}
              </span>
            ) : null}
            <LiveIndicator live={list.live || feedOpen} refreshedAt={list.refreshedAt} failing={Boolean(list.error)} />
          </>
        }
      />
      <AlarmSections />
      <FloodBanner flood={flood.data} />
      {fresh.length ? (
        <div className="alarm-toast" role="status" aria-live="polite">
          <ul>
            {fresh.map((e) => (
              <li key={e.alarm.id}>
                <SeverityBadge severity={e.alarm.severity} /> {t('alarms.newAlarm', { rule: e.alarm.ruleName, device: e.alarm.device })}
              </li>
            ))}
          </ul>
          <button type="button" className="button button-secondary button-small" onClick={() => setFresh([])}>
            {t('alarms.dismissNew')}
          </button>
        </div>
      ) : null}
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {actionError ? <ErrorAlert error={actionError} /> : null}
      {openId ? (
        <AlarmDialog
          alarms={alarms}
          id={openId}
          initial={open}
          onChanged={list.refresh}
          onClose={() => setOpenId(undefined)}
        />
      ) : null}
      <div className="filter-bar">
        <Field label={t('alarms.filter.scope')}>
          {(control) => (
            <select {...control} value={scope} onChange={(e) => setScope(e.target.value === 'all' || e.target.value === 'shelved' ? e.target.value : 'active')}>
              <option value="active">{t('alarms.filter.active')}</option>
              <option value="all">{t('alarms.filter.all')}</option>
              <option value="shelved">{t('alarms.filter.shelved')}</option>
            </select>
          )}
        </Field>
        <DeviceSelect label={t('alarms.filter.device')} value={device} onChange={setDevice} emptyLabel={t('alarms.filter.allDevices')} />
      </div>
      <DataTable
        caption={t('alarms.caption')}
        count={t('alarms.count', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(a) => a.id}
        rowClassName={(a) => (a.active ? 'alarm-row-active' : undefined)}
        busy={list.loading}
        error={list.error}
        onRetry={list.refresh}
        empty={scope === 'active' ? t('alarms.emptyActive') : t('alarms.empty')}
        columns={[
          { key: 'severity', header: t('alarms.severity'), className: 'nowrap', cell: (a) => <SeverityBadge severity={a.severity} /> },
          { key: 'rule', header: t('alarms.rule'), rowHeader: true, cell: (a) => a.ruleName },
          {
            key: 'device',
            header: t('alarms.device'),
            className: 'nowrap',
            cell: (a) => (
              <Link to="/devices/:id" params={{ id: a.device }}>
                {a.device}
              </Link>
            ),
          },
          {
            key: 'state',
            header: t('alarms.state'),
            cell: (a) => (
              <span className="stacked">
                <span className={stateBadge[a.state]}>{t(stateLabel[a.state])}</span>
                {a.ackedBy ? <span className="cell-secondary">{t('alarms.ackedBy', { user: a.ackedBy })}</span> : null}
                {a.assignee ? <span className="cell-secondary">{t('alarms.assignedTo', { user: a.assignee })}</span> : null}
                {a.shelvedUntil && Date.parse(a.shelvedUntil) > Date.now() ? <span className="badge badge-off">{t('alarms.shelvedUntil', { time: formatDateTime(a.shelvedUntil) })}</span> : null}
                {a.suppressed ? <span className="badge badge-off">{t('alarms.suppressed')}</span> : null}
                {a.escalatedAt ? <span className="badge badge-warn">{t('alarms.escalated')}</span> : null}
              </span>
            ),
          },
          { key: 'raised', header: t('alarms.raisedAt'), className: 'alarm-time', cell: (a) => formatDateTime(a.raisedAt) },
          {
            key: 'last',
            header: t('alarms.lastAt'),
            className: 'alarm-time',
            cell: (a) => (
              <>
                {formatDateTime(a.lastAt)}
                {a.clearedAt ? <span className="cell-secondary">{t('alarms.clearedAt', { time: formatDateTime(a.clearedAt) })}</span> : null}
              </>
            ),
          },
          { key: 'occurrences', header: t('alarms.occurrences'), className: 'numeric nowrap', cell: (a) => formatNumber(a.occurrences) },
          { key: 'value', header: t('alarms.value'), className: 'numeric nowrap', cell: (a) => valueText(a.value) ?? t('common.none') },
          { key: 'reason', header: t('alarms.reason'), className: 'alarm-reason', cell: (a) => a.reason || t('common.none') },
          {
            key: 'actions',
            header: t('common.actions'),
            className: 'actions-cell alarm-actions',
            cell: (a) => (
              <span className="row-actions">
                {ack && isUnacknowledged(a) ? (
                  <button
                    type="button"
                    className="button button-primary button-small"
                    disabled={acking.has(a.id)}
                    aria-label={t('alarms.ackOf', { rule: a.ruleName, device: a.device })}
                    onClick={() => void acknowledge(a)}
                  >
                    {t('alarms.ack')}
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={t('alarms.detailsOf', { rule: a.ruleName, device: a.device })}
                  onClick={() => {
                    setStatus(undefined);
                    setOpenId(a.id);
                  }}
                >
                  {t('alarms.details')}
                </button>
              </span>
            ),
          },
        ]}
      />
    </>
  );
}
