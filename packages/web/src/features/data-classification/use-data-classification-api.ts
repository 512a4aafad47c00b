import { useMemo } from 'react';
import { useApi } from '../auth/session-context';
import { createDataClassificationApi, type DataClassificationApi } from './data-classification-api';

/** The data classification API client of the signed-in session (its token). */
export function useDataClassificationApi(): DataClassificationApi {
  const api = useApi();
  return useMemo(() => createDataClassificationApi({ token: () => api.token() }), [api]);
}
