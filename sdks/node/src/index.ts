export { bearerToken } from "./bearer.js";
export { errorBody, TokenVerificationError, withScopes, wwwAuthenticate } from "./errors.js";
export { requireAuth, type MiddlewareOptions, type NextFunction, type RequestLike, type ResponseLike } from "./express.js";
export { fastifyAuth, type FastifyReplyLike, type FastifyRequestLike } from "./fastify.js";
export { ClientCredentialsTokenCache, type ClientCredentialsOptions } from "./machine.js";
export {
  createVerifier,
  type AccessTokenClaims,
  type AccessTokenVerifier,
  type VerifierOptions,
  type VerifyOptions,
} from "./verifier.js";
