import { useState } from 'react';
import { ApiError } from '../../api/client';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { FleetItem } from './health-api';
import { HealthBadge, ReasonList, RulText } from './health-parts';
import { RulModelsPanel } from './rul-models-panel';
import { Sparkline } from './sparkline';
import { useHealthApi } from './use-health-api';
import './health.css';

/**
 * 设备健康 / Equipment health: every assessed device, riskiest first (lowest health index, then shortest
 * remaining useful life), with its index, trend, RUL and the reasons that cost it points. Engineers and
 * admins can assess the fleet now instead of waiting for the minute's assessment; below, the remaining-useful-life
 * models bound to the device profiles (engineers upload and bind them).
 */
export function HealthPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const health = useHealthApi();
  const fleet = usePolling((signal) => health.fleet({}, { signal }), [health], { intervalMs: 15_000 });
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const assess = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const { assessed } = await health.assess();
      setStatus(t('health.assessed', { count: assessed }));
      fleet.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const rows = fleet.data ?? [];
  return (
    <>
      <PageHeader
        title={t('health.title')}
        intro={t('health.intro')}
        actions={
          <>
            <button type="button" className="button button-secondary" onClick={() => fleet.refresh()}>
              {t('health.refresh')}
            </button>
            {can(me.role, 'devices.manage') ? (
              <button type="button" className="button" onClick={() => void assess()} disabled={busy} aria-busy={busy}>
                {t('health.assess')}
              </button>
            ) : null}
          </>
        }
      />
      {status ? (
        <p className="alert alert-info" role="status">
          {status}
        </p>
      ) : null}
      {error ? <p role="alert">{error}</p> : null}
      <DataTable<FleetItem>
        caption={t('health.caption')}
        count={t('health.count', { count: rows.length })}
        busy={fleet.loading}
        error={fleet.error}
        onRetry={fleet.refresh}
        empty={t('health.empty')}
        rows={rows}
        rowKey={(r) => r.device}
        columns={[
          { key: 'rank', header: t('health.col.rank'), className: 'nowrap', cell: (r) => rows.indexOf(r) + 1 },
          {
            key: 'device',
            header: t('health.col.device'),
            rowHeader: true,
            cell: (r) => (
              <Link to="/devices/:id" params={{ id: r.device }}>
                {r.name || r.device}
              </Link>
            ),
          },
          { key: 'health', header: t('health.col.health'), className: 'nowrap', cell: (r) => <HealthBadge health={r.health} /> },
          {
            key: 'trend',
            header: t('health.col.trend'),
            cell: (r) => <Sparkline values={r.trend.map((p) => p.health)} label={t('health.trendLabel', { device: r.device, first: r.trend[0]?.health ?? r.health, last: r.health })} />,
          },
          { key: 'rul', header: t('health.col.rul'), className: 'nowrap', cell: (r) => <RulText r={r} /> },
          { key: 'reasons', header: t('health.col.reasons'), cell: (r) => <ReasonList components={r.components} /> },
          { key: 'ts', header: t('health.col.assessedAt'), className: 'nowrap', cell: (r) => formatDateTime(r.ts) },
        ]}
      />
      <RulModelsPanel />
    </>
  );
}
