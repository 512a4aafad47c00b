import { useCallback, useMemo, useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { PageHeader } from '../../ui/page-header';
import { SectionTabs } from '../../ui/section-tabs';
import { useMe } from '../auth/session-context';
import { AssetTable } from './asset-table';
import { techniqueLabel } from './attack-techniques';
import { LazyDistrictRiskChart, LazyEventTrendChart } from './lazy-situation-charts';
import { LevelBadge, RiskBadge, RiskReasons, securitySections } from './security-parts';
import { fillBuckets } from './situation-format';
import type { EnterpriseRisk } from './security-api';
import { useSecurityApi } from './use-security-api';
import './security.css';

const ranges = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
type RangeKey = keyof typeof ranges;

/**
 * 安全态势: KPI cards, the event trend, top ATT&CK techniques and sources, the district view (every
 * Chongqing district for the authority, attacked ones highlighted) and drill-down from a district to its
 * enterprises and from an enterprise to its assets, every risk score with its reasons.
 */
export function SituationPage() {
  const { t, lang, formatNumber } = useI18n();
  const me = useMe();
  const security = useSecurityApi();
  const cityView = me.tenantId === null;
  const [range, setRange] = useState<RangeKey>('7d');
  const [district, setDistrict] = useState<string>();
  const [enterprise, setEnterprise] = useState<EnterpriseRisk>();
  const [allDistricts, setAllDistricts] = useState(false);
  const situation = usePolling((signal) => security.situation({ since: Date.now() - ranges[range] }, { signal }), [security, range], { intervalMs: 15_000 });
  const s = situation.data;
  const drillTenant = cityView ? enterprise?.tenantId : undefined;
  const assets = useResource((signal) => (cityView && !drillTenant ? Promise.resolve([]) : security.assets(drillTenant ? { tenant: drillTenant } : {}, { signal })), [security, drillTenant, cityView, s?.totals.events]);
  const label = useCallback((start: number) => {
    const d = new Date(start);
    return range === '24h' ? `${String(d.getHours()).padStart(2, '0')}:00` : `${d.getMonth() + 1}/${d.getDate()}`;
  }, [range]);
  const trend = useMemo(() => (s ? fillBuckets(s.trend, s.since, s.until) : []), [s]);
  const districts = useMemo(() => (s?.districts ?? []).filter((d) => allDistricts || !cityView || d.enterprises > 0 || d.events > 0), [s, allDistricts, cityView]);
  const chartRows = useMemo(() => districts.map((d) => ({ name: d.district, risk: d.risk, events: d.events })), [districts]);
  const enterprises = (s?.enterprises ?? []).filter((e) => !district || e.district === district);
  const attackedDistricts = (s?.districts ?? []).filter((d) => d.events > 0).length;
  const attackedEnterprises = (s?.enterprises ?? []).filter((e) => e.events > 0).length;
  const kpis: Array<{ key: string; label: string; value: number; alert?: boolean }> = s
    ? [
        { key: 'events', label: t('sec.kpi.events'), value: s.totals.events },
        { key: 'high', label: t('sec.kpi.high'), value: s.totals.high, alert: s.totals.high > 0 },
        { key: 'max', label: t('sec.kpi.maxLevel'), value: s.totals.maxLevel, alert: s.totals.maxLevel >= 12 },
        ...(cityView ? [{ key: 'districts', label: t('sec.kpi.attacked'), value: attackedDistricts, alert: attackedDistricts > 0 }] : []),
        { key: 'enterprises', label: t('sec.kpi.attackedEnterprises'), value: attackedEnterprises },
        { key: 'guards', label: t('sec.kpi.guards'), value: s.guards },
        ...(cityView ? [{ key: 'blocks', label: t('sec.kpi.blocks'), value: s.blocks.length }] : []),
      ]
    : [];

  return (
    <>
      <PageHeader
        title={t('sec.situation.title')}
        intro={t(cityView ? 'sec.situation.introAll' : 'sec.situation.introMine')}
        actions={
          <button type="button" className="button" onClick={situation.refresh}>
            {t('common.refresh')}
          </button>
        }
      />
      <SectionTabs label="sec.sections" sections={securitySections} />
      <div className="sec-toolbar">
        <label>
          {t('sec.range')}{' '}
          <select value={range} onChange={(e) => setRange(e.target.value as RangeKey)}>
            {(Object.keys(ranges) as RangeKey[]).map((r) => (
              <option key={r} value={r}>
                {t(`sec.range.${r}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {situation.error ? <ErrorAlert error={situation.error} onRetry={situation.refresh} /> : null}
      <section aria-label={t('sec.kpi')}>
        <ul className="sec-kpis">
          {kpis.map((k) => (
            <li key={k.key} className={k.alert ? 'sec-kpi-alert' : undefined}>
              <span className="sec-kpi-label">{k.label}</span>
              <span className="sec-kpi-value">{formatNumber(k.value)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="sec-trend">
        <h2 className="panel-title" id="sec-trend">
          {t('sec.trend')}
        </h2>
        {s ? <LazyEventTrendChart buckets={trend} label={label} seriesName={t('sec.series.events')} ariaLabel={t('sec.trendChart')} /> : null}
      </section>
      <div className="sec-grid">
        <DataTable
          caption={t('sec.topTechniques')}
          count={t('sec.count.items', { count: formatNumber(s?.topTechniques.length ?? 0) })}
          rows={s?.topTechniques ?? []}
          rowKey={(r) => r.technique}
          busy={situation.loading}
          columns={[
            { key: 'technique', header: t('sec.technique'), rowHeader: true, cell: (r) => techniqueLabel(r.technique, lang) },
            { key: 'count', header: t('sec.count'), className: 'num', cell: (r) => formatNumber(r.count) },
          ]}
        />
        <DataTable
          caption={t('sec.topSources')}
          count={t('sec.count.items', { count: formatNumber(s?.topSources.length ?? 0) })}
          rows={s?.topSources ?? []}
          rowKey={(r) => r.ip}
          busy={situation.loading}
          columns={[
            { key: 'ip', header: t('sec.source'), rowHeader: true, cell: (r) => r.ip },
            { key: 'count', header: t('sec.count'), className: 'num', cell: (r) => formatNumber(r.count) },
            { key: 'level', header: t('sec.maxLevel'), cell: (r) => <LevelBadge level={r.maxLevel} /> },
          ]}
        />
      </div>
      <section className="panel" aria-labelledby="sec-districts">
        <h2 className="panel-title" id="sec-districts">
          {t('sec.districts')}
        </h2>
        {cityView ? (
          <label>
            <input type="checkbox" checked={allDistricts} onChange={(e) => setAllDistricts(e.target.checked)} /> {t('sec.showAllDistricts')}
          </label>
        ) : null}
        {s ? <LazyDistrictRiskChart districts={chartRows} seriesName={t('sec.series.risk')} ariaLabel={t('sec.districtChart')} onSelect={setDistrict} /> : null}
        <DataTable
          caption={t('sec.districts')}
          count={t('sec.count.items', { count: formatNumber(districts.length) })}
          rows={districts}
          rowKey={(d) => d.district}
          rowClassName={(d) => [d.events > 0 ? 'sec-attacked' : '', d.district === district ? 'sec-selected' : ''].join(' ').trim() || undefined}
          busy={situation.loading}
          columns={[
            {
              key: 'district',
              header: t('sec.district'),
              rowHeader: true,
              cell: (d) => (
                <button type="button" className="button-text" aria-pressed={d.district === district} onClick={() => setDistrict(d.district === district ? undefined : d.district)}>
                  {lang === 'en' ? d.en : d.district}
                </button>
              ),
            },
            { key: 'attacked', header: t('sec.attacked'), cell: (d) => (d.attacked > 0 ? <span className="badge badge-alert">{t('sec.attackedBadge')} {formatNumber(d.attacked)}</span> : '—') },
            { key: 'enterprises', header: t('sec.enterprises'), className: 'num', cell: (d) => formatNumber(d.enterprises) },
            { key: 'events', header: t('sec.events'), className: 'num', cell: (d) => formatNumber(d.events) },
            { key: 'high', header: t('sec.high'), className: 'num', cell: (d) => formatNumber(d.high) },
            { key: 'risk', header: t('sec.risk'), cell: (d) => <RiskBadge risk={d.risk} /> },
            { key: 'reasons', header: t('sec.reasons'), cell: (d) => <RiskReasons reasons={d.reasons} /> },
          ]}
        />
      </section>
      <DataTable
        caption={district ? t('sec.enterprisesIn', { district }) : t('sec.enterpriseList')}
        count={t('sec.count.items', { count: formatNumber(enterprises.length) })}
        rows={enterprises}
        rowKey={(e) => e.tenantId ?? 'platform'}
        rowClassName={(e) => (e.events > 0 ? 'sec-attacked' : undefined)}
        busy={situation.loading}
        columns={[
          { key: 'name', header: t('sec.enterprise'), rowHeader: true, cell: (e) => e.name },
          { key: 'district', header: t('sec.district'), cell: (e) => e.district },
          { key: 'events', header: t('sec.events'), className: 'num', cell: (e) => formatNumber(e.events) },
          { key: 'assets', header: t('sec.assets'), className: 'num', cell: (e) => formatNumber(e.assets) },
          { key: 'discovered', header: t('sec.discovered'), className: 'num', cell: (e) => formatNumber(e.discovered) },
          { key: 'protection', header: t('sec.protection'), cell: (e) => (e.protection ? t(`sec.protection.${e.protection}`) : '—') },
          { key: 'risk', header: t('sec.risk'), cell: (e) => <RiskBadge risk={e.risk} /> },
          { key: 'reasons', header: t('sec.reasons'), cell: (e) => <RiskReasons reasons={e.reasons} /> },
          cityView
            ? {
                key: 'drill',
                header: t('common.actions'),
                cell: (e) => (
                  <button type="button" className="button" onClick={() => setEnterprise(e)} aria-label={`${t('sec.viewAssets')}：${e.name}`}>
                    {t('sec.viewAssets')}
                  </button>
                ),
              }
            : null,
        ]}
      />
      {!cityView || enterprise ? (
        <>
          {enterprise ? (
            <button type="button" className="button" onClick={() => setEnterprise(undefined)}>
              {t('sec.clearDrill')}
            </button>
          ) : null}
          <AssetTable caption={enterprise ? t('sec.assetsOf', { name: enterprise.name }) : t('sec.assets.title')} assets={assets.data ?? []} loading={assets.loading} error={assets.error} onRetry={assets.reload} />
        </>
      ) : null}
    </>
  );
}
