// @vitest-environment happy-dom
import { BinoAuthClient, MemoryStorage } from "@binoauth/oauth-core";
import { act, StrictMode, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";

import { BinoAuthProvider, RequireAuth, useAuth, useUser, type AuthContextValue } from "../src/index.js";
// The oauth-core tests' in-memory authorization server.
import { CLIENT_ID, FakeServer, ISSUER } from "../../oauth-core/test/fake-server.js";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const REDIRECT = `${window.location.origin}/callback`;

let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  window.history.replaceState(null, "", "/");
  window.sessionStorage.clear();
});

function world(expiresIn = 300) {
  const server = new FakeServer();
  server.expiresIn = expiresIn;
  const transactions = new MemoryStorage(); // stands in for sessionStorage across "page loads"
  const newClient = () => new BinoAuthClient({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT,
    fetch: server.fetch, transactionStorage: transactions, expiryMarginSeconds: 30 });
  return { server, newClient };
}

let seen: AuthContextValue | undefined;
function Probe(): ReactNode {
  seen = useAuth();
  const user = useUser();
  return <p id="who">{user ? `signed in as ${user.email}` : "signed out"}</p>;
}

async function mount(element: ReactNode): Promise<void> {
  const container = document.createElement("div");
  document.body.replaceChildren(container);
  root = createRoot(container);
  await act(async () => root!.render(<StrictMode>{element}</StrictMode>));
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

const text = () => document.getElementById("who")?.textContent;

describe("BinoAuthProvider", () => {
  it("signs in through the redirect, refreshes silently and signs out", async () => {
    const { server, newClient } = world(31); // refresh due 1 s after sign-in (30 s margin)
    const left: string[] = [];
    window.history.replaceState(null, "", "/orders?page=2");
    await mount(<BinoAuthProvider issuer={ISSUER} clientId={CLIENT_ID} client={newClient()} navigate={(u) => left.push(u)}
      refreshMarginSeconds={30}><Probe /></BinoAuthProvider>);
    await until(() => seen?.isLoading === false);
    expect(text()).toBe("signed out");
    await act(async () => seen!.signIn());
    expect(left).toHaveLength(1);
    const authorize = new URL(left[0]!);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");

    // The browser comes back to the callback: a new page load, a new client with empty memory.
    act(() => root!.unmount());
    const callback = new URL(server.approve(authorize));
    window.history.replaceState(null, "", callback.pathname + callback.search);
    await mount(<BinoAuthProvider issuer={ISSUER} clientId={CLIENT_ID} client={newClient()} navigate={(u) => left.push(u)}
      refreshMarginSeconds={30}><Probe /></BinoAuthProvider>);
    await until(() => seen?.isAuthenticated === true);
    expect(text()).toBe("signed in as ada@example.com");
    expect(window.location.pathname + window.location.search).toBe("/orders?page=2"); // the code left the URL
    expect(server.requests.filter((r) => r.body.get("grant_type") === "authorization_code")).toHaveLength(1);
    const first = await seen!.getAccessToken();

    await until(() => server.requests.some((r) => r.body.get("grant_type") === "refresh_token"), 4000);
    await until(() => server.requests.filter((r) => r.body.get("grant_type") === "refresh_token").length === 1);
    const second = await seen!.getAccessToken();
    expect(second).not.toBe(first);
    expect(seen!.isAuthenticated).toBe(true);

    await act(async () => seen!.signOut());
    expect(left).toHaveLength(2);
    const logout = new URL(left[1]!);
    expect(logout.pathname).toBe("/tenant/acme/oauth2/logout");
    expect(logout.searchParams.get("id_token_hint")).toBeTruthy();
    expect(logout.searchParams.get("post_logout_redirect_uri")).toBe(`${window.location.origin}/`);
    expect(text()).toBe("signed out");
    expect(server.revoked).toHaveLength(1);
  });

  it("keeps the session through a failed refresh, and ends it when the refresh token is refused", async () => {
    const { server, newClient } = world();
    const client = newClient();
    const { url } = await client.createAuthorizationUrl();
    await client.handleCallback(server.approve(url));
    await mount(<BinoAuthProvider issuer={ISSUER} clientId={CLIENT_ID} client={client} navigate={() => undefined}>
      <Probe /></BinoAuthProvider>);
    await until(() => seen?.isAuthenticated === true);

    // Offline: the next request fails before reaching the server.
    (client as unknown as { metadata: () => Promise<unknown> }).metadata = () => Promise.reject(new TypeError("Failed to fetch"));
    await act(async () => seen!.refresh());
    expect(seen!.isAuthenticated).toBe(true);
    expect(seen!.error?.message).toMatch(/fetch/);

    delete (client as unknown as { metadata?: unknown }).metadata; // the prototype's again
    for (const token of server.refreshTokens.keys()) server.refreshTokens.set(token, "used");
    await act(async () => seen!.refresh());
    expect(seen!.isAuthenticated).toBe(false);
    expect(text()).toBe("signed out");
  });

  it("shows an error for a forged callback and keeps nothing", async () => {
    const { newClient } = world();
    window.history.replaceState(null, "", "/callback?code=stolen&state=made-up");
    await mount(<BinoAuthProvider issuer={ISSUER} clientId={CLIENT_ID} client={newClient()} navigate={() => undefined}>
      <Probe /></BinoAuthProvider>);
    await until(() => seen?.isLoading === false);
    expect(seen!.error?.message).toMatch(/state/);
    expect(seen!.isAuthenticated).toBe(false);
    expect(window.location.search).toBe("");
  });
});

describe("RequireAuth", () => {
  it("sends a signed-out user to sign in once and shows the fallback meanwhile", async () => {
    const { newClient } = world();
    const left: string[] = [];
    await mount(<BinoAuthProvider issuer={ISSUER} clientId={CLIENT_ID} client={newClient()} navigate={(u) => left.push(u)}>
      <RequireAuth fallback={<p id="who">redirecting</p>}><p id="who">secret</p></RequireAuth>
    </BinoAuthProvider>);
    await until(() => left.length > 0);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(left).toHaveLength(1);
    expect(text()).toBe("redirecting");
  });

  it("throws a clear error outside the provider", () => {
    expect(() => {
      const container = document.createElement("div");
      const lonely = createRoot(container);
      const original = console.error;
      console.error = () => undefined;
      try {
        act(() => lonely.render(<Probe />));
      } finally {
        console.error = original;
        act(() => lonely.unmount());
      }
    }).toThrow(/inside <BinoAuthProvider>/);
  });
});
