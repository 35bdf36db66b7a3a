/**
 * An OAuth 2.0 / OpenID Connect client for one BinoAuth tenant. The protocol work (request
 * building, response validation, PKCE, `iss` checks) is oauth4webapi's; this class adds what an
 * application needs around it: discovery once, a transaction per sign-in, a token store,
 * refresh before expiry (one refresh at a time, the rotated refresh token kept), device flow
 * polling and RP-initiated logout.
 */
import * as oauth from "oauth4webapi";

import { BinoAuthError, LoginRequiredError } from "./errors.js";
import { MemoryStorage, type StateStorage } from "./storage.js";
import { isExpired, type TokenSet, type UserClaims } from "./tokens.js";

export interface BinoAuthClientOptions {
  /** The tenant's issuer, e.g. `https://auth.example.com/tenant/acme` (exact, no trailing slash). */
  issuer: string;
  clientId: string;
  /** Confidential clients only (servers): never ship a secret to a browser. */
  clientSecret?: string;
  /** Where the authorization server sends the browser back (registered exactly). */
  redirectUri?: string;
  /** Default `openid profile email offline_access`. */
  scope?: string;
  /** Tokens; memory by default. */
  storage?: StateStorage;
  /** In-flight authorization requests (PKCE verifier, state, nonce); defaults to `storage`. */
  transactionStorage?: StateStorage;
  /** A fetch implementation (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
  /**
   * Where the discovery document comes from when several clients of one issuer live side by
   * side (a server's per-request clients): e.g. `() => sharedClient.metadata()`. By default the
   * client fetches and caches its own.
   */
  discovery?: () => Promise<oauth.AuthorizationServer>;
  /** Allow an `http:` issuer. Defaults to true for loopback hosts only (local development). */
  allowInsecureRequests?: boolean;
  /** Refresh this many seconds before the access token expires (default 30). */
  expiryMarginSeconds?: number;
  /** Tolerated clock difference with the server for ID token timestamps (default 30 s). */
  clockToleranceSeconds?: number;
  /** The clock (tests). */
  now?: () => number;
  /** How to wait between device flow polls (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface AuthorizationUrlOptions {
  scope?: string;
  prompt?: "none" | "login" | "consent";
  loginHint?: string;
  maxAge?: number;
  /** Kept with the transaction and handed back by {@link BinoAuthClient.handleCallback} (e.g. the page to return to). */
  appState?: string;
  extraParams?: Record<string, string>;
}

export interface CallbackResult {
  tokens: TokenSet;
  appState?: string;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresAt: number;
  intervalSeconds: number;
}

export interface SignOutOptions {
  /** A registered post-logout redirect URI of this client. */
  postLogoutRedirectUri?: string;
  state?: string;
  /** Revoke the refresh token before leaving (default true). */
  revoke?: boolean;
}

const TOKENS_KEY = "tokens";
const TRANSACTION_PREFIX = "tx:";
const DEFAULT_SCOPE = "openid profile email offline_access";

interface Transaction {
  verifier: string;
  nonce: string;
  redirectUri: string;
  maxAge?: number;
  appState?: string;
}

/** The options oauth4webapi reads on every request (its fetch options differ per method: kept loose here). */
interface HttpOptions {
  [oauth.allowInsecureRequests]?: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [oauth.customFetch]?: (url: string, options: any) => Promise<Response>;
}

function isLoopback(url: URL): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/** oauth4webapi's errors become BinoAuthError with the OAuth error code callers can branch on. */
function translate(error: unknown): never {
  if (error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError) {
    throw new BinoAuthError(error.error, `${error.error}: ${error.error_description ?? error.message}`,
      error.error_description, { cause: error });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const code = error.cause[0]?.parameters.error ?? "invalid_client";
    throw new BinoAuthError(code, `${code}: ${error.message}`, undefined, { cause: error });
  }
  if (error instanceof oauth.OperationProcessingError) {
    throw new BinoAuthError("invalid_response", error.message, undefined, { cause: error });
  }
  throw error;
}

export class BinoAuthClient {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string | undefined;
  readonly scope: string;
  readonly #storage: StateStorage;
  readonly #transactions: StateStorage;
  readonly #client: oauth.Client;
  readonly #auth: oauth.ClientAuth;
  readonly #fetch: typeof fetch | undefined;
  readonly #insecure: boolean;
  readonly #marginMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #metadata: Promise<oauth.AuthorizationServer> | undefined;
  readonly #discovery: (() => Promise<oauth.AuthorizationServer>) | undefined;
  #refreshing: Promise<TokenSet> | undefined;

