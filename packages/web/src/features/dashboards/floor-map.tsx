import { memo, useEffect, useMemo, useState, type CSSProperties } from 'react';
import type { AssetNodeDto, DeviceAssetDto } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { Link } from '../../router/hash-router';
import { useApi } from '../auth/session-context';
import type { DashboardData } from './widget-data';

/** The site a floor-map widget names (by id or code), or the enterprise's first site when it names none. */
export function pickSite(sites: readonly AssetNodeDto[], wanted: string): AssetNodeDto | undefined {
  if (!wanted) return sites[0];
  return sites.find((s) => s.id === wanted || s.code === wanted);
}

/** The devices of a site that have a position on its plan. */
export const placed = (devices: readonly DeviceAssetDto[]): Array<DeviceAssetDto & { x: number; y: number }> =>
  devices.filter((d): d is DeviceAssetDto & { x: number; y: number } => d.x !== null && d.y !== null);

const stateLabel: Record<string, MessageKey> = { online: 'devices.online', offline: 'devices.offline', connecting: 'devices.connecting', unknown: 'devices.unknown' };

/** The plan image of a site as an object URL, revoked when it changes or the widget goes away. */
function usePlanImage(site: AssetNodeDto | undefined): { url: string; ratio: number } | undefined {
  const api = useApi();
  const [image, setImage] = useState<{ url: string; ratio: number } | undefined>();
  const planUrl = site?.plan.kind === 'image' ? site.plan.url : undefined;
  useEffect(() => {
    if (!planUrl) return;
    const controller = new AbortController();
    let objectUrl: string | undefined;
    api.fetchPlan(planUrl, { signal: controller.signal }).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        const img = new Image();
        const url = objectUrl;
        img.onload = () => setImage({ url, ratio: img.naturalWidth && img.naturalHeight ? img.naturalWidth / img.naturalHeight : 5 / 3 });
        img.src = url;
      },
      () => setImage(undefined),
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [api, planUrl]);
  return planUrl ? image : undefined;
}

/** One device on the plan: re-rendered only when its state (or placement) changes, not on every live update of the dashboard. */
const FloorDot = memo(function FloorDot({ device, name, x, y, state }: { device: string; name: string; x: number; y: number; state: string }) {
  const { t } = useI18n();
  const label = t(stateLabel[state] ?? 'devices.unknown');
  return (
    <Link
      to="/devices/:id"
      params={{ id: device }}
      className={`floor-dot dot-${state}`}
      style={{ left: `${x * 100}%`, top: `${y * 100}%` }}
      data-device={device}
      data-state={state}
      title={`${name || device} · ${label}`}
      aria-label={`${device}: ${label}`}
    >
      <span className="floor-dot-label">{device}</span>
    </Link>
  );
});

/**
 * 车间平面图: a site's floor plan (its image, or a grid) with each placed device as a dot coloured by its
 * presence — pushed live for the devices the dashboard watches, else from the device list. Absolutely
 * positioned dots keep 200 devices cheap to draw; each live update re-renders only the dots whose state
 * changed (the 250 ms batches of a 200-device plant otherwise re-rendered every dot: bench floormap).
 */
export function FloorMapWidget({ site: wanted, data }: { site: string; data: DashboardData }) {
  const { t } = useI18n();
  const api = useApi();
  const sites = useResource((signal) => api.listSites({ signal }), [api]);
  const site = pickSite(sites.data ?? [], wanted);
  const devices = useResource((signal) => (site ? api.listSiteDevices(site.id, { signal }) : Promise.resolve([])), [api, site?.id]);
  const image = usePlanImage(site);
  const dots = useMemo(() => placed(devices.data ?? []), [devices.data]);
  // The device list's states by id, so each dot finds its own in one step rather than a scan of the list.
  const listed = useMemo(() => new Map((data.devices ?? []).map((d) => [d.device, d.state])), [data.devices]);

  if (sites.error) return <p className="widget-placeholder">{t('widget.floorMapUnavailable')}</p>;
  if (!sites.data) return <p className="widget-placeholder">{t('app.loading')}</p>;
  if (!site) return <p className="widget-placeholder">{t(wanted ? 'widget.siteNotFound' : 'widget.noSites')}</p>;

  const ratio = site.plan.kind === 'image' ? (image?.ratio ?? 5 / 3) : site.plan.kind === 'grid' ? site.plan.cols / site.plan.rows : 5 / 3;
  const style = { '--ratio': String(ratio) } as CSSProperties;
  if (site.plan.kind === 'grid') {
    Object.assign(style, { backgroundSize: `${100 / site.plan.cols}% ${100 / site.plan.rows}%` });
  }
  return (
    <div className="floor-map-wrap">
      <div className={site.plan.kind === 'grid' ? 'floor-map is-grid' : 'floor-map'} style={style} role="group" aria-label={t('widget.floorMapOf', { site: site.name, count: dots.length })} data-site={site.id}>
        {image ? <img className="floor-plan" src={image.url} alt="" /> : null}
        {dots.map((d) => (
          <FloorDot key={d.device} device={d.device} name={d.name} x={d.x} y={d.y} state={data.presence(d.device)?.state ?? listed.get(d.device) ?? 'unknown'} />
        ))}
      </div>
    </div>
  );
}
