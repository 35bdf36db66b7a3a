/**
 * A Fastify `preHandler` hook: verifies the bearer token and puts its claims on
 * `request.auth`, or answers 401/403 with the RFC 6750 challenge.
 *
 *   app.get("/orders", { preHandler: fastifyAuth(verifier, { scopes: ["orders:read"] }) }, handler)
 */
import { bearerToken } from "./bearer.js";
import { errorBody, TokenVerificationError, withScopes, wwwAuthenticate } from "./errors.js";
import type { MiddlewareOptions } from "./express.js";
import type { AccessTokenClaims, AccessTokenVerifier } from "./verifier.js";

/** The parts of Fastify's request and reply this uses (no dependency on Fastify's types). */
export interface FastifyRequestLike {
  headers: { authorization?: string | undefined };
  auth?: AccessTokenClaims;
}
export interface FastifyReplyLike {
  code(statusCode: number): this;
  header(name: string, value: string): this;
  send(payload?: unknown): unknown;
}

export function fastifyAuth(verifier: AccessTokenVerifier, options: MiddlewareOptions = {}) {
  return async (request: FastifyRequestLike, reply: FastifyReplyLike): Promise<void> => {
    try {
      const token = bearerToken(request.headers.authorization);
      request.auth = await verifier.verify(token, options.scopes ? { scopes: options.scopes } : {});
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error;
      const refusal = withScopes(error, options.scopes);
      await reply.code(refusal.status).header("www-authenticate", wwwAuthenticate(refusal, options.realm))
        .header("cache-control", "no-store").send(errorBody(refusal));
    }
  };
}
