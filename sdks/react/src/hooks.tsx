import type { UserClaims } from "@binoauth/oauth-core";
import { useContext, useEffect, useRef, type ReactNode } from "react";

import { AuthContext, type AuthContextValue, type SignInOptions } from "./provider.js";

/** Everything about the signed-in state; must be inside a {@link BinoAuthProvider}. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <BinoAuthProvider>");
  return value;
}

/** The signed-in user's ID token claims, or undefined. */
export function useUser(): UserClaims | undefined {
  return useAuth().user;
}

export interface RequireAuthProps {
  children?: ReactNode;
  /** Shown while the state is being found out, or while leaving for the sign-in page. */
  fallback?: ReactNode;
  /** Send a signed-out user to sign in (default true); false: show the fallback. */
  redirect?: boolean;
  signInOptions?: SignInOptions;
}

/** Renders its children for a signed-in user only. */
export function RequireAuth({ children, fallback = null, redirect = true, signInOptions }: RequireAuthProps): ReactNode {
  const { isLoading, isAuthenticated, error, signIn } = useAuth();
  const leave = redirect && !isLoading && !isAuthenticated && !error;
  const leaving = useRef(false); // one redirect, however often the context value changes meanwhile
  useEffect(() => {
    if (!leave || leaving.current) return;
    leaving.current = true;
    void signIn(signInOptions);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [leave, signIn]);
  return isAuthenticated ? children : fallback;
}
