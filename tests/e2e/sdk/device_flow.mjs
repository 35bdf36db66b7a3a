// @binoauth/oauth-core against the stack, as a CLI would use it (tests/e2e/test_sdk_examples.py):
// the device flow (the test approves on the hosted page meanwhile), a refresh, then sign-out.
// Environment: BINOAUTH_ISSUER, CLIENT_ID. Prints one JSON line per step.
import { BinoAuthClient } from "@binoauth/oauth-core";

const client = new BinoAuthClient({ issuer: process.env.BINOAUTH_ISSUER, clientId: process.env.CLIENT_ID });
const device = await client.startDeviceAuthorization({ scope: "openid profile email offline_access" });
console.log(JSON.stringify({ device }));
const tokens = await client.pollDeviceAuthorization(device, { signal: AbortSignal.timeout(60_000) });
const refreshed = await client.refresh();
const logout = await client.signOut(); // revokes the (rotated) refresh token
console.log(JSON.stringify({
  email: tokens.claims?.email,
  rotated: refreshed.refreshToken !== tokens.refreshToken,
  first: tokens.refreshToken,
  last: refreshed.refreshToken,
  logout: logout.href,
  after: (await client.getTokens()) ?? null,
}));
