import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { api, call, setUnauthorizedHandler, type AdminUser } from "./api";

export interface SessionState {
  /** undefined while the first GET current is in flight. */
  admin: AdminUser | null | undefined;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  can: (scope: string) => boolean;
  isPlatform: boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside <SessionProvider>");
  return session;
}

/** The admin's session lives in the HttpOnly cookie only; this keeps who is signed in. */
export function SessionProvider({ children, initial }: { children: ReactNode; initial?: AdminUser | null }) {
  const [admin, setAdmin] = useState<AdminUser | null | undefined>(initial);

  useEffect(() => {
    setUnauthorizedHandler(() => setAdmin(null));
    if (initial !== undefined) return;
    let live = true;
    call(api.GET("/api/v1/admin/sessions/current"))
      .then((s) => live && setAdmin(s.admin_user ?? null))
      .catch(() => live && setAdmin(null));
    return () => {
      live = false;
    };
  }, [initial]);

  const signIn = useCallback(async (email: string, password: string) => {
    const session = await call(api.POST("/api/v1/admin/sessions", { body: { email, password } }));
    setAdmin(session.admin_user ?? null);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await call(api.POST("/api/v1/admin/sessions/current:end", { body: {} }));
    } finally {
      setAdmin(null);
    }
  }, []);

  const value = useMemo<SessionState>(() => {
    const scopes = new Set(admin?.scopes ?? []);
    return {
      admin,
      signIn,
      signOut,
      can: (scope) => scopes.has(scope),
      isPlatform: !!admin && !admin.tenant_id,
    };
  }, [admin, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
