export {
  AuthContext,
  BinoAuthProvider,
  type AuthContextValue,
  type AuthState,
  type BinoAuthProviderProps,
  type SignInOptions,
} from "./provider.js";
export { RequireAuth, useAuth, useUser, type RequireAuthProps } from "./hooks.js";
export { BinoAuthClient, BinoAuthError, LoginRequiredError, type TokenSet, type UserClaims } from "@binoauth/oauth-core";
