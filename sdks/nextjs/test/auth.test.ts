import { describe, expect, it } from "vitest";

import { createBinoAuth } from "../src/index.js";
// The oauth-core tests' in-memory authorization server.
import { CLIENT_ID, FakeServer, ISSUER } from "../../oauth-core/test/fake-server.js";

const APP = "https://app.example.com";
const SECRET = "x".repeat(40);

function setup(expiresIn = 300, refreshMarginSeconds = 60) {
  const server = new FakeServer();
  server.expiresIn = expiresIn;
  const auth = createBinoAuth({ issuer: ISSUER, clientId: CLIENT_ID, clientSecret: "s3cret", baseUrl: APP,
    secret: SECRET, fetch: server.fetch, refreshMarginSeconds });
  return { server, auth };
}

function cookieOf(response: Response, name: string): string {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie`);
  return line;
}

const value = (setCookie: string) => setCookie.split(";")[0]!;

async function signedIn(server: FakeServer, auth: ReturnType<typeof createBinoAuth>, returnTo = "/account") {
  const start = await auth.handlers.GET(new Request(`${APP}/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`));
  const tx = cookieOf(start, "binoauth_session_tx");
  const back = server.approve(new URL(start.headers.get("location")!));
  const done = await auth.handlers.GET(new Request(back, { headers: { cookie: value(tx) } }));
  return { start, tx, done, session: cookieOf(done, "binoauth_session") };
}

describe("route handlers", () => {
  it("signs in with PKCE through an encrypted transaction cookie and sets an HttpOnly session", async () => {
    const { server, auth } = setup();
    const { start, tx, done, session } = await signedIn(server, auth);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${APP}/auth/callback`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(tx).toMatch(/; Path=\/auth; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/);
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${APP}/account`);
    expect(session).toMatch(/^binoauth_session=[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800; Secure$/);
    expect(cookieOf(done, "binoauth_session_tx")).toContain("Max-Age=0");
    const exchanged = server.requests.find((r) => r.body.get("grant_type") === "authorization_code")!;
    expect(exchanged.body.get("code_verifier")).toBeTruthy();

    const user = await auth.getSession(new Request(`${APP}/account`, { headers: { cookie: `a=b; ${value(session)}` } }));
    expect(user?.user?.email).toBe("ada@example.com");
    expect(user?.accessToken).toMatch(/^at-/);
    expect(value(session)).not.toContain(user!.accessToken); // encrypted, not just signed
    const viaCookies = await auth.getSession({ get: (name) => (name === "binoauth_session" ? { value: value(session).split("=")[1]! } : undefined) });
    expect(viaCookies?.user?.sub).toBe("usr_1");
  });

  it("fetches the discovery document once for every request it serves", async () => {
    const { server, auth } = setup();
    for (let i = 0; i < 3; i++) await signedIn(server, auth);
    expect(server.requests.filter((r) => r.url.endsWith("/.well-known/openid-configuration"))).toHaveLength(1);
  });

  it("refuses a callback without its transaction, and a tampered or foreign cookie is no session", async () => {
    const { server, auth } = setup();
    const start = await auth.handlers.GET(new Request(`${APP}/auth/sign-in`));
    const back = server.approve(new URL(start.headers.get("location")!));
    const refused = await auth.handlers.GET(new Request(back));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("invalid_state");

    const { session } = await signedIn(server, auth);
    const [name, sealed] = value(session).split("=") as [string, string];
    const tampered = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(await auth.getSession(new Request(APP, { headers: { cookie: `${name}=${tampered}` } }))).toBeUndefined();
    const other = createBinoAuth({ issuer: ISSUER, clientId: CLIENT_ID, baseUrl: APP, secret: "y".repeat(40), fetch: server.fetch });
    expect(await other.getSession(new Request(APP, { headers: { cookie: value(session) } }))).toBeUndefined();
    expect(() => createBinoAuth({ issuer: ISSUER, clientId: CLIENT_ID, baseUrl: APP, secret: "short" })).toThrow(/32 characters/);
  });

  it("never redirects elsewhere after sign-in", async () => {
    const { server, auth } = setup();
    for (const returnTo of ["//evil.example.com/x", "https://evil.example.com/", "/\\evil.example.com"]) {
      const { done } = await signedIn(server, auth, returnTo);
      expect(done.headers.get("location")).toBe(`${APP}/`);
    }
  });

  it("signs out with a same-origin POST only: revokes, clears the cookie, ends the BinoAuth session", async () => {
    const { server, auth } = setup();
    const { session } = await signedIn(server, auth);
    const cookie = value(session);
    expect((await auth.handlers.GET(new Request(`${APP}/auth/sign-out`, { headers: { cookie } }))).status).toBe(403);
    const foreign = new Request(`${APP}/auth/sign-out`, { method: "POST", headers: { cookie, origin: "https://evil.example.com" } });
    expect((await auth.handlers.POST(foreign)).status).toBe(403);
    const out = await auth.handlers.POST(new Request(`${APP}/auth/sign-out`, { method: "POST", headers: { cookie, origin: APP } }));
    expect(out.status).toBe(303);
    const logout = new URL(out.headers.get("location")!);
    expect(logout.pathname).toBe("/tenant/acme/oauth2/logout");
    expect(logout.searchParams.get("id_token_hint")).toBeTruthy();
    expect(logout.searchParams.get("post_logout_redirect_uri")).toBe(`${APP}/`);
    expect(cookieOf(out, "binoauth_session")).toContain("Max-Age=0");
    expect(server.revoked).toHaveLength(1);
  });
});

describe("middleware", () => {
  it("sends signed-out users of protected paths to sign in, and lets the rest through", async () => {
    const { auth } = setup();
    const middleware = auth.middleware({ protect: ["/account", /^\/admin/] });
    const blocked = await middleware(new Request(`${APP}/account/orders?page=2`));
    expect(blocked.status).toBe(307);
    expect(blocked.headers.get("location")).toBe(`${APP}/auth/sign-in?returnTo=${encodeURIComponent("/account/orders?page=2")}`);
    expect((await middleware(new Request(`${APP}/admin`))).status).toBe(307);
    const open = await middleware(new Request(`${APP}/accounting`));
    expect(open.headers.get("x-middleware-next")).toBe("1");
  });

  it("refreshes an expiring session once, sets the rotated cookie and shows it to the page at once", async () => {
    const { server, auth } = setup(30, 60); // every token is within the margin
    const { session } = await signedIn(server, auth);
    const forwarded: Headers[] = [];
    const middleware = auth.middleware({ protect: ["/account"], next: (headers) => {
      forwarded.push(headers);
      return new Response(null, { headers: { "x-middleware-next": "1" } });
    } });
    const request = () => new Request(`${APP}/account`, { headers: { cookie: `theme=dark; ${value(session)}` } });
    const [a, b] = await Promise.all([middleware(request()), middleware(request())]);
    expect(server.requests.filter((r) => r.body.get("grant_type") === "refresh_token")).toHaveLength(1);
    const fresh = cookieOf(a, "binoauth_session");
    expect(cookieOf(b, "binoauth_session")).toBeTruthy();
    const before = await auth.getSession(request());
    const after = await auth.getSession(new Request(APP, { headers: { cookie: value(fresh) } }));
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.user?.email).toBe("ada@example.com");
    // Each page sees its own response's rotated cookie (the two may finish in either order).
    expect(forwarded.map((h) => h.get("cookie")).sort()).toEqual(
      [fresh, cookieOf(b, "binoauth_session")].map((c) => `theme=dark; ${value(c)}`).sort());
  });

  it("leaves a session alone while its access token is outside the margin, and reports its expiry", async () => {
    const { server, auth } = setup(300, 60); // five minutes left, refreshed within one
    const { session } = await signedIn(server, auth);
    const before = Date.now();
    const response = await auth.middleware({ protect: ["/account"] })(
      new Request(`${APP}/account`, { headers: { cookie: value(session) } }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.getSetCookie()).toHaveLength(0);
    expect(server.requests.filter((r) => r.body.get("grant_type") === "refresh_token")).toHaveLength(0);
    // The access token's expiry, in ms, not the session cookie's (a week away, in seconds).
    const current = await auth.getSession(new Request(`${APP}/account`, { headers: { cookie: value(session) } }));
    expect(current?.expiresAt).toBeGreaterThan(before + 240_000);
    expect(current?.expiresAt).toBeLessThanOrEqual(Date.now() + 300_000);
  });

  it("ends the session when the refresh token is refused", async () => {
    const { server, auth } = setup(30, 60);
    const { session } = await signedIn(server, auth);
    for (const token of server.refreshTokens.keys()) server.refreshTokens.set(token, "used"); // revoked at BinoAuth
    const response = await auth.middleware({ protect: ["/account"] })(
      new Request(`${APP}/account`, { headers: { cookie: value(session) } }));
    expect(response.status).toBe(307);
    expect(cookieOf(response, "binoauth_session")).toContain("Max-Age=0");
  });
});
