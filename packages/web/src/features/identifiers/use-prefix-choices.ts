import { useResource } from '../../api/use-resource';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { IdentifierApi } from './identifier-api';

/** Approved prefixes the user may pick from (their enterprise's first), and the one to start with. */
export function usePrefixChoices(ids: IdentifierApi): { prefixes: string[]; first: string; loading: boolean } {
  const me = useMe();
  const readable = can(me.role, 'prefixes.view');
  const list = useResource((signal) => (readable ? ids.listPrefixes({ state: 'approved' }, { signal }) : Promise.resolve([])), [ids, readable]);
  const approved = list.data ?? [];
  const own = approved.filter((p) => p.tenantId !== null && p.tenantId === me.tenantId).map((p) => p.prefix);
  const others = approved.filter((p) => !own.includes(p.prefix)).map((p) => p.prefix);
  const prefixes = [...own, ...others];
  return { prefixes, first: prefixes[0] ?? '', loading: list.loading };
}
