/**
 * BinoAuth for Next.js (App Router), on Web-standard Request/Response only: the application is
 * a confidential client whose server does the code flow (PKCE too), keeps the tokens in an
 * encrypted HttpOnly cookie, refreshes them in middleware (where a response can set the
 * rotated cookie) and reads the user on the server. Browser code never sees a token.
 *
 *   // lib/auth.ts
 *   export const auth = createBinoAuth({ issuer, clientId, clientSecret, baseUrl, secret });
 *   // app/auth/[action]/route.ts
 *   export const { GET, POST } = auth.handlers;
 *   // middleware.ts
 *   export const middleware = auth.middleware({ protect: ["/account"],
 *     next: (headers) => NextResponse.next({ request: { headers } }) });
 *   // a server component
 *   const session = await auth.getSession(await cookies());
 */
import {
  BinoAuthClient,
  BinoAuthError,
  decodeJwtPayload,
  LoginRequiredError,
  MemoryStorage,
  type TokenSet,
  type UserClaims,
} from "@binoauth/oauth-core";

import { deriveKey, readCookie, seal, serialize, unseal, type CookieOptions } from "./cookies.js";

export interface BinoAuthNextOptions {
  /** The tenant's issuer, e.g. `https://auth.example.com/tenant/acme`. */
  issuer: string;
  clientId: string;
  /** The application's secret (a confidential client); omit for a public client with PKCE only. */
  clientSecret?: string;
  /** The application's public origin, e.g. `https://app.example.com` (the callback is `<baseUrl><basePath>/callback`). */
  baseUrl: string;
  /** At least 32 random characters: encrypts the session cookie. */
  secret: string;
  /** Default `openid profile email offline_access`. */
  scope?: string;
  /** Where the route handlers live (default `/auth`: `/auth/sign-in`, `/auth/callback`, `/auth/sign-out`). */
  basePath?: string;
  /** Default `<baseUrl>/` (register it as a post-logout redirect URI). */
  postLogoutRedirectUri?: string;
  /** Default `binoauth_session`. */
  cookieName?: string;
  /** How long the session cookie lives (default 7 days; the refresh token's own expiry still applies). */
  sessionMaxAgeSeconds?: number;
  /** Middleware refreshes access tokens expiring within this many seconds (default 60). */
  refreshMarginSeconds?: number;
  fetch?: typeof fetch;
}

/** What server code gets: the user (from the ID token) and a current access token. */
export interface Session {
  user: UserClaims | undefined;
  accessToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number | undefined;
  scope: string | undefined;
}

/** Next's `cookies()` (or anything with `get(name)?.value`). */
export interface CookieReader {
  get(name: string): { value: string } | undefined;
}

export type Matcher = string | RegExp | ((pathname: string) => boolean);

export interface MiddlewareOptions {
  /** Paths that need a signed-in user: a string prefix, a RegExp or a predicate. */
  protect?: readonly Matcher[];
  /**
   * Continue to the page with these request headers (`(headers) => NextResponse.next({ request:
   * { headers } })`), so that the page already sees a refreshed cookie. Without it a plain
   * `x-middleware-next` response continues, and the page sees the refreshed cookie from the next request on.
   */
  next?: (requestHeaders: Headers) => Response;
}

/**
 * The cookie's contents (short names: a cookie holds 4 KB). `ate` (access token expiry, ms) is
 * not `exp`: the sealed cookie is a JWT whose own `exp` (seconds) would overwrite it.
 */
interface StoredSession {
  at: string;
  rt?: string;
  it?: string;
  ate?: number;
  scope?: string;
}

interface StoredTransaction {
  state: string;
  tx: string;
}

const TX_SUFFIX = "_tx";
const TX_MAX_AGE = 600;

function toStored(tokens: TokenSet): StoredSession {
  const stored: StoredSession = { at: tokens.accessToken };
  if (tokens.refreshToken) stored.rt = tokens.refreshToken;
  if (tokens.idToken) stored.it = tokens.idToken;
  if (tokens.expiresAt !== undefined) stored.ate = tokens.expiresAt;
  if (tokens.scope) stored.scope = tokens.scope;
  return stored;
}

function toTokens(stored: StoredSession): TokenSet {
  const tokens: TokenSet = { accessToken: stored.at, tokenType: "Bearer" };
  if (stored.rt) tokens.refreshToken = stored.rt;
  if (stored.it) tokens.idToken = stored.it;
  if (stored.ate !== undefined) tokens.expiresAt = stored.ate;
  if (stored.scope) tokens.scope = stored.scope;
  return tokens;
}

