import { lazy, Suspense, useMemo, useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { IdentifierSections } from './identifier-sections';
import type { TargetKey, TargetsAnswer } from './identifier-types';
import { barWidth, dailySeries, formatLarge, formatPercent, prefixTotals, utcDayBefore } from './stats-format';
import { useIdentifierApi } from './use-identifier-api';

const nodeRoles = ['top', 'secondary', 'enterprise', 'recursive'] as const;
const isNodeRole = (r: string): r is (typeof nodeRoles)[number] => (nodeRoles as readonly string[]).includes(r);

// ECharts is large: it loads with the first page that draws a chart.
const StatsChart = lazy(() => import('./stats-chart').then((m) => ({ default: m.StatsChart })));

const targetLabel: Record<TargetKey, MessageKey> = {
  registrations: 'identifiers.target.registrations',
  resolutions: 'identifiers.target.resolutions',
  secondaryNodes: 'identifiers.target.secondaryNodes',
  enterprises: 'identifiers.target.enterprises',
};
const ranges = [7, 30, 90, 365] as const;

/** The four targets of the action plan: where the platform stands, as a number and a bar. */
function Targets({ answer }: { answer: TargetsAnswer }) {
  const { t, lang } = useI18n();
  return (
    <div className="targets">
      {answer.items.map((item) => (
        <section key={item.key} className="panel target" aria-labelledby={`target-${item.key}`}>
          <h2 id={`target-${item.key}`}>{t(targetLabel[item.key])}</h2>
          <p className="target-current">{formatLarge(item.current, lang)}</p>
          <p className="target-of">{t('identifiers.targetOf', { target: formatLarge(item.target, lang), percent: formatPercent(item.percent, lang) })}</p>
          <span
            className="progress"
            role="progressbar"
            aria-label={t(targetLabel[item.key])}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.min(100, item.percent)}
            aria-valuetext={formatPercent(item.percent, lang)}
            title={item.note}
          >
            <span style={{ width: `${barWidth(item.percent)}%` }} />
          </span>
        </section>
      ))}
    </div>
  );
}

/**
 * 标识统计: the action plan's targets (20 billion registrations, 8 billion resolutions, 40 secondary
 * nodes, 3,000 enterprises), registrations and resolutions per day, and totals per prefix.
 */
