/**
 * Why a request's token was refused, as RFC 6750 says to tell the client: `invalid_token`
 * (401) or `insufficient_scope` (403). `reason` is for your logs; the description sent to
 * the client stays generic so that it teaches an attacker nothing.
 */
export class TokenVerificationError extends Error {
  constructor(
    readonly code: "invalid_request" | "invalid_token" | "insufficient_scope",
    readonly reason: string,
    readonly requiredScopes: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${reason}`, options);
    this.name = "TokenVerificationError";
  }

  /** 401 for a missing or bad token, 403 for a good token without the scope. */
  get status(): 401 | 403 | 400 {
    return this.code === "insufficient_scope" ? 403 : this.code === "invalid_request" ? 400 : 401;
  }

  /** The client-facing description. */
  get description(): string {
    switch (this.code) {
      case "insufficient_scope":
        return "the access token lacks a required scope";
      case "invalid_request":
        return "malformed Authorization header";
      default:
        return this.reason === "missing" ? "an access token is required" : "the access token is not valid";
    }
  }
}

/** The `WWW-Authenticate` challenge for a refusal (RFC 6750 section 3). */
export function wwwAuthenticate(error: TokenVerificationError, realm?: string): string {
  const parts: string[] = [];
  if (realm) parts.push(`realm="${realm}"`);
  // A request without any token gets no error code (RFC 6750 section 3.1).
  if (!(error.code === "invalid_token" && error.reason === "missing")) {
    parts.push(`error="${error.code}"`, `error_description="${error.description}"`);
  }
  if (error.requiredScopes.length) parts.push(`scope="${error.requiredScopes.join(" ")}"`);
  return parts.length ? `Bearer ${parts.join(", ")}` : "Bearer";
}

/** The JSON body sent with a refusal. */
export function errorBody(error: TokenVerificationError): { error: string; error_description: string } {
  return { error: error.code, error_description: error.description };
}

/** A refusal that names the route's scopes in its challenge (so a client knows what to ask for). */
export function withScopes(error: TokenVerificationError, scopes: readonly string[] | undefined): TokenVerificationError {
  if (!scopes?.length || error.requiredScopes.length) return error;
  return new TokenVerificationError(error.code, error.reason, scopes, { cause: error.cause });
}
