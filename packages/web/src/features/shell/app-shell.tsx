import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { useLocation } from '../../router/hash-router';
import { AppHeader } from './app-header';
import { SideNav } from './side-nav';

/** The signed-in layout: header on top, navigation on the left, the page in `<main>`. */
export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  const page = location.known ? location.resolved : location.path;
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After following a link, put focus on the new page so keyboard and screen-reader users start there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo({ top: 0 });
  }, [page]);

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        mainRef.current?.focus();
      }}>
        {t('app.skipToContent')}
      </a>
      <AppHeader />
      <div className="app-body">
        <SideNav />
        <main className="app-main" id="main" tabIndex={-1} ref={mainRef}>
          {children}
        </main>
      </div>
    </div>
  );
}
