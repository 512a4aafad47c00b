import { useState } from 'react';
import type { GatewayDto } from '@yulian/contracts';
import type { RegisteredGateway } from '../../api/client';
import { usePolling } from '../../api/use-polling';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { refreshIntervalMs, useDeviceFormat } from '../devices/device-format';
import { LiveIndicator } from '../devices/live-indicator';
import { useFlash } from './flash';
import { GatewayOnline } from './gateway-online';
import { readGatewayReport, reportedDevices } from './gateway-status';
import { GatewayTokenDialog } from './gateway-token-dialog';
import { RegisterGatewayDialog } from './register-gateway-dialog';

/** The uplink cell: 正常 / 中断, and the failed sends when there were any. */
function UplinkCell({ gateway }: { gateway: GatewayDto }) {
  const { t, formatNumber } = useI18n();
  const uplink = readGatewayReport(gateway.status)?.uplink;
  if (!uplink) return <>{t('common.none')}</>;
  return (
    <span className="stacked">
      <span className={uplink.up ? 'badge badge-on' : 'badge badge-alert'}>{uplink.up ? t('gateways.uplinkUp') : t('gateways.uplinkDown')}</span>
      {uplink.failures > 0 ? <span className="cell-secondary">{t('gateways.failures', { count: formatNumber(uplink.failures) })}</span> : null}
    </span>
  );
}

/**
 * 网关: the gateways of the caller's enterprise (all of them for a platform admin) with whether each is
 * online, when it last reported, its buffer and uplink and how many of its devices are online; refreshed
 * every 2 s while visible. Engineers and administrators register new ones here.
 */
export function GatewaysPage() {
  const { t, formatNumber } = useI18n();
  const format = useDeviceFormat();
  const api = useApi();
  const me = useMe();
  const manage = can(me.role, 'gateways.manage');
  const platformAdmin = me.role === 'platform-admin';
  const gateways = usePolling((signal) => api.listGateways({ signal }), [api], { intervalMs: refreshIntervalMs });
  const enterprises = useResource((signal) => (platformAdmin ? api.listEnterprises({ signal }) : Promise.resolve([])), [api, platformAdmin]);
  const [registering, setRegistering] = useState(false);
  const [registered, setRegistered] = useState<RegisteredGateway>();
  const [status, setStatus] = useFlash();
  const items = gateways.data ?? [];
  const now = Date.now();
  const enterpriseName = (tenantId: string | null): string =>
    tenantId === null ? t('gateways.platformGateway') : ((enterprises.data ?? []).find((e) => e.id === tenantId)?.name ?? tenantId);

  return (
    <>
      <PageHeader
        title={t('gateways.title')}
        intro={t('gateways.intro')}
        actions={
          <>
            <LiveIndicator live={gateways.live} refreshedAt={gateways.refreshedAt} failing={Boolean(gateways.error)} />
            {manage ? (
              <button
                type="button"
                className="button button-primary"
                onClick={() => {
                  setStatus(undefined);
                  setRegistering(true);
                }}
              >
                {t('gateways.register')}
              </button>
            ) : null}
          </>
        }
      />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {registering ? (
        <RegisterGatewayDialog
          me={me}
          enterprises={enterprises.data ?? []}
          onClose={() => setRegistering(false)}
          onSubmit={async (body) => {
            const answer = await api.createGateway(body);
            setRegistering(false);
            setRegistered(answer);
            setStatus(t('gateways.registered', { id: answer.gateway.id }));
            gateways.refresh();
          }}
        />
      ) : null}
      {registered ? <GatewayTokenDialog registered={registered} onClose={() => setRegistered(undefined)} /> : null}
      <DataTable
        caption={t('gateways.tableCaption')}
        count={t('gateways.count', { count: items.length })}
        rows={items}
        rowKey={(g) => g.id}
        busy={gateways.loading}
        empty={manage ? t('gateways.emptyManage') : t('gateways.empty')}
        error={gateways.error}
        onRetry={gateways.refresh}
        columns={[
          {
            key: 'id',
            header: t('gateways.gateway'),
            rowHeader: true,
            cell: (g) => (
              <>
                <Link to="/gateways/:id" params={{ id: g.id }}>
                  {g.id}
                </Link>
                {g.name && g.name !== g.id ? <span className="cell-secondary">{g.name}</span> : null}
              </>
            ),
          },
          platformAdmin && { key: 'enterprise', header: t('gateways.enterprise'), cell: (g) => enterpriseName(g.tenantId) },
          { key: 'online', header: t('gateways.status'), className: 'nowrap', cell: (g) => <GatewayOnline gateway={g} /> },
          {
            key: 'lastSeen',
            header: t('gateways.lastSeen'),
            className: 'nowrap',
            title: (g) => (g.lastSeen === null ? undefined : format.exact(g.lastSeen)),
            cell: (g) => (g.lastSeen === null ? t('common.never') : format.ago(g.lastSeen, now)),
          },
          {
            key: 'devices',
            header: t('gateways.devices'),
            className: 'nowrap numeric',
            cell: (g) => {
              const { devices, online } = reportedDevices(g);
              return t('gateways.devicesOnline', { online: formatNumber(online), total: formatNumber(devices.length) });
            },
          },
          {
            key: 'buffered',
            header: t('gateways.buffered'),
            className: 'nowrap numeric',
            cell: (g) => {
              const buffer = readGatewayReport(g.status)?.buffer;
              return buffer ? formatNumber(buffer.samples) : t('common.none');
            },
          },
          {
            key: 'dropped',
            header: t('gateways.dropped'),
            className: 'nowrap numeric',
            cell: (g) => {
              const buffer = readGatewayReport(g.status)?.buffer;
              if (!buffer) return t('common.none');
              return buffer.dropped > 0 ? <span className="badge badge-alert">{formatNumber(buffer.dropped)}</span> : formatNumber(0);
            },
          },
          { key: 'uplink', header: t('gateways.uplink'), cell: (g) => <UplinkCell gateway={g} /> },
        ]}
      />
    </>
  );
}
