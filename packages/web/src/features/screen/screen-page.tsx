import { useEffect, useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { useApi } from '../auth/session-context';
import { DashboardGrid } from '../dashboards/dashboard-grid';
import { LiveProvider, useLiveStatus } from '../devices/live-context';

/** The class on `<body>` that hides the console's header and navigation while a large screen shows. */
export const screenModeClass = 'screen-mode';

function Clock() {
  const [now, setNow] = useState(() => new Date());
  const { lang } = useI18n();
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <time className="screen-clock">{now.toLocaleString(lang, { hourCycle: 'h23' })}</time>;
}

function PushState() {
  const { t } = useI18n();
  const status = useLiveStatus();
  return (
    <span className="screen-push">
      <span className={status === 'open' ? 'live-dot is-on' : 'live-dot'} aria-hidden="true" /> {t(status === 'open' ? 'device.pushOpen' : 'device.pushConnecting')}
    </span>
  );
}

/**
 * 大屏: a dashboard for the workshop's wall screen — full screen, dark, large type, no navigation. The
 * layout is read again every `refreshSeconds` (edits show up without touching the screen), charts move on
 * with it, and values arrive live in between.
 */
export function ScreenPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const dashboard = useResource((signal) => api.getDashboard(id, { signal }), [api, id]);
  const refreshSeconds = dashboard.data?.layout.refreshSeconds ?? 30;
  const { reload } = dashboard;

  useEffect(() => {
    document.body.classList.add(screenModeClass);
    return () => document.body.classList.remove(screenModeClass);
  }, []);
  useEffect(() => {
    const timer = setInterval(reload, refreshSeconds * 1000);
    return () => clearInterval(timer);
  }, [reload, refreshSeconds]);

  const fullScreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };

  return (
    <LiveProvider>
      <div className="screen" data-testid="screen">
        <header className="screen-header">
          <h1 className="screen-title">{dashboard.data?.name ?? t('dashboards.title')}</h1>
          <div className="screen-meta">
            <PushState />
            <Clock />
            <button type="button" className="screen-button" onClick={fullScreen}>
              {t('screen.fullScreen')}
            </button>
            <Link to="/dashboards/:id" params={{ id }} className="screen-button">
              {t('screen.exit')}
            </Link>
          </div>
        </header>
        {dashboard.error ? <ErrorAlert error={dashboard.error} onRetry={reload} /> : null}
        {dashboard.data ? <DashboardGrid layout={dashboard.data.layout} screen /> : null}
      </div>
    </LiveProvider>
  );
}
