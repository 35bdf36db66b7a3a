// The peer of `make bench` (tools/bench_peer.py starts it): panva's oidc-provider, one
// process, in-memory storage, configured like BinoAuth's benchmark tenant: a confidential
// client (client_secret_basic) with client_credentials and ES256-signed JWT access tokens.
// oidc-provider refuses to introspect its JWT access tokens, so the same client can also ask
// for an opaque token (resource urn:bench:opaque) to measure introspection.
//
//   node server.mjs <port> <client_id> <client_secret>   (prints "listening <port>" when up)
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const [port, clientId, clientSecret] = process.argv.slice(2);
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'bench-es256' };

const JWT_RESOURCE = 'urn:bench:jwt';
const OPAQUE_RESOURCE = 'urn:bench:opaque';

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
    scope: 'bench',
  }],
  jwks: { keys: [jwk] },
  scopes: ['bench'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => JWT_RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => ({
        scope: 'bench',
        audience: resource,
        accessTokenTTL: 3600,
        accessTokenFormat: resource === OPAQUE_RESOURCE ? 'opaque' : 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
// Quiet: errors are answered to the client; a benchmark does not want them on stderr.
provider.on('server_error', () => {});

provider.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening ${port}\n`);
});
