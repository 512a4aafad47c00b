import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createSecurityApi, type SecurityApi } from './security-api';

/** The security API client of the signed-in session (its token). */
export function useSecurityApi(): SecurityApi {
  const api = useApi();
  return useMemo(() => createSecurityApi({ token: () => api.token() }), [api]);
}
