// A stand-in for a Next.js App Router application, for tests/e2e/test_sdk_examples.py: it calls
// @binoauth/nextjs exactly as Next would (Web Request/Response): the middleware on every page
// request (continuing with the request headers it hands on), the route handlers under /auth,
// and "server components" that read the session. Next itself is not installed in this repo.
//
// Environment: BINOAUTH_ISSUER, CLIENT_ID, CLIENT_SECRET, BASE_URL, PORT, SESSION_SECRET,
// REFRESH_MARGIN (seconds).
import { createServer } from "node:http";

import { createBinoAuth } from "@binoauth/nextjs";

const env = process.env;
const auth = createBinoAuth({
  issuer: env.BINOAUTH_ISSUER, clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, baseUrl: env.BASE_URL,
  secret: env.SESSION_SECRET, refreshMarginSeconds: Number(env.REFRESH_MARGIN ?? 60),
});
const middleware = auth.middleware({ protect: ["/account", "/api"], next: (headers) => {
  const response = new Response(null, { headers: { "x-middleware-next": "1" } });
  forwarded.set(response, headers);
  return response;
} });
const forwarded = new WeakMap();
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const tail = (token) => `…${token.slice(-8)}`;

// The pages ("server components"): the session from the (possibly refreshed) request cookies.
async function page(request) {
  const path = new URL(request.url).pathname;
  const session = await auth.getSession(request);
  if (path === "/api/me") {
    // Server-side use of the access token: the tenant's userinfo endpoint.
    const info = await fetch(`${env.BINOAUTH_ISSUER}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${session.accessToken}` } });
    return new Response(await info.text(), { status: info.status, headers: { "content-type": "application/json" } });
  }
  const body = session
    ? `<p id="user">Signed in as ${escape(session.user?.email)}</p><p>Access token <code id="token">${escape(tail(session.accessToken))}</code></p>
       <form method="post" action="/auth/sign-out"><button id="sign-out" type="submit">Sign out</button></form>`
    : `<p id="status">Signed out.</p><a id="sign-in" href="/auth/sign-in?returnTo=/account">Sign in</a>`;
  return new Response(`<!doctype html><title>Next.js example</title><main>${body}</main>`, {
    status: path === "/" || path === "/account" ? 200 : 404, headers: { "content-type": "text/html; charset=utf-8" },
  });
}

async function handle(request) {
  if (new URL(request.url).pathname.startsWith("/auth/")) return auth.handlers[request.method === "POST" ? "POST" : "GET"](request);
  const decision = await middleware(request);
  if (decision.headers.get("x-middleware-next") !== "1") return decision;
  const headers = forwarded.get(decision) ?? request.headers;
  const response = await page(new Request(request.url, { headers }));
  for (const cookie of decision.headers.getSetCookie()) response.headers.append("set-cookie", cookie);
  return response;
}

createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const request = new Request(new URL(req.url, env.BASE_URL), {
    method: req.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
  });
  try {
    const response = await handle(request);
    const out = {};
    response.headers.forEach((value, name) => { if (name !== "set-cookie") out[name] = value; });
    res.writeHead(response.status, { ...out, "set-cookie": response.headers.getSetCookie() });
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    console.error(error);
    res.writeHead(500).end("error");
  }
}).listen(Number(env.PORT), "127.0.0.1");
