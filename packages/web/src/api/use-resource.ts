import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './client';

/** What {@link useResource} hands back. */
export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen until the answer arrives. */
  reload: () => void;
}

const asApiError = (cause: unknown): ApiError =>
  cause instanceof ApiError ? cause : new ApiError(0, 'UNKNOWN', cause instanceof Error ? cause.message : String(cause));

/**
 * Loads data for a page and aborts the request when the page goes away or `deps` change.
 *
 * @example
 * const users = useResource((signal) => api.listUsers({ signal }), [api]);
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ data: previous.data, error: asApiError(cause), loading: false }));
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure each render; `deps` says when it really changes.
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
