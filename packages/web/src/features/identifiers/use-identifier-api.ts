import { useMemo } from 'react';
import { useResource, type Resource } from '../../api/use-resource';
import { useApi } from '../auth/session-context';
import { createIdentifierApi, type IdentifierApi } from './identifier-api';
import type { IdentifierTemplate } from './identifier-types';

/** The identifier API client of the signed-in session (its token). */
export function useIdentifierApi(): IdentifierApi {
  const api = useApi();
  return useMemo(() => createIdentifierApi({ token: () => api.token() }), [api]);
}

/** The identifier templates the server checks registrations against. */
export function useTemplates(ids: IdentifierApi): Resource<IdentifierTemplate[]> {
  return useResource((signal) => ids.templates({ signal }), [ids]);
}
