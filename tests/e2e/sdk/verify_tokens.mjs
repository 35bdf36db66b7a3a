// Runs @binoauth/node's verifier over real tokens from the stack (tests/e2e/test_sdk_examples.py).
// stdin: {"cases": [{"name", "token", "issuer", "audience"?, "scopes"?, "now"?, "introspection"?}]}
// stdout: {"<name>": "ok" | "<code>: <reason>"}
import { createVerifier } from "@binoauth/node";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = {};
for (const c of JSON.parse(input).cases) {
  const verifier = createVerifier({
    issuer: c.issuer,
    ...(c.audience ? { audience: c.audience } : {}),
    ...(c.introspection ? { introspection: c.introspection } : {}),
    ...(c.now ? { now: () => new Date(c.now * 1000) } : {}),
  });
  try {
    const claims = await verifier.verify(c.token, { scopes: c.scopes ?? [] });
    results[c.name] = claims.iss === c.issuer ? "ok" : "wrong issuer accepted";
  } catch (error) {
    results[c.name] = error.code ? `${error.code}: ${error.reason}` : `crash: ${error}`;
  }
}
process.stdout.write(JSON.stringify(results));
