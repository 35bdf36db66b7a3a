/** One error type for callers: `code` is the OAuth error (or a client-side reason), `description` the server's text. */
export class BinoAuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly description?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BinoAuthError";
  }
}

/** Thrown when the user has no session any more (refresh token expired, reused or revoked): sign in again. */
export class LoginRequiredError extends BinoAuthError {
  constructor(message = "sign-in required", options?: { cause?: unknown }) {
    super("login_required", message, undefined, options);
    this.name = "LoginRequiredError";
  }
}