function toSession(stored: StoredSession): Session {
  // The ID token was validated when it was received (callback or refresh) and has been sealed since.
  const user = stored.it ? (decodeJwtPayload(stored.it) as UserClaims) : undefined;
  return { user, accessToken: stored.at, expiresAt: stored.ate, scope: stored.scope };
}

/** Only a path of this application: never `//evil.example` or an absolute URL (open redirect). */
function localPath(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.includes("\\") ? value : "/";
}

function redirect(location: string, status = 303, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status, headers });
}

function matches(pathname: string, matcher: Matcher): boolean {
  if (typeof matcher === "string") return pathname === matcher || pathname.startsWith(matcher.endsWith("/") ? matcher : `${matcher}/`);
  if (matcher instanceof RegExp) return matcher.test(pathname);
  return matcher(pathname);
}

export function createBinoAuth(options: BinoAuthNextOptions) {
  if (options.secret.length < 32) throw new TypeError("createBinoAuth: the secret must be at least 32 characters");
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const basePath = (options.basePath ?? "/auth").replace(/\/+$/, "");
  const redirectUri = `${baseUrl}${basePath}/callback`;
  const secure = baseUrl.startsWith("https:");
  const session: CookieOptions = { name: options.cookieName ?? "binoauth_session",
    maxAgeSeconds: options.sessionMaxAgeSeconds ?? 7 * 24 * 3600, path: "/", secure };
  const transaction: CookieOptions = { name: session.name + TX_SUFFIX, maxAgeSeconds: TX_MAX_AGE, path: basePath, secure };
  const marginMs = (options.refreshMarginSeconds ?? 60) * 1000;
  const keyPromise = deriveKey(options.secret);
  // Requests that arrive together with the same expiring cookie share one refresh: using a
  // rotated refresh token twice would look like a replay and end the session (one process;
  // several server instances may still race, as with any cookie session).
  const refreshing = new Map<string, Promise<TokenSet>>();

  const settings = {
    issuer: options.issuer, clientId: options.clientId, redirectUri,
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  // One client holds the discovery document (fetched once, cached); the per-request clients,
  // each with the storage of its own request, take it from there.
  const shared = new BinoAuthClient(settings);
  const client = (storage = new MemoryStorage(), transactions = new MemoryStorage()) => new BinoAuthClient({
    ...settings, storage, transactionStorage: transactions, discovery: () => shared.metadata(),
  });

  async function readStored(source: Request | CookieReader): Promise<StoredSession | undefined> {
    const value = source instanceof Request ? readCookie(source.headers.get("cookie"), session.name)
      : source.get(session.name)?.value;
    return unseal<StoredSession>(value, await keyPromise);
  }

  async function sessionCookie(tokens: TokenSet): Promise<string> {
    return serialize(session, await seal({ ...toStored(tokens) }, await keyPromise, session.maxAgeSeconds));
  }

  function tokenClient(stored: StoredSession): BinoAuthClient {
    const storage = new MemoryStorage();
    storage.set("tokens", JSON.stringify(toTokens(stored)));
    return client(storage);
  }

  async function refresh(stored: StoredSession): Promise<TokenSet> {
    const key = stored.rt!;
    let pending = refreshing.get(key);
    if (!pending) {
      pending = tokenClient(stored).refresh();
      refreshing.set(key, pending);
      // Kept a little while for requests still carrying the old cookie; never keeps a process alive.
      (setTimeout(() => refreshing.delete(key), 30_000) as unknown as { unref?: () => void }).unref?.();
      pending.catch(() => refreshing.delete(key));
    }
    return pending;
  }

  async function signIn(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const transactions = new MemoryStorage();
    const { url: authorize, state } = await client(new MemoryStorage(), transactions).createAuthorizationUrl({
      appState: localPath(url.searchParams.get("returnTo")),
      ...(url.searchParams.get("prompt") === "login" ? { prompt: "login" as const } : {}),
    });
    const tx: StoredTransaction = { state, tx: transactions.get(`tx:${state}`)! };
    const cookie = serialize(transaction, await seal({ ...tx }, await keyPromise, TX_MAX_AGE));
    return redirect(authorize.href, 302, [cookie]);
  }

  async function callback(request: Request): Promise<Response> {
    const clearTx = serialize(transaction, "");
    const tx = await unseal<StoredTransaction>(readCookie(request.headers.get("cookie"), transaction.name), await keyPromise);
    const transactions = new MemoryStorage();
    if (tx) transactions.set(`tx:${tx.state}`, tx.tx);
    try {
      const result = await client(new MemoryStorage(), transactions).handleCallback(request.url);
      return redirect(`${baseUrl}${localPath(result.appState ?? "/")}`, 303, [clearTx, await sessionCookie(result.tokens)]);
    } catch (error) {
      const code = error instanceof BinoAuthError ? error.code : "server_error";
      return new Response(`Sign-in failed (${code}). Go back and try again.`, {
        status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Set-Cookie": clearTx },
      });
    }
  }

  async function signOut(request: Request): Promise<Response> {
    // A form POST from our own pages only: another site must not sign users out.
    const origin = request.headers.get("origin");
    if (request.method !== "POST" || (origin !== null && origin !== new URL(baseUrl).origin)
      || request.headers.get("sec-fetch-site") === "cross-site") {
      return new Response("Sign out with a POST from this application.", { status: 403 });
    }
    const clear = serialize(session, "");
    const stored = await readStored(request);
    if (!stored) return redirect(`${baseUrl}/`, 303, [clear]);
    const logout = await (await tokenClient(stored)).signOut({
      postLogoutRedirectUri: options.postLogoutRedirectUri ?? `${baseUrl}/`,
    });
    return redirect(logout.href, 303, [clear]);
  }

  async function handler(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === `${basePath}/sign-in` && request.method === "GET") return signIn(request);
    if (path === `${basePath}/callback` && request.method === "GET") return callback(request);
    if (path === `${basePath}/sign-out`) return signOut(request);
    return new Response("Not found", { status: 404 });
  }

  return {
    /** For `app/<basePath>/[action]/route.ts`: `export const { GET, POST } = auth.handlers`. */
    handlers: { GET: handler, POST: handler },

    /** The session from a request or from Next's `cookies()`; undefined when signed out. */
    async getSession(source: Request | CookieReader): Promise<Session | undefined> {
      const stored = await readStored(source);
      return stored ? toSession(stored) : undefined;
    },

    /**
     * Protects routes and refreshes tokens that are about to expire, setting the rotated
     * cookie on the response. Returns the response to send (a redirect to sign-in, or "go on").
     */
    middleware(middlewareOptions: MiddlewareOptions = {}) {
      const protect = middlewareOptions.protect ?? [];
      const proceed = (headers: Headers): Response =>
        middlewareOptions.next ? middlewareOptions.next(headers) : new Response(null, { headers: { "x-middleware-next": "1" } });
      return async (request: Request): Promise<Response> => {
        const url = new URL(request.url);
        if (url.pathname.startsWith(`${basePath}/`)) return proceed(request.headers);
        let stored = await readStored(request);
        let setCookie: string | undefined;
        if (stored?.rt && stored.ate !== undefined && stored.ate - marginMs <= Date.now()) {
          try {
            const fresh = await refresh(stored);
            stored = toStored(fresh);
            setCookie = await sessionCookie(fresh);
          } catch (error) {
            if (!(error instanceof LoginRequiredError)) throw error;
            stored = undefined; // the session ended at BinoAuth (revoked, reused, expired)
            setCookie = serialize(session, "");
          }
        }
        if (!stored && protect.some((m) => matches(url.pathname, m))) {
          const signIn = `${baseUrl}${basePath}/sign-in?returnTo=${encodeURIComponent(url.pathname + url.search)}`;
          return redirect(signIn, 307, setCookie ? [setCookie] : []);
        }
        if (!setCookie) return proceed(request.headers);
        // The page behind sees the new cookie at once; the browser gets it with the response.
        const headers = new Headers(request.headers);
        const others = (request.headers.get("cookie") ?? "").split(";").map((c) => c.trim())
          .filter((c) => c && !c.startsWith(`${session.name}=`));
        const value = setCookie.split(";")[0]!;
        headers.set("cookie", [...others, ...(stored ? [value] : [])].join("; "));
        const response = proceed(headers);
        response.headers.append("Set-Cookie", setCookie);
        return response;
      };
    },
  };
}

export type BinoAuthNext = ReturnType<typeof createBinoAuth>;
