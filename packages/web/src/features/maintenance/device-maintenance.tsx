import { useId, useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { historyLine, statusBadge } from './maintenance-format';
import { NewWorkOrderDialog } from './new-work-order-dialog';
import { useMaintenanceApi } from './use-maintenance-api';
import './maintenance.css';

/** How many history entries the device page shows. */
const historyLimit = 50;
/** How often the panel reads its work orders and history again. */
const refreshMs = 5_000;

/**
 * 维护与履历 of a device page: its open work orders (and a new one by hand) and its history, newest first —
 * lifecycle moves, alarms raised, acknowledged and cleared, and each step of its work orders.
 */
export function DeviceMaintenance({ device }: { device: string }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const maintenance = useMaintenanceApi();
  const headingId = useId();
  const [creating, setCreating] = useState(false);
  // Read again every few seconds: alarms, work orders from other pages and the lifecycle change meanwhile.
  const orders = usePolling((signal) => maintenance.listOrders({ device, status: 'openish' }, { signal }), [maintenance, device], { intervalMs: refreshMs });
  const history = usePolling((signal) => maintenance.history(device, { signal, limit: historyLimit }), [maintenance, device], { intervalMs: refreshMs });
  if (history.error?.code === 'DEVICE_NOT_FOUND') return null;
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="device-maintenance">
      <h2 className="panel-title" id={headingId}>
        {t('maintenance.deviceTitle')}
      </h2>
      {creating ? <NewWorkOrderDialog maintenance={maintenance} device={device} onClose={() => setCreating(false)} onCreated={(o) => navigate('/maintenance/orders/:id', { id: o.id })} /> : null}
      <h3>{t('maintenance.openOrders')}</h3>
      {(orders.data ?? []).length === 0 ? (
        <p className="muted">{t('maintenance.noOpenOrders')}</p>
      ) : (
        <ul>
          {(orders.data ?? []).map((o) => (
            <li key={o.id}>
              <Link to="/maintenance/orders/:id" params={{ id: o.id }}>
                {o.title}
              </Link>{' '}
              <span className={statusBadge[o.status]}>{t(`maintenance.status.${o.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
      {can(me.role, 'maintenance.write') ? (
        <p>
          <button type="button" className="button button-secondary" onClick={() => setCreating(true)}>
            {t('maintenance.newOrder')}
          </button>
        </p>
      ) : null}
      <h3>{t('maintenance.history')}</h3>
      {history.error ? <p role="alert">{history.error.message}</p> : null}
      {(history.data ?? []).length === 0 ? (
        <p className="muted">{t('maintenance.noHistory')}</p>
      ) : (
        <ol className="history-list" aria-label={t('maintenance.history')}>
          {(history.data ?? []).map((e) => {
            const line = historyLine(e, t);
            return (
              <li key={e.id} className={`history-${e.kind}`} data-kind={e.kind}>
                <span className="history-when">
                  {formatDateTime(e.ts)}
                  {e.actor ? ` · ${e.actor}` : ''}
                </span>
                {t(line.key, line.values)}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
