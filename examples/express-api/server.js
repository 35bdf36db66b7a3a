// An API that only answers requests carrying a valid BinoAuth access token of one tenant.
// Configuration from the environment (see README.md):
//   BINOAUTH_ISSUER   the tenant's issuer, e.g. http://localhost:8080/tenant/acme (required)
//   API_AUDIENCE      the audience to expect (default: the issuer, as in tokens of a user sign-in)
//   ALLOWED_ORIGINS   comma-separated browser origins allowed to call it (default http://localhost:5173)
//   PORT              default 3001
//   INTROSPECTION_CLIENT_ID / INTROSPECTION_CLIENT_SECRET  optional: also ask BinoAuth whether
//                     the token was revoked (for tokens issued to that confidential client)
import { createVerifier, requireAuth } from "@binoauth/node";
import express from "express";

// examples/setup.mjs writes .env here; variables already set win.
try {
  process.loadEnvFile(new URL(".env", import.meta.url));
} catch {
  // no .env: the environment alone
}

const issuer = process.env.BINOAUTH_ISSUER;
if (!issuer) {
  console.error("BINOAUTH_ISSUER is required, e.g. BINOAUTH_ISSUER=http://localhost:8080/tenant/acme");
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3001);
const origins = new Set((process.env.ALLOWED_ORIGINS ?? "http://localhost:5173").split(",").map((o) => o.trim()));
const introspection = process.env.INTROSPECTION_CLIENT_ID
  ? { clientId: process.env.INTROSPECTION_CLIENT_ID, clientSecret: process.env.INTROSPECTION_CLIENT_SECRET ?? "" }
  : undefined;

const verifier = createVerifier({
  issuer,
  ...(process.env.API_AUDIENCE ? { audience: process.env.API_AUDIENCE } : {}),
  ...(introspection ? { introspection } : {}),
});

const app = express();
app.disable("x-powered-by");

// CORS for the single-page app: its origin may send the Authorization header (no cookies).
app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (origin && origins.has(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
    res.setHeader("Access-Control-Allow-Headers", "Authorization");
    res.setHeader("Access-Control-Allow-Methods", "GET");
    res.setHeader("Access-Control-Expose-Headers", "WWW-Authenticate");
  }
  if (req.method === "OPTIONS") return void res.status(204).end();
  next();
});

app.get("/api/health", (_req, res) => {
  res.json({ ok: true });
});

// Any valid token of the tenant.
app.get("/api/me", requireAuth(verifier), (req, res) => {
  const { sub, client_id: clientId, scopes, exp, jti } = req.auth;
  res.json({ sub, client_id: clientId, scopes, exp, jti });
});

// Tokens whose scope includes `profile` only (403 insufficient_scope otherwise).
app.get("/api/profile-report", requireAuth(verifier, { scopes: ["profile"] }), (req, res) => {
  res.json({ sub: req.auth.sub, report: "profile scope granted" });
});

const server = app.listen(port, "127.0.0.1", () => {
  console.log(`express-api listening on http://localhost:${port} (issuer ${issuer})`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
