import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createIncidentsApi, type IncidentsApi } from './incidents-api';

/** The incidents API client of the signed-in session (its token). */
export function useIncidentsApi(): IncidentsApi {
  const api = useApi();
  return useMemo(() => createIncidentsApi({ token: () => api.token() }), [api]);
}
