/**
 * Verifies BinoAuth access tokens (RFC 9068 JWTs) in a resource server, with jose: the
 * signature with the issuer's own published keys first, then `typ: at+jwt`, the exact issuer,
 * the audience, the times (with leeway) and the scopes; optionally RFC 7662 introspection,
 * which also catches revoked tokens.
 */
import { BinoAuthClient } from "@binoauth/oauth-core";
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";

import { TokenVerificationError } from "./errors.js";

export interface VerifierOptions {
  /**
   * The tenant issuer(s) whose tokens you accept, exactly as in their discovery documents
   * (`https://auth.example.com/tenant/acme`). Each has its own keys: a token of another tenant
   * is refused even when both share a host.
   */
  issuer: string | readonly string[];
  /**
   * The audience your API expects. Tokens of a user sign-in carry the issuer as audience;
   * client_credentials tokens carry the requested `resource`. Default: the token's issuer.
   */
  audience?: string | readonly string[];
  /** Scopes every request needs (more per route in the middleware). */
  requiredScopes?: readonly string[];
  /** Access token algorithms accepted (default ES256, what BinoAuth signs with). Never `none` or HMAC. */
  algorithms?: readonly string[];
  /** Tolerated clock difference in seconds for `exp`/`nbf`/`iat` (default 30). */
  clockToleranceSeconds?: number;
  /** Reject tokens older than this many seconds (by `iat`), whatever their `exp`. */
  maxTokenAgeSeconds?: number;
  /** JWKS cache: keys are kept this long (default 5 min, like BinoAuth's Cache-Control)... */
  jwksCacheMaxAgeMs?: number;
  /** ...and an unknown `kid` fetches the set again at most this often (default 30 s). */
  jwksCooldownMs?: number;
  /**
   * Ask the issuer whether the token is still active (RFC 7662), which also catches revoked
   * tokens at the cost of a request each time. BinoAuth answers only about the calling
   * client's own tokens, so give the credentials of the client the tokens are issued to.
   */
  introspection?: { clientId: string; clientSecret: string };
  /** A fetch implementation for the JWKS and introspection (tests, proxies). */
  fetch?: typeof fetch;
  /** The clock (tests). */
  now?: () => Date;
}

/** The claims of a verified access token, with the scope split into a list. */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope?: string;
  /** `scope` as a list. */
  scopes: string[];
}

export interface VerifyOptions {
  /** Scopes this call needs on top of the verifier's `requiredScopes`. */
  scopes?: readonly string[];
}

export interface AccessTokenVerifier {
  verify(token: string, options?: VerifyOptions): Promise<AccessTokenClaims>;
}

const DEFAULT_ALGORITHMS = ["ES256"];
const REFUSED_ALGORITHMS = /^(none|HS\d+)$/i;

function list(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : [...value];
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} (${error.reason})`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "no matching key";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "bad signature";
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "algorithm not allowed";
  if (error instanceof joseErrors.JOSEError) return error.code;
  return error instanceof Error ? error.message : String(error);
}

export function createVerifier(options: VerifierOptions): AccessTokenVerifier {
  const issuers = list(options.issuer).map((issuer) => issuer.replace(/\/+$/, ""));
  if (!issuers.length) throw new TypeError("createVerifier: at least one issuer is required");
  const algorithms = list(options.algorithms ?? DEFAULT_ALGORITHMS);
  if (algorithms.some((alg) => REFUSED_ALGORITHMS.test(alg))) {
    throw new TypeError("createVerifier: 'none' and HMAC algorithms are never accepted for access tokens");
  }
  const audiences = list(options.audience);
  const required = list(options.requiredScopes);
  const tolerance = options.clockToleranceSeconds ?? 30;
  const keySets = new Map<string, JWTVerifyGetKey>();
  const introspectors = new Map<string, BinoAuthClient>();

  const keysFor = (issuer: string): JWTVerifyGetKey => {
    let keys = keySets.get(issuer);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`), {
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? 300_000,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        timeoutDuration: 5_000,
        ...(options.fetch ? { [customFetch]: options.fetch } : {}),
      });
      keySets.set(issuer, keys);
    }
    return keys;
  };

  const introspectorFor = (issuer: string): BinoAuthClient | undefined => {
    if (!options.introspection) return undefined;
    let client = introspectors.get(issuer);
    if (!client) {
      client = new BinoAuthClient({ issuer, clientId: options.introspection.clientId,
        clientSecret: options.introspection.clientSecret, ...(options.fetch ? { fetch: options.fetch } : {}) });
      introspectors.set(issuer, client);
    }
    return client;
  };

  return {
    async verify(token: string, verifyOptions: VerifyOptions = {}): Promise<AccessTokenClaims> {
      if (!token) throw new TokenVerificationError("invalid_token", "missing");
      // Only to pick the tenant's key set; nothing below trusts a claim before the signature.
      let claimedIssuer: unknown;
      try {
        claimedIssuer = decodeJwt(token).iss;
      } catch (error) {
        throw new TokenVerificationError("invalid_token", "not a JWT", [], { cause: error });
      }
      const issuer = issuers.find((candidate) => candidate === claimedIssuer);
      if (!issuer) throw new TokenVerificationError("invalid_token", "unexpected issuer");

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keysFor(issuer), {
          issuer,
          audience: audiences.length ? audiences : issuer,
          algorithms,
          typ: "at+jwt", // RFC 9068: an ID token or another JWT is not an access token
          clockTolerance: tolerance,
          requiredClaims: ["exp", "iat", "sub", "jti", "client_id"],
          ...(options.maxTokenAgeSeconds !== undefined ? { maxTokenAge: options.maxTokenAgeSeconds } : {}),
          ...(options.now ? { currentDate: options.now() } : {}),
        }));
      } catch (error) {
        throw new TokenVerificationError("invalid_token", reasonOf(error), [], { cause: error });
      }

      const claims = payload as AccessTokenClaims;
      claims.scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
      const needed = [...required, ...list(verifyOptions.scopes)];
      const missing = needed.filter((scope) => !claims.scopes.includes(scope));
      if (missing.length) throw new TokenVerificationError("insufficient_scope", `missing ${missing.join(" ")}`, needed);

      const introspector = introspectorFor(issuer);
      if (introspector) {
        const answer = await introspector.introspect(token, "access_token").catch((error: unknown) => {
          throw new TokenVerificationError("invalid_token", "introspection failed", [], { cause: error });
        });
        if (!answer.active) throw new TokenVerificationError("invalid_token", "inactive (revoked)");
      }
      return claims;
    },
  };
}