  constructor(options: BinoAuthClientOptions) {
    const issuer = new URL(options.issuer);
    this.issuer = options.issuer;
    this.clientId = options.clientId;
    this.redirectUri = options.redirectUri;
    this.scope = options.scope ?? DEFAULT_SCOPE;
    this.#storage = options.storage ?? new MemoryStorage();
    this.#transactions = options.transactionStorage ?? this.#storage;
    this.#fetch = options.fetch;
    this.#discovery = options.discovery;
    this.#insecure = options.allowInsecureRequests ?? (issuer.protocol === "http:" && isLoopback(issuer));
    this.#marginMs = (options.expiryMarginSeconds ?? 30) * 1000;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#client = {
      client_id: options.clientId,
      [oauth.clockTolerance]: options.clockToleranceSeconds ?? 30,
    };
    this.#auth = options.clientSecret ? oauth.ClientSecretBasic(options.clientSecret) : oauth.None();
  }

  /** Options every oauth4webapi request gets: our fetch, and http only where allowed. */
  #http<T extends object>(extra?: T): T & HttpOptions {
    const options: HttpOptions = { [oauth.allowInsecureRequests]: this.#insecure };
    if (this.#fetch) {
      const custom = this.#fetch;
      options[oauth.customFetch] = (url, init) => custom(url, init as RequestInit);
    }
    return { ...(extra ?? ({} as T)), ...options };
  }

  /** The tenant's discovery document, fetched once (and again after a failure). */
  metadata(): Promise<oauth.AuthorizationServer> {
    if (this.#discovery) return this.#discovery();
    if (!this.#metadata) {
      const issuer = new URL(this.issuer);
      this.#metadata = oauth
        .discoveryRequest(issuer, this.#http({ algorithm: "oidc" as const }))
        .then((response) => oauth.processDiscoveryResponse(issuer, response))
        .catch((error: unknown) => {
          this.#metadata = undefined;
          return translate(error);
        });
    }
    return this.#metadata;
  }

  // --- authorization code + PKCE ---------------------------------------------------------

  /** The URL to send the browser to; the PKCE verifier, state and nonce wait in the transaction storage. */
  async createAuthorizationUrl(options: AuthorizationUrlOptions = {}): Promise<{ url: URL; state: string }> {
    const as = await this.metadata();
    if (!as.authorization_endpoint) throw new BinoAuthError("invalid_configuration", "no authorization endpoint");
    const redirectUri = this.#requireRedirectUri();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint);
    const params: Record<string, string> = {
      ...options.extraParams,
      response_type: "code",
      client_id: this.clientId,
      redirect_uri: redirectUri,
      scope: options.scope ?? this.scope,
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    };
    if (options.prompt) params.prompt = options.prompt;
    if (options.loginHint) params.login_hint = options.loginHint;
    if (options.maxAge !== undefined) params.max_age = String(options.maxAge);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const transaction: Transaction = { verifier, nonce, redirectUri };
    if (options.maxAge !== undefined) transaction.maxAge = options.maxAge;
    if (options.appState !== undefined) transaction.appState = options.appState;
    await this.#transactions.set(TRANSACTION_PREFIX + state, JSON.stringify(transaction));
    return { url, state };
  }

  /** True when `url` is an authorization response for this client (has `code` or `error`, and `state`). */
  static isCallback(url: string | URL): boolean {
    const params = new URL(url).searchParams;
    return params.has("state") && (params.has("code") || params.has("error"));
  }

  /**
   * Completes sign-in from the URL the browser came back to: checks `state` (single use) and
   * `iss` (RFC 9207), redeems the code with the PKCE verifier, validates the ID token (nonce)
   * and stores the tokens.
   */
  async handleCallback(currentUrl: string | URL): Promise<CallbackResult> {
    const url = new URL(currentUrl);
    const state = url.searchParams.get("state");
    const stored = state ? await this.#transactions.get(TRANSACTION_PREFIX + state) : undefined;
    if (!state || !stored) {
      throw new BinoAuthError("invalid_state", "no sign-in in progress for this state (expired, used or forged)");
    }
    await this.#transactions.remove(TRANSACTION_PREFIX + state); // single use, whatever happens next
    const transaction = JSON.parse(stored) as Transaction;
    const as = await this.metadata();
    try {
      const params = oauth.validateAuthResponse(as, this.#client, url, state);
      const response = await oauth.authorizationCodeGrantRequest(
        as, this.#client, this.#auth, params, transaction.redirectUri, transaction.verifier, this.#http());
      const result = await oauth.processAuthorizationCodeResponse(as, this.#client, response, {
        expectedNonce: transaction.nonce,
        ...(transaction.maxAge !== undefined ? { maxAge: transaction.maxAge } : {}),
      });
      const tokens = this.#tokenSet(result);
      await this.#save(tokens);
      return transaction.appState !== undefined ? { tokens, appState: transaction.appState } : { tokens };
    } catch (error) {
      return translate(error);
    }
  }

  // --- tokens ------------------------------------------------------------------------------

  async getTokens(): Promise<TokenSet | undefined> {
    const raw = await this.#storage.get(TOKENS_KEY);
    return raw ? (JSON.parse(raw) as TokenSet) : undefined;
  }

  /** The signed-in user's ID token claims, if any. */
  async getUser(): Promise<UserClaims | undefined> {
    return (await this.getTokens())?.claims;
  }

  /**
   * A usable access token: the stored one, or a refreshed one when it expires within the
   * margin. Undefined when nobody is signed in. Throws {@link LoginRequiredError} when the
   * session ended (the refresh token was refused).
   */
  async getAccessToken(): Promise<string | undefined> {
    const tokens = await this.getTokens();
    if (!tokens) return undefined;
    if (!isExpired(tokens, this.#now(), this.#marginMs)) return tokens.accessToken;
    if (!tokens.refreshToken) {
      await this.clear();
      throw new LoginRequiredError("the access token expired and there is no refresh token");
    }
    return (await this.refresh()).accessToken;
  }

  /**
   * Uses the refresh token once; the server rotates it, so the new one replaces it at once.
   * Concurrent callers share one request: a second use of the old token would look like a
   * replay and end the whole session.
   */
  refresh(): Promise<TokenSet> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<TokenSet> {
    const current = await this.getTokens();
    if (!current?.refreshToken) throw new LoginRequiredError("no refresh token");
    const as = await this.metadata();
    let result: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.refreshTokenGrantRequest(as, this.#client, this.#auth, current.refreshToken,
        this.#http());
      result = await oauth.processRefreshTokenResponse(as, this.#client, response);
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError && error.error === "invalid_grant") {
        await this.clear();
        throw new LoginRequiredError("the session ended: " + (error.error_description ?? error.error), { cause: error });
      }
      return translate(error);
    }
    const fresh = this.#tokenSet(result);
    // Servers may leave out what did not change: keep the refresh token, ID token and user.
    const tokens: TokenSet = {
      ...fresh,
      refreshToken: fresh.refreshToken ?? current.refreshToken,
      ...(fresh.idToken ?? current.idToken ? { idToken: fresh.idToken ?? current.idToken } : {}),
      ...(fresh.claims ?? current.claims ? { claims: fresh.claims ?? current.claims } : {}),
    };
    await this.#save(tokens);
    return tokens;
  }

  async clear(): Promise<void> {
    await this.#storage.remove(TOKENS_KEY);
  }

  // --- device flow (RFC 8628) --------------------------------------------------------------

  async startDeviceAuthorization(options: { scope?: string } = {}): Promise<DeviceAuthorization> {
    const as = await this.metadata();
    try {
      const response = await oauth.deviceAuthorizationRequest(as, this.#client, this.#auth,
        { scope: options.scope ?? this.scope }, this.#http());
      const result = await oauth.processDeviceAuthorizationResponse(as, this.#client, response);
      const device: DeviceAuthorization = {
        deviceCode: result.device_code,
        userCode: result.user_code,
        verificationUri: result.verification_uri,
        expiresAt: this.#now() + result.expires_in * 1000,
        intervalSeconds: result.interval ?? 5,
      };
      if (result.verification_uri_complete) device.verificationUriComplete = result.verification_uri_complete;
      return device;
    } catch (error) {
      return translate(error);
    }
  }

  /** Polls until the user allowed or denied (or the code expired); `slow_down` adds 5 s each time. */
  async pollDeviceAuthorization(device: DeviceAuthorization, options: { signal?: AbortSignal } = {}): Promise<TokenSet> {
    const as = await this.metadata();
    let interval = device.intervalSeconds;
    for (;;) {
      await this.#sleep(interval * 1000, options.signal);
      try {
        const response = await oauth.deviceCodeGrantRequest(as, this.#client, this.#auth, device.deviceCode,
          this.#http());
        const tokens = this.#tokenSet(await oauth.processDeviceCodeResponse(as, this.#client, response));
        await this.#save(tokens);
        return tokens;
      } catch (error) {
        if (error instanceof oauth.ResponseBodyError && error.error === "authorization_pending") continue;
        if (error instanceof oauth.ResponseBodyError && error.error === "slow_down") {
          interval += 5;
          continue;
        }
        return translate(error);
      }
    }
  }

  // --- machine clients ---------------------------------------------------------------------

  /** A client_credentials token (not stored: see @binoauth/node's cache). `resource` sets the audience (RFC 8707). */
  async clientCredentials(options: { scope?: string; resource?: string } = {}): Promise<TokenSet> {
    const as = await this.metadata();
    const params: Record<string, string> = {};
    if (options.scope) params.scope = options.scope;
    if (options.resource) params.resource = options.resource;
    try {
      const response = await oauth.clientCredentialsGrantRequest(as, this.#client, this.#auth, params, this.#http());
      return this.#tokenSet(await oauth.processClientCredentialsResponse(as, this.#client, response));
    } catch (error) {
      return translate(error);
    }
  }

  async revoke(token: string, hint?: "access_token" | "refresh_token"): Promise<void> {
    const as = await this.metadata();
    try {
      const response = await oauth.revocationRequest(as, this.#client, this.#auth, token,
        this.#http(hint ? { additionalParameters: { token_type_hint: hint } } : {}));
      await oauth.processRevocationResponse(response);
    } catch (error) {
      translate(error);
    }
  }

  /**
   * RFC 7662 introspection (confidential clients). BinoAuth answers only about the calling
   * client's own tokens: anything else is `{ active: false }`.
   */
  async introspect(token: string, hint?: "access_token" | "refresh_token"): Promise<oauth.IntrospectionResponse> {
    const as = await this.metadata();
    try {
      const response = await oauth.introspectionRequest(as, this.#client, this.#auth, token,
        this.#http(hint ? { additionalParameters: { token_type_hint: hint } } : {}));
      return await oauth.processIntrospectionResponse(as, this.#client, response);
    } catch (error) {
      return translate(error);
    }
  }

  // --- logout --------------------------------------------------------------------------------

  /**
   * Ends the session here (tokens forgotten, the refresh token revoked) and returns the
   * tenant's end_session URL (OpenID Connect RP-Initiated Logout) to send the browser to, with
   * `id_token_hint` so that BinoAuth signs the user out without asking.
   */
  async signOut(options: SignOutOptions = {}): Promise<URL> {
    const as = await this.metadata();
    const tokens = await this.getTokens();
    await this.clear();
    if (tokens?.refreshToken && options.revoke !== false) {
      await this.revoke(tokens.refreshToken, "refresh_token").catch(() => undefined); // best effort
    }
    if (!as.end_session_endpoint) throw new BinoAuthError("invalid_configuration", "no end_session_endpoint");
    const url = new URL(as.end_session_endpoint);
    url.searchParams.set("client_id", this.clientId);
    if (tokens?.idToken) url.searchParams.set("id_token_hint", tokens.idToken);
    if (options.postLogoutRedirectUri) url.searchParams.set("post_logout_redirect_uri", options.postLogoutRedirectUri);
    if (options.state) url.searchParams.set("state", options.state);
    return url;
  }

  // --- internals -----------------------------------------------------------------------------

  #requireRedirectUri(): string {
    if (!this.redirectUri) throw new BinoAuthError("invalid_configuration", "redirectUri is required for sign-in");
    return this.redirectUri;
  }

  #tokenSet(result: oauth.TokenEndpointResponse): TokenSet {
    const tokens: TokenSet = { accessToken: result.access_token, tokenType: result.token_type };
    if (result.expires_in !== undefined) tokens.expiresAt = this.#now() + result.expires_in * 1000;
    if (result.refresh_token) tokens.refreshToken = result.refresh_token;
    if (result.scope) tokens.scope = result.scope;
    if (result.id_token) {
      tokens.idToken = result.id_token;
      // Validated by oauth4webapi (issuer, audience, nonce, times); a refresh response's ID token too.
      const claims = oauth.getValidatedIdTokenClaims(result);
      if (claims) tokens.claims = claims as unknown as UserClaims;
    }
    return tokens;
  }

  async #save(tokens: TokenSet): Promise<void> {
    await this.#storage.set(TOKENS_KEY, JSON.stringify(tokens));
  }
}
