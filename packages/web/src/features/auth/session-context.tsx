import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Me } from '@yulian/contracts';
import { ApiError, createApiClient, tokenStorageKey, type ApiClient } from '../../api/client';

/** Why the login page is showing, when it is not the first visit. */
export type LoginNotice = 'sessionEnded' | { error: ApiError };

/** The session as the console sees it. */
export type SessionState =
  | { status: 'checking' }
  | { status: 'anonymous'; notice?: LoginNotice }
  | { status: 'signed-in'; me: Me };

/** What {@link useSession} hands back. */
export interface Session {
  state: SessionState;
  api: ApiClient;
  /** Logs in; rejects with the API's error (wrong password, locked account, …). */
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /**
   * Changes the signed-in user's own password and keeps them signed in with the new token the server
   * answers (the old one is void). Rejects with the API's error, e.g. 400 `CURRENT_PASSWORD_WRONG`.
   */
  changePassword: (currentPassword: string, newPassword: string) => Promise<void>;
  /** Reads the signed-in user again, e.g. after they changed their own display name. */
  refreshMe: () => Promise<void>;
}

const readToken = (): string | null => {
  try {
    return localStorage.getItem(tokenStorageKey);
  } catch {
    return null;
  }
};
const writeToken = (token: string | null): void => {
  try {
    if (token === null) localStorage.removeItem(tokenStorageKey);
    else localStorage.setItem(tokenStorageKey, token);
  } catch {
    // Storage unavailable: the session lasts until the page is closed.
  }
};

const SessionContext = createContext<Session | null>(null);

/**
 * Owns the token and the API client. A 401 on any call made with a token ends the session, which
 * takes the user back to the login page while keeping the hash, so they return to the same page.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const tokenRef = useRef<string | null>(readToken());
  const [state, setState] = useState<SessionState>(() =>
    tokenRef.current ? { status: 'checking' } : { status: 'anonymous' },
  );

  const api = useMemo(
    () =>
      createApiClient({
        getToken: () => tokenRef.current,
        onUnauthorized: () => {
          tokenRef.current = null;
          writeToken(null);
          setState({ status: 'anonymous', notice: 'sessionEnded' });
        },
      }),
    [],
  );

  useEffect(() => {
    if (!tokenRef.current) return;
    const controller = new AbortController();
    api.me({ signal: controller.signal }).then(
      (me) => setState({ status: 'signed-in', me }),
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        // A 401 already went through onUnauthorized; anything else (server down) is shown on the login page.
        if (cause instanceof ApiError && cause.status !== 401) setState({ status: 'anonymous', notice: { error: cause } });
      },
    );
    return () => controller.abort();
  }, [api]);

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = await api.login({ username, password });
      tokenRef.current = answer.token;
      writeToken(answer.token);
      setState({ status: 'signed-in', me: answer.user });
    },
    [api],
  );

  const changePassword = useCallback(
    async (currentPassword: string, newPassword: string) => {
      const answer = await api.changePassword({ currentPassword, newPassword });
      tokenRef.current = answer.token;
      writeToken(answer.token);
      setState({ status: 'signed-in', me: answer.user });
    },
    [api],
  );

  const refreshMe = useCallback(async () => {
    const me = await api.me();
    setState((previous) => (previous.status === 'signed-in' ? { status: 'signed-in', me } : previous));
  }, [api]);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // The token is dropped either way; a failed revoke only means it lives until it expires.
    }
    tokenRef.current = null;
    writeToken(null);
    setState({ status: 'anonymous' });
  }, [api]);

  const value = useMemo<Session>(
    () => ({ state, api, login, logout, changePassword, refreshMe }),
    [state, api, login, logout, changePassword, refreshMe],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session. Must be used under {@link SessionProvider}. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() needs a <SessionProvider> above it.');
  return session;
}

/** The signed-in user. Use only on pages shown after login. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe() is only for pages shown after login.');
  return state.me;
}

/** The API client. */
export const useApi = (): ApiClient => useSession().api;
