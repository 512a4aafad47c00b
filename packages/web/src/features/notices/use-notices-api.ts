import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createNoticesApi, type NoticesApi } from './notices-api';

/** The notices API client of the signed-in session (its token). */
export function useNoticesApi(): NoticesApi {
  const api = useApi();
  return useMemo(() => createNoticesApi({ token: () => api.token() }), [api]);
}
