import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createGradingApi, type GradingApi } from './grading-api';

/** The grading API client of the signed-in session (its token). */
export function useGradingApi(): GradingApi {
  const api = useApi();
  return useMemo(() => createGradingApi({ token: () => api.token() }), [api]);
}
