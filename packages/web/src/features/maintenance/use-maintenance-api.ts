import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createMaintenanceApi, type MaintenanceApi } from './maintenance-api';

/** The maintenance API client of the signed-in session (its token). */
export function useMaintenanceApi(): MaintenanceApi {
  const api = useApi();
  return useMemo(() => createMaintenanceApi({ token: () => api.token() }), [api]);
}
