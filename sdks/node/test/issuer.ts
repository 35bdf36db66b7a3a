/**
 * A real HTTP server on a loopback port playing two BinoAuth tenants: discovery, a JWKS per
 * tenant (ES256 keys), introspection and a client_credentials token endpoint. Tokens are
 * signed here with jose, the way the token service signs them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

export interface TenantKeys {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function newKey(): Promise<TenantKeys> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: "ES256", use: "sig" } };
}

export class TestIssuer {
  server: Server = createServer((req, res) => this.#handle(req.url ?? "", req.method ?? "GET", req, res));
  base = "";
  keys = new Map<string, TenantKeys[]>();
  jwksFetches = 0;
  revoked = new Set<string>();
  tokenRequests = 0;
  tokenTtl = 300;

  async start(tenants: string[]): Promise<this> {
    for (const tenant of tenants) this.keys.set(tenant, [await newKey()]);
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  issuer(tenant: string): string {
    return `${this.base}/tenant/${tenant}`;
  }

  /** An access token as BinoAuth issues it; `overrides` change claims or the header. */
  async token(tenant: string, claims: Record<string, unknown> = {}, options: { key?: TenantKeys; typ?: string; kid?: string } = {}): Promise<string> {
    const key = options.key ?? this.keys.get(tenant)![0]!;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: "app_1", scope: "openid orders:read", jti: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ alg: "ES256", typ: options.typ ?? "at+jwt", kid: options.kid ?? key.kid })
      .setIssuer(this.issuer(tenant)).setSubject("usr_1").setAudience((claims.aud as string) ?? this.issuer(tenant))
      .setIssuedAt((claims.iat as number) ?? now).setExpirationTime((claims.exp as number) ?? now + 300)
      .sign(key.privateKey);
  }

  #handle(url: string, method: string, req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse): void {
    const match = /^\/tenant\/([^/]+)(\/.*)$/.exec(url);
    const tenant = match?.[1] ?? "";
    const path = match?.[2] ?? "";
    const issuer = this.issuer(tenant);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!this.keys.has(tenant)) return send(404, { error: "not_found" });
    if (path === "/.well-known/openid-configuration") {
      return send(200, { issuer, token_endpoint: `${issuer}/oauth2/token`, jwks_uri: `${issuer}/.well-known/jwks.json`,
        introspection_endpoint: `${issuer}/oauth2/introspect`, authorization_endpoint: `${issuer}/oauth2/authorize` });
    }
    if (path === "/.well-known/jwks.json") {
      this.jwksFetches += 1;
      return send(200, { keys: this.keys.get(tenant)!.map((k) => k.publicJwk) });
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      const basic = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
      if (method !== "POST" || basic !== "svc:s3cret") return send(401, { error: "invalid_client" });
      if (path === "/oauth2/introspect") {
        return send(200, this.revoked.has(form.get("token") ?? "") ? { active: false } : { active: true, client_id: "svc" });
      }
      if (path === "/oauth2/token" && form.get("grant_type") === "client_credentials") {
        this.tokenRequests += 1;
        return send(200, { access_token: `cc-${this.tokenRequests}`, token_type: "Bearer", expires_in: this.tokenTtl,
          scope: form.get("scope") ?? "" });
      }
      send(400, { error: "unsupported_grant_type" });
    });
  }
}
