import { useState } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { PageHeader } from '../../ui/page-header';
import { SectionTabs } from '../../ui/section-tabs';
import { AssetTable } from './asset-table';
import { securitySections } from './security-parts';
import { useSecurityApi } from './use-security-api';
import './security.css';

/** 资产清单: registered devices and the assets seen in traffic, unregistered ones flagged, with risk and reasons. */
export function SecurityAssetsPage() {
  const { t } = useI18n();
  const security = useSecurityApi();
  const [onlyDiscovered, setOnlyDiscovered] = useState(false);
  const assets = usePolling((signal) => security.assets(onlyDiscovered ? { kind: 'discovered' } : {}, { signal }), [security, onlyDiscovered], { intervalMs: 15_000 });
  return (
    <>
      <PageHeader title={t('sec.assets.title')} intro={t('sec.assets.intro')} />
      <SectionTabs label="sec.sections" sections={securitySections} />
      <div className="sec-toolbar">
        <label>
          <input type="checkbox" checked={onlyDiscovered} onChange={(e) => setOnlyDiscovered(e.target.checked)} /> {t('sec.assets.onlyDiscovered')}
        </label>
      </div>
      <AssetTable caption={t('sec.assets.title')} assets={assets.data ?? []} loading={assets.loading} error={assets.error} onRetry={assets.refresh} />
    </>
  );
}
