import { useSyncExternalStore, type AnchorHTMLAttributes, type ReactNode } from 'react';

/** Every page of the console, as the path after `#`. */
export const routePaths = [
  '/',
  '/devices',
  '/alarms',
  '/identifiers',
  '/security',
  '/services',
  '/admin/users',
  '/admin/enterprises',
  '/admin/audit',
] as const;

/** A console page path such as `/admin/users` (deep link `#/admin/users`). */
export type RoutePath = (typeof routePaths)[number];

/** Where the hash points: a known page, or the unknown path as typed. */
export type Location = { known: true; path: RoutePath } | { known: false; path: string };

const isRoutePath = (path: string): path is RoutePath => (routePaths as readonly string[]).includes(path);

/**
 * Reads a location hash: `''`, `#` and `#/` are home; a query string and trailing slashes are ignored.
 *
 * @example
 * parseHash('#/admin/users/?x=1') // { known: true, path: '/admin/users' }
 */
export function parseHash(hash: string): Location {
  const withoutHash = hash.replace(/^#/, '');
  const pathOnly = withoutHash.split('?')[0] ?? '';
  const path = `/${pathOnly.replace(/^\/+|\/+$/g, '')}`;
  return isRoutePath(path) ? { known: true, path } : { known: false, path };
}

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const currentHash = (): string => window.location.hash;

/** The current location; re-renders on every hash change (links, back/forward, typed URLs). */
export function useLocation(): Location {
  return parseHash(useSyncExternalStore(subscribe, currentHash, () => ''));
}

/** Goes to a page, adding a history entry. */
export function navigate(path: RoutePath): void {
  window.location.hash = path;
}

/** Props of {@link Link}. */
export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: RoutePath;
  children: ReactNode;
}

/** A link to a console page; marked `aria-current="page"` when it is the current one. */
export function Link({ to, children, className, ...rest }: LinkProps) {
  const location = useLocation();
  const current = location.known && location.path === to;
  return (
    <a
      {...rest}
      href={`#${to}`}
      aria-current={current ? 'page' : undefined}
      className={[className, current ? 'is-current' : undefined].filter(Boolean).join(' ') || undefined}
    >
      {children}
    </a>
  );
}
