import { useSyncExternalStore, type AnchorHTMLAttributes, type ReactNode } from 'react';

/** Every page of the console, as the path after `#`; a `:name` segment matches one segment of any text. */
export const routePaths = [
  '/',
  '/devices',
  '/devices/:id',
  '/devices/:id/diagnosis',
  '/dashboards',
  '/dashboards/:id',
  '/screen/:id',
  '/gateways',
  '/gateways/:id',
  '/gateways/:id/modbus',
  '/gateways/:id/opcua',
  '/alarms',
  '/alarms/rules',
  '/alarms/notifications',
  '/maintenance',
  '/maintenance/schedules',
  '/maintenance/orders/:id',
  '/m/inspect',
  '/inspection',
  '/inspection/standards',
  '/inspection/routes',
  '/health',
  '/identifiers',
  '/identifiers/bulk',
  '/identifiers/prefixes',
  '/identifiers/stats',
  '/identifiers/:id',
  '/security',
  '/security/events',
  '/security/assets',
  '/security/protection',
  '/security/monitoring',
  '/security/notices',
  '/security/notices/:id',
  '/security/grading',
  '/security/inspections',
  '/security/incidents',
  '/security/incidents/:id',
  '/security/plans',
  '/security/data-classification',
  '/services',
  '/admin/users',
  '/admin/enterprises',
  '/admin/audit',
] as const;

/** A console page path such as `/admin/users` (deep link `#/admin/users`). */
export type RoutePath = (typeof routePaths)[number];

/** Values of a path's `:name` segments, decoded, e.g. `{ id: 'cnc-01' }` for `#/devices/cnc-01`. */
export type RouteParams = Readonly<Record<string, string>>;

/**
 * Where the hash points: a known page with its parameters and the resolved path as typed (e.g.
 * `/devices/cnc-01`), or the unknown path as typed.
 */
export type Location =
  | { known: true; path: RoutePath; params: RouteParams; resolved: string }
  | { known: false; path: string };

const isRoutePath = (path: string): path is RoutePath => (routePaths as readonly string[]).includes(path);

/** The parameters when `path` fits the pattern `route` segment by segment, else undefined. */
function matchPattern(route: RoutePath, path: string): RouteParams | undefined {
  const want = route.split('/');
  const have = path.split('/');
  if (!route.includes('/:') || want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = have[i] ?? '';
    if (segment.startsWith(':')) {
      if (!actual) return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined; // A malformed escape such as `%E0%A4%A` names no page.
      }
    } else if (segment !== actual) return undefined;
  }
  return params;
}

/**
 * Reads a location hash: `''`, `#` and `#/` are home; a query string and trailing slashes are ignored.
 *
 * @example
 * parseHash('#/admin/users/?x=1') // { known: true, path: '/admin/users', params: {}, resolved: '/admin/users' }
 * parseHash('#/devices/cnc-01') // { known: true, path: '/devices/:id', params: { id: 'cnc-01' }, resolved: '/devices/cnc-01' }
 */
export function parseHash(hash: string): Location {
  const withoutHash = hash.replace(/^#/, '');
  const pathOnly = withoutHash.split('?')[0] ?? '';
  const path = `/${pathOnly.replace(/^\/+|\/+$/g, '')}`;
  if (isRoutePath(path) && !path.includes('/:')) return { known: true, path, params: {}, resolved: path };
  for (const route of routePaths) {
    const params = matchPattern(route, path);
    if (params) return { known: true, path: route, params, resolved: path };
  }
  return { known: false, path };
}

/**
 * The path of a page, with its `:name` segments filled in (encoded) from `params`.
 *
 * @example
 * pathTo('/devices/:id', { id: 'cnc 01' }) // '/devices/cnc%2001'
 */
export function pathTo(route: RoutePath, params: RouteParams = {}): string {
  return route.replace(/:(\w+)/g, (match, name: string) => (params[name] === undefined ? match : encodeURIComponent(params[name])));
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
export function navigate(path: RoutePath, params?: RouteParams): void {
  window.location.hash = pathTo(path, params);
}

/** Props of {@link Link}. */
export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: RoutePath;
  /** Values of the `:name` segments of `to`. */
  params?: RouteParams;
  /** A navigation entry for a section: also current while on a page below it (`/devices/cnc-01`). */
  section?: boolean;
  children: ReactNode;
}

/**
 * A link to a console page; marked `aria-current="page"` when it is the current one, and, for a
 * `section` link, `aria-current="true"` when the current page lies below it.
 */
export function Link({ to, params, section = false, children, className, ...rest }: LinkProps) {
  const location = useLocation();
  const target = pathTo(to, params);
  const page = location.known && location.resolved === target;
  const below = section && location.known && target !== '/' && location.resolved.startsWith(`${target}/`);
  const current = page || below;
  return (
    <a
      {...rest}
      href={`#${target}`}
      aria-current={page ? 'page' : below ? 'true' : undefined}
      className={[className, current ? 'is-current' : undefined].filter(Boolean).join(' ') || undefined}
    >
      {children}
    </a>
  );
}
