export {
  createBinoAuth,
  type BinoAuthNext,
  type BinoAuthNextOptions,
  type CookieReader,
  type Matcher,
  type MiddlewareOptions,
  type Session,
} from "./auth.js";
