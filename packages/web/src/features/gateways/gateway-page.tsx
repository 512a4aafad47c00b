import { useState } from 'react';
import type { RegisteredGateway } from '../../api/client';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { refreshIntervalMs } from '../devices/device-format';
import { LiveIndicator } from '../devices/live-indicator';
import { setFlash, useFlash } from './flash';
import { gatewayDeviceRows, GatewayDevicesTable } from './gateway-devices';
import { GatewayFigures } from './gateway-figures';
import { readGatewayReport } from './gateway-status';
import { GatewayTokenDialog } from './gateway-token-dialog';

type Pending = { kind: 'rotate' } | { kind: 'delete' } | { kind: 'removeDevice'; device: string };

/**
 * 网关 → one gateway: its figures (online, buffer, uplink, configuration version) and its devices with
 * their state, last error and driver counters, refreshed every 2 s while visible. Engineers and
 * administrators add devices, replace the token and delete the gateway here.
 */
export function GatewayPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const me = useMe();
  const manageGateway = can(me.role, 'gateways.manage');
  const manageDevices = can(me.role, 'devices.manage');
  const polled = usePolling(
    async (signal) => {
      const [gateway, devices] = await Promise.all([api.getGateway(id, { signal }), api.listDevices({ signal })]);
      return { gateway, devices };
    },
    [api, id],
    { intervalMs: refreshIntervalMs },
  );
  const [pending, setPending] = useState<Pending>();
  const [token, setToken] = useState<RegisteredGateway>();
  const [status, setStatus] = useFlash();
  const gateway = polled.data?.gateway;
  const report = gateway ? readGatewayReport(gateway.status) : null;
  const now = Date.now();
  const rows = gateway ? gatewayDeviceRows(gateway, polled.data?.devices ?? []) : [];
  const close = () => setPending(undefined);

  return (
    <>
      <p className="back-link">
        <Link to="/gateways">← {t('gateway.back')}</Link>
      </p>
      <PageHeader
        title={t('gateway.title', { id })}
        intro={gateway?.name && gateway.name !== id ? gateway.name : t('gateway.intro')}
        actions={<LiveIndicator live={polled.live} refreshedAt={polled.refreshedAt} failing={Boolean(polled.error)} />}
      />
      {gateway && (manageGateway || manageDevices) ? (
        <div className="toolbar" role="group" aria-label={t('gateway.actions')}>
          {manageDevices ? (
            <>
              <Link to="/gateways/:id/modbus" params={{ id }} className="button button-primary">
                {t('gateway.addModbus')}
              </Link>
              <Link to="/gateways/:id/opcua" params={{ id }} className="button button-secondary">
                {t('gateway.addOpcua')}
              </Link>
            </>
          ) : null}
          {manageGateway ? (
            <>
              <button type="button" className="button button-secondary" onClick={() => setPending({ kind: 'rotate' })}>
                {t('gateway.rotateToken')}
              </button>
              <button type="button" className="button button-danger-outline" onClick={() => setPending({ kind: 'delete' })}>
                {t('gateway.delete')}
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {polled.error ? <ErrorAlert error={polled.error} onRetry={polled.refresh} /> : null}
      {gateway ? (
        <>
          <GatewayFigures gateway={gateway} report={report} now={now} />
          <GatewayDevicesTable
            rows={rows}
            busy={polled.loading}
            now={now}
            onRemove={manageDevices ? (device) => setPending({ kind: 'removeDevice', device }) : undefined}
          />
        </>
      ) : polled.loading ? (
        <p className="loading" role="status">
          {t('app.loading')}
        </p>
      ) : null}

      {pending?.kind === 'rotate' ? (
        <ConfirmDialog
          title={t('gateway.rotateToken')}
          confirmLabel={t('gateway.rotateConfirm')}
          onClose={close}
          onConfirm={async () => {
            const answer = await api.rotateGatewayToken(id);
            close();
            setToken(answer);
            polled.refresh();
          }}
        >
          <p>{t('gateway.rotateQuestion', { id })}</p>
        </ConfirmDialog>
      ) : null}
      {pending?.kind === 'delete' ? (
        <ConfirmDialog
          title={t('gateway.delete')}
          confirmLabel={t('gateway.deleteConfirm')}
          danger
          onClose={close}
          onConfirm={async () => {
            await api.deleteGateway(id);
            setFlash(t('gateway.deleted', { id }));
            navigate('/gateways');
          }}
        >
          <p>{t('gateway.deleteQuestion', { id, count: rows.filter((r) => r.configured).length })}</p>
        </ConfirmDialog>
      ) : null}
      {pending?.kind === 'removeDevice' ? (
        <ConfirmDialog
          title={t('gateway.removeDevice')}
          confirmLabel={t('gateway.removeDeviceConfirm')}
          danger
          onClose={close}
          onConfirm={async () => {
            await api.deleteDevice(pending.device);
            close();
            setStatus(t('gateway.deviceRemoved', { device: pending.device }));
            polled.refresh();
          }}
        >
          <p>{t('gateway.removeDeviceQuestion', { device: pending.device })}</p>
        </ConfirmDialog>
      ) : null}
      {token ? <GatewayTokenDialog registered={token} rotated onClose={() => setToken(undefined)} /> : null}
    </>
  );
}
