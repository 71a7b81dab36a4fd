import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { meResponseSchema } from '../../../src/modules/auth/auth.schemas.js';
import { api, ApiError, setUnauthorizedListener } from '../api/client.js';
import { useRouter } from '../router.js';

export type CurrentUser = z.infer<typeof meResponseSchema>;

interface Session {
  /** undefined while loading, null when signed out. */
  user: CurrentUser | null | undefined;
  reload(): Promise<CurrentUser | null>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Pages anyone may open; every other page needs a session. */
export const publicPaths = ['/login', '/signup', '/accept', '/invite'];

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null | undefined>(undefined);
  const { path, navigate } = useRouter();

  const reload = useCallback(async () => {
    try {
      // On a private page an expired access cookie is renewed through the refresh cookie first
      // (apiFetch); the sign-in pages just ask, so they do not spend the auth rate limit.
      const me = await api<CurrentUser>('/api/v1/auth/me', { anonymous: publicPaths.includes(window.location.pathname) });
      setUser(me);
      return me;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      setUser(null);
      return null;
    }
  }, []);

  useEffect(() => {
    void reload().catch(() => setUser(null));
  }, [reload]);

  useEffect(() => {
    setUnauthorizedListener(() => {
      setUser(null);
      const here = window.location.pathname + window.location.search;
      if (!publicPaths.includes(window.location.pathname)) navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
    });
  }, [navigate]);

  // Signed out on a private page → the login page, remembering where the user was going.
  useEffect(() => {
    if (user === null && !publicPaths.includes(path)) navigate(`/login?next=${encodeURIComponent(path + window.location.search)}`, { replace: true });
  }, [user, path, navigate]);

  const logout = useCallback(async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    setUser(null);
    navigate('/login', { replace: true });
  }, [navigate]);

  const value = useMemo(() => ({ user, reload, logout }), [user, reload, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}
