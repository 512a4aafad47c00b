import { lazy, Suspense, useMemo } from 'react';
import type { Overview } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n, type I18n, type MessageKey } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { PageHeader } from '../../ui/page-header';
import { allRoles, isRole } from '../auth/roles';
import { useDistrictLabel } from '../enterprises/chongqing-districts';
import { useApi, useMe } from '../auth/session-context';

// ECharts is the largest dependency; load it only when the home page is shown.
const BarChart = lazy(() => import('./bar-chart').then((m) => ({ default: m.BarChart })));

interface ChartData {
  title: MessageKey;
  seriesName: MessageKey;
  categories: string[];
  values: number[];
}

/** Users by role for one enterprise; enterprises by district when the caller sees the whole platform. */
function chartData(overview: Overview, i18n: I18n, districtLabel: (name: string) => string): ChartData {
  if (overview.scope === 'all') {
    const rows = [...overview.enterprisesByDistrict].sort((a, b) => b.count - a.count);
    return {
      title: 'home.chart.byDistrict',
      seriesName: 'home.chart.series.enterprises',
      categories: rows.map((r) => (r.district ? districtLabel(r.district) : i18n.t('common.none'))),
      values: rows.map((r) => r.count),
    };
  }
  const rows = Object.entries(overview.usersByRole).sort(([a], [b]) => roleOrder(a) - roleOrder(b));
  return {
    title: 'home.chart.byRole',
    seriesName: 'home.chart.series.users',
    categories: rows.map(([role]) => (isRole(role) ? i18n.roleName(role) : role)),
    values: rows.map(([, count]) => count),
  };
}
const roleOrder = (role: string): number => {
  const index = isRole(role) ? allRoles.indexOf(role) : -1;
  return index === -1 ? allRoles.length : index;
};

function Figure({ label, value, tone }: { label: string; value: string; tone?: 'warn' }) {
  return (
    <div className={tone === 'warn' ? 'figure figure-warn' : 'figure'}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** 首页: a greeting, the overview figures and one bar chart. */
export function HomePage() {
  const i18n = useI18n();
  const { t, formatNumber, roleName } = i18n;
  const me = useMe();
  const api = useApi();
  const overview = useResource((signal) => api.overview({ signal }), [api]);
  const districtLabel = useDistrictLabel();
  const chart = useMemo(
    () => (overview.data ? chartData(overview.data, i18n, districtLabel) : undefined),
    [overview.data, i18n, districtLabel],
  );

  const scopeLine =
    overview.data?.scope === 'all' || !me.tenantName
      ? t('home.scope.all', { role: roleName(me.role) })
      : t('home.scope.tenant', { tenant: me.tenantName, role: roleName(me.role) });

  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.displayName || me.username })} intro={scopeLine} />
      {overview.error ? <ErrorAlert error={overview.error} onRetry={overview.reload} /> : null}
      {overview.data ? (
        <>
          <section className="panel" aria-label={t('home.figures')}>
            <dl className="figures">
              <Figure label={t('home.enterprises')} value={formatNumber(overview.data.enterprises)} />
              <Figure label={t('home.users')} value={formatNumber(overview.data.users)} />
              <Figure label={t('home.recentLogins')} value={formatNumber(overview.data.recentLogins)} />
              <Figure
                label={t('home.failedLogins')}
                value={formatNumber(overview.data.failedLogins)}
                tone={overview.data.failedLogins > 0 ? 'warn' : undefined}
              />
            </dl>
          </section>
          {chart ? (
            <section className="panel">
              <h2 className="panel-title">{t(chart.title)}</h2>
              {chart.values.length === 0 ? (
                <p className="empty">{t('common.empty')}</p>
              ) : (
                <Suspense fallback={<div className="chart chart-loading">{t('app.loading')}</div>}>
                  <BarChart
                    categories={chart.categories}
                    values={chart.values}
                    seriesName={t(chart.seriesName)}
                    ariaLabel={t('home.chart.summary', {
                      title: t(chart.title),
                      items: chart.categories.map((c, i) => `${c} ${chart.values[i] ?? 0}`).join(', '),
                    })}
                  />
                </Suspense>
              )}
            </section>
          ) : null}
        </>
      ) : overview.loading ? (
        <p className="loading">{t('app.loading')}</p>
      ) : null}
    </>
  );
}
