import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createAlarmApi, type AlarmApi } from './alarm-api';

/** The alarm API client of the signed-in session (its token). */
export function useAlarmApi(): AlarmApi {
  const api = useApi();
  return useMemo(() => createAlarmApi({ token: () => api.token() }), [api]);
}
