/**
 * Express middleware (also fine for Connect-style frameworks): verifies the bearer token and
 * puts its claims on `req.auth`, or answers 401/403 with the RFC 6750 challenge.
 */
import { bearerToken } from "./bearer.js";
import { errorBody, TokenVerificationError, withScopes, wwwAuthenticate } from "./errors.js";
import type { AccessTokenClaims, AccessTokenVerifier } from "./verifier.js";

/** The parts of Express's request and response this uses (no dependency on Express's types). */
export interface RequestLike {
  headers: { authorization?: string | undefined };
  auth?: AccessTokenClaims;
}
export interface ResponseLike {
  status(code: number): this;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}
export type NextFunction = (error?: unknown) => void;

// Express's Request gets `auth` in TypeScript (a type-only merge; nothing at run time).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified access token's claims (set by requireAuth). */
      auth?: AccessTokenClaims;
    }
  }
}

export interface MiddlewareOptions {
  /** Scopes this route needs. */
  scopes?: readonly string[];
  /** The `realm` of the challenge. */
  realm?: string;
}

export function requireAuth(verifier: AccessTokenVerifier, options: MiddlewareOptions = {}) {
  return (req: RequestLike, res: ResponseLike, next: NextFunction): void => {
    let token: string;
    try {
      token = bearerToken(req.headers.authorization);
    } catch (error) {
      return refuse(error, res, next, options);
    }
    verifier.verify(token, options.scopes ? { scopes: options.scopes } : {}).then(
      (claims) => {
        req.auth = claims;
        next();
      },
      (error: unknown) => refuse(error, res, next, options),
    );
  };
}

function refuse(error: unknown, res: ResponseLike, next: NextFunction, options: MiddlewareOptions): void {
  if (!(error instanceof TokenVerificationError)) return next(error); // a bug or an outage: the app's error handler
  const refusal = withScopes(error, options.scopes);
  res.setHeader("WWW-Authenticate", wwwAuthenticate(refusal, options.realm));
  res.setHeader("Cache-Control", "no-store");
  res.status(refusal.status).json(errorBody(refusal));
}
