/**
 * A small in-memory authorization server behind a fetch function: enough of BinoAuth's
 * behaviour (PKCE S256, iss in the response, rotating refresh tokens with reuse detection,
 * device flow, revocation) to test the client's side of each exchange.
 */
import { createHash, randomBytes } from "node:crypto";

export const ISSUER = "https://auth.example.com/tenant/acme";
export const CLIENT_ID = "app_spa";
export const REDIRECT = "https://spa.example.com/callback";

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export function idToken(claims: Record<string, unknown>): string {
  // oauth4webapi trusts the token endpoint's TLS for the signature; it checks the claims.
  return `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}.${b64url(randomBytes(32))}`;
}

interface Code {
  challenge: string;
  nonce: string;
  redirectUri: string;
}

export class FakeServer {
  codes = new Map<string, Code>();
  refreshTokens = new Map<string, "live" | "used">();
  revoked: string[] = [];
  requests: { url: string; body: URLSearchParams }[] = [];
  devicePolls: string[] = ["authorization_pending", "slow_down"];
  expiresIn = 300;
  now = () => Math.floor(Date.now() / 1000);
  issuerInDiscovery = ISSUER;

  get metadata(): Record<string, unknown> {
    return {
      issuer: this.issuerInDiscovery,
      authorization_endpoint: `${ISSUER}/oauth2/authorize`,
      token_endpoint: `${ISSUER}/oauth2/token`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      revocation_endpoint: `${ISSUER}/oauth2/revoke`,
      end_session_endpoint: `${ISSUER}/oauth2/logout`,
      device_authorization_endpoint: `${ISSUER}/oauth2/device_authorization`,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ["S256"],
      id_token_signing_alg_values_supported: ["RS256"],
    };
  }

  /** What the browser would bring back after signing in at `authorizeUrl`. */
  approve(authorizeUrl: URL, iss = ISSUER): string {
    const q = authorizeUrl.searchParams;
    const code = b64url(randomBytes(16));
    this.codes.set(code, { challenge: q.get("code_challenge")!, nonce: q.get("nonce")!, redirectUri: q.get("redirect_uri")! });
    return `${q.get("redirect_uri")}?code=${code}&state=${q.get("state")}&iss=${encodeURIComponent(iss)}`;
  }

  fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const body = new URLSearchParams(init?.body ? String(init.body) : "");
    this.requests.push({ url, body });
    if (url === `${ISSUER}/.well-known/openid-configuration`) return json(this.metadata);
    if (url === `${ISSUER}/oauth2/revoke`) {
      this.revoked.push(body.get("token")!);
      return new Response(null, { status: 200 });
    }
    if (url === `${ISSUER}/oauth2/device_authorization`) {
      return json({ device_code: "dev-1", user_code: "ABCD-EFGH", verification_uri: `${ISSUER}/device`,
        expires_in: 600, interval: 1 });
    }
    if (url === `${ISSUER}/oauth2/token`) return this.#token(body);
    return new Response("not found", { status: 404 });
  };

  #token(body: URLSearchParams): Response {
    switch (body.get("grant_type")) {
      case "authorization_code": {
        const code = this.codes.get(body.get("code") ?? "");
        this.codes.delete(body.get("code") ?? "");
        const challenge = b64url(createHash("sha256").update(body.get("code_verifier") ?? "").digest());
        if (!code || code.challenge !== challenge || code.redirectUri !== body.get("redirect_uri")) {
          return json({ error: "invalid_grant" }, 400);
        }
        return json(this.#tokens(code.nonce));
      }
      case "refresh_token": {
        const token = body.get("refresh_token") ?? "";
        if (this.refreshTokens.get(token) !== "live") return json({ error: "invalid_grant", error_description: "reused" }, 400);
        this.refreshTokens.set(token, "used");
        return json(this.#tokens());
      }
      case "urn:ietf:params:oauth:grant-type:device_code": {
        const next = this.devicePolls.shift();
        return next ? json({ error: next }, 400) : json(this.#tokens());
      }
      case "client_credentials":
        return json({ access_token: `cc-${b64url(randomBytes(8))}`, token_type: "Bearer", expires_in: this.expiresIn,
          scope: body.get("scope") ?? "" });
      default:
        return json({ error: "unsupported_grant_type" }, 400);
    }
  }

  #tokens(nonce?: string): Record<string, unknown> {
    const refresh = b64url(randomBytes(16));
    this.refreshTokens.set(refresh, "live");
    const now = this.now();
    return {
      access_token: `at-${b64url(randomBytes(8))}`, token_type: "Bearer", expires_in: this.expiresIn,
      refresh_token: refresh, scope: "openid profile email offline_access",
      id_token: idToken({ iss: ISSUER, sub: "usr_1", aud: CLIENT_ID, iat: now, exp: now + 300, email: "ada@example.com",
        ...(nonce ? { nonce } : {}) }),
    };
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
