#!/usr/bin/env node
// Prepares a tenant of the local stack (`make run`) for the example apps, then writes their
// configuration: examples/react-spa/.env.local and examples/express-api/.env.
//
//   node examples/setup.mjs [--tenant acme] [--email ada@example.com] [--password '...']
//                           [--spa-origin http://localhost:5173] [--api-url http://localhost:3001]
//                           [--nextjs [--next-url http://localhost:3000]]
//
// BINOAUTH_URL (default http://localhost:8080) and BINOAUTH_API_KEY (default: the bootstrap key
// that `make run` wrote to .data/bootstrap-api-key) select the deployment. It creates, when
// missing, the tenant and a user with a password, and each time a new public application for
// the React app (http://localhost:5173: its callback, its post-logout page, its origin for CORS).
// With --nextjs, also a confidential application for the Next.js app (its callback
// <next-url>/auth/callback, its post-logout page <next-url>/) and examples/nextjs-app/.env.local.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    tenant: { type: "string", default: "acme" },
    email: { type: "string", default: "ada@example.com" },
    password: { type: "string", default: "correct horse battery staple" },
    "spa-origin": { type: "string", default: "http://localhost:5173" },
    "api-url": { type: "string", default: "http://localhost:3001" },
    "spa-env": { type: "string", default: join(here, "react-spa", ".env.local") },
    "api-env": { type: "string", default: join(here, "express-api", ".env") },
    nextjs: { type: "boolean", default: false },
    "next-url": { type: "string", default: "http://localhost:3000" },
    "next-env": { type: "string", default: join(here, "nextjs-app", ".env.local") },
  },
});
const base = (process.env.BINOAUTH_URL ?? "http://localhost:8080").replace(/\/+$/, "");
const keyFile = join(here, "..", ".data", "bootstrap-api-key");
const key = process.env.BINOAUTH_API_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : "");
if (!key) {
  console.error("No API key: start the stack with `make run` (it writes .data/bootstrap-api-key) or set BINOAUTH_API_KEY.");
  process.exit(2);
}

async function call(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await response.json().catch(() => ({}));
  return { status: response.status, answer };
}

function must({ status, answer }, what, allowed = []) {
  if (status === 200 || allowed.includes(status)) return answer;
  console.error(`${what} failed: HTTP ${status} ${JSON.stringify(answer.error ?? answer)}`);
  process.exit(1);
}

const tenant = values.tenant;
const spa = values["spa-origin"];
must(await call("POST", "/api/v1/tenants", { tenant_id: tenant, display_name: tenant }), "creating the tenant", [409]);
const user = await call("POST", `/tenant/${tenant}/api/v1/users`, {
  user: { email: values.email, name: "Example user" }, password: values.password, email_verified: true,
});
must(user, "creating the user", [409]);
const app = must(await call("POST", `/tenant/${tenant}/api/v1/applications`, {
  display_name: "React example", client_type: "CLIENT_TYPE_PUBLIC", token_endpoint_auth_method: "none",
  grant_types: ["authorization_code", "refresh_token"], allowed_scopes: ["openid", "profile", "email", "offline_access"],
  redirect_uris: [`${spa}/callback`], post_logout_redirect_uris: [`${spa}/`], allowed_origins: [spa],
}), "creating the application");

// The issuer as the stack names it (BINOAUTH_PUBLIC_URL), from its discovery document.
const discovery = await fetch(`${base}/tenant/${tenant}/.well-known/openid-configuration`).then((r) => r.json());
const issuer = discovery.issuer;
const clientId = app.application.client_id;
writeFileSync(values["spa-env"],
  `VITE_BINOAUTH_ISSUER=${issuer}\nVITE_BINOAUTH_CLIENT_ID=${clientId}\nVITE_API_URL=${values["api-url"]}\n`);
writeFileSync(values["api-env"],
  `BINOAUTH_ISSUER=${issuer}\nALLOWED_ORIGINS=${spa}\nPORT=${new URL(values["api-url"]).port || 3001}\n`);
console.log(`tenant ${tenant}, issuer ${issuer}, application ${clientId}`);
if (values.nextjs) {
  // The Next.js server is a confidential client: it keeps the secret and the tokens server-side.
  const next = values["next-url"].replace(/\/+$/, "");
  const nextApp = must(await call("POST", `/tenant/${tenant}/api/v1/applications`, {
    display_name: "Next.js example", client_type: "CLIENT_TYPE_CONFIDENTIAL",
    grant_types: ["authorization_code", "refresh_token"], allowed_scopes: ["openid", "profile", "email", "offline_access"],
    redirect_uris: [`${next}/auth/callback`], post_logout_redirect_uris: [`${next}/`],
  }), "creating the Next.js application");
  writeFileSync(values["next-env"], `BINOAUTH_ISSUER=${issuer}\nBINOAUTH_CLIENT_ID=${nextApp.application.client_id}\n`
    + `BINOAUTH_CLIENT_SECRET=${nextApp.client_secret}\nAPP_URL=${next}\nAPI_URL=${values["api-url"]}\n`
    + `SESSION_SECRET=${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  console.log(`Next.js application ${nextApp.application.client_id}: cd examples/nextjs-app && npm install && npm run dev`);
}
console.log(user.status === 409 ? `sign in as ${values.email} (the user existed: its password is unchanged)`
  : `sign in as ${values.email} / ${values.password}`);
console.log("now: npm start -w examples/express-api   and   npm run dev -w examples/react-spa");