export function StatsPage() {
  const { t, formatNumber, formatDateTime } = useI18n();
  const ids = useIdentifierApi();
  const [days, setDays] = useState<(typeof ranges)[number]>(30);
  const targets = useResource((signal) => ids.targets({ signal }), [ids]);
  const range = useMemo(() => {
    const now = Date.now();
    return { from: utcDayBefore(now, days - 1), to: utcDayBefore(now, 0) };
  }, [days]);
  const stats = useResource((signal) => ids.stats(range, { signal }), [ids, range]);
  const series = useMemo(() => (stats.data ? dailySeries(stats.data.items, stats.data.from, stats.data.to) : undefined), [stats.data]);
  const perPrefix = useMemo(() => prefixTotals(stats.data?.items ?? []), [stats.data]);
  const labels = useMemo(() => ({ registrations: t('identifiers.registrations'), resolutions: t('identifiers.resolutions') }), [t]);

  return (
    <>
      <PageHeader
        title={t('identifiers.statsTitle')}
        intro={targets.data ? t('identifiers.statsAsOf', { time: formatDateTime(targets.data.asOf) }) : t('identifiers.statsIntro')}
        actions={
          // Nodes add their counts every 10 s: a refresh shows the newest without leaving the page.
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              targets.reload();
              stats.reload();
            }}
          >
            {t('common.refresh')}
          </button>
        }
      />
      <IdentifierSections />
      {targets.error ? <ErrorAlert error={targets.error} onRetry={targets.reload} /> : null}
      {targets.data ? <Targets answer={targets.data} /> : null}
      <div className="filter-bar">
        <Field label={t('identifiers.statsRange')}>
          {(control) => (
            <select {...control} value={days} onChange={(e) => setDays(ranges.find((r) => String(r) === e.target.value) ?? 30)}>
              {ranges.map((r) => (
                <option key={r} value={r}>
                  {t('identifiers.lastDays', { days: r })}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {stats.error ? <ErrorAlert error={stats.error} onRetry={stats.reload} /> : null}
      {series && stats.data ? (
        <section className="panel" aria-labelledby="id-stats-daily">
          <h2 className="panel-title" id="id-stats-daily">
            {t('identifiers.dailyTitle', { from: stats.data.from, to: stats.data.to })}
          </h2>
          <p className="muted">
            {t('identifiers.rangeTotals', { registrations: formatNumber(stats.data.totals.registrations), resolutions: formatNumber(stats.data.totals.resolutions) })}
          </p>
          <Suspense fallback={<div className="chart chart-loading">{t('app.loading')}</div>}>
            <StatsChart
              days={series.days}
              registrations={series.registrations}
              resolutions={series.resolutions}
              labels={labels}
              ariaLabel={t('identifiers.chartLabel', { registrations: formatNumber(stats.data.totals.registrations), resolutions: formatNumber(stats.data.totals.resolutions) })}
            />
          </Suspense>
        </section>
      ) : null}
      <DataTable
        caption={t('identifiers.perPrefixCaption')}
        count={t('identifiers.prefixCount', { count: formatNumber(perPrefix.length) })}
        rows={perPrefix}
        rowKey={(r) => r.prefix}
        busy={stats.loading}
        empty={t('identifiers.statsEmpty')}
        columns={[
          { key: 'prefix', header: t('identifiers.prefix'), rowHeader: true, className: 'id-data nowrap', cell: (r) => r.prefix },
          { key: 'registrations', header: t('identifiers.registrations'), className: 'numeric nowrap', cell: (r) => formatNumber(r.registrations) },
          { key: 'resolutions', header: t('identifiers.resolutions'), className: 'numeric nowrap', cell: (r) => formatNumber(r.resolutions) },
          { key: 'resolved', header: t('identifiers.resolved'), className: 'numeric nowrap', cell: (r) => formatNumber(r.resolved) },
          { key: 'notFound', header: t('identifiers.notFound'), className: 'numeric nowrap', cell: (r) => formatNumber(r.notFound) },
          { key: 'invalid', header: t('identifiers.invalid'), className: 'numeric nowrap', cell: (r) => formatNumber(r.invalid) },
        ]}
      />
      {targets.data?.nodes.length ? (
        <DataTable
          caption={t('identifiers.nodesCaption')}
          count={t('identifiers.nodeCount', { count: formatNumber(targets.data.nodes.length) })}
          rows={targets.data.nodes}
          rowKey={(n) => `${n.node}.${n.source}`}
          columns={[
            { key: 'node', header: t('identifiers.node'), rowHeader: true, className: 'id-data nowrap', cell: (n) => n.node },
            { key: 'role', header: t('identifiers.nodeRole'), className: 'nowrap', cell: (n) => (isNodeRole(n.role) ? t(`identifiers.role.${n.role}`) : n.role) },
            { key: 'parent', header: t('identifiers.nodeParent'), className: 'nowrap', cell: (n) => n.parent ?? t('common.none') },
            { key: 'source', header: t('identifiers.nodeSource'), className: 'nowrap', cell: (n) => t(n.source === 'local' ? 'identifiers.nodeLocal' : 'identifiers.nodeReported') },
            {
              key: 'seen',
              header: t('identifiers.nodeSeen'),
              className: 'nowrap',
              cell: (n) => (
                <span className="stacked">
                  <span className={n.reporting ? 'badge badge-on' : 'badge badge-off'}>{t(n.reporting ? 'identifiers.nodeReporting' : 'identifiers.nodeSilent')}</span>
                  <span className="cell-secondary">{formatDateTime(n.seenAt)}</span>
                </span>
              ),
            },
          ]}
        />
      ) : null}
    </>
  );
}
