/** What the client keeps after a token response, in a form that survives JSON storage. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Milliseconds since the epoch; absent when the server gave no `expires_in`. */
  expiresAt?: number;
  refreshToken?: string;
  idToken?: string;
  scope?: string;
  /** The validated ID token's claims (the signed-in user). */
  claims?: UserClaims;
}

/** ID token claims: the standard ones typed, the rest as found. */
export interface UserClaims {
  sub: string;
  iss: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  [claim: string]: unknown;
}

/** True when the access token is gone or expires within `marginMs` (so it is refreshed before, not after). */
export function isExpired(tokens: TokenSet, now: number, marginMs: number): boolean {
  return tokens.expiresAt !== undefined && tokens.expiresAt - marginMs <= now;
}

/** Decodes a JWT's payload without verifying it: for display only, never for decisions. */
export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split(".")[1];
  if (part === undefined) throw new TypeError("not a JWT");
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}
