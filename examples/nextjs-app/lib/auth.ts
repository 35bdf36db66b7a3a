// The one BinoAuth configuration of the app: route handlers, middleware and server components
// all use this object. `node examples/setup.mjs --nextjs` writes these variables to .env.local.
import { createBinoAuth } from "@binoauth/nextjs";

function env(name: string): string {
  const value = process.env[name];
  // Fail with the fix, not with an opaque OAuth error at the first sign-in.
  if (!value) throw new Error(`${name} is not set: run \`node examples/setup.mjs --nextjs\` (see examples/nextjs-app/README.md)`);
  return value;
}

export const auth = createBinoAuth({
  issuer: env("BINOAUTH_ISSUER"),
  clientId: env("BINOAUTH_CLIENT_ID"),
  clientSecret: env("BINOAUTH_CLIENT_SECRET"),
  baseUrl: process.env.APP_URL ?? "http://localhost:3000",
  secret: env("SESSION_SECRET"),
});

/** The Express example API (examples/express-api), called from the server with the user's token. */
export const apiUrl = (process.env.API_URL ?? "http://localhost:3001").replace(/\/+$/, "");
