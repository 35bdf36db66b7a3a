import type { AddressInfo } from "node:net";

import express from "express";
import Fastify from "fastify";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ClientCredentialsTokenCache,
  createVerifier,
  fastifyAuth,
  requireAuth,
  TokenVerificationError,
  type AccessTokenClaims,
} from "../src/index.js";
import { newKey, TestIssuer } from "./issuer.js";

let idp: TestIssuer;
beforeAll(async () => {
  idp = await new TestIssuer().start(["acme", "globex"]);
});
afterAll(() => idp.stop());

async function refusal(promise: Promise<unknown>): Promise<TokenVerificationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TokenVerificationError);
  return error as TokenVerificationError;
}

describe("createVerifier", () => {
  it("accepts a good token, splits its scopes and caches the key set", async () => {
    const verifier = createVerifier({ issuer: idp.issuer("acme") });
    const before = idp.jwksFetches;
    const claims = await verifier.verify(await idp.token("acme"));
    expect(claims.sub).toBe("usr_1");
    expect(claims.scopes).toEqual(["openid", "orders:read"]);
    await verifier.verify(await idp.token("acme"));
    expect(idp.jwksFetches - before).toBe(1);
  });

  it("refuses forged, expired, wrong-audience, wrong-tenant and non-access tokens", async () => {
    const verifier = createVerifier({ issuer: idp.issuer("acme"), jwksCooldownMs: 0 });
    const attacker = await newKey();
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, Promise<string>, RegExp][] = [
      ["same kid, other key", idp.token("acme", {}, { key: attacker, kid: idp.keys.get("acme")![0]!.kid }), /signature/],
      ["unknown kid", idp.token("acme", {}, { key: attacker }), /no matching key/],
      ["expired", idp.token("acme", { iat: now - 600, exp: now - 60 }), /expired/],
      ["other audience", idp.token("acme", { aud: "https://other.example.com" }), /aud/],
      ["an ID token", idp.token("acme", {}, { typ: "JWT" }), /typ/],
      ["no client_id", idp.token("acme", { client_id: undefined }), /client_id/],
    ];
    for (const [name, token, reason] of cases) {
      const error = await refusal(verifier.verify(await token));
      expect(error.code, name).toBe("invalid_token");
      expect(error.status).toBe(401);
      expect(error.reason, name).toMatch(reason);
    }
    // Another tenant on the same host: refused before any of its keys are fetched.
    const error = await refusal(verifier.verify(await idp.token("globex")));
    expect(error.reason).toBe("unexpected issuer");
    // HMAC with the public key as secret, and alg none, never pass.
    const hmac = await new SignJWT({ client_id: "x", jti: "j" }).setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .setIssuer(idp.issuer("acme")).setAudience(idp.issuer("acme")).setSubject("s").setIssuedAt().setExpirationTime("5m")
      .sign(new TextEncoder().encode(JSON.stringify(idp.keys.get("acme")![0]!.publicJwk)));
    expect((await refusal(verifier.verify(hmac))).code).toBe("invalid_token");
    const none = hmac.split(".").slice(0, 2).join(".") + ".";
    expect((await refusal(verifier.verify(none))).code).toBe("invalid_token");
    expect((await refusal(verifier.verify("not-a-jwt"))).reason).toBe("not a JWT");
    expect(() => createVerifier({ issuer: idp.issuer("acme"), algorithms: ["HS256"] })).toThrow(TypeError);
  });

  it("tolerates a little clock skew and no more", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await idp.token("acme", { iat: now - 400, exp: now - 10 });
    await createVerifier({ issuer: idp.issuer("acme") }).verify(token);
    await refusal(createVerifier({ issuer: idp.issuer("acme"), clockToleranceSeconds: 5 }).verify(token));
    const later = createVerifier({ issuer: idp.issuer("acme"), now: () => new Date((now + 3600) * 1000) });
    expect((await refusal(later.verify(await idp.token("acme")))).reason).toBe("expired");
  });

  it("fetches the key set again for an unknown kid (rotation), at most once per cooldown", async () => {
    const verifier = createVerifier({ issuer: idp.issuer("globex"), jwksCooldownMs: 0 });
    await verifier.verify(await idp.token("globex"));
    const rotated = await newKey();
    idp.keys.get("globex")!.unshift(rotated);
    const before = idp.jwksFetches;
    await verifier.verify(await idp.token("globex", {}, { key: rotated }));
    expect(idp.jwksFetches - before).toBe(1);

    const slow = createVerifier({ issuer: idp.issuer("globex"), jwksCooldownMs: 60_000 });
    await slow.verify(await idp.token("globex"));
    const start = idp.jwksFetches;
    for (let i = 0; i < 3; i++) await refusal(slow.verify(await idp.token("globex", {}, { key: await newKey() })));
    expect(idp.jwksFetches - start).toBe(0); // an attacker's made-up kids cannot hammer the issuer
  });

  it("accepts several tenants, each with its own issuer, keys and audience", async () => {
    const verifier = createVerifier({ issuer: [idp.issuer("acme"), idp.issuer("globex")] });
    expect((await verifier.verify(await idp.token("acme"))).iss).toBe(idp.issuer("acme"));
    expect((await verifier.verify(await idp.token("globex"))).iss).toBe(idp.issuer("globex"));
    // A globex-signed token claiming to be acme's fails on the signature.
    const error = await refusal(verifier.verify(await idp.token("acme", {}, { key: idp.keys.get("globex")![0]! })));
    expect(error.code).toBe("invalid_token");
    const api = createVerifier({ issuer: idp.issuer("acme"), audience: "https://api.example.com" });
    await api.verify(await idp.token("acme", { aud: "https://api.example.com" }));
    await refusal(api.verify(await idp.token("acme")));
  });

  it("answers insufficient_scope (403) for a good token without the scope", async () => {
    const verifier = createVerifier({ issuer: idp.issuer("acme"), requiredScopes: ["openid"] });
    await verifier.verify(await idp.token("acme"), { scopes: ["orders:read"] });
    const error = await refusal(verifier.verify(await idp.token("acme"), { scopes: ["orders:write"] }));
    expect([error.code, error.status, error.requiredScopes]).toEqual(["insufficient_scope", 403, ["openid", "orders:write"]]);
  });

  it("asks introspection when configured, and refuses revoked tokens", async () => {
    const verifier = createVerifier({ issuer: idp.issuer("acme"), introspection: { clientId: "svc", clientSecret: "s3cret" } });
    const token = await idp.token("acme");
    await verifier.verify(token);
    idp.revoked.add(token);
    expect((await refusal(verifier.verify(token))).reason).toMatch(/revoked/);
  });
});

