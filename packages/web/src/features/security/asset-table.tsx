import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { epoch, RiskBadge, RiskReasons } from './security-parts';
import type { SecurityAsset } from './security-api';

/** Props of {@link AssetTable}. */
export interface AssetTableProps {
  caption: string;
  assets: readonly SecurityAsset[];
  loading: boolean;
  error?: unknown;
  onRetry?: () => void;
}

/** Inventory rows: kind (unregistered flagged), address, protocol, traffic, risk with reasons. */
export function AssetTable({ caption, assets, loading, error, onRetry }: AssetTableProps) {
  const { t, formatNumber, formatDateTime } = useI18n();
  return (
    <DataTable
      caption={caption}
      count={t('sec.count.items', { count: formatNumber(assets.length) })}
      rows={assets}
      rowKey={(a) => a.key}
      rowClassName={(a) => (a.kind === 'discovered' ? 'sec-attacked' : undefined)}
      busy={loading}
      error={error}
      {...(onRetry ? { onRetry } : {})}
      empty={t('sec.assets.empty')}
      columns={[
        { key: 'name', header: t('sec.assets.name'), rowHeader: true, cell: (a) => a.name },
        { key: 'kind', header: t('sec.assets.kind'), cell: (a) => <span className={a.kind === 'discovered' ? 'badge badge-alert' : a.kind === 'gateway' ? 'badge badge-on' : 'badge'}>{t(`sec.assets.kind.${a.kind}`)}</span> },
        { key: 'enterprise', header: t('sec.enterprise'), cell: (a) => a.enterprise ?? '—' },
        { key: 'address', header: t('sec.assets.address'), className: 'nowrap', cell: (a) => (a.ip ? (a.role === 'client' ? a.ip : `${a.ip}:${a.port}`) : '—') },
        { key: 'protocol', header: t('sec.assets.protocol'), cell: (a) => a.protocol },
        { key: 'role', header: t('sec.assets.role'), cell: (a) => t(`sec.assets.role.${a.role}`) },
        { key: 'site', header: t('sec.assets.site'), cell: (a) => a.site ?? '—' },
        { key: 'traffic', header: t('sec.assets.traffic'), cell: (a) => (a.lastSeen ? t('sec.assets.trafficValue', { observations: formatNumber(a.observations), writes: formatNumber(a.writes) }) : t('sec.assets.notSeen')) },
        { key: 'seen', header: t('sec.assets.lastSeen'), className: 'nowrap', cell: (a) => epoch(formatDateTime, a.lastSeen) },
        { key: 'protection', header: t('sec.protection'), cell: (a) => (a.protection ? t(`sec.protection.${a.protection}`) : '—') },
        { key: 'risk', header: t('sec.risk'), cell: (a) => <RiskBadge risk={a.risk} /> },
        { key: 'reasons', header: t('sec.reasons'), cell: (a) => <RiskReasons reasons={a.reasons} /> },
      ]}
    />
  );
}
