import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './client';

/** What {@link usePolling} hands back. */
export interface Polled<T> {
  /** The newest answer; kept on screen while later requests fail. */
  data: T | undefined;
  /** The error of the latest request, cleared by the next success. */
  error: ApiError | undefined;
  /** True until the first request has settled. */
  loading: boolean;
  /** When the latest successful answer arrived (epoch ms), for "updated at …". */
  refreshedAt: number | undefined;
  /** False while the page is hidden and polling is paused. */
  live: boolean;
  /** Loads now (unless a request is already running) and restarts the interval from there. */
  refresh: () => void;
}

/** Options of {@link usePolling}. */
export interface PollingOptions {
  /** Pause between the end of one request and the start of the next, in ms. */
  intervalMs: number;
}

const asApiError = (cause: unknown): ApiError =>
  cause instanceof ApiError ? cause : new ApiError(0, 'UNKNOWN', cause instanceof Error ? cause.message : String(cause));

/**
 * Loads data now and again `intervalMs` after each answer, while the page is visible. Requests never
 * overlap (the next one is scheduled when the previous settles), polling pauses while the document is
 * hidden and resumes at once when it is shown again, and unmounting or a change of `deps` aborts the
 * request in flight. A failed request keeps the last data and polling goes on.
 *
 * @example
 * const devices = usePolling((signal) => api.listDevices({ signal }), [api], { intervalMs: 2000 });
 */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  options: PollingOptions,
): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean; refreshedAt?: number }>({ loading: true });
  const [live, setLive] = useState(() => document.visibilityState !== 'hidden');
  const refreshRef = useRef<() => void>(() => undefined);
  const { intervalMs } = options;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    setState({ loading: true });

    const schedule = () => {
      clearTimeout(timer);
      timer = document.visibilityState === 'hidden' ? undefined : setTimeout(tick, intervalMs);
    };
    function tick() {
      if (inFlight || controller.signal.aborted) return;
      clearTimeout(timer);
      inFlight = true;
      load(controller.signal).then(
        (data) => {
          if (!controller.signal.aborted) setState({ data, loading: false, refreshedAt: Date.now() });
        },
        (cause: unknown) => {
          if (!controller.signal.aborted) setState((previous) => ({ ...previous, error: asApiError(cause), loading: false }));
        },
      ).finally(() => {
        inFlight = false;
        if (!controller.signal.aborted) schedule();
      });
    }
    const onVisibility = () => {
      const visible = document.visibilityState !== 'hidden';
      setLive(visible);
      if (!visible) clearTimeout(timer);
      else if (!inFlight) tick();
    };

    refreshRef.current = tick;
    document.addEventListener('visibilitychange', onVisibility);
    if (document.visibilityState !== 'hidden') tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      refreshRef.current = () => undefined;
    };
    // `load` is a fresh closure each render; `deps` says when it really changes.
  }, [...deps, intervalMs]);

  const refresh = useCallback(() => refreshRef.current(), []);
  return { data: state.data, error: state.error, loading: state.loading, refreshedAt: state.refreshedAt, live, refresh };
}
