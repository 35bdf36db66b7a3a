// An independent upstream OpenID provider for tests/e2e/test_federation_providers.py: panva's
// oidc-provider (not BinoAuth's code), in memory, on a loopback port the test picked.
//
//   node server.mjs <config.json>      (prints "listening <port>" when up)
//
// config.json: {"port": 0, "clients": [oidc-provider client metadata], "keys": [private JWKs]}
// The first key signs. The test restarts the process with other keys to rotate them.
//
// What oidc-provider does not do by itself, for the tests only:
// - the interaction (its login page): GET /interaction/:uid answers what the provider asks
//   (prompt name, reasons, the authorization request's parameters) as JSON; POST
//   /interaction/:uid signs in the account the form describes (sub, email, email_verified,
//   name, amr, acr) and grants the requested scopes.
// - faults, armed by POST /__test/faults with a JSON body and used by the next token request:
//   {"id_token": {claim: value, ...}} re-signs the ID token with these claims changed (another
//   audience, expired, another nonce); {"alg": "none"} sends it unsigned; {"kid": "x"} signs it
//   with a key the provider does not publish; {"token_status": 500} answers the token request
//   with that status.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = new Map();
let faults = {};

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: config.keys },
  findAccount: (_ctx, sub) => {
    const claims = accounts.get(sub);
    return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
  },
  claims: { openid: ['sub', 'amr', 'acr'], email: ['email', 'email_verified'], profile: ['name'] },
  acrValues: ['urn:e2e:pwd', 'urn:e2e:mfa'],
  // ID tokens carry the claims themselves (BinoAuth reads them there, userinfo is a fallback).
  conformIdTokenClaims: false,
  cookies: { keys: ['e2e-federation-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`server_error ${error.stack}\n`));

function b64url(data) {
  return Buffer.from(data).toString('base64url');
}

function resign(idToken, armed) {
  const [, payload] = idToken.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url')), ...(armed.id_token || {}) };
  const body = b64url(JSON.stringify(claims));
  if (armed.alg === 'none') {
    return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${body}.`;
  }
  let [key] = config.keys;
  if (armed.kid) {
    // A key of the right kind the provider never published.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = { ...privateKey.export({ format: 'jwk' }), kid: armed.kid, alg: 'RS256' };
  }
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid }));
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), createPrivateKey({ key, format: 'jwk' }));
  return `${header}.${body}.${b64url(signature)}`;
}

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return Object.fromEntries(new URLSearchParams(raw));
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/faults' && ctx.method === 'POST') {
    let raw = '';
    for await (const chunk of ctx.req) raw += chunk;
    faults = JSON.parse(raw || '{}');
    ctx.status = 204;
    return;
  }
  const interaction = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (interaction && ctx.method === 'GET') {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    ctx.body = { prompt: details.prompt.name, reasons: details.prompt.reasons, params: details.params };
    return;
  }
  if (interaction && ctx.method === 'POST') {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const form = await readForm(ctx.req);
    accounts.set(form.sub, {
      email: form.email, email_verified: form.email_verified === 'true', name: form.name || undefined,
    });
    const grant = new provider.Grant({ accountId: form.sub, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const result = {
      login: {
        accountId: form.sub,
        amr: form.amr ? form.amr.split(' ') : ['pwd'],
        acr: form.acr || undefined,
      },
      consent: { grantId: await grant.save() },
    };
    ctx.respond = false;
    await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    return;
  }
  const armed = ctx.path === '/token' ? faults : {};
  if (ctx.path === '/token') faults = {};
  if (armed.token_status) {
    ctx.status = armed.token_status;
    ctx.type = 'text/html';
    ctx.body = '<h1>Internal Server Error</h1>';
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body && ctx.body.id_token
      && (armed.id_token || armed.alg || armed.kid)) {
    ctx.body = { ...ctx.body, id_token: resign(ctx.body.id_token, armed) };
  }
});

provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${config.port}\n`);
});
