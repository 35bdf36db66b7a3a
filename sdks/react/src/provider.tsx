/**
 * BinoAuth for React single-page apps, as the IETF "OAuth 2.0 for Browser-Based Applications"
 * draft describes a browser client that talks to the authorization server itself: a public
 * client, authorization code + PKCE, tokens kept in memory only (never localStorage, where any
 * script on the origin could read them), refresh tokens that rotate, and a new access token
 * fetched shortly before the old one expires. Only the PKCE transaction (verifier, state,
 * nonce) sits in sessionStorage, because it must survive the redirect to the sign-in page.
 */
import {
  BinoAuthClient,
  LoginRequiredError,
  MemoryStorage,
  WebStorage,
  type TokenSet,
  type UserClaims,
} from "@binoauth/oauth-core";
import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

export interface SignInOptions {
  /** Where to come back to after sign-in (default: the current path). */
  returnTo?: string;
  prompt?: "none" | "login" | "consent";
  loginHint?: string;
  scope?: string;
}

export interface AuthState {
  isLoading: boolean;
  isAuthenticated: boolean;
  user: UserClaims | undefined;
  error: Error | undefined;
}

export interface AuthContextValue extends AuthState {
  signIn(options?: SignInOptions): Promise<void>;
  /** Revokes the refresh token, forgets the tokens and signs out at BinoAuth too. */
  signOut(options?: { returnTo?: string }): Promise<void>;
  /** A valid access token (refreshed if it was about to expire), or undefined when signed out. */
  getAccessToken(): Promise<string | undefined>;
  /** Uses the refresh token now (it rotates). */
  refresh(): Promise<void>;
  client: BinoAuthClient;
}

export const AuthContext = createContext<AuthContextValue | undefined>(undefined);

export interface BinoAuthProviderProps {
  /** The tenant's issuer, e.g. `https://auth.example.com/tenant/acme`. */
  issuer: string;
  clientId: string;
  /** Default: `<origin>/callback` (register it on the application). */
  redirectUri?: string;
  /** Default: `<origin>/` (register it as a post-logout redirect URI). */
  postLogoutRedirectUri?: string;
  /** Default `openid profile email offline_access` (offline_access: refresh tokens). */
  scope?: string;
  /** Refresh this many seconds before the access token expires (default 60). */
  refreshMarginSeconds?: number;
  /** A client of your own (tests, custom storage); the props above are then ignored. */
  client?: BinoAuthClient;
  /** How to leave for the sign-in and sign-out pages (default `window.location.assign`). */
  navigate?: (url: string) => void;
  /** Called after the callback was handled; default: replace the URL with `returnTo`. */
  onRedirectCallback?: (returnTo: string) => void;
  children?: ReactNode;
}

const SIGNED_OUT: AuthState = { isLoading: false, isAuthenticated: false, user: undefined, error: undefined };

function origin(): string {
  return window.location.origin;
}

export function BinoAuthProvider(props: BinoAuthProviderProps): ReactNode {
  const { issuer, clientId, scope, children } = props;
  const redirectUri = props.redirectUri ?? `${origin()}/callback`;
  const margin = props.refreshMarginSeconds ?? 60;
  const client = useMemo(
    () => props.client ?? new BinoAuthClient({
      issuer, clientId, redirectUri, ...(scope ? { scope } : {}),
      storage: new MemoryStorage(),
      transactionStorage: new WebStorage(window.sessionStorage),
      expiryMarginSeconds: margin,
    }),
    [props.client, issuer, clientId, redirectUri, scope, margin],
  );
  const navigate = props.navigate ?? ((url: string) => window.location.assign(url));
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const onRedirectRef = useRef(props.onRedirectCallback);
  onRedirectRef.current = props.onRedirectCallback;

  const [state, setState] = useState<AuthState>({ ...SIGNED_OUT, isLoading: true });
  const [tokens, setTokens] = useState<TokenSet | undefined>(undefined);
  // StrictMode runs effects twice: a code is redeemed once, whatever happens.
  const callbackRef = useRef<Promise<unknown> | undefined>(undefined);

  const adopt = useCallback((next: TokenSet | undefined, error?: Error) => {
    setTokens(next);
    setState(next
      ? { isLoading: false, isAuthenticated: true, user: next.claims, error: undefined }
      : { ...SIGNED_OUT, error });
  }, []);

  const ended = useCallback((error: unknown) => {
    if (error instanceof LoginRequiredError) return adopt(undefined);
    adopt(undefined, error instanceof Error ? error : new Error(String(error)));
  }, [adopt]);

  // A refresh that failed for another reason (offline, server busy) keeps the session: the
  // tokens are still held, and the next getAccessToken() tries again.
  const refreshFailed = useCallback((error: unknown) => {
    if (error instanceof LoginRequiredError) return adopt(undefined);
    setState((current) => ({ ...current, error: error instanceof Error ? error : new Error(String(error)) }));
  }, [adopt]);

  // The way back from the sign-in page, or whatever the client already holds.
  useEffect(() => {
    const here = new URL(window.location.href);
    const isCallback = here.pathname === new URL(redirectUri).pathname && BinoAuthClient.isCallback(here);
    if (!isCallback) {
      void client.getTokens().then((held) => adopt(held), ended);
      return;
    }
    callbackRef.current ??= client.handleCallback(here).then(
      ({ tokens: fresh, appState }) => {
        adopt(fresh);
        const returnTo = appState ?? "/";
        if (onRedirectRef.current) onRedirectRef.current(returnTo);
        else window.history.replaceState(null, "", returnTo);
      },
      (error: unknown) => {
        window.history.replaceState(null, "", "/"); // the code in the URL is spent either way
        ended(error);
      },
    );
  }, [client, redirectUri, adopt, ended]);

  // Silent refresh: a new access token shortly before this one expires, while signed in.
  useEffect(() => {
    if (!tokens?.expiresAt || !tokens.refreshToken) return;
    const delay = Math.max(tokens.expiresAt - margin * 1000 - Date.now(), 0);
    const timer = setTimeout(() => {
      client.refresh().then((fresh) => adopt(fresh), refreshFailed);
    }, delay);
    return () => clearTimeout(timer);
  }, [client, tokens, margin, adopt, refreshFailed]);

  const value = useMemo<AuthContextValue>(() => ({
    ...state,
    client,
    async signIn(options: SignInOptions = {}) {
      const { url } = await client.createAuthorizationUrl({
        appState: options.returnTo ?? window.location.pathname + window.location.search,
        ...(options.prompt ? { prompt: options.prompt } : {}),
        ...(options.loginHint ? { loginHint: options.loginHint } : {}),
        ...(options.scope ? { scope: options.scope } : {}),
      });
      navigateRef.current(url.href);
    },
    async signOut(options: { returnTo?: string } = {}) {
      const url = await client.signOut({ postLogoutRedirectUri: options.returnTo ?? props.postLogoutRedirectUri ?? `${origin()}/` });
      adopt(undefined);
      navigateRef.current(url.href);
    },
    async getAccessToken() {
      try {
        const token = await client.getAccessToken();
        const held = await client.getTokens();
        if (held && held.accessToken !== tokens?.accessToken) adopt(held);
        return token;
      } catch (error) {
        refreshFailed(error);
        return undefined;
      }
    },
    async refresh() {
      await client.refresh().then((fresh) => adopt(fresh), refreshFailed);
    },
  }), [state, client, tokens, adopt, refreshFailed, props.postLogoutRedirectUri]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
