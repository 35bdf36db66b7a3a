/**
 * client_credentials tokens for machine clients, cached until shortly before they expire:
 * one token request per lifetime, however many calls need one, and one request at a time.
 */
import { BinoAuthClient } from "@binoauth/oauth-core";

export interface ClientCredentialsOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** RFC 8707 resource indicator: the audience of the tokens (your API's identifier). */
  resource?: string;
  /** Get a new token this many seconds before the cached one expires (default 60). */
  refreshMarginSeconds?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class ClientCredentialsTokenCache {
  readonly #client: BinoAuthClient;
  readonly #options: ClientCredentialsOptions;
  readonly #now: () => number;
  #cached: { token: string; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(options: ClientCredentialsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#client = new BinoAuthClient({ issuer: options.issuer, clientId: options.clientId,
      clientSecret: options.clientSecret, ...(options.fetch ? { fetch: options.fetch } : {}) });
  }

  /** A token valid for at least the margin. */
  async getToken(): Promise<string> {
    const margin = (this.#options.refreshMarginSeconds ?? 60) * 1000;
    if (this.#cached && this.#cached.expiresAt - margin > this.#now()) return this.#cached.token;
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forget the cached token (e.g. after the API answered 401 with it). */
  invalidate(): void {
    this.#cached = undefined;
  }

  /** `Authorization` header value for an outgoing request. */
  async authorization(): Promise<string> {
    return `Bearer ${await this.getToken()}`;
  }

  async #fetchToken(): Promise<string> {
    const tokens = await this.#client.clientCredentials({
      ...(this.#options.scope ? { scope: this.#options.scope } : {}),
      ...(this.#options.resource ? { resource: this.#options.resource } : {}),
    });
    // Without expires_in, assume a minute: better a spare request than a stale token.
    this.#cached = { token: tokens.accessToken, expiresAt: tokens.expiresAt ?? this.#now() + 60_000 };
    return tokens.accessToken;
  }
}
