import { describe, expect, it } from "vitest";

import { BinoAuthClient, BinoAuthError, LoginRequiredError, MemoryStorage, WebStorage, decodeJwtPayload } from "../src/index.js";
import { CLIENT_ID, FakeServer, ISSUER, REDIRECT } from "./fake-server.js";

function setup(options: { now?: () => number } = {}) {
  const server = new FakeServer();
  const client = new BinoAuthClient({
    issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT, fetch: server.fetch,
    sleep: async () => undefined, ...options,
  });
  return { server, client };
}

async function signIn(server: FakeServer, client: BinoAuthClient) {
  const { url } = await client.createAuthorizationUrl({ appState: "/orders" });
  return client.handleCallback(server.approve(url));
}

describe("discovery", () => {
  it("fetches the tenant's document once and refuses another issuer", async () => {
    const { server, client } = setup();
    await client.metadata();
    await client.metadata();
    expect(server.requests.filter((r) => r.url.endsWith("openid-configuration"))).toHaveLength(1);

    const other = setup();
    other.server.issuerInDiscovery = "https://auth.example.com/tenant/evil";
    await expect(other.client.metadata()).rejects.toBeInstanceOf(BinoAuthError);
  });

  it("allows http only for a loopback issuer unless told otherwise", async () => {
    const server = new FakeServer();
    const remote = new BinoAuthClient({ issuer: "http://auth.example.com/tenant/acme", clientId: CLIENT_ID,
      fetch: server.fetch });
    await expect(remote.metadata()).rejects.toThrow();
  });
});

describe("authorization code + PKCE", () => {
  it("sends S256, state and nonce, and redeems the code with the verifier", async () => {
    const { server, client } = setup();
    const { url, state } = await client.createAuthorizationUrl();
    expect(url.origin + url.pathname).toBe(`${ISSUER}/oauth2/authorize`);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toBe(state);
    expect(url.searchParams.get("nonce")).toBeTruthy();
    expect(url.searchParams.get("scope")).toBe("openid profile email offline_access");
    expect(url.searchParams.has("code_verifier")).toBe(false);

    const { tokens } = await client.handleCallback(server.approve(url));
    expect(tokens.accessToken).toMatch(/^at-/);
    expect(tokens.claims?.email).toBe("ada@example.com");
    expect(await client.getUser()).toMatchObject({ sub: "usr_1" });
    expect(BinoAuthClient.isCallback(server.approve(url))).toBe(true);
  });

  it("hands the application state back", async () => {
    const { server, client } = setup();
    expect((await signIn(server, client)).appState).toBe("/orders");
  });

  it("refuses an unknown or reused state and a response from another issuer", async () => {
    const { server, client } = setup();
    const { url } = await client.createAuthorizationUrl();
    const callback = server.approve(url);
    await client.handleCallback(callback);
    await expect(client.handleCallback(callback)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(client.handleCallback(`${REDIRECT}?code=x&state=made-up`)).rejects.toMatchObject({ code: "invalid_state" });

    const second = await client.createAuthorizationUrl();
    await expect(client.handleCallback(server.approve(second.url, "https://evil.example.com")))
      .rejects.toBeInstanceOf(BinoAuthError);
  });

  it("turns an error response into a BinoAuthError with its code", async () => {
    const { client } = setup();
    const { state } = await client.createAuthorizationUrl();
    await expect(client.handleCallback(`${REDIRECT}?error=access_denied&state=${state}&iss=${encodeURIComponent(ISSUER)}`))
      .rejects.toMatchObject({ code: "access_denied" });
  });

  it("keeps the transaction in its own storage (sessionStorage in a browser)", async () => {
    const items = new Map<string, string>();
    const session = new WebStorage({ getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v),
      removeItem: (k) => void items.delete(k) });
    const server = new FakeServer();
    const tokens = new MemoryStorage();
    const client = new BinoAuthClient({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT, fetch: server.fetch,
      storage: tokens, transactionStorage: session });
    const { url, state } = await client.createAuthorizationUrl();
    expect([...items.keys()]).toEqual([`binoauth:tx:${state}`]);
    // A new page load: a new client with empty memory finds the transaction.
    const reloaded = new BinoAuthClient({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT, fetch: server.fetch,
      transactionStorage: session });
    await reloaded.handleCallback(server.approve(url));
    expect(items.size).toBe(0);
    expect(tokens.get("tokens")).toBeUndefined();
  });
});

