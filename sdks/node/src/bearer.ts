import { TokenVerificationError } from "./errors.js";

/** The token from an `Authorization: Bearer ...` header (RFC 6750 section 2.1); never from the query string. */
export function bearerToken(header: string | string[] | undefined): string {
  if (header === undefined || header === "") throw new TokenVerificationError("invalid_token", "missing");
  if (Array.isArray(header)) throw new TokenVerificationError("invalid_request", "several Authorization headers");
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  if (!match?.[1]) {
    // Another scheme (Basic, ...) is not ours to judge: treat it as no token.
    if (!/^Bearer\b/i.test(header)) throw new TokenVerificationError("invalid_token", "missing");
    throw new TokenVerificationError("invalid_request", "malformed bearer token");
  }
  return match[1];
}
