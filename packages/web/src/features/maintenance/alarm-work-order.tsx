import { useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { statusBadge } from './maintenance-format';
import { useMaintenanceApi } from './use-maintenance-api';

/**
 * 工单 of an alarm (in its details): the work order made for it, or — for roles that may — a button
 * that makes one (one per alarm: pressing it twice, or two operators at once, gives the same order).
 */
export function AlarmWorkOrder({ alarm, onCreated }: { alarm: string; /** After the work order is made (the alarm got a comment saying so). */ onCreated?: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const maintenance = useMaintenanceApi();
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const existing = useResource((signal) => maintenance.listOrders({ sourceRef: alarm, limit: 1 }, { signal }), [maintenance, alarm, version]);
  const order = existing.data?.[0];

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await maintenance.createOrder({ alarm });
      setVersion((v) => v + 1);
      onCreated?.();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label={t('maintenance.alarmOrder')} className="alarm-work-order">
      <h3>{t('maintenance.alarmOrder')}</h3>
      {error ? <ErrorAlert error={error} /> : null}
      {order ? (
        <p>
          <Link to="/maintenance/orders/:id" params={{ id: order.id }}>
            {t('maintenance.openOrder', { title: order.title })}
          </Link>{' '}
          <span className={statusBadge[order.status]}>{t(`maintenance.status.${order.status}`)}</span>
        </p>
      ) : existing.loading && !existing.data ? null : can(me.role, 'maintenance.write') ? (
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void create()}>
          {t('maintenance.createFromAlarm')}
        </button>
      ) : (
        <p className="muted">{t('maintenance.noOrder')}</p>
      )}
    </section>
  );
}