describe("refresh", () => {
  it("refreshes before expiry, keeps the rotated refresh token, and shares one request", async () => {
    let now = 1_000_000;
    const { server, client } = setup({ now: () => now });
    const first = (await signIn(server, client)).tokens;
    expect(await client.getAccessToken()).toBe(first.accessToken);

    now += (server.expiresIn - 10) * 1000; // within the 30 s margin
    const [a, b] = await Promise.all([client.getAccessToken(), client.getAccessToken()]);
    expect(a).toBe(b);
    expect(a).not.toBe(first.accessToken);
    expect(server.requests.filter((r) => r.body.get("grant_type") === "refresh_token")).toHaveLength(1);
    const second = (await client.getTokens())!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(server.refreshTokens.get(first.refreshToken!)).toBe("used");

    await client.refresh();
    expect(server.refreshTokens.get(second.refreshToken!)).toBe("used");
  });

  it("ends the local session when the refresh token is refused", async () => {
    let now = 1_000_000;
    const { server, client } = setup({ now: () => now });
    const { tokens } = await signIn(server, client);
    server.refreshTokens.set(tokens.refreshToken!, "used"); // revoked or reused elsewhere
    now += server.expiresIn * 1000;
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(await client.getTokens()).toBeUndefined();
    expect(await client.getAccessToken()).toBeUndefined();
  });
});

describe("device flow", () => {
  it("polls through authorization_pending and slow_down", async () => {
    const waits: number[] = [];
    const server = new FakeServer();
    const client = new BinoAuthClient({ issuer: ISSUER, clientId: CLIENT_ID, fetch: server.fetch,
      sleep: async (ms) => void waits.push(ms) });
    const device = await client.startDeviceAuthorization({ scope: "openid offline_access" });
    expect(device.userCode).toBe("ABCD-EFGH");
    const tokens = await client.pollDeviceAuthorization(device);
    expect(tokens.accessToken).toMatch(/^at-/);
    expect(waits).toEqual([1000, 1000, 6000]);
  });

  it("stops on a denial", async () => {
    const { server, client } = setup();
    server.devicePolls = ["access_denied"];
    const device = await client.startDeviceAuthorization();
    await expect(client.pollDeviceAuthorization(device)).rejects.toMatchObject({ code: "access_denied" });
  });
});

describe("sign-out and machine clients", () => {
  it("revokes the refresh token, forgets the tokens and returns the end_session URL with the hint", async () => {
    const { server, client } = setup();
    const { tokens } = await signIn(server, client);
    const url = await client.signOut({ postLogoutRedirectUri: "https://spa.example.com/", state: "bye" });
    expect(url.origin + url.pathname).toBe(`${ISSUER}/oauth2/logout`);
    expect(url.searchParams.get("id_token_hint")).toBe(tokens.idToken);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe("https://spa.example.com/");
    expect(url.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(server.revoked).toEqual([tokens.refreshToken]);
    expect(await client.getTokens()).toBeUndefined();
  });

  it("gets client_credentials tokens with a secret and a resource", async () => {
    const server = new FakeServer();
    const client = new BinoAuthClient({ issuer: ISSUER, clientId: "svc", clientSecret: "s3cret", fetch: server.fetch });
    const tokens = await client.clientCredentials({ scope: "reports:read", resource: "https://api.example.com" });
    expect(tokens.scope).toBe("reports:read");
    const request = server.requests.at(-1)!;
    expect(request.body.get("resource")).toBe("https://api.example.com");
  });

  it("decodes a JWT payload for display", () => {
    const jwt = `e30.${Buffer.from(JSON.stringify({ name: "Zoë" })).toString("base64url")}.sig`;
    expect(decodeJwtPayload(jwt)).toEqual({ name: "Zoë" });
  });
});
