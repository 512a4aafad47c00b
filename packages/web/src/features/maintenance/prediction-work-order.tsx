import { useState } from 'react';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { WorkOrder } from './maintenance-api';
import { useMaintenanceApi } from './use-maintenance-api';

/** Props of {@link PredictionWorkOrder}. */
export interface PredictionWorkOrderProps {
  device: string;
  /** The assessment's time: one work order per prediction (pressing twice gives the same one). */
  assessedAt: string;
  /** What the prediction says, already in words ("剩余寿命约 42 分钟"). */
  summary: string;
}

/**
 * 按预测创建工单: a work order from a remaining-useful-life prediction, for roles that may open work
 * orders; afterwards a link to it.
 */
export function PredictionWorkOrder({ device, assessedAt, summary }: PredictionWorkOrderProps) {
  const { t } = useI18n();
  const me = useMe();
  const maintenance = useMaintenanceApi();
  const [order, setOrder] = useState<WorkOrder>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!can(me.role, 'maintenance.write')) return null;

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setOrder(await maintenance.createOrder({ device, source: 'prediction', sourceRef: `rul:${device}@${assessedAt}`, title: t('maintenance.predictionTitle', { summary }), priority: 'high', description: summary }));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      {error ? <ErrorAlert error={error} /> : null}
      {order ? (
        <Link to="/maintenance/orders/:id" params={{ id: order.id }}>
          {t('maintenance.openOrder', { title: order.title })}
        </Link>
      ) : (
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void create()}>
          {t('maintenance.createFromPrediction')}
        </button>
      )}
    </p>
  );
}
