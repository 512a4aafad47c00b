import { useI18n } from '../../i18n';
import type { HealthComponent, RulFields } from './health-api';
import { componentLine, healthLevel, rulLine, topReasons } from './health-format';

/** The health index in its band's colour, with the band in words for screen readers. */
export function HealthBadge({ health }: { health: number }) {
  const { t } = useI18n();
  const level = healthLevel(health);
  return (
    <span className={`health-badge health-${level}`} title={t(`health.level.${level}`)} data-health={health}>
      {health}
      <span className="health-sr"> {t(`health.level.${level}`)}</span>
    </span>
  );
}

/** Remaining useful life in words, or a dash without a model. */
export function RulText({ r }: { r: RulFields }) {
  const { t } = useI18n();
  const line = rulLine(r);
  return <span data-rul={r.rul ?? ''}>{line ? t(line.key, line.values) : t('health.rul.none')}</span>;
}

/** The reasons that cost the most points, or "nothing found". */
export function ReasonList({ components, n = 2 }: { components: readonly HealthComponent[]; n?: number }) {
  const { t } = useI18n();
  const top = topReasons(components, n);
  if (top.length === 0) return <span className="muted">{t('health.reason.none')}</span>;
  return (
    <ul className="health-reasons">
      {top.map((c) => {
        const line = componentLine(c);
        return (
          <li key={c.kind} data-kind={c.kind}>
            {t(line.key, line.values)} <span className="muted">−{Math.round(c.penalty)}</span>
          </li>
        );
      })}
    </ul>
  );
}
