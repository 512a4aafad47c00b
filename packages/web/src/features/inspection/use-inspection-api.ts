import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createInspectionApi, type InspectionApi } from './inspection-api';

/** The spot-inspection API client of the signed-in session (its token). */
export function useInspectionApi(): InspectionApi {
  const api = useApi();
  return useMemo(() => createInspectionApi({ token: () => api.token() }), [api]);
}
