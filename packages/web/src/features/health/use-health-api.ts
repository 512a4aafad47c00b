import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createHealthApi, type HealthApi } from './health-api';

/** The health API client of the signed-in session (its token). */
export function useHealthApi(): HealthApi {
  const api = useApi();
  return useMemo(() => createHealthApi({ token: () => api.token() }), [api]);
}