describe("Express middleware", () => {
  it("answers 401 with a challenge, 403 without the scope, and passes the claims on", async () => {
    const verifier = createVerifier({ issuer: idp.issuer("acme") });
    const app = express();
    app.get("/orders", requireAuth(verifier, { scopes: ["orders:read"], realm: "orders" }), (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    app.get("/admin", requireAuth(verifier, { scopes: ["admin"] }), (_req, res) => void res.json({}));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const anonymous = await fetch(`${base}/orders`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="orders", scope="orders:read"');
      const bad = await fetch(`${base}/orders`, { headers: { authorization: "Bearer abc.def.ghi" } });
      expect(bad.status).toBe(401);
      expect(bad.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(await bad.json()).toEqual({ error: "invalid_token", error_description: "the access token is not valid" });
      const token = await idp.token("acme");
      const ok = await fetch(`${base}/orders`, { headers: { authorization: `Bearer ${token}` } });
      expect(await ok.json()).toEqual({ sub: "usr_1" });
      const forbidden = await fetch(`${base}/admin`, { headers: { authorization: `bearer ${token}` } });
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
      const malformed = await fetch(`${base}/orders`, { headers: { authorization: "Bearer a b" } });
      expect(malformed.status).toBe(400);
    } finally {
      server.close();
    }
  });
});

describe("Fastify hook", () => {
  it("refuses and admits like the Express middleware", async () => {
    const verifier = createVerifier({ issuer: idp.issuer("acme") });
    const app = Fastify();
    app.get("/orders", { preHandler: fastifyAuth(verifier, { scopes: ["orders:read"] }) },
      async (request) => ({ sub: (request as unknown as { auth: AccessTokenClaims }).auth.sub }));
    const anonymous = await app.inject({ method: "GET", url: "/orders" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toBe('Bearer scope="orders:read"');
    const ok = await app.inject({ method: "GET", url: "/orders", headers: { authorization: `Bearer ${await idp.token("acme")}` } });
    expect(ok.json()).toEqual({ sub: "usr_1" });
    const wrongTenant = await app.inject({ method: "GET", url: "/orders",
      headers: { authorization: `Bearer ${await idp.token("globex")}` } });
    expect(wrongTenant.statusCode).toBe(401);
    await app.close();
  });
});

describe("ClientCredentialsTokenCache", () => {
  it("requests one token per lifetime, one at a time", async () => {
    let now = Date.now();
    const cache = new ClientCredentialsTokenCache({ issuer: idp.issuer("acme"), clientId: "svc", clientSecret: "s3cret",
      scope: "reports:read", now: () => now });
    const start = idp.tokenRequests;
    const [a, b] = await Promise.all([cache.getToken(), cache.getToken()]);
    expect(a).toBe(b);
    expect(await cache.authorization()).toBe(`Bearer ${a}`);
    expect(idp.tokenRequests - start).toBe(1);
    now += (idp.tokenTtl - 30) * 1000; // inside the 60 s margin
    expect(await cache.getToken()).not.toBe(a);
    cache.invalidate();
    await cache.getToken();
    expect(idp.tokenRequests - start).toBe(3);
  });

  it("passes on the issuer's refusal", async () => {
    const cache = new ClientCredentialsTokenCache({ issuer: idp.issuer("acme"), clientId: "svc", clientSecret: "wrong" });
    await expect(cache.getToken()).rejects.toMatchObject({ code: "invalid_client" });
  });
});
