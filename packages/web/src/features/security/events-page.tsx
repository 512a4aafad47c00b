import { useState } from 'react';
import type { SecurityEventQuery } from '@yulian/contracts';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { PageHeader } from '../../ui/page-header';
import { SectionTabs } from '../../ui/section-tabs';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { techniqueLabel } from './attack-techniques';
import { epoch, LevelBadge, securitySections } from './security-parts';
import type { SecurityEventStatus } from './security-api';
import { useSecurityApi } from './use-security-api';
import './security.css';

// The contracts' statuses, written out: importing values from @yulian/contracts would bring zod into the bundle.
const securityEventStatuses = ['new', 'acknowledged', 'resolved', 'false_positive'] as const satisfies readonly SecurityEventStatus[];

/** 安全事件: the events list with filters (level, status, source, technique) and, for analysts, status changes. */
export function SecurityEventsPage() {
  const { t, lang, formatNumber, formatDateTime } = useI18n();
  const me = useMe();
  const security = useSecurityApi();
  const manage = can(me.role, 'security.manage');
  const [draft, setDraft] = useState({ minLevel: '', status: '', sourceIp: '', technique: '' });
  const [query, setQuery] = useState<SecurityEventQuery>({ limit: 200 });
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const events = usePolling((signal) => security.events(query, { signal }), [security, query], { intervalMs: 10_000 });
  const items = events.data ?? [];
  const apply = () =>
    setQuery({
      limit: 200,
      ...(draft.minLevel ? { minLevel: Number(draft.minLevel) } : {}),
      ...(draft.status ? { status: draft.status as SecurityEventStatus } : {}),
      ...(draft.sourceIp.trim() ? { sourceIp: draft.sourceIp.trim() } : {}),
      ...(draft.technique.trim() ? { technique: draft.technique.trim() } : {}),
    });
  const setStatus = async (id: string, status: SecurityEventStatus) => {
    setError(undefined);
    try {
      await security.setEventStatus(id, status);
      setMessage(t('sec.events.statusChanged', { status: t(`sec.status.${status}`) }));
      events.refresh();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <PageHeader title={t('sec.events.title')} intro={t('sec.events.intro')} />
      <SectionTabs label="sec.sections" sections={securitySections} />
      <form
        className="sec-toolbar"
        aria-label={t('sec.events.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label>
          {t('sec.events.minLevel')}{' '}
          <select value={draft.minLevel} onChange={(e) => setDraft({ ...draft, minLevel: e.target.value })}>
            <option value="">{t('sec.events.all')}</option>
            {[3, 5, 8, 10, 12, 15].map((l) => (
              <option key={l} value={l}>
                ≥ {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sec.events.status')}{' '}
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">{t('sec.events.all')}</option>
            {securityEventStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`sec.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sec.events.sourceIp')} <input value={draft.sourceIp} onChange={(e) => setDraft({ ...draft, sourceIp: e.target.value })} size={16} />
        </label>
        <label>
          {t('sec.events.technique')} <input value={draft.technique} onChange={(e) => setDraft({ ...draft, technique: e.target.value })} size={10} placeholder="T0855" />
        </label>
        <button type="submit" className="button">
          {t('sec.events.apply')}
        </button>
      </form>
      {message ? <StatusMessage>{message}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      <DataTable
        caption={t('sec.events.title')}
        count={t('sec.count.items', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(e) => e.id}
        busy={events.loading}
        error={events.error}
        onRetry={events.refresh}
        empty={t('sec.events.empty')}
        columns={[
          { key: 'ts', header: t('sec.events.time'), className: 'nowrap', cell: (e) => epoch(formatDateTime, e.ts) },
          { key: 'level', header: t('sec.events.level'), cell: (e) => <LevelBadge level={e.level} /> },
          { key: 'title', header: t('sec.events.event'), rowHeader: true, cell: (e) => (lang === 'en' ? e.titleEn : e.title) },
          { key: 'techniques', header: t('sec.technique'), cell: (e) => e.techniques.map((x) => techniqueLabel(x, lang)).join('，') },
          { key: 'source', header: t('sec.source'), className: 'nowrap', cell: (e) => e.source.ip ?? '—' },
          { key: 'target', header: t('sec.events.target'), className: 'nowrap', cell: (e) => e.target.deviceId ?? (e.target.ip ? `${e.target.ip}:${e.target.port ?? ''}` : '—') },
          { key: 'count', header: t('sec.count'), className: 'num', cell: (e) => formatNumber(e.count) },
          {
            key: 'status',
            header: t('sec.events.status'),
            cell: (e) =>
              manage ? (
                <select aria-label={t('sec.events.setStatus', { title: e.title })} value={e.status} onChange={(x) => void setStatus(e.id, x.target.value as SecurityEventStatus)}>
                  {securityEventStatuses.map((s) => (
                    <option key={s} value={s}>
                      {t(`sec.status.${s}`)}
                    </option>
                  ))}
                </select>
              ) : (
                t(`sec.status.${e.status}`)
              ),
          },
        ]}
      />
    </>
  );
}
