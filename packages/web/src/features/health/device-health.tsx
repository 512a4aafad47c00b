import { useId } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { PredictionWorkOrder } from '../maintenance/prediction-work-order';
import { rulLine } from './health-format';
import { HealthBadge, ReasonList, RulText } from './health-parts';
import { RulTrendChart } from './rul-trend-chart';
import { Sparkline } from './sparkline';
import { useHealthApi } from './use-health-api';
import './health.css';

/**
 * 健康与剩余寿命 of a device page: the latest health index with its reasons, the remaining useful life when
 * a model applies to the device's profile, the index over the last 24 hours and, with a model, the
 * remaining useful life over the same hours (falling as a fault wears the machine).
 */
export function DeviceHealth({ device }: { device: string }) {
  const { t, formatDateTime } = useI18n();
  const health = useHealthApi();
  const headingId = useId();
  const state = usePolling((signal) => health.device(device, { signal }), [health, device], { intervalMs: 30_000 });
  if (state.error?.code === 'DEVICE_NOT_FOUND' || state.error?.code === 'FORBIDDEN') return null;
  const latest = state.data?.latest ?? null;
  const trend = state.data?.trend ?? [];
  const rul = latest ? rulLine(latest) : null;
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="device-health">
      <h2 className="panel-title" id={headingId}>
        {t('health.deviceTitle')}
      </h2>
      {latest === null ? (
        <p className="muted">{state.loading ? t('app.loading') : t('health.deviceNone')}</p>
      ) : (
        <>
          <dl className="health-card-figures">
            <div>
              <dt>{t('health.col.health')}</dt>
              <dd>
                <HealthBadge health={latest.health} />
              </dd>
            </div>
            <div>
              <dt>{t('health.col.rul')}</dt>
              <dd data-testid="device-rul">
                <RulText r={latest} />
              </dd>
            </div>
            <div>
              <dt>{t('health.trend24h')}</dt>
              <dd>
                <Sparkline values={trend.map((p) => p.health)} label={t('health.trendLabel', { device, first: trend[0]?.health ?? latest.health, last: latest.health })} width={200} />
              </dd>
            </div>
          </dl>
          <ReasonList components={latest.components} n={3} />
          <RulTrendChart device={device} trend={trend} unitSeconds={latest.rulUnitSeconds} cap={latest.rulCap} />
          {rul ? <PredictionWorkOrder device={device} assessedAt={latest.ts} summary={t(rul.key, rul.values)} /> : null}
          <p className="muted">
            {t('health.assessedAt', { time: formatDateTime(latest.ts) })} · <Link to="/health">{t('health.fleetLink')}</Link>
          </p>
        </>
      )}
    </section>
  );
}
