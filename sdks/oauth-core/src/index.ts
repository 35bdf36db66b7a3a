export {
  BinoAuthClient,
  type AuthorizationUrlOptions,
  type BinoAuthClientOptions,
  type CallbackResult,
  type DeviceAuthorization,
  type SignOutOptions,
} from "./client.js";
export { BinoAuthError, LoginRequiredError } from "./errors.js";
export { MemoryStorage, WebStorage, type StateStorage, type WebStorageLike } from "./storage.js";
export { decodeJwtPayload, isExpired, type TokenSet, type UserClaims } from "./tokens.js";
export type { IntrospectionResponse } from "oauth4webapi";
